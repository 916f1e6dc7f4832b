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

extension Money {
  /// An amount written as decimal text (`1234.5`), rounded half-even to the currency's minor
  /// units.
  ///
  /// - Throws: ``MoneyError`` when the text is not a plain decimal or does not fit in `Int64`
  ///   minor units.
  public init(_ text: String, currency: CurrencyCode) throws(MoneyError) {
    guard let value = ExactDecimal(text) else { throw .notANumber(text) }
    guard let units = value.units(digits: currency.minorUnitDigits) else {
      throw .overflow("\(text) \(currency)")
    }
    self.init(minorUnits: units, currency: currency)
  }

  /// The amount as an exact decimal with the currency's digits.
  public var exactDecimal: ExactDecimal {
    ExactDecimal(significand: minorUnits, scale: currency.minorUnitDigits)
  }

  /// The sum; both amounts must be in the same currency.
  public static func + (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
    guard lhs.currency == rhs.currency else {
      throw .currencyMismatch(lhs.currency, rhs.currency)
    }
    let (sum, overflow) = lhs.minorUnits.addingReportingOverflow(rhs.minorUnits)
    guard !overflow else { throw .overflow("\(lhs.decimalString) + \(rhs.decimalString)") }
    return Money(minorUnits: sum, currency: lhs.currency)
  }

  /// The difference; both amounts must be in the same currency.
  public static func - (lhs: Money, rhs: Money) throws(MoneyError) -> Money {
    try lhs + Money(minorUnits: -rhs.minorUnits, currency: rhs.currency)
  }

  /// The amount times a whole quantity.
  public func times(_ quantity: Int) throws(MoneyError) -> Money {
    let (product, overflow) = minorUnits.multipliedReportingOverflow(by: Int64(quantity))
    guard !overflow else { throw .overflow("\(decimalString) × \(quantity)") }
    return Money(minorUnits: product, currency: currency)
  }
}

/// Why an amount of money could not be made.
public enum MoneyError: MktError, Equatable {
  case notANumber(String)
  case overflow(String)
  case currencyMismatch(CurrencyCode, CurrencyCode)

  public var exitStatus: SysExit { .dataError }

  public var description: String {
    switch self {
    case .notANumber(let text): "not an amount: '\(text)' (write digits with a point: 1234.50)"
    case .overflow(let text):
      "amount too large: \(text) does not fit in 64-bit minor units"
    case .currencyMismatch(let left, let right):
      "cannot combine amounts in \(left) and \(right) without a conversion"
    }
  }
}
