import Foundation
import Importers
import Localization
import Merchants
import MktCore

/// Why rules apply or not, the trace, and the basket-level rules.
extension Evaluation {
  /// Why a rule was skipped; its text is written only when the quote keeps a trace.
  enum Reason {
    case merchant, country, product, brand, category, group
    case needsCode(String)
    case text(String)
  }

  func describe(_ reason: Reason, _ product: PricedProduct?) -> String {
    switch reason {
    case .merchant: "not for merchant \(product?.merchantID ?? "")"
    case .country: "not for \(request.country)"
    case .product: "not for product \(product?.id ?? "")"
    case .brand: "not for brand \(product?.brand ?? "(none)")"
    case .category: "not for category \(product?.category ?? "(none)")"
    case .group: "not for customer group \(request.customerGroup ?? "(none)")"
    case .needsCode(let code): "needs code \(code)"
    case .text(let text): text
    }
  }

  /// Why `rule` does not apply to `product` (scope, schedule, code), or `nil`.
  mutating func skipReason(_ rule: CompiledRule, _ index: Int, _ product: PricedProduct) -> Reason?
  {
    if !rule.merchants.isEmpty, !rule.merchants.contains(product.merchantID) { return .merchant }
    if rule.countryMask != 0, rule.countryMask & countryBit == 0 { return .country }
    if !rule.products.isEmpty, !rule.products.contains(product.id) { return .product }
    if !rule.brands.isEmpty, !rule.brands.contains(lowerBrand) { return .brand }
    if !rule.categories.isEmpty {
      let category = lowerCategory
      if !rule.categories.contains(where: { category.hasPrefix($0) }) { return .category }
    }
    if !rule.groups.isEmpty, !rule.groups.contains(request.customerGroup ?? "") { return .group }
    if let code = rule.code {
      guard !codes.isEmpty, codes.contains(code) else { return .needsCode(code) }
      if let reason = activity.inactive[index] {
        note("code \(code) is not valid now: \(reason)")
        return .text("code \(code): \(reason)")
      }
      let used = request.redemptions[code] ?? (0, 0)
      if let uses = rule.rule.limits?.uses, used.total >= uses {
        note("code \(code) has been used up")
        return .text("code \(code): all \(uses) uses taken")
      }
      if let each = rule.rule.limits?.perCustomer {
        if request.customer == nil {
          note("code \(code) needs a signed-in customer")
          return .text("code \(code): no customer given")
        }
        if used.customer >= each {
          note("code \(code) was already used by this customer")
          return .text("code \(code): customer's \(each) use(s) taken")
        }
      }
      if let minimum = rule.minBasket {
        let needed = (try? convert(minimum.minorUnits, from: minimum.currency)) ?? Int64.max
        if basket < needed {
          note("code \(code) needs a basket of at least \(money(needed).decimalString) \(target)")
          return .text(
            "code \(code): basket \(money(basket).decimalString) below \(money(needed).decimalString)"
          )
        }
      }
      return nil
    }
    return activity.inactive[index].map(Reason.text)
  }

  mutating func note(_ message: String) {
    if !messages.contains(message) { messages.append(message) }
  }

  mutating func skip(_ rule: String, _ product: PricedProduct?, _ reason: Reason) {
    guard explain else { return }
    skipped.append(
      Quote.Skipped(rule: rule, productID: product?.id, reason: describe(reason, product)))
  }

  mutating func skip(
    _ rule: String, _ product: PricedProduct?, _ reason: @autoclosure () -> String
  ) {
    guard explain else { return }
    skipped.append(Quote.Skipped(rule: rule, productID: product?.id, reason: reason()))
  }

  mutating func record(
    _ rule: String, _ kind: String, _ product: PricedProduct, _ before: Int64, _ after: Int64,
    _ currency: CurrencyCode
  ) {
    guard explain else {
      applied.append(Quote.Applied(rule: rule, kind: kind, productID: product.id, effect: ""))
      return
    }
    let from = Money(minorUnits: before, currency: currency).decimalString
    let to = Money(minorUnits: after, currency: currency).decimalString
    applied.append(
      Quote.Applied(
        rule: rule, kind: kind, productID: product.id, effect: "\(from) → \(to) \(currency)"))
  }

  /// Percentage change from a stock or demand signal, clamped (``PricingRule/Dynamic``).
  func dynamicAdjustment(_ dynamic: PricingRule.Dynamic?, _ product: PricedProduct) -> Percentage? {
    guard let dynamic else { return nil }
    let raw: Int64
    switch dynamic.signal {
    case .stock:
      guard let available = product.available else { return nil }
      let shortfall = Int64(max(0, dynamic.threshold - max(0, available)))
      raw = dynamic.step.millionths * shortfall / Int64(dynamic.threshold)
    case .demand:
      guard let sold = product.soldLastDay else { return nil }
      raw = dynamic.step.millionths * Int64(max(0, sold)) / Int64(dynamic.threshold)
    }
    return Percentage(
      millionths: min(max(raw, dynamic.floor.millionths), dynamic.ceiling.millionths))
  }

  // MARK: - Basket rules

  mutating func bundles(_ lines: inout [Line]) throws(PricingError) {
    for index in engine.bundleRules {
      let rule = engine.rules[index]
      let members = rule.rule.products.compactMap { id in lines.firstIndex { $0.product.id == id } }
      guard members.count == rule.rule.products.count else { continue }
      if let reason = skipReason(rule, index, lines[members[0]].product) {
        skip(rule.rule.id, nil, reason)
        continue
      }
      guard let amount = rule.amount else { continue }
      let sets = members.map { lines[$0].quantity - lines[$0].free }.min() ?? 0
      let together = members.reduce(Int64(0)) { $0 + lines[$1].gross }
      let price = try convert(amount.minorUnits, from: amount.currency)
      guard sets > 0, together > price else {
        skip(rule.rule.id, nil, "the products already cost no more than the bundle")
        continue
      }
      let discount = try multiply(together - price, sets)
      var left = discount
      for (position, member) in members.enumerated() {
        let share =
          position == members.count - 1
          ? left : Rounding.halfEven(discount, times: lines[member].gross, dividedBy: together) ?? 0
        lines[member].total -= share
        left -= share
      }
      if let code = rule.code { usedCodes.insert(code) }
      applied.append(
        Quote.Applied(
          rule: rule.rule.id, kind: rule.rule.kind.rawValue, productID: nil,
          effect: "\(sets) set(s) of \(rule.rule.products.joined(separator: " + ")): "
            + "\(money(discount).decimalString) \(target) off"))
    }
  }

  mutating func shippingCost(_ subtotal: Int64) throws(PricingError) -> Int64 {
    guard let shipping = request.shipping else {
      // Every rule is accounted for in an explanation, shipping rules too.
      for index in engine.shippingRules {
        skip(engine.rules[index].rule.id, nil, "the quote has no shipping cost (--shipping AMOUNT)")
      }
      return 0
    }
    let cost = try convert(shipping.minorUnits, from: shipping.currency)
    for index in engine.shippingRules {
      let rule = engine.rules[index]
      guard let first = request.lines.first?.product else { break }
      if let reason = skipReason(rule, index, first) {
        skip(rule.rule.id, nil, reason)
        continue
      }
      guard let threshold = rule.amount else { continue }
      let needed = try convert(threshold.minorUnits, from: threshold.currency)
      guard subtotal >= needed else {
        let why =
          "basket \(money(subtotal).decimalString) below \(money(needed).decimalString) \(target)"
        skip(rule.rule.id, nil, why)
        continue
      }
      if let code = rule.code { usedCodes.insert(code) }
      applied.append(
        Quote.Applied(
          rule: rule.rule.id, kind: rule.rule.kind.rawValue, productID: nil,
          effect: "shipping \(money(cost).decimalString) → 0.00 \(target)"))
      return 0
    }
    return cost
  }
}
