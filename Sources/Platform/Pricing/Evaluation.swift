import Foundation
import Localization
import Merchants
import MktCore

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
    let shipping = try shippingCost(subtotal)
    if let rateDay = request.rateDay,
      request.lines.contains(where: { $0.product.price.currency != target })
    {
      note("converted to \(target) at the ECB reference rates of \(rateDay)")
      if let stale = Self.staleRates(rateDay, at: request.at) { note(stale) }
    }
    let total = try add(subtotal, shipping)
    for code in codes.subtracting(usedCodes).sorted()
    where !engine.rules.contains(where: { $0.code == code }) {
      messages.append("code \(code) is not valid")
    }
    return Quote(
      country: request.country, currency: target,
      at: request.at == activity.at ? activity.iso : UTCTime.iso(request.at),
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

  /// A line's unit price while the rules are walked, and what the walk found on the way.
  private struct PriceWalk {
    var unit: Int64
    /// The last rule (or the feed's sale price) that changed the unit price.
    var changedBy: String?
    /// Why no further price-changing rule applies.
    var blockedBy: String?
    var fixedGross = false
    /// The first charm rounding rule in the quote's currency.
    var charm: CompiledRule?
  }

  mutating func price(_ line: inout Line) throws(PricingError) {
    let product = line.product
    lowerBrand = engine.scopesBrand ? product.brandKey : ""
    lowerCategory = engine.scopesCategory ? product.categoryKey : ""
    var walk = startPriceWalk(product)
    for (index, rule) in engine.rules.enumerated() {
      apply(rule, index, product, &line, &walk)
    }
    line.unit = walk.unit
    let converted = try consumerGross(walk.unit, product, walk.fixedGross)
    let gross = charmRounded(converted, walk.charm, product)
    if walk.fixedGross {
      line.listGross = try consumerGross(product.price.minorUnits, product, true)
    }
    line.gross = gross
    line.total = try multiply(gross, line.quantity - line.free)
  }

  /// The walk's start: the feed's sale price when it applies (traced), else the list price.
  private mutating func startPriceWalk(_ product: PricedProduct) -> PriceWalk {
    let unit = product.price.minorUnits
    let sale = saleOrList(product)
    guard sale != unit else { return PriceWalk(unit: unit) }
    record("feed-sale-price", "sale_price", product, unit, sale, product.price.currency)
    return PriceWalk(unit: sale, changedBy: "feed-sale-price")
  }

  /// Applies `rule` to the line in the walk, or skips it with the reason.
  private mutating func apply(
    _ rule: CompiledRule, _ index: Int, _ product: PricedProduct, _ line: inout Line,
    _ walk: inout PriceWalk
  ) {
    if let reason = skipReason(rule, index, product) {
      skip(rule.rule.id, product, reason)
      return
    }
    if noteNonPriceRule(rule, product, &walk) { return }
    if isBlocked(rule, product, walk) { return }
    let before = walk.unit
    guard let unit = unitPrice(after: rule, before, product, &line) else { return }
    walk.unit = unit
    if rule.rule.kind != .buyXGetY {
      record(rule.rule.id, rule.rule.kind.rawValue, product, before, unit, product.price.currency)
    }
    if let code = rule.code { usedCodes.insert(code) }
    walk.changedBy = rule.rule.id
    if !rule.rule.stackable { walk.blockedBy = "\(rule.rule.id) is not stackable" }
    if rule.rule.stopFurtherRules { walk.blockedBy = "stopped by \(rule.rule.id)" }
  }

  /// Notes a rule that does not change the unit price here: fixed gross, charm rounding, and
  /// the basket rules applied after the lines.
  ///
  /// - Returns: `false` for a rule that changes the unit price.
  private mutating func noteNonPriceRule(
    _ rule: CompiledRule, _ product: PricedProduct, _ walk: inout PriceWalk
  ) -> Bool {
    switch rule.rule.kind {
    case .fixedGross:
      walk.fixedGross = true
      applied.append(
        Quote.Applied(
          rule: rule.rule.id, kind: rule.rule.kind.rawValue, productID: product.id,
          effect: "gross price kept in every country"))
    case .charmRounding:
      if rule.rule.currency != target {
        let why = "ending is in \(rule.rule.currency?.rawValue ?? "?"), quote in \(target)"
        skip(rule.rule.id, product, why)
      } else if walk.charm == nil {
        walk.charm = rule
      }
    case .freeShipping, .bundle: break
    default: return false
    }
    return true
  }

  /// Whether an earlier rule, or the product's currency, keeps a price-changing rule from
  /// applying; skips it with the reason when so.
  private mutating func isBlocked(
    _ rule: CompiledRule, _ product: PricedProduct, _ walk: PriceWalk
  ) -> Bool {
    if let blockedBy = walk.blockedBy {
      skip(rule.rule.id, product, blockedBy)
      return true
    }
    if !rule.rule.stackable, let changedBy = walk.changedBy {
      skip(rule.rule.id, product, "not stackable: the price was already changed by \(changedBy)")
      return true
    }
    let currency = product.price.currency
    if let ruleCurrency = rule.rule.currency, ruleCurrency != currency,
      rule.amount != nil || !rule.tiers.isEmpty
    {
      skip(rule.rule.id, product, "amounts are in \(ruleCurrency), the product in \(currency)")
      return true
    }
    return false
  }

  /// The unit price after a price-changing rule acts on `unit` (a buy-x-get-y rule sets the
  /// line's free units instead).
  ///
  /// - Returns: `nil`, with the rule skipped, when the line does not qualify: below the first
  ///   tier, too few units for a free one, or no signal for a dynamic rule.
  private mutating func unitPrice(
    after rule: CompiledRule, _ unit: Int64, _ product: PricedProduct, _ line: inout Line
  ) -> Int64? {
    var unit = unit
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
        return nil
      }
      if let percent = tier.percent { unit -= percent.of(unit) ?? 0 }
      if let amount = tier.amount { unit = amount }
    case .buyXGetY:
      let buy = rule.rule.buy ?? 1
      let get = rule.rule.get ?? 1
      let free = line.quantity / (buy + get) * get
      guard free > 0 else {
        skip(rule.rule.id, product, "needs \(buy + get) units, the line has \(line.quantity)")
        return nil
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
        return nil
      }
      unit += adjustment.of(unit) ?? 0
    case .fixedGross, .charmRounding, .freeShipping, .bundle: break
    }
    return unit
  }

  /// `gross` rounded to the ending of the line's charm rounding rule, if any, with the change
  /// in the trace.
  private mutating func charmRounded(
    _ gross: Int64, _ charm: CompiledRule?, _ product: PricedProduct
  ) -> Int64 {
    guard let charm, let ending = charm.ending else { return gross }
    let rounded = Self.charm(gross, ending: ending, digits: target.minorUnitDigits)
    guard rounded != gross else { return gross }
    applied.append(
      Quote.Applied(
        rule: charm.rule.id, kind: charm.rule.kind.rawValue, productID: product.id,
        effect: explain
          ? "\(money(gross).decimalString) → \(money(rounded).decimalString) \(target)" : ""))
    return rounded
  }

  /// A warning when the rates of `rateDay` are more than ``PricingService/staleRateDays`` older than `at`.
  static func staleRates(_ rateDay: String, at: Date) -> String? {
    guard let rates = UTCTime.date(rateDay + "T00:00:00Z") else { return nil }
    let days = Int(at.timeIntervalSince(rates) / 86_400)
    guard days > PricingService.staleRateDays else { return nil }
    return "warning: those rates are \(days) days older than \(UTCTime.day(at)); import newer "
      + "ones (mkt currency import https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip)"
  }
}
