public import Foundation
import MktCore
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

    /// Adds another part's counts.
    mutating func add(_ other: Figures) {
      allowed += other.allowed
      reviewed += other.reviewed
      blocked += other.blocked
      labelledFraud += other.labelledFraud
      labelledGood += other.labelledGood
      flaggedFraud += other.flaggedFraud
      flaggedGood += other.flaggedGood
      blockedGoodEuroCents += other.blockedGoodEuroCents
    }

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
  /// `record` gets each order's decision by `candidate`, in order.
  ///
  /// Stored orders are replayed in parts on every core (up to 4) when no `record` is asked
  /// for: each order's signals read only what was stored before it, so parts of the window
  /// replay independently and add up to the same figures.
  public func backtest(
    _ source: FraudReplaySource, candidate: FraudEngine, current: FraudEngine,
    record: (@Sendable (FraudBacktest.Record) throws -> Void)? = nil
  ) async throws -> FraudBacktest {
    let tallies = try await replay(source, parallel: record == nil) { tally, item, signals in
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
    var result = FraudBacktest()
    var scores: [Double] = []
    var labels: [Bool] = []
    var last: Int64?
    for tally in tallies where tally.result.orders > 0 {
      result.orders += tally.result.orders
      result.candidate.add(tally.result.candidate)
      result.current.add(tally.result.current)
      if result.from == nil { result.from = tally.first.map(UTCSeconds.iso) }
      last = tally.last
      scores += tally.scores
      labels += tally.labels
    }
    result.to = last.map(UTCSeconds.iso)
    if labels.contains(true), labels.contains(false) {
      result.auc = FraudTraining.auc(scores, labels)
    }
    return result
  }

  /// Fits a model on the labelled orders of `source`, as placement saw each one.
  ///
  /// - Throws: ``FraudError/notEnoughLabels(fraud:good:)``.
  public func train(_ source: FraudReplaySource, threshold: Double = 0.8, now: Date? = nil)
    async throws -> FraudModel
  {
    let now = now ?? store.clock.now()
    let tallies = try await replay(source, parallel: true) { tally, item, signals in
      guard let label = item.label else { return }
      tally.examples.append(
        FraudExample(
          inputs: FraudTraining.inputs(item.order, signals), fraud: label,
          at: item.order.placedAt))
    }
    return try FraudTraining.fit(
      tallies.flatMap(\.examples), threshold: threshold,
      trainedAt: UTCSeconds.iso(Int64(now.timeIntervalSince1970)))
  }

  /// What a replay gathers, filled by one reader at a time.
  final class Tally: @unchecked Sendable {
    // SAFETY: only one replay part's thread touches it, and the caller after it ends.
    var result = FraudBacktest()
    var scores: [Double] = []
    var labels: [Bool] = []
    var first: Int64?
    var last: Int64 = 0
    var examples: [FraudExample] = []
  }

  /// Replays `source` into one tally per part, in time order.
  private func replay(
    _ source: FraudReplaySource, parallel: Bool,
    _ body: @escaping @Sendable (Tally, FraudCase, FraudSignals) throws -> Void
  ) async throws -> [Tally] {
    switch source {
    case .given(let cases):
      let tally = Tally()
      try FraudReplay.given(cases) { try body(tally, $0, $1) }
      return [tally]
    case .stored(let from, let to):
      let parts = parallel ? min(4, ProcessInfo.processInfo.activeProcessorCount) : 1
      let bounds = try await store.read { db in
        try FraudReplay.bounds(from: from, to: to, parts: parts, db)
      }
      return try await withThrowingTaskGroup(of: (Int, Tally).self) { group in
        for (index, range) in zip(bounds, bounds.dropFirst()).enumerated() {
          group.addTask { [store] in
            let tally = Tally()
            try await store.read { db in
              try FraudReplay.stored(from: range.0, to: range.1, db) { try body(tally, $0, $1) }
            }
            return (index, tally)
          }
        }
        var tallies: [(Int, Tally)] = []
        for try await part in group { tallies.append(part) }
        return tallies.sorted { $0.0 < $1.0 }.map(\.1)
      }
    }
  }
}
