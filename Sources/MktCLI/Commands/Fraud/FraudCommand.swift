import ArgumentParser
import Foundation
import Fraud
import Orders
import Store

/// `mkt fraud`.
struct FraudCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fraud",
    abstract: "Fraud rules, thresholds, the learned model, backtests and the review queue.",
    discussion: """
      Placement decides every order from the signals of the orders placed before it: the \
      rules in force first (mkt fraud rules), else the score — the trained model (mkt fraud \
      train) or, until one is trained, the built-in weights — against the merchant's \
      thresholds (mkt fraud policy; without one: review above 0.8). A reviewed order waits \
      with its stock held; a blocked one is refused, nothing held, the reason recorded. \
      `fraud review approve|reject` are the same commands as `orders review approve|reject`.
      """,
    subcommands: [
      FraudExplainCommand.self, FraudReviewCommand.self, FraudRulesCommand.self,
      FraudPolicyCommand.self, FraudRefusalsCommand.self, FraudLabelCommand.self,
      FraudTrainCommand.self, FraudBacktestCommand.self,
    ])
}

/// `mkt fraud explain ORDER`.
struct FraudExplainCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "explain",
    abstract: "Show an order's fraud signals as they stood when it was placed, and its score.",
    discussion: """
      The signals are read again from the orders placed before it (none placed after it is \
      seen) and decided with the rules, model and thresholds in force now, beside the score \
      placement stored: the rules that fire and the model's contributions are listed.

      Example: mkt fraud explain 42
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    let service = try await OrderService.open(store: global.openStore(.reading))
    let explanation = try await service.explainFraud(order.id)
    try Output(global, output).result(explanation) { Self.render($0) }
  }

  static func render(_ explanation: FraudExplanation) -> String {
    let signals = explanation.signals
    func velocity(_ name: String, _ value: FraudSignals.Velocity) -> [String] {
      [name, String(value.hour), String(value.day), String(value.week)]
    }
    func text(_ value: Double?) -> String { value.map { String(format: "%.2f", $0) } ?? "-" }
    var lines = [
      "order \(explanation.orderID)  \(explanation.status.rawValue)",
      "stored score \(explanation.storedScore)"
        + (explanation.storedReasons.isEmpty
          ? "" : ": " + explanation.storedReasons.joined(separator: "; ")),
      "score now \(explanation.score), decision now \(explanation.decision.rawValue)"
        + (explanation.reasons.isEmpty ? "" : ": " + explanation.reasons.joined(separator: "; ")),
      "",
      TextTable.render(
        header: ["orders before it by", "last hour", "last day", "last week"],
        rows: [
          velocity("customer", signals.customer), velocity("email", signals.email),
          velocity("ip", signals.ip), velocity("device", signals.device),
          velocity("card", signals.card),
        ], format: .text, aligned: true),
    ]
    lines.append(
      "accounts on its device \(signals.accountsPerDevice), on its IP \(signals.accountsPerIP); "
        + "cards of the customer in a day \(signals.cardsPerCustomer)")
    lines.append(
      "customer's earlier orders \(signals.customerOrders); account age "
        + (signals.accountAge.map { "\($0) s" } ?? "-"))
    lines.append(
      "amount against the customer's usual \(text(signals.amountAgainstCustomer)), the "
        + "merchant's \(text(signals.amountAgainstMerchant)) (robust z); share of the merchant's "
        + "last 100 orders for its SKU \(String(format: "%.2f", signals.skuShare))")
    lines.append(
      "payments declined in the day before: customer \(signals.declines.customer), card "
        + "\(signals.declines.card), IP \(signals.declines.ip), device \(signals.declines.device)")
    lines.append(
      "billing country differs \(signals.billingMismatch ? "yes" : "no"), IP country differs "
        + (signals.ipMismatch ? "yes" : "no"))
    lines.append(
      "rules that fire: "
        + (explanation.rules.isEmpty ? "none" : explanation.rules.joined(separator: "; ")))
    if !explanation.contributions.isEmpty {
      lines.append(
        "model contributions (log-odds): "
          + explanation.contributions.filter { abs($0.weight) >= 0.05 }.prefix(6).map {
            "\($0.signal) " + String(format: "%+.2f", $0.weight)
          }.joined(separator: ", "))
    }
    return lines.joined(separator: "\n")
  }
}

/// `mkt fraud review`.
struct FraudReviewCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review", abstract: "The orders held for fraud review, and the decisions.",
    subcommands: [FraudReviewListCommand.self, OrdersApproveCommand.self, OrdersRejectCommand.self])
}

/// `mkt fraud review list`.
struct FraudReviewListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list",
    abstract: "List the orders waiting in review, oldest first, with their score and reasons.",
    discussion: "Example: mkt fraud review list --older-than 2h")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's.") var merchant: String?
  @Option(help: "Only those placed at least this long ago: 90s, 30m, 2h, 3d.")
  var olderThan: String?
  @Option(help: "At most this many.") var limit = 1_000

  func run() async throws {
    var seconds: Int?
    if let olderThan {
      guard let parsed = OrdersExpireCommand.seconds(olderThan) else {
        throw ValidationError(
          "--older-than takes a number with s, m, h or d, such as 2h, not '\(olderThan)'")
      }
      seconds = Int(parsed)
    }
    let service = try await OrderService.open(store: global.openStore(.reading))
    let orders = try await service.reviewQueue(
      merchant: merchant, olderThan: seconds, limit: limit)
    try Output(global, output).rows(
      orders,
      columns: [
        ("id", { String($0.id) }), ("placed_at", \.placedAt), ("merchant", \.merchantID),
        ("customer", \.customerID), ("total", { "\($0.total) \($0.currency)" }),
        ("score", \.fraudScore), ("reasons", { $0.fraudReasons.joined(separator: "; ") }),
      ])
  }
}
