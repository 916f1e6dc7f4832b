import Foundation
// `UTCTime` (placed_at) is package-visible in MktCore; `OrderService.validate` needs a store,
// so its database-free checks are repeated below with the same functions.
@testable import Importers
import Localization
@testable import MktCore
import Orders
import Pricing

/// Order files (`mkt orders place`, one JSON order or JSON lines): split exactly as
/// OrdersPlaceCommand.run does, decoded as `OrderRequest`, checked as
/// `OrderService.validate` checks them, then priced as `OrderService.price` prices them (the
/// order's quantities, codes, customer group, shipping and time against a few rules).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzz(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
  guard let data, size > 0 else { return 0 }
  let bytes = Array(UnsafeBufferPointer(start: data, count: size))
  // As Sources/MktCLI/Commands/Orders/OrdersCommand.swift's OrdersPlaceCommand splits them.
  let decoder = JSONDecoder()
  let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
  let single = (try? JSONSerialization.jsonObject(with: Data(trimmed))) != nil
  let chunks =
    single ? [trimmed[...]] : bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
  for chunk in chunks {
    guard chunk.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 && $0 != 0x0A }) else {
      continue
    }
    do {
      let request = try decoder.decode(OrderRequest.self, from: Data(chunk))
      check(request)
    } catch let error as DecodingError {
      _ = "\(error)"
    } catch {
      // The command lets any other error escape `run()`: the whole file fails.
      _ = "\(error)"
    }
  }
  return 0
}

let engine: PricingEngine = {
  let yaml = """
    rules:
      - {id: ten, kind: percentage_off, percent: 10, priority: 5}
      - {id: tiers, kind: tiered, priority: 4, tiers: [{min_quantity: 3, percent: 5}, {min_quantity: 50, percent: 15}]}
      - {id: b3g1, kind: buy_x_get_y, buy: 3, get: 1, priority: 3, scope: {products: [SKU-0000001]}}
      - {id: welcome, kind: amount_off, amount: "10.00", currency: EUR, code: WELCOME10, min_basket: "50.00", limits: {uses: 1000, per_customer: 1}, stackable: false}
      - {id: vip, kind: percentage_off, percent: 20, code: VIP, priority: 1}
      - {id: ship, kind: free_shipping, amount: "60.00", currency: EUR}
      - {id: charm, kind: charm_rounding, ending: "0.90", currency: CHF, scope: {countries: [CH]}}
    """
  // A rule file that stops compiling would leave the quote unfuzzed: fail loudly instead.
  do {
    return try PricingEngine(rules: RuleFile.read(yaml, file: "fuzz.yaml"))
  } catch {
    fatalError("OrdersFuzz's own rules do not load: \(error)")
  }
}()

/// ECB-style rates (units per euro) for every shipped country's currency, as the store has them.
let rates: [CurrencyCode: ExactDecimal] = {
  let known = [
    "PLN": "4.2735", "CHF": "0.9415", "SEK": "11.2050", "DKK": "7.4603", "CZK": "25.118",
    "HUF": "402.55", "GBP": "0.84210", "NOK": "11.7025", "RON": "4.9771", "BGN": "1.9558",
    "ISK": "145.20",
  ]
  var rates: [CurrencyCode: ExactDecimal] = [:]
  for country in CountryTable.shipped where country.currency != .eur {
    rates[country.currency] = ExactDecimal(known[country.currency.rawValue] ?? "1.5")
  }
  return rates
}()

/// `OrderService.validate` (Sources/Platform/Orders/OrderService.swift) without the store, then
/// the quote `OrderService.price` asks for, with products that always exist.
func check(_ request: OrderRequest) {
  guard !request.idempotencyKey.isEmpty, request.idempotencyKey.count <= 200,
    !request.lines.isEmpty,
    !request.lines.contains(where: { $0.quantity < 1 || $0.quantity > 100_000 }),
    let code = CountryCode(request.country),
    let country = CountryTable.shipped.first(where: { $0.code == code })
  else { return }
  if let text = request.currency, CurrencyCode(text) != country.currency { return }
  guard ["card", "invoice", "bank_transfer"].contains(request.payment.method) else { return }
  var placed = Date(timeIntervalSince1970: 1_790_000_000)
  if let text = request.placedAt {
    guard let date = UTCTime.date(text) else { return }
    placed = date
  }
  _ = (UTCTime.iso(placed), UTCTime.iso(placed.addingTimeInterval(-3600)), UTCTime.day(placed))
  guard let germany = CountryCode("DE") else { return }
  var lines: [QuoteRequest.Line] = []
  for (index, line) in request.lines.enumerated() {
    var product = PricedProduct(
      merchantID: request.merchant, id: line.sku,
      price: Money(minorUnits: Int64(1_999 + 1_000 * (index % 7)), currency: .eur),
      merchantCountry: germany)
    product.brand = "Acme"
    product.category = "Apparel & Accessories"
    product.available = 100
    lines.append(QuoteRequest.Line(product: product, quantity: line.quantity))
  }
  var quote = QuoteRequest(lines: lines, country: country, currency: country.currency, at: placed)
  quote.codes = request.codes.map { $0.uppercased() }
  quote.customer = request.customer.id
  quote.customerGroup = request.customer.group
  quote.rates = rates
  quote.rateDay = UTCTime.day(placed)
  quote.redemptions = Dictionary(quote.codes.map { ($0, (total: 0, customer: 0)) }) { a, _ in a }
  quote.explain = !quote.codes.isEmpty
  if let shipping = request.shipping {
    guard let money = try? Money(shipping, currency: country.currency) else { return }
    quote.shipping = money
  }
  if let result = try? engine.quote(quote) {
    _ = result.messages.first(where: { $0.hasPrefix("code ") })
  }
}
