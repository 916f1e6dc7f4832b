public import MktCore

/// Conversion between currencies through ECB reference rates (units of a currency per euro),
/// in exact integer arithmetic: `minor × rate_to ÷ rate_from`, rounded half-even once, to the
/// target's minor units.
public enum ExchangeRates {
  /// `amount` in `target`, given each currency's units per euro (`from` and `to`; EUR is 1).
  ///
  /// - Throws: ``MoneyError/overflow(_:)`` when the result does not fit in 64-bit minor units.
  public static func convert(
    _ amount: Money, to target: CurrencyCode, from: ExactDecimal, to rate: ExactDecimal
  ) throws(MoneyError) -> Money {
    if amount.currency == target { return amount }
    // minor_to = minor_from × sig_to × 10^(s_from + d_to) ÷ (sig_from × 10^(s_to + d_from))
    var multiplier = rate.significand
    var divisor = from.significand
    let exponent =
      (from.scale + target.minorUnitDigits) - (rate.scale + amount.currency.minorUnitDigits)
    for _ in 0..<abs(exponent) {
      if exponent > 0 {
        multiplier = try scaled(multiplier, amount)
      } else {
        divisor = try scaled(divisor, amount)
      }
    }
    guard divisor > 0,
      let units = Rounding.halfEven(amount.minorUnits, times: multiplier, dividedBy: divisor)
    else { throw .overflow("\(amount.decimalString) \(amount.currency) in \(target)") }
    return Money(minorUnits: units, currency: target)
  }

  private static func scaled(_ value: Int64, _ amount: Money) throws(MoneyError) -> Int64 {
    let (product, overflow) = value.multipliedReportingOverflow(by: 10)
    guard !overflow else { throw .overflow("\(amount.decimalString) \(amount.currency)") }
    return product
  }
}
