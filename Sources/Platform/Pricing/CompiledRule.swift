import Foundation
import MktCore

/// A rule with its text parsed once: amounts in minor units, schedule boundaries as instants,
/// scope lists as sets.
///
/// A class: evaluation walks the rules for every line of every quote, and a reference costs one
/// retain where a struct of sets and strings costs one per field.
final class CompiledRule: Sendable {
  let rule: PricingRule
  let merchants: Set<String>
  let countries: Set<CountryCode>
  /// `countries` as bits by ``CountryCode/ordinal``; 0 means every country.
  let countryMask: UInt32
  let brands: Set<String>
  let products: Set<String>
  let groups: Set<String>
  let categories: [String]
  let code: String?
  let amount: Money?
  let minBasket: Money?
  let start: Date?
  let end: Date?
  let zone: TimeZone?
  let dailyFrom: Int?
  let dailyTo: Int?
  let days: Set<String>
  /// Tiers, highest `min_quantity` first, with amounts in minor units.
  let tiers: [(minimum: Int, percent: Percentage?, amount: Int64?)]
  let ending: Int64?

  /// Compiles `rule`, or says what is wrong with it.
  init(_ rule: PricingRule) throws(PricingError) {
    func fail(_ message: String) -> PricingError { CompiledRule.invalid(rule, message) }
    self.rule = rule
    guard !rule.id.isEmpty, rule.id.count <= 64, !rule.id.contains(where: \.isWhitespace) else {
      throw fail("an id is 1 to 64 characters without spaces")
    }
    merchants = Set(rule.scope.merchants)
    countries = Set(rule.scope.countries)
    countryMask = rule.scope.countries.reduce(0) { $0 | (1 << UInt32($1.ordinal)) }
    brands = Set(rule.scope.brands.map { $0.lowercased() })
    products = Set(rule.scope.products)
    groups = Set(rule.scope.customerGroups)
    categories = rule.scope.categories.map { $0.lowercased() }
    code = rule.code.map { $0.uppercased() }
    if let code, code.isEmpty || code.contains(where: \.isWhitespace) {
      throw fail("a code is letters and digits without spaces")
    }
    amount = try Self.money(rule.amount, "amount", of: rule)
    minBasket = try Self.money(rule.minBasket, "min_basket", of: rule)
    try Self.checkPromoTerms(rule)
    tiers = try Self.compileTiers(rule)
    ending = try Self.compileEnding(rule)
    let window = try Self.compileSchedule(rule)
    zone = window.zone
    start = window.start
    end = window.end
    dailyFrom = window.dailyFrom
    dailyTo = window.dailyTo
    days = window.days
    try checkKind(fail)
  }

  /// The error for what is wrong with `rule`.
  private static func invalid(_ rule: PricingRule, _ message: String) -> PricingError {
    .invalidRules(InputLocation(field: rule.id), message: "rule \(rule.id): \(message)")
  }

  /// `text` as an amount in the rule's currency (`field` names it in errors); `nil` for none.
  private static func money(_ text: String?, _ field: String, of rule: PricingRule)
    throws(PricingError) -> Money?
  {
    func fail(_ message: String) -> PricingError { invalid(rule, message) }
    guard let text else { return nil }
    guard let currency = rule.currency else {
      throw fail("\(field) needs the rule's currency (currency: EUR)")
    }
    do {
      let value = try Money(text, currency: currency)
      guard value.minorUnits >= 0 else { throw fail("\(field) must not be negative") }
      return value
    } catch let error as MoneyError {
      throw fail("\(field): \(error)")
    } catch {
      throw fail("\(field): \(error)")
    }
  }

  /// Checks that a minimum basket and limits come with a promo code, and that limits are
  /// at least 1.
  private static func checkPromoTerms(_ rule: PricingRule) throws(PricingError) {
    func fail(_ message: String) -> PricingError { invalid(rule, message) }
    if rule.minBasket != nil || rule.limits != nil, rule.code == nil {
      throw fail("min_basket and limits belong to promo codes (add code:)")
    }
    if let limits = rule.limits {
      if let uses = limits.uses, uses < 1 { throw fail("limits.uses must be at least 1") }
      if let each = limits.perCustomer, each < 1 {
        throw fail("limits.per_customer must be at least 1")
      }
    }
  }

  /// The rule's tiers, highest `min_quantity` first, with amounts in minor units.
  private static func compileTiers(_ rule: PricingRule) throws(PricingError)
    -> [(minimum: Int, percent: Percentage?, amount: Int64?)]
  {
    func fail(_ message: String) -> PricingError { invalid(rule, message) }
    var tiers: [(minimum: Int, percent: Percentage?, amount: Int64?)] = []
    for tier in rule.tiers {
      guard tier.minQuantity >= 1 else { throw fail("a tier's min_quantity is at least 1") }
      guard (tier.percent == nil) != (tier.amount == nil) else {
        throw fail("a tier has either percent or amount")
      }
      let amount = try money(tier.amount, "tiers.amount", of: rule)?.minorUnits
      tiers.append((tier.minQuantity, tier.percent, amount))
    }
    return tiers.sorted { $0.minimum > $1.minimum }
  }

  /// The rule's charm ending in minor units, a fraction of one unit; `nil` without one.
  private static func compileEnding(_ rule: PricingRule) throws(PricingError) -> Int64? {
    guard let ending = rule.ending else { return nil }
    guard let value = try money(ending, "ending", of: rule), value.minorUnits > 0,
      value.minorUnits < Int64(power(rule.currency?.minorUnitDigits ?? 2))
    else { throw invalid(rule, "ending is a fraction of one unit, such as 0.99") }
    return value.minorUnits
  }

  /// A rule's schedule as compiled: boundaries as instants in its zone, the daily window in
  /// minutes of the day, weekdays as `mon` … `sun`.
  private struct CompiledSchedule {
    var zone: TimeZone?
    var start: Date?
    var end: Date?
    var dailyFrom: Int?
    var dailyTo: Int?
    var days: Set<String> = []
  }

  /// The rule's schedule compiled; all `nil` and no days without one.
  private static func compileSchedule(_ rule: PricingRule) throws(PricingError)
    -> CompiledSchedule
  {
    func fail(_ message: String) -> PricingError { invalid(rule, message) }
    guard let schedule = rule.schedule else { return CompiledSchedule() }
    guard let zone = TimeZone(identifier: schedule.timezone) else {
      throw fail("unknown timezone '\(schedule.timezone)' (an IANA name, Europe/Berlin)")
    }
    let start: Date? = try schedule.start.map { (text) throws(PricingError) in
      guard let date = LocalTime.instant(text, in: zone) else {
        throw fail("schedule.start '\(text)' is not YYYY-MM-DDTHH:MM")
      }
      return date
    }
    let end: Date? = try schedule.end.map { (text) throws(PricingError) in
      guard let date = LocalTime.instant(text, in: zone) else {
        throw fail("schedule.end '\(text)' is not YYYY-MM-DDTHH:MM")
      }
      return date
    }
    if let start, let end, start >= end { throw fail("schedule.end is not after its start") }
    let dailyFrom: Int? = try schedule.dailyFrom.map { (text) throws(PricingError) in
      guard let minutes = LocalTime.minutes(text) else {
        throw fail("schedule.daily_from '\(text)' is not HH:MM")
      }
      return minutes
    }
    let dailyTo: Int? = try schedule.dailyTo.map { (text) throws(PricingError) in
      guard let minutes = LocalTime.minutes(text) else {
        throw fail("schedule.daily_to '\(text)' is not HH:MM")
      }
      return minutes
    }
    if (dailyFrom == nil) != (dailyTo == nil) {
      throw fail("a daily window needs both daily_from and daily_to")
    }
    let days = Set(schedule.days.map { String($0.prefix(3)).lowercased() })
    if let bad = days.first(where: { !LocalTime.weekdays.contains($0) }) {
      throw fail("unknown weekday '\(bad)' (mon … sun)")
    }
    return CompiledSchedule(
      zone: zone, start: start, end: end, dailyFrom: dailyFrom, dailyTo: dailyTo, days: days)
  }

  private func checkKind(_ fail: (String) -> PricingError) throws(PricingError) {
    switch rule.kind {
    case .percentageOff:
      guard let percent = rule.percent, percent.millionths > 0, percent.millionths <= 1_000_000
      else { throw fail("percentage_off needs percent between 0 and 100") }
    case .amountOff, .fixedPrice, .freeShipping:
      guard amount != nil else { throw fail("\(rule.kind.rawValue) needs amount and currency") }
    case .tiered:
      guard !tiers.isEmpty else { throw fail("tiered needs tiers") }
    case .buyXGetY:
      guard let buy = rule.buy, let get = rule.get, buy >= 1, get >= 1 else {
        throw fail("buy_x_get_y needs buy and get of at least 1")
      }
    case .bundle:
      guard rule.products.count >= 2, amount != nil else {
        throw fail("bundle needs at least two products and an amount with currency")
      }
    case .charmRounding:
      guard ending != nil else { throw fail("charm_rounding needs ending and currency") }
    case .fixedGross: break
    case .dynamic:
      guard let dynamic = rule.dynamic, dynamic.threshold > 0,
        dynamic.floor <= dynamic.ceiling,
        dynamic.floor.millionths > -1_000_000
      else {
        throw fail("dynamic needs signal, threshold > 0 and floor ≤ ceiling (floor above -100)")
      }
    }
  }

  static func power(_ exponent: Int) -> Int {
    var value = 1
    for _ in 0..<exponent { value *= 10 }
    return value
  }

  /// Why the rule is not active at `instant`, or `nil` when it is.
  func inactive(at instant: Date) -> String? {
    if let start, instant < start {
      return "starts \(rule.schedule?.start ?? "") \(rule.schedule?.timezone ?? "")"
    }
    if let end, instant >= end {
      return "ended \(rule.schedule?.end ?? "") \(rule.schedule?.timezone ?? "")"
    }
    guard let zone, dailyFrom != nil || !days.isEmpty else { return nil }
    let clock = LocalTime.clock(instant, in: zone)
    if !days.isEmpty, !days.contains(clock.weekday) {
      return "not on \(clock.weekday) (days: \(rule.schedule?.days.joined(separator: ",") ?? ""))"
    }
    if let from = dailyFrom, let to = dailyTo {
      let inside =
        from <= to
        ? (clock.minutes >= from && clock.minutes < to)
        : (clock.minutes >= from || clock.minutes < to)
      if !inside {
        return
          "outside \(rule.schedule?.dailyFrom ?? "")–\(rule.schedule?.dailyTo ?? "") "
          + (rule.schedule?.timezone ?? "")
      }
    }
    return nil
  }

  /// Whether the two rules can both apply to some line at some time.
  func overlaps(_ other: CompiledRule) -> Bool {
    func meet<T>(_ left: Set<T>, _ right: Set<T>) -> Bool {
      left.isEmpty || right.isEmpty || !left.isDisjoint(with: right)
    }
    if let code, let otherCode = other.code, code != otherCode { return false }
    guard meet(merchants, other.merchants), meet(countries, other.countries),
      meet(brands, other.brands), meet(products, other.products), meet(groups, other.groups)
    else { return false }
    if !categories.isEmpty, !other.categories.isEmpty {
      let related = categories.contains { mine in
        other.categories.contains { $0.hasPrefix(mine) || mine.hasPrefix($0) }
      }
      if !related { return false }
    }
    let startA = start ?? .distantPast
    let endA = end ?? .distantFuture
    let startB = other.start ?? .distantPast
    let endB = other.end ?? .distantFuture
    return startA < endB && startB < endA
  }
}

/// Checks on whole rule sets.
enum RuleValidation {
  static func check(_ rule: PricingRule, at location: InputLocation) throws(PricingError) {
    do {
      _ = try CompiledRule(rule)
    } catch .invalidRules(_, let message) {
      throw .invalidRules(location, message: message)
    }
  }

  /// Two price-changing rules at the same priority whose order would decide the price.
  static func checkConflicts(_ rules: [PricingRule], file: String) throws(PricingError) {
    var compiled: [CompiledRule] = []
    for rule in rules { compiled.append(try CompiledRule(rule)) }
    for (index, first) in compiled.enumerated() {
      for second in compiled[(index + 1)...] where conflict(first, second) {
        let line = first.rule.source.flatMap { Int($0.split(separator: ":").last ?? "") }
        throw .conflict(
          InputLocation(file: file, line: line), first: first.rule.id, second: second.rule.id,
          secondLocation: second.rule.source ?? "stored")
      }
    }
  }

  static func conflict(_ first: CompiledRule, _ second: CompiledRule) -> Bool {
    first.rule.priority == second.rule.priority && first.rule.kind.changesLinePrice
      && second.rule.kind.changesLinePrice
      && (!first.rule.stackable || !second.rule.stackable || first.rule.stopFurtherRules
        || second.rule.stopFurtherRules)
      && first.overlaps(second)
  }
}
