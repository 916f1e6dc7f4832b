import Analytics
import Foundation

/// The offline figures of one way of recommending over a held-out window.
public struct EvaluationRow: Sendable, Equatable, Encodable {
  /// A strategy's name, `ensemble`, or `popularity` (the baseline).
  public var name: String
  public var hitRate: Double
  public var recall: Double
  public var ndcg: Double
  /// Distinct products recommended ÷ products in training.
  public var coverage: Double
  /// Mean distinct categories among a user's recommendations ÷ their count.
  public var diversity: Double

  enum CodingKeys: String, CodingKey {
    case name, recall, ndcg, coverage, diversity
    case hitRate = "hit_rate"
  }
}

/// What `mkt recs evaluate` prints: the split and a row per way of recommending.
public struct Evaluation: Sendable, Equatable, Encodable {
  public var cut: String
  public var trainEvents: Int
  public var testUsers: Int
  public var products: Int
  public var k: Int
  public var rows: [EvaluationRow]

  enum CodingKeys: String, CodingKey {
    case cut, k, rows, products
    case trainEvents = "train_events"
    case testUsers = "test_users"
  }
}

/// The protocol of `../shared/bench/als_reference.py`.
///
/// Train on the events before the last `holdoutDays` days; test users are those with training
/// history who bought in the window; relevant products are what they bought then. Recommendations may include products the user
/// met before (re-buys count), as the reference allows.
struct Evaluator {
  var holdoutDays: Int
  var k = 10
  /// The cut the ensemble ships with; strategies alone are scored with it too.
  var selection = Selection(limit: 10)

  init(holdoutDays: Int, k: Int = 10, perCategory: Int = 3) {
    self.holdoutDays = holdoutDays
    self.k = k
    selection = Selection(limit: k, perCategory: perCategory)
  }

  /// A model trained before the cut and what its test users bought after it.
  struct Split {
    var model: Model
    var cut: Int64
    var trainEvents: Int
    var products: Int
    var users: [Int32]
    var wanted: [Set<Int32>]
    /// Each test user's strategy scores, computed once for every weighting tried.
    var scores: [[Strategy: [Int32: Double]]]
  }

  /// Splits `all` at `holdoutDays` before its end and trains on what comes before.
  func split(
    _ all: [ShopperEvent], catalogue load: ([Int64]) throws -> Catalogue,
    settings: TrainingSettings
  ) throws -> Split? {
    guard let end = all.map(\.ts).max() else { return nil }
    let cut = end - Int64(holdoutDays) * 86_400
    let training = Interactions(all.filter { $0.ts < cut })
    var relevant: [Int32: Set<Int32>] = [:]
    for event in all where event.ts >= cut && event.kind == .purchase {
      guard let user = training.userIndex[event.user] else { continue }
      // A product never met in training cannot be recommended, but it counts as relevant.
      relevant[user, default: []].insert(training.itemIndex[event.product] ?? -1)
    }
    let model = Model.train(training, try load(training.items), settings)
    let users = relevant.keys.sorted()
    return Split(
      model: model, cut: cut, trainEvents: training.item.count, products: training.items.count,
      users: users, wanted: users.map { relevant[$0] ?? [] },
      scores: users.map { model.strategyScores(model.profiles[Int($0)], at: cut) })
  }

  /// The figures of one weighting (or one strategy alone) on a split.
  func row(_ name: String, _ split: Split, weights: Weights, only strategy: Strategy? = nil)
    -> EvaluationRow
  {
    var hits = 0.0
    var recall = 0.0
    var ndcg = 0.0
    var diversity = 0.0
    var shown = Set<Int32>()
    let model = split.model
    for (index, user) in split.users.enumerated() {
      let wanted = split.wanted[index]
      let list = model.blend(
        split.scores[index], model.profiles[Int(user)], weights: weights, selection: selection,
        only: strategy
      ).map(\.item)
      shown.formUnion(list)
      let found = list.filter(wanted.contains).count
      hits += found > 0 ? 1 : 0
      recall += Double(found) / Double(wanted.count)
      var gain = 0.0
      for (rank, item) in list.enumerated() where wanted.contains(item) {
        gain += 1 / log2(Double(rank) + 2)
      }
      let ideal = (0..<min(wanted.count, k)).reduce(0.0) { $0 + 1 / log2(Double($1) + 2) }
      ndcg += ideal > 0 ? gain / ideal : 0
      if !list.isEmpty {
        diversity += Double(Set(list.map { model.category[Int($0)] }).count) / Double(list.count)
      }
    }
    let count = Double(max(split.users.count, 1))
    return EvaluationRow(
      name: name, hitRate: hits / count, recall: recall / count, ndcg: ndcg / count,
      coverage: Double(shown.count) / Double(max(split.products, 1)),
      diversity: diversity / count)
  }

  /// Every strategy alone, the ensemble under `weights`, and popularity, on the last
  /// `holdoutDays` days of `all`.
  func run(
    _ all: [ShopperEvent], catalogue load: ([Int64]) throws -> Catalogue,
    weights: Weights, settings: TrainingSettings
  ) throws -> Evaluation? {
    guard let split = try split(all, catalogue: load, settings: settings) else { return nil }
    let rows =
      [row("ensemble", split, weights: weights)]
      + Strategy.allCases.map { row($0.rawValue, split, weights: weights, only: $0) }
    return Evaluation(
      cut: Analytics.dayText(split.cut / 86_400), trainEvents: split.trainEvents,
      testUsers: split.users.count, products: split.products, k: k, rows: rows)
  }
}
