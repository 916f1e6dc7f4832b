import ArgumentParser
import Foundation
import Fraud
import MktCore
import Orders
import Store

/// Which orders a training or backtest replays: stored ones since a time, or a labelled file.
struct FraudReplayOptions: ParsableArguments {
  @Option(help: "Stored orders placed since: a date (2026-11-01), a time, or an age (30d, 12h).")
  var since: String?
  @Option(
    help: ArgumentHelp(
      "Replay this NDJSON file of orders (gen.py's format, label_fraud 0/1) instead of the "
        + "store's, priced against the store's catalog."), completion: .file())
  var orders: String?

  func validate() throws {
    if since != nil, orders != nil {
      throw ValidationError("--since and --orders exclude each other")
    }
  }

  /// The source, and a description of it for messages.
  func source(_ store: Store, defaultAge: TimeInterval?, now: Date = Date()) async throws
    -> (FraudReplaySource, String)
  {
    if let orders {
      let service = try await OrderService.open(store: store)
      return (.given(try await service.fraudCases(path: orders)), orders)
    }
    var from = Int64.min
    var text = "every stored order"
    if let since {
      if let age = OrdersExpireCommand.seconds(since) {
        from = Int64(now.timeIntervalSince1970 - age)
      } else if let date = UTCTime.date(since) ?? UTCTime.date(since + "T00:00:00Z") {
        from = Int64(date.timeIntervalSince1970)
      } else {
        throw ValidationError(
          "--since takes a date (2026-11-01), a time or an age (30d), not '\(since)'")
      }
      text = "stored orders since \(since)"
    } else if let defaultAge {
      from = Int64(now.timeIntervalSince1970 - defaultAge)
      text = "stored orders of the last \(Int(defaultAge / 86_400)) days"
    }
    return (.stored(from: from, to: Int64.max), text)
  }
}

/// `mkt fraud label import FILE`.
struct FraudLabelCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "label", abstract: "Label orders as fraud or not, for mkt fraud train.",
    subcommands: [FraudLabelImportCommand.self])
}

struct FraudLabelImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Label orders from a CSV of chargebacks or verdicts.",
    discussion: """
      Columns: order_id or idempotency_key (with merchant when keys repeat across merchants), \
      fraud (1 or 0; 1 when absent: a chargeback file), note. Rows naming no order are \
      listed; past --max-errors of them nothing is applied (65). A label replaces an earlier \
      one; review approve and reject label too.

      Example: mkt fraud label import chargebacks.csv
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "Apply the others when at most this many rows are wrong.") var maxErrors = 0
  @Flag(help: "Check the file; apply nothing.") var dryRun = false
  @Argument(help: "The CSV file.", completion: .file()) var file: String

  func run() async throws {
    let service = try await OrderService.open(store: global.openStore())
    let summary = try await service.importLabels(path: file, maxErrors: maxErrors, dryRun: dryRun)
    let out = Output(global, output)
    for error in summary.errors { out.note(error) }
    try out.result(summary) {
      global.quiet
        ? ""
        : $0.applied
          ? "\(file): \(Self.orders($0.fraud)) labelled fraud, \(Self.orders($0.good)) not fraud"
          : "\(file): nothing applied (\($0.errors.count) rows wrong"
            + (dryRun ? ", dry run)" : "; --max-errors \(maxErrors))")
    }
    if !summary.applied, !dryRun {
      throw Reported(.dataError, "the model file had rows wrong: nothing applied")
    }
  }

  static func orders(_ count: Int) -> String { count == 1 ? "1 order" : "\(count) orders" }
}

/// `mkt fraud train`.
struct FraudTrainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "train",
    abstract: "Fit the fraud model on labelled orders and put it in force.",
    discussion: """
      Replays the labelled orders in time order with every signal as it stood at each one \
      (no later order is seen), fits a logistic regression on the signals (Newton's method \
      with an L2 penalty: no random step, the same orders give the same model), validates it \
      on the latest fifth by time, then fits it on all and saves it with its features, \
      window and figures. Labels: mkt fraud label import, review approve|reject, or the \
      label_fraud of an --orders file. Until a model is trained the built-in weights apply. \
      A crash or kill leaves the previous model in force.

      Example: mkt fraud train --orders labelled.ndjson
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup var replay: FraudReplayOptions
  @Option(help: "Also write the model as JSON here (for mkt fraud backtest --model FILE).")
  var out: String?
  @Flag(help: "Fit and print; put nothing in force.") var dryRun = false

  func run() async throws {
    let store = try global.openStore()
    let (source, described) = try await replay.source(store, defaultAge: nil)
    let service = FraudService(store: store)
    let model = try await service.train(source)
    if let out {
      let file = try OutputFile(path: out)
      try file.write(String(decoding: try JSONEncoder().encode(model), as: UTF8.self) + "\n")
      try file.finish()
    }
    if !dryRun { try await service.saveModel(model) }
    try Output(global, output).result(model) { Self.render($0, described, saved: !dryRun) }
  }

  static func render(_ model: FraudModel, _ source: String, saved: Bool) -> String {
    var lines = [
      "trained on \(model.orders) labelled orders (\(model.fraud) fraud) of \(source), "
        + "\(model.from) to \(model.to)"
    ]
    if let validation = model.validation {
      lines.append(
        "validation on the latest \(validation.orders) (\(validation.fraud) fraud): AUC "
          + String(format: "%.3f", validation.auc) + ", at \(validation.threshold): precision "
          + String(format: "%.3f", validation.precision) + ", recall "
          + String(format: "%.3f", validation.recall))
    }
    let weights = zip(model.features, model.weights).sorted { abs($0.1) > abs($1.1) }.prefix(8)
    lines.append(
      "strongest signals: "
        + weights.map { "\($0.0) " + String(format: "%+.2f", $0.1) }.joined(separator: ", "))
    lines.append(saved ? "the model is in force" : "dry run: the model in force is unchanged")
    return lines.joined(separator: "\n")
  }
}

/// `mkt fraud backtest`.
struct FraudBacktestCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "backtest",
    abstract: "Replay past orders: what other rules, model or thresholds would have done.",
    discussion: """
      Every order is replayed in time order with its signals recomputed as they were at its \
      time, decided by the setup tried (--rules, --model, --review, --block; what is not \
      given is the setup in force) and by the setup in force. Precision and recall count \
      labelled orders (reviewed or blocked = flagged); blocked good revenue counts blocked \
      orders not labelled fraud. --decisions writes each order's key, score, decision, \
      reasons and label as NDJSON. A window without orders prints so and exits 0.

      Examples:
        mkt fraud backtest --rules new-rules.yaml --since 30d
        mkt fraud backtest --model builtin --orders labelled.ndjson --json
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup var replay: FraudReplayOptions
  @Option(help: "Try this rules file instead of the rules in force.", completion: .file())
  var rules: String?
  @Option(help: "Try this model: current, builtin, or a file from mkt fraud train --out.")
  var model = "current"
  @Option(help: "Try this review threshold for every merchant (0 to 1).") var review: Double?
  @Option(help: "Try this block threshold for every merchant (0 to 1).") var block: Double?
  @Option(help: "Write each order's decision here as NDJSON.", completion: .file())
  var decisions: String?

  func run() async throws {
    // A pool of readers, not the one read-only connection: a replay of stored orders runs in
    // parts on every core.
    let store = try global.openStore()
    let service = FraudService(store: store)
    let current = try await service.engine()
    var candidate = current
    if let rules {
      let text = try await InputFile.text(rules, limit: FraudRuleFile.maximumBytes + 1)
      let (set, warnings) = try FraudRuleFile.read(text, file: rules)
      for warning in warnings { Output(global, output).note("warning: \(warning)") }
      candidate.rules = set
    }
    switch model {
    case "current": break
    case "builtin": candidate.scorer = BuiltInFraudScorer()
    default:
      let bytes = try await InputFile.bytes(model, limit: 64 << 20)
      do {
        candidate.scorer = LearnedFraudScorer(
          model: try JSONDecoder().decode(FraudModel.self, from: Data(bytes)))
      } catch {
        throw FraudError.invalidModel(
          "\(model) is not a model from mkt fraud train --out: \(error)")
      }
    }
    if review != nil || block != nil {
      var policy = FraudPolicy.standard
      if let review { policy.reviewAt = Int((review * 1_000).rounded()) }
      if let block { policy.blockAt = Int((block * 1_000).rounded()) }
      candidate.policies = [:]
      candidate.defaultPolicy = policy
    }
    let (source, described) = try await replay.source(store, defaultAge: 30 * 86_400)
    let writer = try decisions.map { DecisionWriter(try OutputFile(path: $0)) }
    var record: (@Sendable (FraudBacktest.Record) throws -> Void)?
    if let writer { record = { try writer.write($0) } }
    let result = try await service.backtest(
      source, candidate: candidate, current: current, record: record)
    try writer?.finish()
    try Output(global, output).result(result) { Self.render($0, described) }
  }

  static func render(_ result: FraudBacktest, _ source: String) -> String {
    guard result.orders > 0 else { return "no orders to replay in \(source)" }
    func percent(_ value: Double) -> String { String(format: "%.1f %%", value * 100) }
    func column(_ figures: FraudBacktest.Figures) -> [String] {
      [
        String(figures.allowed), String(figures.reviewed), String(figures.blocked),
        percent(figures.reviewRate),
        figures.labelledFraud + figures.labelledGood == 0
          ? "-" : String(format: "%.3f", figures.precision),
        figures.labelledFraud == 0 ? "-" : String(format: "%.3f", figures.recall),
        String(format: "%.2f", Double(figures.blockedGoodEuroCents) / 100),
      ]
    }
    let names = [
      "allowed", "reviewed", "blocked", "review rate", "precision", "recall",
      "blocked good EUR",
    ]
    let tried = column(result.candidate)
    let now = column(result.current)
    return [
      "\(result.orders) orders of \(source), \(result.from ?? "") to \(result.to ?? "")"
        + (result.auc.map { ", AUC " + String(format: "%.3f", $0) } ?? ""),
      TextTable.render(
        header: ["", "tried", "in force"],
        rows: names.indices.map { [names[$0], tried[$0], now[$0]] }, format: .text,
        aligned: true),
    ].joined(separator: "\n")
  }
}

/// Writes backtest decisions as NDJSON, one replay thread at a time.
final class DecisionWriter: @unchecked Sendable {
  // SAFETY: the replay calls `write` from one thread; `finish` after it returns.
  private let file: OutputFile
  private let encoder = JSONEncoder()

  init(_ file: OutputFile) {
    self.file = file
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
  }

  func write(_ record: FraudBacktest.Record) throws {
    try file.write(String(decoding: try encoder.encode(record), as: UTF8.self) + "\n")
  }

  func finish() throws { try file.finish() }
}
