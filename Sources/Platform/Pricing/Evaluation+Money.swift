import Foundation
import Importers
import Localization
import Merchants
import MktCore

/// VAT, currency conversion and checked arithmetic in minor units.
extension Evaluation {
  // MARK: - Money arithmetic

  /// The consumer gross unit price in the quote's currency for a unit price in the merchant's
  /// currency and basis.
  func consumerGross(_ unit: Int64, _ product: PricedProduct, _ fixedGross: Bool)
    throws(PricingError) -> Int64
  {
    let converted = try convert(unit, from: product.price.currency)
    let rate = shippingRate(product.vatClass)
    switch product.basis {
    case .net:
      return try add(converted, rate.of(converted) ?? 0)
    case .gross:
      if fixedGross || product.merchantCountry == request.country { return converted }
      let home =
        activity.vat[product.merchantCountry.ordinal].map { Self.rate($0, product.vatClass) }
        ?? rate
      if home == rate { return converted }
      let net =
        Rounding.halfEven(converted, times: 1_000_000, dividedBy: 1_000_000 + home.millionths)
        ?? 0
      return try add(net, rate.of(net) ?? 0)
    }
  }

  /// The shipping country's VAT rate for a product's class.
  func shippingRate(_ vatClass: Int) -> Percentage { Self.rate(shippingVAT, vatClass) }

  static func rate(_ period: Country.VATPeriod, _ vatClass: Int) -> Percentage {
    guard vatClass > 0 else { return period.standard }
    return vatClass <= period.reduced.count ? period.reduced[vatClass - 1] : period.standard
  }

  func convert(_ units: Int64, from currency: CurrencyCode) throws(PricingError) -> Int64 {
    if currency == target { return units }
    func rate(_ code: CurrencyCode) throws(PricingError) -> ExactDecimal {
      if code == .eur { return ExactDecimal(significand: 1, scale: 0) }
      guard let rate = request.rates[code] else {
        throw .invalidRequest(
          "no exchange rate for \(code): import ECB rates (mkt currency import)")
      }
      return rate
    }
    do {
      return try ExchangeRates.convert(
        Money(minorUnits: units, currency: currency), to: target, from: rate(currency),
        to: rate(target)
      ).minorUnits
    } catch let error as PricingError {
      throw error
    } catch {
      throw .invalidRequest("\(error)")
    }
  }

  func money(_ units: Int64) -> Money { Money(minorUnits: units, currency: target) }

  func add(_ left: Int64, _ right: Int64) throws(PricingError) -> Int64 {
    let (sum, overflow) = left.addingReportingOverflow(right)
    guard !overflow else { throw .invalidRequest("amount too large for 64-bit minor units") }
    return sum
  }

  func multiply(_ value: Int64, _ quantity: Int) throws(PricingError) -> Int64 {
    let (product, overflow) = value.multipliedReportingOverflow(by: Int64(quantity))
    guard !overflow else { throw .invalidRequest("amount too large for 64-bit minor units") }
    return product
  }

  /// The price nearest `gross` whose fraction of a unit is `ending` (ties go down), above zero.
  static func charm(_ gross: Int64, ending: Int64, digits: Int) -> Int64 {
    var unit: Int64 = 1
    for _ in 0..<digits { unit *= 10 }
    let base = gross - ((gross % unit) + unit) % unit
    let candidates = [base - unit + ending, base + ending, base + unit + ending].filter { $0 > 0 }
    return candidates.min {
      let left = abs($0 - gross)
      let right = abs($1 - gross)
      return left != right ? left < right : $0 < $1
    } ?? gross
  }
}
