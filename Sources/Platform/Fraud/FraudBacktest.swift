public import Foundation
import Store

/// Where replayed orders come from: the store's, placed in a window (seconds since 1970), or
/// given (a labelled file).
public enum FraudReplaySource: Sendable {
  case stored(from: Int64, to: Int64)
  case given([FraudCase])
}

/// What a setup would have done with replayed orders, beside the setup in force.
public struct FraudBacktest: Sendable, Encodable {
  /// Counts of one setup's decisions.
  public struct Figures: Sendable, Equatable, Encodable {
    public var allowed = 0
    public var reviewed = 0
    public var blocked = 0
    /// Labelled orders, and how many of each kind were flagged (reviewed or blocked).
    public var labelledFraud = 0
    public var labelledGood = 0
    public var flaggedFraud = 0
    public var flaggedGood = 0
    /// What the blocked orders not labelled fraud came to, in euro cents.
    public var blockedGoodEuroCents: Int64 = 0

    public var orders: Int { allowed + reviewed + blocked }
    /// Of the labelled orders flagged, the share that were fraud.
    public var precision: Double {
      flaggedFraud + flaggedGood == 0
        ? 0 : Double(flaggedFraud) / Double(flaggedFraud + flaggedGood)
    }
    /// Of the labelled fraud, the share flagged.
    public var recall: Double {
      labelledFraud == 0 ? 0 : Double(flaggedFraud) / Double(labelledFraud)
    }
    public var reviewRate: Double { orders == 0 ? 0 : Double(reviewed) / Double(orders) }

    mutating func count(_ decision: FraudDecision, _ item: FraudCase) {
      switch decision.action {
      case .allow: allowed += 1
      case .review: reviewed += 1
      case .block:
        blocked += 1
        if item.label != true { blockedGoodEuroCents += item.order.amountEuroCents }
      }
      let flagged = decision.action != .allow
      switch item.label {
      case true?:
        labelledFraud += 1
        if flagged { flaggedFraud += 1 }
      case false?:
        labelledGood += 1
        if flagged { flaggedGood += 1 }
      case nil: break
      }
    }

    enum CodingKeys: String, CodingKey {
      case orders, allowed, reviewed, blocked, precision, recall
      case labelledFraud = "labelled_fraud"
      case labelledGood = "labelled_good"
      case flaggedFraud = "flagged_fraud"
      case flaggedGood = "flagged_good"
      case reviewRate = "review_rate"
      case blockedGood = "blocked_good_eur"
    }

    public func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(orders, forKey: .orders)
      try container.encode(allowed, forKey: .allowed)
      try container.encode(reviewed, forKey: .reviewed)
      try container.encode(blocked, forKey: .blocked)
      try container.encode(labelledFraud, forKey: .labelledFraud)
      try container.encode(labelledGood, forKey: .labelledGood)
      try container.encode(flaggedFraud, forKey: .flaggedFraud)
      try container.encode(flaggedGood, forKey: .flaggedGood)
      try container.encode(precision, forKey: .precision)
      try container.encode(recall, forKey: .recall)
      try container.encode(reviewRate, forKey: .reviewRate)
      try container.encode(Double(blockedGoodEuroCents) / 100, forKey: .blockedGood)
    }
  }

  /// One replayed order's decision, for `--decisions`.
  public struct Record: Sendable, Encodable {
    public var key: String
    public var orderID: Int64?
    public var at: String
    public var score: Double
    public var decision: FraudAction
    public var reasons: [String]
    public var label: Bool?

    enum CodingKeys: String, CodingKey {
      case key, at, score, decision, reasons, label
      case orderID = "order_id"
    }
  }

  public var orders = 0
  /// The first and last replayed order's times.
  public var from: String?
  public var to: String?
  /// The setup tried, and the one in force.
  public var candidate = Figures()
  public var current = Figures()
  /// The area under the ROC curve of the setup tried's score, over the labelled orders.
  public var auc: Double?
}

extension FraudService {
  /// Replays orders with `candidate` and with `current`, counting what each would have done;
  /// `record` gets each order's decision by `candidate`.
  public func backtest(
    _ source: FraudReplaySource, candidate: FraudEngine, current: FraudEngine,
    record: (@Sendable (FraudBacktest.Record) throws -> Void)? = nil
  ) async throws -> FraudBacktest {
    let tally = Tally()
    try await replay(source) { item, signals in
      let tried = candidate.decide(item.order, signals)
      tally.result.candidate.count(tried, item)
      tally.result.current.count(current.decide(item.order, signals), item)
      tally.result.orders += 1
      if tally.first == nil { tally.first = item.order.placedAt }
      tally.last = item.order.placedAt
      if let label = item.label {
        tally.scores.append(Double(tried.score.thousandths))
        tally.labels.append(label)
      }
      try record?(
        .init(
          key: item.key, orderID: item.id, at: UTCSeconds.iso(item.order.placedAt),
          score: Double(tried.score.thousandths) / 1_000, decision: tried.action,
          reasons: tried.reasons, label: item.label))
    }
    var result = tally.result
    result.from = tally.first.map(UTCSeconds.iso)
    result.to = result.orders == 0 ? nil : UTCSeconds.iso(tally.last)
    if tally.labels.contains(true), tally.labels.contains(false) {
      result.auc = FraudTraining.auc(tally.scores, tally.labels)
    }
    return result
  }

  /// Fits a model on the labelled orders of `source`, as placement saw each one.
  ///
  /// - Throws: ``FraudError/notEnoughLabels(fraud:good:)``.
  public func train(_ source: FraudReplaySource, threshold: Double = 0.8, now: Date = Date())
    async throws -> FraudModel
  {
    let tally = Tally()
    try await replay(source) { item, signals in
      guard let label = item.label else { return }
      tally.examples.append(
        FraudExample(
          inputs: FraudTraining.inputs(item.order, signals), fraud: label,
          at: item.order.placedAt))
    }
    return try FraudTraining.fit(
      tally.examples, threshold: threshold,
      trainedAt: UTCSeconds.iso(Int64(now.timeIntervalSince1970)))
  }

  /// What a replay gathers, filled by one reader at a time.
  private final class Tally: @unchecked Sendable {
    // SAFETY: only the replay's one thread touches it, and the caller after the replay ends.
    var result = FraudBacktest()
    var scores: [Double] = []
    var labels: [Bool] = []
    var first: Int64?
    var last: Int64 = 0
    var examples: [FraudExample] = []
  }

  private func replay(
    _ source: FraudReplaySource,
    _ body: @escaping @Sendable (FraudCase, FraudSignals) throws -> Void
  ) async throws {
    switch source {
    case .stored(let from, let to):
      try await store.read { db in try FraudReplay.stored(from: from, to: to, db, body) }
    case .given(let cases):
      try FraudReplay.given(cases, body)
    }
  }
}
