import ArgumentParser
import Foundation
import MktCore
import Pricing
import Store

/// `mkt pricing`: rules as data, quotes that explain themselves.
struct PricingCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pricing",
    abstract: "Load pricing rules; quote products and carts; explain and simulate.",
    discussion: """
      Rules (YAML or JSON) are percentage_off, amount_off, fixed_price, tiered, buy_x_get_y, \
      bundle, free_shipping, charm_rounding, fixed_gross and dynamic, scoped by merchant, \
      country, category, brand, product and customer group, with priority, \
      stop_further_rules, stackable, schedules in IANA time zones and promo codes. See \
      examples/pricing/rules.yaml.
      """,
    subcommands: [
      PricingLoadCommand.self, PricingListCommand.self, PricingShowCommand.self,
      PricingRemoveCommand.self, PricingQuoteCommand.self, PricingExplainCommand.self,
      PricingSimulateCommand.self,
    ])
}

/// `mkt pricing load FILE`.
struct PricingLoadCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "load",
    abstract: "Validate a rules file and store its rules (same id: replaced), all or none.",
    discussion: "Example: mkt pricing load examples/pricing/rules.yaml")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Flag(help: "Validate and show what would change; write nothing.") var dryRun = false
  @Argument(
    help: "The rules file (.yaml, .yml or .json), '-' for standard input.",
    completion: .file())
  var file: String

  func run() async throws {
    let text = try await InputFile.text(file, limit: InputFile.smallFileLimit)
    let summary = try await PricingService(store: global.openStore()).load(
      text, file: file, dryRun: dryRun)
    try Output(global, output).result(summary) { global.quiet ? "" : "\(file): \($0.line)" }
  }
}

/// `mkt pricing list`.
struct PricingListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the stored rules, highest priority first.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions

  func run() async throws {
    let rules = try await PricingService(store: global.openStore(.reading)).rules()
    try Output(global, output).rows(
      rules,
      columns: [
        ("id", \.id), ("kind", \.kind.rawValue), ("priority", { String($0.priority) }),
        ("code", { $0.code ?? "" }), ("what", RuleText.effect),
        ("scope", RuleText.scope), ("when", RuleText.schedule),
      ])
  }
}

/// `mkt pricing show ID`.
struct PricingShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one stored rule.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The rule id.") var id: String

  func run() async throws {
    let rule = try await PricingService(store: global.openStore(.reading)).rule(id)
    try Output(global, output).result(rule) { rule in
      [
        "\(rule.id)  \(rule.kind.rawValue)  priority \(rule.priority)",
        "what      \(RuleText.effect(rule))",
        "scope     \(RuleText.scope(rule))",
        "when      \(RuleText.schedule(rule))",
        "stacking  " + (rule.stackable ? "stackable" : "not stackable")
          + (rule.stopFurtherRules ? ", stops further rules" : ""),
        "code      \(rule.code ?? "-")"
          + (rule.limits.map {
            " (uses \($0.uses.map(String.init) ?? "∞"), per customer \($0.perCustomer.map(String.init) ?? "∞"))"
          } ?? "")
          + (rule.minBasket.map { ", basket ≥ \($0) \(rule.currency?.rawValue ?? "")" } ?? ""),
        "source    \(rule.source ?? "-")",
      ].joined(separator: "\n")
    }
  }
}

/// `mkt pricing remove ID`.
struct PricingRemoveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "Remove a stored rule.")

  @OptionGroup var global: GlobalOptions
  @Argument(help: "The rule id.") var id: String

  func run() async throws {
    try await PricingService(store: global.openStore()).remove(id)
    if !global.quiet { Output(quiet: global.quiet).warn("removed rule \(id)") }
  }
}

/// Short descriptions of a rule for tables.
enum RuleText {
  static func effect(_ rule: PricingRule) -> String {
    let currency = rule.currency.map { " \($0)" } ?? ""
    return switch rule.kind {
    case .percentageOff: "-\(rule.percent?.description ?? "?")%"
    case .amountOff: "-\(rule.amount ?? "?")\(currency)"
    case .fixedPrice: "= \(rule.amount ?? "?")\(currency)"
    case .tiered:
      rule.tiers.map {
        "\($0.minQuantity)+: " + ($0.percent.map { "-\($0)%" } ?? "= \($0.amount ?? "")\(currency)")
      }.joined(separator: ", ")
    case .buyXGetY: "buy \(rule.buy ?? 0) get \(rule.get ?? 0)"
    case .bundle: "\(rule.products.joined(separator: "+")) = \(rule.amount ?? "?")\(currency)"
    case .freeShipping: "free shipping from \(rule.amount ?? "?")\(currency)"
    case .charmRounding: "prices end in \(rule.ending ?? "?")"
    case .fixedGross: "same gross price in every country"
    case .dynamic:
      rule.dynamic.map {
        "\($0.signal.rawValue) < \($0.threshold): up to \($0.step)% in [\($0.floor)%, \($0.ceiling)%]"
      } ?? ""
    }
  }

  static func scope(_ rule: PricingRule) -> String {
    let scope = rule.scope
    var parts: [String] = []
    if !scope.merchants.isEmpty {
      parts.append("merchants " + scope.merchants.joined(separator: ","))
    }
    if !scope.countries.isEmpty {
      parts.append("countries " + scope.countries.map(\.rawValue).joined(separator: ","))
    }
    if !scope.categories.isEmpty {
      parts.append("categories " + scope.categories.joined(separator: ","))
    }
    if !scope.brands.isEmpty { parts.append("brands " + scope.brands.joined(separator: ",")) }
    if !scope.products.isEmpty { parts.append("products " + scope.products.joined(separator: ",")) }
    if !scope.customerGroups.isEmpty {
      parts.append("groups " + scope.customerGroups.joined(separator: ","))
    }
    return parts.isEmpty ? "all" : parts.joined(separator: "; ")
  }

  static func schedule(_ rule: PricingRule) -> String {
    guard let schedule = rule.schedule else { return "always" }
    var parts: [String] = []
    if schedule.start != nil || schedule.end != nil {
      parts.append("\(schedule.start ?? "…") – \(schedule.end ?? "…")")
    }
    if !schedule.days.isEmpty { parts.append(schedule.days.joined(separator: ",")) }
    if let from = schedule.dailyFrom, let to = schedule.dailyTo { parts.append("\(from)–\(to)") }
    return parts.joined(separator: " ") + " \(schedule.timezone)"
  }
}
