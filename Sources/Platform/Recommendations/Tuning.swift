import Analytics
import Foundation

/// What `mkt recs tune` found: the weights fitted on a validation window, and what they gain
/// on the test window against the weights in force.
public struct Tuning: Sendable, Equatable, Encodable {
  public var before: Weights
  public var after: Weights
  /// Hit rates on the validation window (the last days before the test window).
  public var validationBefore: Double
  public var validationAfter: Double
  /// Hit rates on the test window (the last days), which the fit never saw.
  public var testBefore: Double
  public var testAfter: Double

  enum CodingKeys: String, CodingKey {
    case before, after
    case validationBefore = "validation_before"
    case validationAfter = "validation_after"
    case testBefore = "test_before"
    case testAfter = "test_after"
  }
}

extension Weights {
  /// The strategies the ensemble blends.
  public static let blended: [Strategy] = Strategy.allCases.filter { $0 != .popularity }

  /// The weights divided by their sum (the sum is 1 after), or `nil` when they sum to 0.
  public func normalised() -> Weights? {
    let total = Self.blended.reduce(0) { $0 + self[$1] }
    guard total > 0 else { return nil }
    return Weights(
      values: Dictionary(uniqueKeysWithValues: Self.blended.map { ($0, self[$0] / total) }))
  }
}

extension Evaluator {
  /// Coordinate ascent from `start`: each strategy's weight in turn is scaled by a few factors
  /// and kept where the hit rate (then NDCG) on the split rises; three rounds.
  func fit(_ split: Split, from start: Weights) -> Weights {
    var best = start
    func score(_ weights: Weights) -> (Double, Double) {
      let row = row("tune", split, weights: weights)
      return (row.hitRate, row.ndcg)
    }
    var bestScore = score(best)
    for _ in 0..<3 {
      var improved = false
      for strategy in Weights.blended {
        for factor in [0.0, 0.5, 0.75, 1.5, 2.0] {
          var candidate = best
          let current = best[strategy]
          candidate.values[strategy] = current > 0 ? current * factor : 0.1 * factor
          let candidateScore = score(candidate)
          if candidateScore > bestScore {
            best = candidate
            bestScore = candidateScore
            improved = true
          }
        }
      }
      if !improved { break }
    }
    return best.normalised() ?? start
  }
}
