public import MktCore

/// Formats amounts, numbers, percentages and dates the way one locale writes them, from the
/// pinned CLDR subset — never Foundation's formatters, so output is byte-identical on every
/// machine (DESIGN.md §6b).
///
/// Money is displayed with CLDR's digits for its currency (HUF: 2, as stored; with `cash`, the
/// cash digits and cash rounding: HUF 0 digits, CHF to 0.05). Storage always keeps ISO 4217 minor
/// units (`Money`). Rounding is half-even.
public struct LocaleFormat: Sendable {
  /// The CLDR locale id, `de_DE`.
  public let id: String
  let data: CLDRData.Locale
  private let currencyPattern: NumberPattern
  private let decimalPattern: NumberPattern
  private let percentPattern: NumberPattern
  private let groupBytes: [UInt8]
  private let decimalBytes: [UInt8]

  /// The locale named `id` (`de_DE`, `de-DE`, `fr_be`).
  ///
  /// - Throws: ``LocalizationError/unknownLocale(_:)`` listing the shipped locales.
  public init(_ id: String) throws(LocalizationError) {
    let parts = id.split(whereSeparator: { $0 == "-" || $0 == "_" })
    let canonical =
      parts.count == 2 ? "\(parts[0].lowercased())_\(parts[1].uppercased())" : id
    guard let data = CLDRData.shipped.locales[canonical] else {
      throw .unknownLocale(id)
    }
    self.id = canonical
    self.data = data
    currencyPattern = NumberPattern(data.currencyPattern)
    decimalPattern = NumberPattern(data.decimalPattern)
    percentPattern = NumberPattern(data.percentPattern)
    groupBytes = Array(data.group.utf8)
    decimalBytes = Array(data.decimal.utf8)
  }

  /// The ids of every shipped locale, sorted.
  public static var all: [String] { CLDRData.shipped.locales.keys.sorted() }

  /// The CLDR version the shipped data pins.
  public static var cldrVersion: String { CLDRData.shipped.cldrVersion }

  /// `money` as the locale writes it: `1.234,50 €` in de_DE, `€1,234.50` in en_IE.
  ///
  /// With `cash`, the currency's cash digits and rounding apply (CHF 1.23 → `CHF 1.25`).
  public func format(_ money: Money, cash: Bool = false) -> String {
    let digits = Self.displayDigits(money.currency, cash: cash)
    let stored = money.currency.minorUnitDigits
    var units = money.minorUnits
    if digits.digits < stored {
      units = Rounding.halfEven(units, dividedBy: Self.power(stored - digits.digits))
    } else if digits.digits > stored {
      units *= Self.power(digits.digits - stored)
    }
    units = Rounding.toIncrement(units, Int64(max(1, digits.increment)))
    return render(
      units: units, scale: digits.digits, minimumFraction: digits.digits, pattern: currencyPattern,
      symbol: symbol(money.currency))
  }

  /// A decimal amount of a currency, rounded half-even to the currency's display digits.
  ///
  /// - Throws: ``MoneyError/overflow(_:)`` when it does not fit in 64-bit minor units.
  public func format(_ amount: ExactDecimal, currency: CurrencyCode, cash: Bool = false)
    throws(MoneyError) -> String
  {
    let digits = Self.displayDigits(currency, cash: cash)
    guard var units = amount.units(digits: digits.digits) else {
      throw .overflow("\(amount) \(currency)")
    }
    units = Rounding.toIncrement(units, Int64(max(1, digits.increment)))
    return render(
      units: units, scale: digits.digits, minimumFraction: digits.digits, pattern: currencyPattern,
      symbol: symbol(currency))
  }

  /// A plain number with the locale's standard decimal pattern (up to 3 decimals).
  public func format(_ number: ExactDecimal) throws(MoneyError) -> String {
    let scale = decimalPattern.maximumFractionDigits
    guard let units = number.units(digits: scale) else { throw .overflow("\(number)") }
    return render(
      units: units, scale: scale, minimumFraction: decimalPattern.minimumFractionDigits,
      pattern: decimalPattern, symbol: "")
  }

  /// A fraction as a percentage: 0.25 → `25 %` in de_DE, `25%` in en_GB.
  public func percent(_ fraction: ExactDecimal) throws(MoneyError) -> String {
    let hundred = ExactDecimal(
      significand: fraction.significand, scale: fraction.scale - 2)
    let scaled =
      hundred.scale >= 0
      ? hundred : ExactDecimal(significand: fraction.significand * 100, scale: fraction.scale)
    let scale = percentPattern.maximumFractionDigits
    guard let units = scaled.units(digits: scale) else { throw .overflow("\(fraction)") }
    return render(
      units: units, scale: scale, minimumFraction: percentPattern.minimumFractionDigits,
      pattern: percentPattern, symbol: "")
  }

  /// The currency's symbol in this locale: `€`, `CHF`, `zł`, `Kč`.
  public func symbol(_ currency: CurrencyCode) -> String {
    data.currencySymbols[currency.rawValue] ?? currency.rawValue
  }

  // MARK: - Rendering

  private static func displayDigits(_ currency: CurrencyCode, cash: Bool) -> (
    digits: Int, increment: Int
  ) {
    guard let info = CLDRData.shipped.currencies[currency.rawValue] else {
      return (currency.minorUnitDigits, 1)
    }
    return cash ? (info.cashDigits, info.cashRounding) : (info.digits, info.rounding)
  }

  static func power(_ exponent: Int) -> Int64 {
    var value: Int64 = 1
    for _ in 0..<max(0, exponent) { value *= 10 }
    return value
  }

  /// `units` × 10^-`scale` written with the pattern's affixes, grouping and fraction digits.
  ///
  /// Written into one stack buffer: a formatted amount costs one allocation at most (none when
  /// it fits a small string).
  private func render(
    units: Int64, scale: Int, minimumFraction: Int, pattern: NumberPattern, symbol: String
  ) -> String {
    withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 256) { buffer in
      var out = ByteWriter(buffer: buffer)
      let negative = units < 0
      append(negative ? pattern.negativePrefix : pattern.positivePrefix, symbol, &out)
      var integer = units.magnitude
      var fraction: UInt64 = 0
      var kept = 0
      if scale > 0 {
        let divisor = UInt64(Self.power(scale))
        fraction = integer % divisor
        integer /= divisor
        kept = scale
        while kept > minimumFraction, fraction % 10 == 0 {
          fraction /= 10
          kept -= 1
        }
      }
      writeInteger(integer, pattern, &out)
      if kept > 0 {
        out.put(decimalBytes)
        var divisor = UInt64(Self.power(kept - 1))
        while divisor > 0 {
          out.put(UInt8(ascii: "0") + UInt8(fraction / divisor))
          fraction %= divisor
          divisor /= 10
        }
      }
      append(negative ? pattern.negativeSuffix : pattern.positiveSuffix, symbol, &out)
      return out.string
    }
  }

  /// The integer part, grouped as the pattern says.
  private func writeInteger(_ value: UInt64, _ pattern: NumberPattern, _ out: inout ByteWriter) {
    var count = 1
    var probe = value
    while probe >= 10 {
      probe /= 10
      count += 1
    }
    count = max(count, pattern.minimumIntegerDigits)
    let primary = pattern.primaryGrouping
    // CLDR minimumGroupingDigits: 1234 stays ungrouped in es/pl (2), 12 345 is grouped.
    let grouped = primary > 0 && count >= primary + data.minimumGroupingDigits
    let secondary = max(1, pattern.secondaryGrouping)
    var divisor = UInt64(Self.power(count - 1))
    var rest = value
    for remaining in stride(from: count - 1, through: 0, by: -1) {
      out.put(UInt8(ascii: "0") + UInt8(rest / divisor))
      rest %= divisor
      divisor /= 10
      // A separator when the digits still to come are a whole number of groups.
      if grouped, remaining > 0,
        remaining == primary || (remaining > primary && (remaining - primary) % secondary == 0)
      {
        out.put(groupBytes)
      }
    }
  }

  private func append(
    _ pieces: [NumberPattern.Piece], _ symbol: String, _ out: inout ByteWriter
  ) {
    for piece in pieces {
      switch piece {
      case .literal(let text): out.put(text)
      case .currency: out.put(symbol)
      case .percent: out.put(data.percentSign)
      case .minus: out.put(data.minus)
      case .plus: out.put(data.plus)
      }
    }
  }
}

/// Bytes written into a fixed buffer (extra bytes beyond it are dropped: 256 bytes hold any
/// amount with any affix CLDR has).
struct ByteWriter {
  let buffer: UnsafeMutableBufferPointer<UInt8>
  var count = 0

  mutating func put(_ byte: UInt8) {
    guard count < buffer.count else { return }
    buffer[count] = byte
    count += 1
  }

  mutating func put(_ bytes: [UInt8]) {
    for byte in bytes { put(byte) }
  }

  mutating func put(_ text: String) {
    for byte in text.utf8 { put(byte) }
  }

  var string: String {
    String(decoding: UnsafeBufferPointer(rebasing: buffer[..<count]), as: UTF8.self)
  }
}
