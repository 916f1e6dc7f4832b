public import Foundation
public import Localization
import Merchants
import MktCore

/// Prices products and baskets: a pure function of the rules, the request (products, country,
/// currency, time, customer, codes) and the rates and redemption counts passed in.
///
/// Order of work per line: the list price (merchant's currency and basis); the feed's sale
/// price inside its dates; price-changing rules by priority (highest first, then id), each
/// unit price rounded half-even to minor units; conversion to the quote's currency; VAT of the
/// shipping country (a gross-priced merchant's price is first taken net of its own country's
/// VAT, unless a `fixed_gross` rule keeps the gross); charm rounding; bundles across lines;
/// the line total. Cash rounding (CHF 0.05) applies to the payable total only.
public struct PricingEngine: Sendable {
  let rules: [CompiledRule]
  let countries: [CountryCode: Country]
  /// Whether any rule is scoped by brand or by category (else lines skip lower-casing them).
  let scopesBrand: Bool
  let scopesCategory: Bool
  /// Indices of the basket-level rules.
  let bundleRules: [Int]
  let shippingRules: [Int]

  /// - Throws: ``PricingError/invalidRules(_:message:)`` for a rule that does not compile.
  public init(rules: [PricingRule], countries: [Country] = CountryTable.shipped)
    throws(PricingError)
  {
    var compiled: [CompiledRule] = []
    for rule in rules { compiled.append(try CompiledRule(rule)) }
    let sorted = compiled.sorted {
      $0.rule.priority != $1.rule.priority
        ? $0.rule.priority > $1.rule.priority : $0.rule.id < $1.rule.id
    }
    self.countries = Dictionary(countries.map { ($0.code, $0) }) { _, last in last }
    self.rules = sorted
    scopesBrand = sorted.contains { !$0.brands.isEmpty }
    scopesCategory = sorted.contains { !$0.categories.isEmpty }
    bundleRules = sorted.indices.filter { sorted[$0].rule.kind == .bundle }
    shippingRules = sorted.indices.filter { sorted[$0].rule.kind == .freeShipping }
  }

  /// The rules that need a promo code.
  public var codeRules: [PricingRule] { rules.filter { $0.code != nil }.map(\.rule) }

  /// Which rules are outside their schedule at an instant, computed once for many quotes.
  public struct Activity: Sendable {
    let at: Date
    let inactive: [String?]
    let day: String
    /// `at` as ISO 8601 UTC.
    let iso: String
    /// Each country's VAT period on `day`, by ``CountryCode/ordinal``.
    let vat: [Country.VATPeriod?]
  }

  /// The schedule state of every rule at `instant`.
  public func activity(at instant: Date) -> Activity {
    let iso = LocalTime.iso(instant)
    let day = String(iso.prefix(10))
    return Activity(
      at: instant, inactive: rules.map { $0.inactive(at: instant) }, day: day, iso: iso,
      vat: CountryCode.all.map { countries[$0]?.vat(on: day) })
  }

  /// Prices `request`.
  ///
  /// - Throws: ``PricingError/invalidRequest(_:)`` for a quantity below 1, a missing rate, or
  ///   amounts that overflow 64-bit minor units.
  public func quote(_ request: QuoteRequest) throws(PricingError) -> Quote {
    try quote(request, activity: activity(at: request.at))
  }

  /// Prices `request` with rule activity computed beforehand (``activity(at:)``).
  public func quote(_ request: QuoteRequest, activity: Activity) throws(PricingError) -> Quote {
    var evaluation = Evaluation(engine: self, request: request, activity: activity)
    return try evaluation.run()
  }
}

/// One quote being computed.
struct Evaluation {
  let engine: PricingEngine
  /// The parts of the request evaluation reads (not the whole request: copying its `Country`
  /// costs a retain per string in it, per quote).
  let request: Inputs
  let activity: PricingEngine.Activity
  let target: CurrencyCode
  var applied: [Quote.Applied] = []
  var skipped: [Quote.Skipped] = []
  var messages: [String] = []
  var codes: Set<String>
  var usedCodes: Set<String> = []
  /// The basket's gross total at list (or sale) prices, for code minimums.
  var basket: Int64 = 0
  /// The brand and category of the line being priced, lower-cased once.
  var lowerBrand = ""
  var lowerCategory = ""
  /// Whether to write the trace (applied effects, skipped reasons); off for bulk quoting.
  let explain: Bool
  /// The shipping country's VAT period at the quote's time.
  let shippingVAT: Country.VATPeriod
  /// The shipping country as a bit of ``CompiledRule/countryMask``.
  let countryBit: UInt32

  struct Inputs {
    let lines: [QuoteRequest.Line]
    let country: CountryCode
    let cashRounding: Int
    let at: Date
    let customer: String?
    let customerGroup: String?
    let shipping: Money?
    let rates: [CurrencyCode: ExactDecimal]
    let rateDay: String?
    let redemptions: [String: (total: Int, customer: Int)]
  }

  init(engine: PricingEngine, request: QuoteRequest, activity: PricingEngine.Activity) {
    self.engine = engine
    self.request = Inputs(
      lines: request.lines, country: request.country.code,
      cashRounding: request.country.cashRounding, at: request.at, customer: request.customer,
      customerGroup: request.customerGroup, shipping: request.shipping, rates: request.rates,
      rateDay: request.rateDay, redemptions: request.redemptions)
    self.activity = activity
    target = request.currency
    codes = request.codes.isEmpty ? [] : Set(request.codes.map { $0.uppercased() })
    explain = request.explain
    shippingVAT = request.country.vat(on: activity.day)
    countryBit = 1 << UInt32(request.country.code.ordinal)
  }

  /// A line as it is being priced.
  struct Line {
    var product: PricedProduct
    var quantity: Int
    var free = 0
    var unit: Int64 = 0
    var listGross: Int64 = 0
    var gross: Int64 = 0
    var total: Int64 = 0
    var rate = Percentage(millionths: 0)
  }

  mutating func run() throws(PricingError) -> Quote {
    var lines: [Line] = []
    lines.reserveCapacity(request.lines.count)
    for line in request.lines {
      guard line.quantity >= 1 else {
        throw .invalidRequest(
          "quantity of \(line.product.id) must be at least 1, not \(line.quantity)")
      }
      var priced = Line(product: line.product, quantity: line.quantity)
      priced.rate = shippingRate(priced.product.vatClass)
      priced.listGross = try consumerGross(priced.product.price.minorUnits, priced.product, false)
      lines.append(priced)
    }
    // The basket at list (or sale) prices matters only to codes with a minimum basket.
    if !codes.isEmpty {
      for line in lines {
        basket = try add(
          basket,
          multiply(
            try consumerGross(saleOrList(line.product), line.product, false), line.quantity))
      }
    }
    applied.reserveCapacity(4 * lines.count)
    for index in lines.indices { try price(&lines[index]) }
    try bundles(&lines)
    var subtotal: Int64 = 0
    var net: Int64 = 0
    var list: Int64 = 0
    var quoteLines: [Quote.Line] = []
    quoteLines.reserveCapacity(lines.count)
    for line in lines {
      let lineNet =
        Rounding.halfEven(line.total, times: 1_000_000, dividedBy: 1_000_000 + line.rate.millionths)
        ?? 0
      subtotal = try add(subtotal, line.total)
      net = try add(net, lineNet)
      list = try add(list, multiply(line.listGross, line.quantity))
      quoteLines.append(
        Quote.Line(
          productID: line.product.id, merchantID: line.product.merchantID,
          quantity: line.quantity, listUnit: money(line.listGross), unit: money(line.gross),
          paidQuantity: line.quantity - line.free, net: money(lineNet),
          vat: money(line.total - lineNet), vatRate: line.rate, total: money(line.total)))
    }
    let shipping = request.shipping == nil ? 0 : try shippingCost(subtotal)
    if let rateDay = request.rateDay,
      request.lines.contains(where: { $0.product.price.currency != target })
    {
      note("converted to \(target) at the ECB reference rates of \(rateDay)")
    }
    let total = try add(subtotal, shipping)
    for code in codes.subtracting(usedCodes).sorted()
    where !engine.rules.contains(where: { $0.code == code }) {
      messages.append("code \(code) is not valid")
    }
    return Quote(
      country: request.country, currency: target,
      at: request.at == activity.at ? activity.iso : LocalTime.iso(request.at),
      lines: quoteLines, subtotal: money(subtotal), net: money(net), vat: money(subtotal - net),
      discount: money(list - subtotal), shipping: money(shipping), total: money(total),
      payable: money(Rounding.toIncrement(total, Int64(max(1, request.cashRounding)))),
      applied: applied, skipped: skipped, messages: messages)
  }

  // MARK: - One line

  func saleOrList(_ product: PricedProduct) -> Int64 {
    guard let sale = product.salePrice, sale.currency == product.price.currency,
      sale.minorUnits < product.price.minorUnits, saleActive(product)
    else { return product.price.minorUnits }
    return sale.minorUnits
  }

  func saleActive(_ product: PricedProduct) -> Bool {
    if let start = product.saleStart, request.at < start { return false }
    if let end = product.saleEnd, request.at >= end { return false }
    return true
  }

  mutating func price(_ line: inout Line) throws(PricingError) {
    let product = line.product
    lowerBrand = engine.scopesBrand ? product.brandKey : ""
    lowerCategory = engine.scopesCategory ? product.categoryKey : ""
    let currency = product.price.currency
    var unit = product.price.minorUnits
    var changedBy: String?
    var blockedBy: String?
    var fixedGross = false
    var charm: CompiledRule?
    let sale = saleOrList(product)
    if sale != unit {
      record("feed-sale-price", "sale_price", product, unit, sale, currency)
      unit = sale
      changedBy = "feed-sale-price"
    }
    for (index, rule) in engine.rules.enumerated() {
      if let reason = skipReason(rule, index, product) {
        skip(rule.rule.id, product, reason)
        continue
      }
      switch rule.rule.kind {
      case .fixedGross:
        fixedGross = true
        applied.append(
          Quote.Applied(
            rule: rule.rule.id, kind: rule.rule.kind.rawValue, productID: product.id,
            effect: "gross price kept in every country"))
        continue
      case .charmRounding:
        if rule.rule.currency != target {
          let why = "ending is in \(rule.rule.currency?.rawValue ?? "?"), quote in \(target)"
          skip(rule.rule.id, product, why)
        } else if charm == nil {
          charm = rule
        }
        continue
      case .freeShipping, .bundle: continue
      default: break
      }
      if let blockedBy {
        skip(rule.rule.id, product, blockedBy)
        continue
      }
      if !rule.rule.stackable, let changedBy {
        skip(rule.rule.id, product, "not stackable: the price was already changed by \(changedBy)")
        continue
      }
      if let ruleCurrency = rule.rule.currency, ruleCurrency != currency,
        rule.amount != nil || !rule.tiers.isEmpty
      {
        skip(rule.rule.id, product, "amounts are in \(ruleCurrency), the product in \(currency)")
        continue
      }
      let before = unit
      switch rule.rule.kind {
      case .percentageOff:
        unit -= rule.rule.percent?.of(unit) ?? 0
      case .amountOff:
        unit = max(0, unit - (rule.amount?.minorUnits ?? 0))
      case .fixedPrice:
        unit = rule.amount?.minorUnits ?? unit
      case .tiered:
        guard let tier = rule.tiers.first(where: { $0.minimum <= line.quantity }) else {
          skip(
            rule.rule.id, product,
            "quantity \(line.quantity) is below the first tier (\(rule.tiers.last?.minimum ?? 0))")
          continue
        }
        if let percent = tier.percent { unit -= percent.of(unit) ?? 0 }
        if let amount = tier.amount { unit = amount }
      case .buyXGetY:
        let buy = rule.rule.buy ?? 1
        let get = rule.rule.get ?? 1
        let free = line.quantity / (buy + get) * get
        guard free > 0 else {
          skip(rule.rule.id, product, "needs \(buy + get) units, the line has \(line.quantity)")
          continue
        }
        line.free = free
        applied.append(
          Quote.Applied(
            rule: rule.rule.id, kind: rule.rule.kind.rawValue, productID: product.id,
            effect: "\(free) of \(line.quantity) free"))
      case .dynamic:
        guard let adjustment = dynamicAdjustment(rule.rule.dynamic, product) else {
          skip(
            rule.rule.id, product,
            "no \(rule.rule.dynamic?.signal.rawValue ?? "") signal for the product")
          continue
        }
        unit += adjustment.of(unit) ?? 0
      case .fixedGross, .charmRounding, .freeShipping, .bundle: break
      }
      if rule.rule.kind != .buyXGetY {
        record(rule.rule.id, rule.rule.kind.rawValue, product, before, unit, currency)
      }
      if let code = rule.code { usedCodes.insert(code) }
      changedBy = rule.rule.id
      if !rule.rule.stackable { blockedBy = "\(rule.rule.id) is not stackable" }
      if rule.rule.stopFurtherRules { blockedBy = "stopped by \(rule.rule.id)" }
    }
    line.unit = unit
    var gross = try consumerGross(unit, product, fixedGross)
    if let charm, let ending = charm.ending {
      let rounded = Self.charm(gross, ending: ending, digits: target.minorUnitDigits)
      if rounded != gross {
        applied.append(
          Quote.Applied(
            rule: charm.rule.id, kind: charm.rule.kind.rawValue, productID: product.id,
            effect: explain
              ? "\(money(gross).decimalString) → \(money(rounded).decimalString) \(target)" : ""))
        gross = rounded
      }
    }
    if fixedGross {
      line.listGross = try consumerGross(product.price.minorUnits, product, true)
    }
    line.gross = gross
    line.total = try multiply(gross, line.quantity - line.free)
  }

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
    guard let shipping = request.shipping else { return 0 }
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
