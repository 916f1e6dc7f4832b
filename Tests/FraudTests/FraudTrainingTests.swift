import Fraud
import Testing

/// The learned score: reproducible, learns the direction of a signal, refuses one class, and
/// explains itself.
struct FraudTrainingTests {
  /// Labelled orders where new accounts on shared devices are fraud, with some noise.
  static func examples(_ count: Int) -> [FraudExample] {
    var state: UInt64 = 42
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    return (0..<count).map { index in
      let fraud = next() < 0.1
      var order = FraudOrder(
        merchant: "m", customer: "c\(index)", email: "c\(index)@example.com", country: "DE",
        amountEuroCents: Int64(2_000 + next() * 20_000), mainSKU: "S", largestQuantity: 1,
        placedAt: 1_735_689_600 + Int64(index) * 60)
      order.device = "d\(index)"
      order.customerCreatedAt =
        order.placedAt - Int64(fraud && next() < 0.8 ? next() * 120 : 86_400 * (1 + next() * 300))
      var signals = FraudSignals()
      signals.accountsPerDevice = fraud && next() < 0.7 ? 3 + Int(next() * 5) : 1
      signals.accountAge = order.customerCreatedAt.map { order.placedAt - $0 }
      signals.customerOrders = fraud ? 0 : Int(next() * 5)
      return FraudExample(
        inputs: FraudTraining.inputs(order, signals), fraud: fraud, at: order.placedAt)
    }
  }

  @Test func theSameOrdersGiveTheSameModelAndItSeparatesThem() throws {
    let examples = Self.examples(3_000)
    let first = try FraudTraining.fit(examples, trainedAt: "t")
    let second = try FraudTraining.fit(examples, trainedAt: "t")
    #expect(first == second)
    let validation = try #require(first.validation)
    #expect(validation.orders == 600)
    #expect(validation.auc > 0.9, "\(validation)")
    let weights = Dictionary(uniqueKeysWithValues: zip(first.features, first.weights))
    // Older accounts are safer (the model reads log minutes), shared devices riskier.
    #expect(try #require(weights["account_age"]) < 0)
    #expect(try #require(weights["accounts_per_device"]) > 0)
  }

  @Test func oneClassOnlyIsRefusedWithTheCounts() {
    let good = Self.examples(200).filter { !$0.fraud }
    #expect(throws: FraudError.notEnoughLabels(fraud: 0, good: good.count)) {
      try FraudTraining.fit(good, trainedAt: "t")
    }
    #expect(throws: FraudError.notEnoughLabels(fraud: 0, good: 0)) {
      try FraudTraining.fit([], trainedAt: "t")
    }
  }

  @Test func theScoreIsExplainedByWhatPushedItUp() throws {
    let model = try FraudTraining.fit(Self.examples(3_000), trainedAt: "t")
    var order = FraudOrder(
      merchant: "m", customer: "x", email: "x@example.com", country: "DE",
      amountEuroCents: 9_000, mainSKU: "S", largestQuantity: 1, placedAt: 1_735_689_600)
    order.device = "d"
    var signals = FraudSignals()
    signals.accountAge = 5
    signals.accountsPerDevice = 6
    let score = LearnedFraudScorer(model: model).score(order, signals)
    #expect(score.thousandths > 800)
    #expect(score.reasons.contains { $0.hasPrefix("accounts_per_device 6 (+") })
    #expect(score.reasons.contains { $0.hasPrefix("account_age 5 (+") })
    let parts = model.contributions(order, signals)
    #expect(parts.first.map { ["account_age", "accounts_per_device"].contains($0.signal) } == true)
    // Unknown values move nothing: without a device the device signal contributes 0.
    order.device = nil
    #expect(
      model.contributions(order, signals).first { $0.signal == "accounts_per_device" }?.weight == 0)
  }

  @Test func aucCountsTiesAsHalf() {
    #expect(FraudTraining.auc([0.1, 0.4, 0.35, 0.8], [false, false, true, true]) == 0.75)
    #expect(FraudTraining.auc([0.5, 0.5], [false, true]) == 0.5)
  }
}
