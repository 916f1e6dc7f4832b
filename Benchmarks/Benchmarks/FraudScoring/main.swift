// In-process fraud scoring throughput on one core, signals given (what a backtest does per
// order once the signals are read):
//   swift run -c release FraudScoring [ORDERS] [ROUNDS]
// Builds ORDERS (default 200,000) orders with varied signals (seeded, the same every run),
// fits a model on them, then times, per round, the built-in weights, the trained model, and
// the whole decision (four rules, the model, the merchant's thresholds) over all of them.
import Foundation
import Fraud

@main
struct FraudScoring {
  static func main() throws {
    let arguments = CommandLine.arguments
    let count = arguments.count > 1 ? Int(arguments[1]) ?? 200_000 : 200_000
    let rounds = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
    var state: UInt64 = 7
    func next() -> Double {
      state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
      return Double(state >> 11) / Double(1 << 53)
    }
    var cases: [(FraudOrder, FraudSignals)] = []
    var examples: [FraudExample] = []
    for index in 0..<count {
      let fraud = next() < 0.1
      var order = FraudOrder(
        merchant: "M\(index % 50)", customer: "C\(index)", email: "c\(index)@example.com",
        country: ["DE", "FR", "NL", "PL"][index % 4], amountEuroCents: Int64(500 + next() * 50_000),
        mainSKU: "SKU-\(index % 1_000)", largestQuantity: 1 + Int(next() * (fraud ? 20 : 3)),
        placedAt: 1_740_000_000 + Int64(index) * 13)
      order.ip = "10.0.\(index % 250).1"
      order.device = "d\(index % 5_000)"
      order.billingCountry = fraud && next() < 0.3 ? "GB" : order.country
      order.ipCountry = fraud && next() < 0.3 ? "NG" : order.country
      order.customerCreatedAt = order.placedAt - Int64(fraud ? next() * 600 : next() * 3e7)
      var signals = FraudSignals()
      signals.customer = .init(hour: Int(next() * (fraud ? 6 : 1.2)), day: 1, week: 2)
      signals.ip = .init(hour: Int(next() * (fraud ? 8 : 1.5)), day: 2, week: 4)
      signals.accountsPerIP = 1 + Int(next() * (fraud ? 6 : 1.3))
      signals.accountsPerDevice = 1 + Int(next() * (fraud ? 5 : 1.2))
      signals.customerOrders = Int(next() * 10)
      signals.customerOrdersPaid = signals.customerOrders
      signals.amountAgainstCustomer = next() * 4 - 2
      signals.amountAgainstMerchant = next() * 4 - 2
      signals.skuShare = next() * 0.2
      signals.accountAge = order.customerCreatedAt.map { order.placedAt - $0 }
      signals.billingMismatch = order.billingCountry != order.country
      signals.ipMismatch = order.ipCountry != order.country
      cases.append((order, signals))
      examples.append(
        FraudExample(
          inputs: FraudTraining.inputs(order, signals), fraud: fraud, at: order.placedAt))
    }
    let model = try FraudTraining.fit(examples, trainedAt: "bench")
    let (rules, _) = try FraudRuleFile.read(
      """
      - {name: regulars, rule: allow if customer.orders_paid >= 5 and not ip_mismatch}
      - {name: stolen, rule: block if ip_mismatch and billing_mismatch and amount_eur > 250}
      - {name: farm, rule: block if accounts_per_device >= 5 and amount_eur > 200}
      - {name: new, rule: review if account_age < 10m and amount_eur > 100}
      """, file: "rules.yaml")
    let engine = FraudEngine(
      rules: rules, scorer: LearnedFraudScorer(model: model),
      policies: ["M1": FraudPolicy(reviewAt: 700, blockAt: 950)], model: model)
    let learned = LearnedFraudScorer(model: model)
    let scorers: [(String, (FraudOrder, FraudSignals) -> Int)] = [
      ("built-in weights", { BuiltInFraudScorer().score($0, $1).thousandths }),
      ("trained model", { learned.score($0, $1).thousandths }),
      ("decision (rules, model, thresholds)", { engine.decide($0, $1).score.thousandths }),
    ]
    print("| \(count) orders, one core | orders/s (best of \(rounds)) | median |")
    print("|---|---:|---:|")
    for (name, score) in scorers {
      var rates: [Double] = []
      var sum = 0
      for _ in 0..<rounds {
        let start = DispatchTime.now().uptimeNanoseconds
        for (order, signals) in cases { sum &+= score(order, signals) }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        rates.append(Double(count) / seconds)
      }
      rates.sort()
      print(
        "| \(name) | \(Int(rates.last ?? 0).formatted()) | \(Int(rates[rates.count / 2]).formatted()) |"
          + (sum == 42 ? " " : ""))
    }
  }
}
