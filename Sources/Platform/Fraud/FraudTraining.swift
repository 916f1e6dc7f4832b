import Foundation

/// One labelled order for training: its features as placement saw them, its label, its time.
public struct FraudExample: Sendable {
  public var inputs: [Double?]
  public var fraud: Bool
  public var at: Int64

  public init(inputs: [Double?], fraud: Bool, at: Int64) {
    self.inputs = inputs
    self.fraud = fraud
    self.at = at
  }
}

/// Fits ``FraudModel``s: logistic regression by Newton's method (iteratively reweighted least
/// squares) with an L2 penalty.
///
/// There is no random step: the same labelled orders give the same model, to the last bit.
/// The latest fifth of the orders by time is held out to validate; the model saved is then fitted
/// on all of them.
public enum FraudTraining {
  /// The signals a model weighs: every signal with a number the model reads.
  public static var features: [String] { FraudSignal.all.filter(\.learned).map(\.name) }

  /// The features of an order, in ``features`` order.
  public static func inputs(_ order: FraudOrder, _ signals: FraudSignals) -> [Double?] {
    FraudSignal.all.filter(\.learned).map { $0.feature(order, signals) }
  }

  /// A model fitted on `examples` (in time order), validated on their latest fifth.
  ///
  /// - Throws: ``FraudError/notEnoughLabels(fraud:good:)`` without both classes.
  public static func fit(
    _ examples: [FraudExample], threshold: Double = 0.8, penalty: Double = 1,
    trainedAt: String
  ) throws(FraudError) -> FraudModel {
    let fraud = examples.count { $0.fraud }
    guard fraud > 0, fraud < examples.count else {
      throw .notEnoughLabels(fraud: fraud, good: examples.count - fraud)
    }
    let cut = examples.count * 4 / 5
    var validation: FraudModel.Validation?
    let head = examples[..<cut]
    let tail = examples[cut...]
    if head.contains(where: \.fraud), head.contains(where: { !$0.fraud }), !tail.isEmpty {
      let early = solve(Array(head), penalty: penalty)
      validation = validate(early, Array(tail), threshold: threshold)
    }
    var model = solve(examples, penalty: penalty)
    model.validation = validation
    model.trainedAt = trainedAt
    model.from = UTCSeconds.iso(examples.first?.at ?? 0)
    model.to = UTCSeconds.iso(examples.last?.at ?? 0)
    return model
  }

  /// The model's figures on `examples`.
  public static func validate(_ model: FraudModel, _ examples: [FraudExample], threshold: Double)
    -> FraudModel.Validation
  {
    let scores = examples.map { model.probability($0.inputs).0 }
    let labels = examples.map(\.fraud)
    let flagged = zip(scores, labels).filter { $0.0 > threshold }
    let caught = flagged.count { $0.1 }
    let fraud = labels.count { $0 }
    var loss = 0.0
    for (score, label) in zip(scores, labels) {
      loss -= log(max(1e-15, label ? score : 1 - score))
    }
    return .init(
      orders: examples.count, fraud: fraud, auc: auc(scores, labels), threshold: threshold,
      precision: flagged.isEmpty ? 0 : Double(caught) / Double(flagged.count),
      recall: fraud == 0 ? 0 : Double(caught) / Double(fraud),
      logLoss: examples.isEmpty ? 0 : loss / Double(examples.count))
  }

  /// The area under the ROC curve: the chance a fraud order scores above a good one (ties
  /// count half).
  public static func auc(_ scores: [Double], _ labels: [Bool]) -> Double {
    let order = scores.indices.sorted { scores[$0] < scores[$1] }
    var rankSum = 0.0
    var index = 0
    while index < order.count {
      var end = index
      while end + 1 < order.count, scores[order[end + 1]] == scores[order[index]] { end += 1 }
      let rank = Double(index + end) / 2 + 1
      for position in index...end where labels[order[position]] { rankSum += rank }
      index = end + 1
    }
    let positives = Double(labels.count { $0 })
    let negatives = Double(labels.count) - positives
    guard positives > 0, negatives > 0 else { return 0 }
    return (rankSum - positives * (positives + 1) / 2) / (positives * negatives)
  }

  // MARK: - The fit

  private static func solve(_ examples: [FraudExample], penalty: Double) -> FraudModel {
    let names = features
    let width = names.count
    // Standardise: each feature's mean and spread over the orders where it is known.
    var means = [Double](repeating: 0, count: width)
    var scales = [Double](repeating: 1, count: width)
    for column in 0..<width {
      var sum = 0.0
      var squares = 0.0
      var count = 0.0
      for example in examples {
        guard let value = example.inputs[column] else { continue }
        sum += value
        squares += value * value
        count += 1
      }
      guard count > 0 else { continue }
      means[column] = sum / count
      let variance = squares / count - means[column] * means[column]
      scales[column] = variance > 1e-12 ? variance.squareRoot() : 1
    }
    // Rows as dense standardised vectors, the intercept last; unknown values sit at the mean.
    let size = width + 1
    var rows = [Double](repeating: 0, count: examples.count * size)
    for (row, example) in examples.enumerated() {
      for column in 0..<width {
        if let value = example.inputs[column] {
          rows[row * size + column] = (value - means[column]) / scales[column]
        }
      }
      rows[row * size + width] = 1
    }
    var weights = [Double](repeating: 0, count: size)
    for _ in 0..<50 {
      var gradient = [Double](repeating: 0, count: size)
      var hessian = [Double](repeating: 0, count: size * size)
      for (row, example) in examples.enumerated() {
        let base = row * size
        var sum = 0.0
        for column in 0..<size { sum += weights[column] * rows[base + column] }
        let probability = 1 / (1 + exp(-sum))
        let error = probability - (example.fraud ? 1 : 0)
        let curvature = max(probability * (1 - probability), 1e-10)
        for column in 0..<size {
          let value = rows[base + column]
          guard value != 0 else { continue }
          gradient[column] += error * value
          let scaled = curvature * value
          for other in column..<size {
            hessian[column * size + other] += scaled * rows[base + other]
          }
        }
      }
      // The penalty keeps weights finite when a signal separates the classes perfectly; the
      // intercept is not penalised.
      for column in 0..<width {
        gradient[column] += penalty * weights[column]
        hessian[column * size + column] += penalty
      }
      hessian[width * size + width] += 1e-9
      for column in 0..<size {
        for other in 0..<column { hessian[column * size + other] = hessian[other * size + column] }
      }
      let step = solveLinear(hessian, gradient, size)
      var largest = 0.0
      for column in 0..<size {
        weights[column] -= step[column]
        largest = max(largest, abs(step[column]))
      }
      if largest < 1e-7 { break }
    }
    return FraudModel(
      features: names, means: means, scales: scales, weights: Array(weights[..<width]),
      intercept: weights[width], orders: examples.count, fraud: examples.count { $0.fraud },
      from: "", to: "", trainedAt: "", penalty: penalty)
  }

  /// `x` with `matrix · x = vector` (Gaussian elimination with partial pivoting).
  static func solveLinear(_ matrix: [Double], _ vector: [Double], _ size: Int) -> [Double] {
    var a = matrix
    var b = vector
    for pivot in 0..<size {
      var best = pivot
      for row in (pivot + 1)..<size where abs(a[row * size + pivot]) > abs(a[best * size + pivot]) {
        best = row
      }
      if best != pivot {
        for column in 0..<size { a.swapAt(pivot * size + column, best * size + column) }
        b.swapAt(pivot, best)
      }
      let head = a[pivot * size + pivot]
      guard abs(head) > 1e-300 else { continue }
      for row in (pivot + 1)..<size {
        let factor = a[row * size + pivot] / head
        guard factor != 0 else { continue }
        for column in pivot..<size { a[row * size + column] -= factor * a[pivot * size + column] }
        b[row] -= factor * b[pivot]
      }
    }
    var x = [Double](repeating: 0, count: size)
    for row in stride(from: size - 1, through: 0, by: -1) {
      var sum = b[row]
      for column in (row + 1)..<size { sum -= a[row * size + column] * x[column] }
      let head = a[row * size + row]
      x[row] = abs(head) > 1e-300 ? sum / head : 0
    }
    return x
  }
}

/// Seconds since 1970 as ISO 8601 UTC text.
enum UTCSeconds {
  static func iso(_ seconds: Int64) -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime]
    return formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
  }
}
