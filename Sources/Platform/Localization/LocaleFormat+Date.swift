/// The CLDR date lengths shipped.
public enum DateStyle: String, Sendable, CaseIterable {
  case short, medium, long
}

extension LocaleFormat {
  /// A calendar day (`2026-03-29`) as the locale writes it in `style`: de_DE short `29.03.26`,
  /// long `29. März 2026`; `nil` when `day` is not `YYYY-MM-DD`.
  ///
  /// Supports the pattern fields CLDR uses in these locales' short, medium and long date
  /// formats: `d`, `M`/`L` (numeric, abbreviated, wide), `y` and quoted literals.
  public func date(_ day: String, style: DateStyle = .medium) -> String? {
    let parts = day.split(separator: "-", omittingEmptySubsequences: false)
    guard parts.count == 3, parts[0].count == 4, let year = Int(parts[0]),
      let month = Int(parts[1]), let dayOfMonth = Int(parts[2]), (1...12).contains(month),
      (1...31).contains(dayOfMonth)
    else { return nil }
    let pattern =
      switch style {
      case .short: data.dateShort
      case .medium: data.dateMedium
      case .long: data.dateLong
      }
    var out = ""
    var characters = Array(pattern)[...]
    while let character = characters.popFirst() {
      if character == "'" {
        if characters.first == "'" {
          characters.removeFirst()
          out.append("'")
          continue
        }
        while let quoted = characters.popFirst(), quoted != "'" { out.append(quoted) }
        continue
      }
      guard character.isLetter, character.isASCII else {
        out.append(character)
        continue
      }
      var width = 1
      while characters.first == character {
        characters.removeFirst()
        width += 1
      }
      switch character {
      case "d": out += Self.padded(dayOfMonth, width)
      case "M", "L":
        if width >= 4 {
          out += data.months[month - 1]
        } else if width == 3 {
          out += data.monthsAbbreviated?[month - 1] ?? data.months[month - 1]
        } else {
          out += Self.padded(month, width)
        }
      case "y": out += width == 2 ? Self.padded(year % 100, 2) : Self.padded(year, width)
      default: out += String(repeating: character, count: width)
      }
    }
    return out
  }

  private static func padded(_ value: Int, _ width: Int) -> String {
    let text = String(value)
    return String(repeating: "0", count: max(0, width - text.count)) + text
  }
}
