import Foundation

/// A learned fraud score: logistic regression over the signals' standardised features.
///
/// The score is the modelled probability that the order is fraud; each signal's contribution
/// is its weight times how far the order's value is from the training orders' mean, so an
/// explanation lists what pushed the score up. A signal not known for an order (no device
/// sent) counts as the mean: it moves nothing.
public struct FraudModel: Sendable, Codable, Equatable {
  /// How well the model did on the orders held out of its fit (the latest fifth by time).
  public struct Validation: Sendable, Codable, Equatable {
    public var orders: Int
    public var fraud: Int
    /// Area under the ROC curve.
    public var auc: Double
    /// At the review threshold: the share of flagged orders that were fraud, and the share of
    /// fraud flagged.
    public var threshold: Double
    public var precision: Double
    public var recall: Double
    public var logLoss: Double

    enum CodingKeys: String, CodingKey {
      case orders, fraud, auc, threshold, precision, recall
      case logLoss = "log_loss"
    }
  }

  public static let currentFormat = "mkt-fraud-1"
  public var format = currentFormat
  /// The signals weighed, by name, and each one's training mean, scale and weight.
  public var features: [String]
  public var means: [Double]
  public var scales: [Double]
  public var weights: [Double]
  public var intercept: Double
  /// The orders it was fitted on: how many, how many fraud, and their first and last times.
  public var orders: Int
  public var fraud: Int
  public var from: String
  public var to: String
  public var trainedAt: String
  /// The L2 penalty the fit used.
  public var penalty: Double
  public var validation: Validation?

  enum CodingKeys: String, CodingKey {
    case format, features, means, scales, weights, intercept, orders, fraud, from, to, penalty
    case validation
    case trainedAt = "trained_at"
  }

  /// One signal's part in a score.
  public struct Contribution: Sendable, Equatable, Encodable {
    public var signal: String
    public var value: Double?
    /// In log-odds: positive pushes towards fraud.
    public var weight: Double
  }

  /// The features of an order in the model's order (`nil`: not known).
  func inputs(_ order: FraudOrder, _ signals: FraudSignals) -> [Double?] {
    features.map { FraudSignal.named[$0]?.feature(order, signals) }
  }

  /// The probability of fraud from features, and each feature's contribution.
  func probability(_ inputs: [Double?]) -> (Double, [Double]) {
    var sum = intercept
    var parts = [Double](repeating: 0, count: features.count)
    for index in features.indices {
      guard let value = inputs[index] else { continue }
      let part = weights[index] * (value - means[index]) / scales[index]
      parts[index] = part
      sum += part
    }
    return (1 / (1 + exp(-sum)), parts)
  }

  /// The contributions of an order's signals, largest push towards fraud first.
  public func contributions(_ order: FraudOrder, _ signals: FraudSignals) -> [Contribution] {
    let (_, parts) = probability(inputs(order, signals))
    return features.indices.map {
      Contribution(
        signal: features[$0], value: FraudSignal.named[features[$0]]?.value(order, signals),
        weight: parts[$0])
    }.sorted { $0.weight > $1.weight }
  }
}

/// Scores with a trained ``FraudModel``: the reasons are the signals that pushed the score up
/// most.
public struct LearnedFraudScorer: FraudScorer {
  public let model: FraudModel
  /// The model's signals, looked up once (`nil`: a signal this build does not know, read as
  /// unknown).
  private let signals: [FraudSignal?]

  public init(model: FraudModel) {
    self.model = model
    signals = model.features.map { FraudSignal.named[$0] }
  }

  public func score(_ order: FraudOrder, _ signals: FraudSignals) -> FraudScore {
    var sum = model.intercept
    // The three largest pushes above 0.5, kept without allocating.
    var top: [(index: Int, part: Double)] = []
    top.reserveCapacity(4)
    for index in self.signals.indices {
      guard let value = self.signals[index]?.feature(order, signals) else { continue }
      let part = model.weights[index] * (value - model.means[index]) / model.scales[index]
      sum += part
      if part > 0.5, top.count < 3 || part > top[top.count - 1].part {
        let at = top.firstIndex { part > $0.part } ?? top.count
        top.insert((index, part), at: at)
        if top.count > 3 { top.removeLast() }
      }
    }
    let probability = 1 / (1 + exp(-sum))
    let reasons = top.map { index, part in
      let value = self.signals[index]?.value(order, signals).map(\.formattedShort) ?? "-"
      return "\(model.features[index]) \(value) (+\(part.formattedShort))"
    }
    return FraudScore(thousandths: Int((probability * 1_000).rounded()), reasons: reasons)
  }
}

extension Double {
  /// Two decimals at most: `3`, `0.25`, `1.42`.
  var formattedShort: String {
    let hundredths = Int64((self * 100).rounded())
    guard hundredths % 100 != 0 else { return String(hundredths / 100) }
    let cents = abs(hundredths % 100)
    return (hundredths < 0 ? "-" : "") + "\(abs(hundredths) / 100)." + (cents < 10 ? "0" : "")
      + String(cents)
  }
}
