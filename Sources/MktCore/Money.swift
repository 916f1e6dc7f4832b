/// An amount of money: an integer count of minor units (cents) and its currency.
///
/// Never a `Double`.
public struct Money: Sendable, Hashable, Codable {
  /// The amount in minor units, such as 1999 for 19.99 EUR.
  public var minorUnits: Int64
  /// The currency.
  public var currency: CurrencyCode

  public init(minorUnits: Int64, currency: CurrencyCode) {
    self.minorUnits = minorUnits
    self.currency = currency
  }

  enum CodingKeys: String, CodingKey {
    case minorUnits = "minor_units"
    case currency
  }

  /// The amount as a plain decimal string with the currency's digits, such as `19.99`, `-0.05`.
  public var decimalString: String {
    let digits = currency.minorUnitDigits
    let magnitude = minorUnits.magnitude
    var scale: UInt64 = 1
    for _ in 0..<digits { scale *= 10 }
    let whole = String(magnitude / scale)
    var fraction = String(magnitude % scale)
    fraction = String(repeating: "0", count: digits - fraction.count) + fraction
    let sign = minorUnits < 0 ? "-" : ""
    return digits == 0 ? sign + whole : "\(sign)\(whole).\(fraction)"
  }
}
