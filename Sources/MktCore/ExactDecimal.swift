/// A decimal number held exactly as an integer significand and a count of fraction digits:
/// `12.345` is `12345` with scale 3.
///
/// Money paths parse text into this, never into `Double`. Values are limited to what an `Int64`
/// significand holds (18 significant digits), which covers any price, rate or percentage.
public struct ExactDecimal: Sendable, Hashable, CustomStringConvertible {
  /// The digits as an integer.
  public var significand: Int64
  /// How many of the digits are after the decimal point.
  public var scale: Int

  public init(significand: Int64, scale: Int) {
    self.significand = significand
    self.scale = scale
  }

  /// Parses `-12.5`, `+3`, `0.075`: an optional sign, digits, an optional point and digits.
  ///
  /// `nil` for anything else (exponents, commas, spaces inside, more than 18 digits).
  public init?<Text: StringProtocol>(_ text: Text) {
    var bytes = Substring(text.trimmingSpaces).utf8[...]
    var negative = false
    if let first = bytes.first, first == UInt8(ascii: "-") || first == UInt8(ascii: "+") {
      negative = first == UInt8(ascii: "-")
      bytes = bytes.dropFirst()
    }
    var value: Int64 = 0
    var scale = 0
    var digits = 0
    var seenPoint = false
    for byte in bytes {
      if byte == UInt8(ascii: ".") {
        guard !seenPoint else { return nil }
        seenPoint = true
        continue
      }
      guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return nil }
      let (times, overflowA) = value.multipliedReportingOverflow(by: 10)
      let (sum, overflowB) = times.addingReportingOverflow(Int64(byte - UInt8(ascii: "0")))
      guard !overflowA, !overflowB else { return nil }
      value = sum
      digits += 1
      if seenPoint { scale += 1 }
    }
    guard digits > 0 else { return nil }
    significand = negative ? -value : value
    self.scale = scale
  }

  /// Plain decimal text with exactly `scale` fraction digits, such as `-0.050`.
  public var description: String {
    let magnitude = String(significand.magnitude)
    let sign = significand < 0 ? "-" : ""
    guard scale > 0 else { return sign + magnitude }
    let padded = String(repeating: "0", count: max(0, scale + 1 - magnitude.count)) + magnitude
    let point = padded.index(padded.endIndex, offsetBy: -scale)
    return sign + padded[..<point] + "." + padded[point...]
  }

  /// The value rounded half-even to `digits` fraction digits, as an integer count of
  /// 10^-digits units; `nil` when it does not fit in an `Int64`.
  public func units(digits: Int) -> Int64? {
    if digits >= scale {
      var value = significand
      for _ in 0..<(digits - scale) {
        let (times, overflow) = value.multipliedReportingOverflow(by: 10)
        if overflow { return nil }
        value = times
      }
      return value
    }
    var divisor: Int64 = 1
    for _ in 0..<(scale - digits) { divisor *= 10 }
    return Rounding.halfEven(significand, dividedBy: divisor)
  }
}

/// Named rounding of integer quotients: no floating point anywhere on a money path.
public enum Rounding {
  /// `numerator / denominator` rounded half to even (banker's rounding); `denominator > 0`.
  public static func halfEven(_ numerator: Int64, dividedBy denominator: Int64) -> Int64 {
    let quotient = numerator / denominator
    let remainder = numerator % denominator
    if remainder == 0 { return quotient }
    let twice = remainder.magnitude * 2
    let away: Int64 = numerator < 0 ? -1 : 1
    if twice > denominator.magnitude { return quotient + away }
    if twice < denominator.magnitude { return quotient }
    return quotient % 2 == 0 ? quotient : quotient + away
  }

  /// `value × multiplier / divisor` rounded half to even, exact through a 128-bit product;
  /// `nil` when the result does not fit in an `Int64`.
  public static func halfEven(_ value: Int64, times multiplier: Int64, dividedBy divisor: Int64)
    -> Int64?
  {
    let (product, overflow) = value.multipliedReportingOverflow(by: multiplier)
    if !overflow { return halfEven(product, dividedBy: divisor) }
    let negative = (value < 0) != (multiplier < 0)
    let wide = value.magnitude.multipliedFullWidth(by: multiplier.magnitude)
    guard wide.high < UInt64(divisor) else { return nil }
    let (quotient, remainder) = UInt64(divisor).dividingFullWidth(wide)
    var rounded = quotient
    let twice = remainder.multipliedReportingOverflow(by: 2)
    if twice.overflow || twice.partialValue > UInt64(divisor)
      || (twice.partialValue == UInt64(divisor) && quotient % 2 == 1)
    {
      rounded += 1
    }
    guard rounded <= UInt64(Int64.max) else { return nil }
    return negative ? -Int64(rounded) : Int64(rounded)
  }

  /// `value` rounded half to even to a multiple of `increment` (cash rounding: 5 for CHF 0.05).
  public static func toIncrement(_ value: Int64, _ increment: Int64) -> Int64 {
    guard increment > 1 else { return value }
    return halfEven(value, dividedBy: increment) * increment
  }
}

/// A percentage held exactly, in millionths of the whole: 19 % is 190 000, 25.5 % is 255 000.
public struct Percentage: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  /// Millionths of the whole.
  public var millionths: Int64

  public init(millionths: Int64) { self.millionths = millionths }

  /// Parses a percentage written as a number of percent: `19`, `25.5`, `8.1`, `2.125`.
  ///
  /// At most four decimals; `nil` otherwise.
  public init?<Text: StringProtocol>(percent text: Text) {
    guard let value = ExactDecimal(text), let units = value.units(digits: 4),
      value.scale <= 4
    else { return nil }
    millionths = units
  }

  /// The percentage as a number of percent, `19`, `25.5`.
  public var description: String {
    var text = ExactDecimal(significand: millionths, scale: 4).description
    while text.contains("."), text.hasSuffix("0") { text.removeLast() }
    if text.hasSuffix(".") { text.removeLast() }
    return text
  }

  public static func < (lhs: Percentage, rhs: Percentage) -> Bool {
    lhs.millionths < rhs.millionths
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    let text: String
    if let string = try? container.decode(String.self) {
      text = string
    } else {
      text = String(try container.decode(Int.self))
    }
    guard let value = Percentage(percent: text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not a percentage: \(text)"))
    }
    self = value
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }

  /// `amount × self`, rounded half-even to a whole minor unit; `nil` on overflow.
  public func of(_ amount: Int64) -> Int64? {
    Rounding.halfEven(amount, times: millionths, dividedBy: 1_000_000)
  }
}
