import Foundation
import Fraud
import GRDB
import MktCore
import Orders
import Store
import Testing

/// What placement does with the fraud module's decisions: rules, thresholds, refusals, review
/// labels, training and backtests over stored orders.
@Suite struct FraudDecisionTests {
  /// Scores customers named BAD… 0.95 and MID… 0.85, everyone else 0.1.
  struct ByName: FraudScorer {
    func score(_ order: FraudOrder, _ signals: FraudSignals) -> FraudScore {
      order.customer.hasPrefix("BAD")
        ? FraudScore(thousandths: 950, reasons: ["bad name"])
        : order.customer.hasPrefix("MID")
          ? FraudScore(thousandths: 850, reasons: ["middling name"])
          : FraudScore(thousandths: 100, reasons: [])
    }
  }

  @Test func aBlockIsRefusedWithNothingHeldAndTheSameKeyGetsTheSameRefusal() async throws {
    let shop = try await Shop()
    try await FraudService(store: shop.store).setPolicy(
      "acme", FraudPolicy(reviewAt: 800, blockAt: 900))
    let service = try await OrderService.open(store: shop.store, scorer: ByName())
    let refusal = OrderError.fraudRefused(score: "0.950", reasons: ["bad name"])
    await #expect(throws: refusal) {
      try await service.place(order("b1", [("CHAIR", 2)], customer: "BAD1"))
    }
    #expect(try await shop.available("CHAIR") == 10)
    #expect(try await shop.count("orders") == 0)
    #expect(try await shop.count("reservation") == 0)
    // The same order again: the same refusal, recorded once.
    await #expect(throws: refusal) {
      try await service.place(order("b1", [("CHAIR", 2)], customer: "BAD1"))
    }
    let listed = try await service.refusals()
    #expect(listed.count == 1)
    #expect(listed.first?.key == "b1" && listed.first?.reasons == "bad name")
    #expect(listed.first?.total == "238.00" && listed.first?.customer == "BAD1")
    // Between the thresholds: held for review; below: paid.
    #expect(
      try await service.place(order("m1", [("CHAIR", 1)], customer: "MID1")).status == .review)
    #expect(try await service.place(order("g1", [("CHAIR", 1)], customer: "GOOD")).status == .paid)
    await #expect(throws: FraudError.self) {
      try await FraudService(store: shop.store).setPolicy("nobody", FraudPolicy())
    }
    await #expect(throws: FraudError.self) {
      try await FraudService(store: shop.store).setPolicy(
        "acme", FraudPolicy(reviewAt: 900, blockAt: 800))
    }
  }

  @Test func rulesDecideBeforeTheThresholdsAndAreNamedInTheReasons() async throws {
    let shop = try await Shop()
    _ = try await FraudService(store: shop.store).loadRules(
      """
      rules:
        - name: large
          rule: block if amount_eur > 300
        - name: app
          rule: review if channel == app
        - name: known
          rule: allow if customer.orders_paid >= 1
      """, file: "rules.yaml")
    let service = try await OrderService.open(store: shop.store, scorer: ByName())
    await #expect {
      try await service.place(order("x1", [("CHAIR", 3)]))
    } throws: { error in
      "\(error)".contains("rule large: block if amount_eur > 300")
    }
    var app = order("x2", [("CHAIR", 1)])
    app.channel = "app"
    let held = try await service.place(app)
    #expect(held.status == .review)
    let stored = try await service.order(held.orderID)
    #expect(stored.fraudReasons == ["rule app: review if channel == app"])
    // The customer has a paid order now? No: the first is in review. Pay one, then allow.
    #expect(try await service.place(order("x3", [("CHAIR", 1)])).status == .paid)
    var again = order("x4", [("CHAIR", 1)], customer: "MID9")
    again.channel = "app"
    #expect(try await service.place(again).status == .review)
    let explanation = try await service.explainFraud(held.orderID)
    #expect(explanation.rules == ["app (review): review if channel == app"])
    #expect(explanation.decision == .review)
  }

  @Test func reviewDecisionsLabelOrdersAndStaleReviewsExpire() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store, scorer: ByName())
    var held: [Int64] = []
    for index in 1...3 {
      held.append(
        try await service.place(order("r\(index)", [("CHAIR", 2)], customer: "MID\(index)"))
          .orderID)
    }
    #expect(try await shop.available("CHAIR") == 4)
    _ = try await service.approve(held[0], note: "called the customer")
    _ = try await service.reject(held[1], note: "stolen card")
    let labels = try await shop.store.read { db in
      try Row.fetchAll(db, sql: "SELECT order_id, fraud, source, note FROM fraud_label ORDER BY 1")
        .map { "\($0[0] as Int64) \($0[1] as Int) \($0[2] as String) \($0[3] as String)" }
    }
    #expect(
      labels == ["\(held[0]) 0 review called the customer", "\(held[1]) 1 review stolen card"])
    let approved = try await service.order(held[0])
    #expect(approved.events.last?.note == "approved after review: called the customer")
    // The third is never decided: expiry cancels it and gives its stock back.
    let summary = try await service.expire(
      olderThan: 3_600, now: Date(timeIntervalSinceNow: 365 * 86_400))
    #expect(summary.expired == [held[2]])
    #expect(try await service.order(held[2]).status == .cancelled)
    #expect(try await shop.available("CHAIR") == 8)
  }

  @Test func aChargebackFileNamingUnknownOrdersAppliesNothing() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store, scorer: ByName())
    let first = try await service.place(order("k1", [("CHAIR", 1)]))
    _ = try await service.place(order("k2", [("CHAIR", 1)], customer: "C2"))
    let file = shop.directory + "/chargebacks.csv"
    try Data("order_id,note\n\(first.orderID),disputed\n999,lost\n\n".utf8).write(
      to: URL(fileURLWithPath: file))
    let refused = try await service.importLabels(path: file)
    #expect(!refused.applied && refused.errors == ["\(file):3: no order 999"])
    #expect(try await shop.count("fraud_label") == 0)
    let applied = try await service.importLabels(path: file, maxErrors: 1)
    #expect(applied.applied && applied.fraud == 1 && applied.good == 0)
    let keys = shop.directory + "/verdicts.csv"
    try Data("idempotency_key,fraud\nk2,0\nk1,maybe\n".utf8).write(to: URL(fileURLWithPath: keys))
    let verdicts = try await service.importLabels(path: keys, maxErrors: 5)
    #expect(
      verdicts.good == 1 && verdicts.errors == ["\(keys):3: fraud must be 1 or 0, not 'maybe'"])
    let bad = shop.directory + "/bad.csv"
    try Data("id,fraud\n1,1\n".utf8).write(to: URL(fileURLWithPath: bad))
    await #expect(throws: FraudError.self) { try await service.importLabels(path: bad) }
  }

  @Test func declinedPaymentsLeaveNothingButCountForTheNextOrder() async throws {
    let shop = try await Shop()
    let service = try await OrderService.open(store: shop.store)
    for index in 0..<2 {
      var request = order("dc\(index)", [("CHAIR", 1)], customer: "D1", token: "tok_decline")
      request.cardFingerprint = "fp-9"
      request.placedAt = "2026-11-25T10:0\(index):00Z"
      await #expect(throws: OrderError.self) { try await service.place(request) }
    }
    #expect(try await shop.count("orders") == 0)
    #expect(try await shop.count("reservation") == 0)
    #expect(try await shop.count("fraud_decline") == 6)  // customer, card and IP, twice
    var next = order("dc9", [("CHAIR", 1)], customer: "D1")
    next.cardFingerprint = "fp-9"
    next.placedAt = "2026-11-25T10:05:00Z"
    let placed = try await service.place(next)
    let explained = try await service.explainFraud(placed.orderID)
    #expect(explained.signals.declines.card == 2 && explained.signals.declines.customer == 2)
    // A day later they no longer count.
    next.idempotencyKey = "dc10"
    next.placedAt = "2026-11-26T10:05:00Z"
    let later = try await service.explainFraud(try await service.place(next).orderID)
    #expect(later.signals.declines.card == 0)
  }

  /// Places orders from one IP a minute apart, the fourth from a new account.
  func placeBurst(_ service: OrderService, from minute: Int, count: Int, prefix: String)
    async throws -> [Placement]
  {
    var placed: [Placement] = []
    for index in 0..<count {
      var request = order("\(prefix)\(index)", [("LAMP", 1)], customer: "\(prefix)-C\(index % 2)")
      request.ip = "203.0.113.7"
      request.placedAt = String(format: "2026-11-25T10:%02d:00Z", minute + index)
      placed.append(try await service.place(request))
    }
    return placed
  }

  @Test func aBacktestSeesEachOrderAsPlacementDidAndNeverALaterOne() async throws {
    let shop = try await Shop(stock: [("LAMP", "BER", 100), ("CHAIR", "BER", 10)])
    let service = try await OrderService.open(store: shop.store)
    let placed = try await placeBurst(service, from: 0, count: 5, prefix: "a")
    let fraud = FraudService(store: shop.store)
    let engine = try await fraud.engine()
    let collected = Collected()
    let first = try await fraud.backtest(
      .stored(from: 0, to: Int64.max), candidate: engine, current: engine,
      record: { collected.append($0) })
    #expect(first.orders == 5 && first.candidate == first.current)
    // The scores recomputed equal what placement stored, order by order.
    #expect(collected.records.map { String(format: "%.3f", $0.score) } == placed.map(\.fraudScore))
    // The velocity grows through the burst: the scores are not all the same.
    #expect(Set(placed.map(\.fraudScore)).count > 1)
    // Plant orders placed later from the same IP: the earlier ones' replay does not change.
    _ = try await placeBurst(service, from: 30, count: 4, prefix: "b")
    let later = Collected()
    let second = try await fraud.backtest(
      .stored(from: 0, to: Int64.max), candidate: engine, current: engine,
      record: { later.append($0) })
    #expect(second.orders == 9)
    #expect(later.records.prefix(5).map(\.score) == collected.records.map(\.score))
    #expect(later.records.prefix(5).map(\.reasons) == collected.records.map(\.reasons))
    // Replayed in parts on every core (no record asked for): the same figures.
    let parts = try await fraud.backtest(
      .stored(from: 0, to: Int64.max), candidate: engine, current: engine)
    #expect(parts.orders == second.orders && parts.candidate == second.candidate)
    #expect(parts.from == second.from && parts.to == second.to)
    // A window without orders replays nothing.
    let empty = try await fraud.backtest(
      .stored(from: 0, to: 1), candidate: engine, current: engine)
    #expect(empty.orders == 0 && empty.from == nil)
  }

  @Test func trainingOnStoredLabelsIsReproducibleAndPutsTheModelInForce() async throws {
    let shop = try await Shop(stock: [("LAMP", "BER", 200), ("CHAIR", "BER", 10)])
    let fraud = FraudService(store: shop.store)
    await #expect(throws: FraudError.notEnoughLabels(fraud: 0, good: 0)) {
      try await fraud.train(.stored(from: 0, to: Int64.max))
    }
    let service = try await OrderService.open(store: shop.store)
    var placed: [Placement] = []
    for burst in 0..<6 {
      placed += try await placeBurst(service, from: burst * 9, count: 4, prefix: "t\(burst)-")
      var calm = order("calm\(burst)", [("LAMP", 1)], customer: "CALM\(burst)")
      calm.placedAt = String(format: "2026-11-25T11:%02d:00Z", burst)
      placed.append(try await service.place(calm))
    }
    // The bursts' later orders are fraud; the calm ones and first orders good.
    let file = shop.directory + "/labels.csv"
    let lines = placed.enumerated().map { index, placement in
      "\(placement.orderID),\(index % 5 >= 2 && index % 5 <= 3 ? 1 : 0)"
    }
    try Data(("order_id,fraud\n" + lines.joined(separator: "\n")).utf8).write(
      to: URL(fileURLWithPath: file))
    #expect(try await service.importLabels(path: file).applied)
    let now = Date(timeIntervalSince1970: 1_800_000_000)
    let model = try await fraud.train(.stored(from: 0, to: Int64.max), now: now)
    #expect(try await fraud.train(.stored(from: 0, to: Int64.max), now: now) == model)
    #expect(model.orders == 30 && model.fraud == 12)
    try await fraud.saveModel(model)
    #expect(try await fraud.model() == model)
    let reopened = try await OrderService.open(store: shop.store)
    let next = try await placeBurst(reopened, from: 40, count: 4, prefix: "n")
    let stored = try await reopened.order(try #require(next.last).orderID)
    #expect(stored.fraudReasons.allSatisfy { $0.contains(" (+") }, "\(stored.fraudReasons)")
  }

  @Test func aLabelledFileReplaysInTimeOrderPricedAgainstTheCatalog() async throws {
    let shop = try await Shop()
    let file = shop.directory + "/orders.ndjson"
    let lines = [
      #"{"idempotency_key": "f2", "merchant": "acme", "placed_at": "2026-11-25T10:05:00Z", "customer": {"id": "C1", "email": "c1@example.com"}, "country": "DE", "ip": "10.0.0.1", "currency": "DKK", "lines": [{"sku": "CHAIR", "quantity": 2}], "label_fraud": 1}"#,
      #"{"idempotency_key": "f1", "merchant": "acme", "placed_at": "2026-11-25T10:00:00Z", "customer": {"id": "C1", "email": "c1@example.com"}, "country": "DE", "ip": "10.0.0.1", "lines": [{"sku": "GONE", "quantity": 1}], "label_fraud": 0}"#,
    ]
    try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: URL(fileURLWithPath: file))
    let service = try await OrderService.open(store: shop.store)
    let cases = try await service.fraudCases(path: file)
    #expect(cases.map(\.key) == ["f2", "f1"] && cases.map(\.label) == [true, false])
    #expect(cases[0].order.amountEuroCents == 23_800 && cases[1].order.amountEuroCents == 0)
    let fraud = FraudService(store: shop.store)
    let engine = try await fraud.engine()
    let collected = Collected()
    let result = try await fraud.backtest(
      .given(cases), candidate: engine, current: engine, record: { collected.append($0) })
    #expect(collected.records.map(\.key) == ["f1", "f2"])
    #expect(result.candidate.labelledFraud == 1 && result.candidate.labelledGood == 1)
    try Data("{\"idempotency_key\": 3}\n".utf8).write(to: URL(fileURLWithPath: file))
    await #expect {
      try await service.fraudCases(path: file)
    } throws: { error in
      (error as? FraudError)?.location?.line == 1
    }
  }
}

/// Backtest records gathered from the replay's thread.
final class Collected: @unchecked Sendable {
  // SAFETY: appended to from one replay at a time, read after it returns.
  private(set) var records: [FraudBacktest.Record] = []
  func append(_ record: FraudBacktest.Record) { records.append(record) }
}
