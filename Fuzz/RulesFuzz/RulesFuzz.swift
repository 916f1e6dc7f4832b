import Foundation
import Localization
import MktCore
import Pricing

/// Pricing rules files (`mkt pricing load`, YAML or JSON) through the reader and, when they
/// load, a quote with every rule against a product.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let text = String(decoding: UnsafeBufferPointer(start: data, count: size), as: UTF8.self)
  guard let rules = try? RuleFile.read(text, file: "fuzz.yaml"),
    let engine = try? PricingEngine(rules: rules),
    let germany = CountryCode("DE")
  else { return 0 }
  var product = PricedProduct(
    merchantID: "M1", id: "P1", price: Money(minorUnits: 9_999, currency: .eur),
    merchantCountry: germany)
  product.brand = "Acme"
  product.category = "Apparel & Accessories"
  product.available = 3
  var request = QuoteRequest(
    lines: [QuoteRequest.Line(product: product, quantity: 3)],
    country: CountryTable.shipped(germany), at: Date(timeIntervalSince1970: 1_790_000_000))
  request.codes = rules.compactMap(\.code)
  request.customer = "C1"
  request.shipping = Money(minorUnits: 490, currency: .eur)
  _ = try? engine.quote(request)
  return 0
}
