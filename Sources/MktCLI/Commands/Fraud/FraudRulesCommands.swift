import ArgumentParser
import Foundation
import Fraud
import MktCore
import Orders
import Store

/// `mkt fraud rules`.
struct FraudRulesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rules",
    abstract: "Load and show the fraud rules: readable tests that allow, review or block.",
    discussion: """
      A rules file (YAML or JSON) lists named rules, each `ACTION if CONDITION [and …]`:

        rules:
          - name: brand-new-account
            rule: review if account_age < 60s
          - name: device-farm
            rule: block if accounts_per_device >= 5 and amount_eur > 200
          - name: loyal
            rule: allow if customer.orders_paid >= 10
            merchants: [M001]

      Actions: allow (placed as if it scored nothing), review (held with its stock), block \
      (refused, nothing held, the reason recorded). The first allow that fires wins, then the \
      first block, then the first review; without one, the score and the merchant's \
      thresholds decide. A condition is SIGNAL OP VALUE (OP: < <= > >= == !=), a flag alone \
      (ip_mismatch) or `not FLAG`; durations take s, m, h, d; text signals compare with == \
      and != (country == NG).

      Signals:
      \(FraudSignal.all.map { "  \($0.name): \($0.help)" }.joined(separator: "\n"))
      """,
    subcommands: [FraudRulesLoadCommand.self, FraudRulesShowCommand.self])
}

/// `mkt fraud rules load FILE`.
struct FraudRulesLoadCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "load",
    abstract: "Validate a rules file and put it in force in place of the previous one.",
    discussion: """
      An unknown signal or action, a bad value or a repeated name is refused (65) with \
      file:line:column, and nothing changes. A rule that can never fire, and two rules that \
      test the same conditions with different actions, are warned about.

      Example: mkt fraud rules load examples/fraud/rules.yaml
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Flag(help: "Validate and warn; put nothing in force.") var dryRun = false
  @Argument(
    help: "The rules file (.yaml, .yml or .json), '-' for standard input.", completion: .file())
  var file: String

  struct Summary: Encodable {
    var rules: Int
    var warnings: [String]
    var loaded: Bool
  }

  func run() async throws {
    let text = try await InputFile.text(file, limit: FraudRuleFile.maximumBytes + 1)
    let (rules, warnings) = try await FraudService(store: global.openStore()).loadRules(
      text, file: file, dryRun: dryRun)
    let out = Output(global, output)
    for warning in warnings { out.note("warning: \(warning)") }
    try out.result(Summary(rules: rules.rules.count, warnings: warnings, loaded: !dryRun)) {
      global.quiet
        ? ""
        : "\(file): \($0.rules) rules " + (dryRun ? "valid (dry run, nothing loaded)" : "in force")
    }
  }
}

/// `mkt fraud rules show`.
struct FraudRulesShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "List the rules in force, in the file's order.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions

  struct Line: Encodable {
    var name: String
    var action: String
    var rule: String
    var merchants: [String]
    var source: String
  }

  func run() async throws {
    let rules = try await FraudService(store: global.openStore(.reading)).rules()
    try Output(global, output).rows(
      rules.rules.map {
        Line(
          name: $0.name, action: $0.action.rawValue, rule: $0.text,
          merchants: $0.merchants.map { $0.sorted() } ?? [], source: $0.location.description)
      },
      columns: [
        ("name", \.name), ("action", \.action), ("rule", \.rule),
        ("merchants", { $0.merchants.isEmpty ? "all" : $0.merchants.joined(separator: " ") }),
        ("source", \.source),
      ])
  }
}

/// `mkt fraud policy M`.
struct FraudPolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract: "Show or set a merchant's fraud thresholds.",
    discussion: """
      Above the review threshold an order waits in review with its stock held; above the \
      block threshold it is refused: nothing held or charged, the reason recorded (mkt fraud \
      refusals). Without a policy: review above 0.8, no refusal on the score alone. Rules \
      decide before thresholds.

      Examples:
        mkt fraud policy M001 --review 0.7 --block 0.95
        mkt fraud policy M001 --no-block
        mkt fraud policy --all
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Argument(help: "The merchant.") var merchant: String?
  @Option(help: "Review above this score (0 to 1).") var review: Double?
  @Option(help: "Refuse above this score (0 to 1).") var block: Double?
  @Flag(help: "Never refuse on the score alone.") var noBlock = false
  @Flag(help: "List every merchant with thresholds of its own.") var all = false

  struct Line: Encodable {
    var merchant: String
    var review: String
    var block: String?
  }

  func validate() throws {
    guard all != (merchant != nil) else {
      throw ValidationError("name a merchant, or --all")
    }
    for (name, value) in [("--review", review), ("--block", block)] {
      if let value, !(0...1).contains(value) {
        throw ValidationError("\(name) takes a score from 0 to 1, not \(value)")
      }
    }
    if noBlock, block != nil { throw ValidationError("--block and --no-block exclude each other") }
  }

  func run() async throws {
    let service = FraudService(store: try global.openStore(all ? .reading : .existing))
    if let merchant, review != nil || block != nil || noBlock {
      var policy = try await service.policies()[merchant] ?? FraudPolicy.standard
      if let review { policy.reviewAt = Int((review * 1_000).rounded()) }
      if let block { policy.blockAt = Int((block * 1_000).rounded()) }
      if noBlock { policy.blockAt = nil }
      try await service.setPolicy(merchant, policy)
    }
    let policies = try await service.policies()
    let names = merchant.map { [$0] } ?? policies.keys.sorted()
    func score(_ thousandths: Int) -> String { String(format: "%.3f", Double(thousandths) / 1000) }
    try Output(global, output).rows(
      names.map { name in
        let policy = policies[name] ?? .standard
        return Line(
          merchant: name, review: score(policy.reviewAt), block: policy.blockAt.map(score))
      },
      columns: [
        ("merchant", { $0.merchant }), ("review_above", { $0.review }),
        ("block_above", { (line: Line) in line.block ?? "never" }),
      ])
  }
}

/// `mkt fraud refusals`.
struct FraudRefusalsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "refusals",
    abstract: "List the orders the fraud checks refused, newest first, with the reasons.",
    discussion: "Example: mkt fraud refusals --merchant M001")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's.") var merchant: String?
  @Option(help: "At most this many.") var limit = 1_000

  func run() async throws {
    let service = try await OrderService.open(store: global.openStore(.reading))
    try Output(global, output).rows(
      try await service.refusals(merchant: merchant, limit: limit),
      columns: [
        ("at", \.at), ("merchant", \.merchant), ("idempotency_key", \.key),
        ("customer", \.customer), ("total", { "\($0.total) \($0.currency)" }),
        ("score", \.score), ("reasons", \.reasons),
      ])
  }
}
