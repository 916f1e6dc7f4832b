/// A CLDR number pattern such as `#,##0.00 ¤` or `¤#,##0.00;(¤#,##0.00)`, parsed once: the
/// affixes around the number, the grouping sizes and the fraction digits.
///
/// Affix characters keep their CLDR meaning: `¤` the currency symbol, `%` the percent sign,
/// `-` the locale's minus sign, `'…'` quoted literal text.
struct NumberPattern: Sendable, Equatable {
  /// Text before and after the number, with placeholders still in it.
  enum Piece: Sendable, Equatable {
    case literal(String)
    case currency
    case percent
    case minus
    case plus
  }

  var positivePrefix: [Piece] = []
  var positiveSuffix: [Piece] = []
  var negativePrefix: [Piece] = []
  var negativeSuffix: [Piece] = []
  var minimumIntegerDigits = 1
  var minimumFractionDigits = 0
  var maximumFractionDigits = 0
  /// The size of the group next to the decimal separator; 0 when the pattern does not group.
  var primaryGrouping = 0
  /// The size of the groups further left (the primary size when the pattern names only one).
  var secondaryGrouping = 0

  init(_ pattern: String) {
    let (positive, negative) = Self.splitSubpatterns(pattern)
    let parts = Self.parts(of: positive)
    positivePrefix = parts.prefix
    positiveSuffix = parts.suffix
    readNumber(parts.number)
    if let negative {
      let negativeParts = Self.parts(of: negative)
      negativePrefix = negativeParts.prefix
      negativeSuffix = negativeParts.suffix
    } else {
      // CLDR: without a negative subpattern, the negative form is the minus sign before the
      // positive prefix.
      negativePrefix = [.minus] + positivePrefix
      negativeSuffix = positiveSuffix
    }
  }

  private mutating func readNumber(_ number: String) {
    let integer: Substring
    let fraction: Substring
    if let point = number.firstIndex(of: ".") {
      integer = number[..<point]
      fraction = number[number.index(after: point)...]
    } else {
      integer = number[...]
      fraction = ""
    }
    minimumFractionDigits = fraction.count { $0 == "0" }
    maximumFractionDigits = fraction.count { $0 == "0" || $0 == "#" }
    minimumIntegerDigits = max(1, integer.count { $0 == "0" })
    let groups = integer.split(separator: ",", omittingEmptySubsequences: false)
    if groups.count >= 2 {
      primaryGrouping = groups[groups.count - 1].count
      secondaryGrouping = groups.count >= 3 ? groups[groups.count - 2].count : primaryGrouping
    }
  }

  /// The pattern split at its unquoted `;`.
  private static func splitSubpatterns(_ pattern: String) -> (String, String?) {
    var quoted = false
    for index in pattern.indices {
      let character = pattern[index]
      if character == "'" { quoted.toggle() }
      if character == ";", !quoted {
        return (String(pattern[..<index]), String(pattern[pattern.index(after: index)...]))
      }
    }
    return (pattern, nil)
  }

  /// A subpattern split into prefix pieces, the number part and suffix pieces.
  private static func parts(of pattern: String) -> (
    prefix: [Piece], number: String, suffix: [Piece]
  ) {
    var prefix: [Piece] = []
    var suffix: [Piece] = []
    var number = ""
    var literal = ""
    var quoted = false
    var stage = 0  // 0 prefix, 1 number, 2 suffix
    func flush(into pieces: inout [Piece]) {
      if !literal.isEmpty { pieces.append(.literal(literal)) }
      literal = ""
    }
    var characters = Array(pattern)[...]
    while let character = characters.popFirst() {
      if character == "'" {
        if characters.first == "'" {
          characters.removeFirst()
          literal.append("'")
        } else {
          quoted.toggle()
        }
        continue
      }
      if quoted {
        literal.append(character)
        continue
      }
      let numeric = "#0,.".contains(character) || character.isASCII && character.isNumber
      if stage == 0, numeric {
        flush(into: &prefix)
        stage = 1
      } else if stage == 1, !numeric {
        stage = 2
      }
      if stage == 1 {
        number.append(character)
        continue
      }
      let piece: Piece? =
        switch character {
        case "¤": .currency
        case "%": .percent
        case "-": .minus
        case "+": .plus
        default: nil
        }
      if let piece {
        if stage == 0 { flush(into: &prefix) } else { flush(into: &suffix) }
        if stage == 0 { prefix.append(piece) } else { suffix.append(piece) }
      } else {
        literal.append(character)
      }
    }
    if stage == 0 { flush(into: &prefix) } else { flush(into: &suffix) }
    return (prefix, number, suffix)
  }
}
