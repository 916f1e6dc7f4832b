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
    /// Each test user's strategy scores, computed once for every weighting tried (tuning);
    /// empty when each is computed as its user is scored.
    var scores: [[Strategy: [Int32: Double]]]

    /// The strategy scores of the test user at `index`.
    func scores(at index: Int) -> [Strategy: [Int32: Double]] {
      scores.isEmpty
        ? model.strategyScores(model.profiles[Int(users[index])], at: cut) : scores[index]
    }
  }

  /// Splits `all` at `holdoutDays` before its end and trains on what comes before; with
  /// `keepScores`, every test user's strategy scores are kept (tuning tries many weightings:
  /// at 18,000 test users they take a gigabyte).
  func split(
    _ all: [ShopperEvent], catalogue load: ([Int64]) throws -> Catalogue,
    settings: TrainingSettings, keepScores: Bool = false
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
      scores: keepScores ? users.map { model.strategyScores(model.profiles[Int($0)], at: cut) } : []
    )
  }

  /// One way of recommending to score: a name, and a strategy alone or the blend (`nil`).
  typealias Way = (name: String, only: Strategy?)

  /// The figures of one weighting (or one strategy alone) on a split.
  func row(_ name: String, _ split: Split, weights: Weights, only strategy: Strategy? = nil)
    -> EvaluationRow
  {
    rows([(name, strategy)], split, weights: weights)[0]
  }

  /// The figures of each of `ways` on a split, in one pass over its test users: each user's
  /// strategy scores are made once for all of them.
  func rows(_ ways: [Way], _ split: Split, weights: Weights) -> [EvaluationRow] {
    var hits = [Double](repeating: 0, count: ways.count)
    var recall = hits
    var ndcg = hits
    var diversity = hits
    var shown = [Set<Int32>](repeating: [], count: ways.count)
    let model = split.model
    for (index, user) in split.users.enumerated() {
      let wanted = split.wanted[index]
      let scores = split.scores(at: index)
      let ideal = (0..<min(wanted.count, k)).reduce(0.0) { $0 + 1 / log2(Double($1) + 2) }
      for (way, spec) in ways.enumerated() {
        let list = model.blend(
          scores, model.profiles[Int(user)], weights: weights, selection: selection,
          only: spec.only
        ).map(\.item)
        shown[way].formUnion(list)
        let found = list.filter(wanted.contains).count
        hits[way] += found > 0 ? 1 : 0
        recall[way] += Double(found) / Double(wanted.count)
        var gain = 0.0
        for (rank, item) in list.enumerated() where wanted.contains(item) {
          gain += 1 / log2(Double(rank) + 2)
        }
        ndcg[way] += ideal > 0 ? gain / ideal : 0
        if !list.isEmpty {
          diversity[way] +=
            Double(Set(list.map { model.category[Int($0)] }).count) / Double(list.count)
        }
      }
    }
    let count = Double(max(split.users.count, 1))
    return ways.indices.map { way in
      EvaluationRow(
        name: ways[way].name, hitRate: hits[way] / count, recall: recall[way] / count,
        ndcg: ndcg[way] / count,
        coverage: Double(shown[way].count) / Double(max(split.products, 1)),
        diversity: diversity[way] / count)
    }
  }

  /// Every strategy alone, the ensemble under `weights`, and popularity, on the last
  /// `holdoutDays` days of `all`.
  func run(
    _ all: [ShopperEvent], catalogue load: ([Int64]) throws -> Catalogue,
    weights: Weights, settings: TrainingSettings
  ) throws -> Evaluation? {
    guard let split = try split(all, catalogue: load, settings: settings) else { return nil }
    let rows = self.rows(
      [("ensemble", nil)] + Strategy.allCases.map { ($0.rawValue, $0) }, split, weights: weights)
    return Evaluation(
      cut: Analytics.dayText(split.cut / 86_400), trainEvents: split.trainEvents,
      testUsers: split.users.count, products: split.products, k: k, rows: rows)
  }
}
