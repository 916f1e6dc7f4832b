import Foundation
import Fraud
import GRDB
import Store
import Testing

/// The signals the history gives an order, as of the order's own time, and the built-in
/// weights.
struct FraudHistoryTests {
  static let start: Int64 = 1_735_689_600  // 2025-01-01T00:00:00Z

  static func order(
    _ customer: String, at: Int64, amount: Int64 = 5_000, ip: String? = nil,
    device: String? = nil, card: String? = nil, sku: String = "SKU-1"
  ) -> FraudOrder {
    var order = FraudOrder(
      merchant: "m", customer: customer, email: "\(customer)@example.com", country: "DE",
      amountEuroCents: amount, mainSKU: sku, largestQuantity: 1, placedAt: at)
    order.ip = ip
    order.device = device
    order.card = card
    return order
  }

  /// A store with `orders` recorded (ids in order).
  static func store(_ orders: [FraudOrder]) async throws -> Store {
    let store = try Store.inMemory()
    try await store.write { db in
      for (index, order) in orders.enumerated() {
        try FraudHistory.record(order, id: Int64(index + 1), paid: true, db)
      }
    }
    return store
  }

  static func signals(_ order: FraudOrder, in store: Store) async throws -> FraudSignals {
    try await store.read { db in try FraudHistory.signals(for: order, db) }
  }

  @Test func velocitiesCountTheHourDayAndWeekBeforeTheOrderAndNothingAfter() async throws {
    let now = Self.start + 10 * 86_400
    let store = try await Self.store([
      Self.order("c1", at: now - 30, ip: "10.0.0.1"),  // the last hour
      Self.order("c1", at: now - 2 * 3_600, ip: "10.0.0.1"),  // the last day
      Self.order("c2", at: now - 3 * 86_400, ip: "10.0.0.1"),  // the last week
      Self.order("c1", at: now - 20 * 86_400, ip: "10.0.0.1"),  // before
      // Placed after the order scored: a backtest replaying it must not see these.
      Self.order("c1", at: now + 1, ip: "10.0.0.1"),
      Self.order("c3", at: now + 60, ip: "10.0.0.1", device: "d"),
    ])
    let signals = try await Self.signals(Self.order("c1", at: now, ip: "10.0.0.1"), in: store)
    #expect(signals.customer == FraudSignals.Velocity(hour: 1, day: 2, week: 2))
    #expect(signals.ip == FraudSignals.Velocity(hour: 1, day: 2, week: 3))
    #expect(signals.customerOrders == 3 && signals.customerSpentEuroCents == 15_000)
    // c1 and c2 within 30 days (c1's order 20 days ago counts too: it is c1).
    #expect(signals.accountsPerIP == 2)
    #expect(signals.device == FraudSignals.Velocity() && signals.accountsPerDevice == 0)
  }

  @Test func oneDeviceBehindManyAccountsAndACustomerWithManyCards() async throws {
    let now = Self.start + 86_400
    let store = try await Self.store(
      (1...4).map { Self.order("a\($0)", at: now - Int64($0) * 60, device: "phone") }
        + (1...2).map { Self.order("a9", at: now - Int64($0) * 600, card: "card-\($0)") })
    let shared = try await Self.signals(Self.order("a5", at: now, device: "phone"), in: store)
    #expect(shared.accountsPerDevice == 5 && shared.device.hour == 4)
    let cards = try await Self.signals(Self.order("a9", at: now, card: "card-3"), in: store)
    #expect(cards.cardsPerCustomer == 3 && cards.card.hour == 0)
    let scored = BuiltInFraudScorer().score(Self.order("a5", at: now, device: "phone"), shared)
    #expect(scored.reasons.contains("5 accounts on this device in 30 days"))
    #expect(scored.reasons.contains("4 orders from this device in the last hour"))
    #expect(scored.needsReview)
  }

  @Test func theAmountIsWeighedAgainstTheUsualBasket() async throws {
    let now = Self.start + 86_400
    let usual: [Int64] = [4_000, 5_000, 6_000, 5_500, 4_500]
    let store = try await Self.store(
      usual.enumerated().map {
        Self.order("c", at: now - Int64($0.offset + 1) * 3_600 * 20, amount: $0.element)
      })
    let normal = try await Self.signals(Self.order("c", at: now, amount: 5_000), in: store)
    let large = try await Self.signals(Self.order("c", at: now, amount: 80_000), in: store)
    #expect(abs(normal.amountAgainstCustomer ?? 99) < 0.5)
    #expect((large.amountAgainstCustomer ?? 0) > 5)
    #expect((large.amountAgainstMerchant ?? 0) > 5)
    #expect(large.skuShare == 1)
    let scored = BuiltInFraudScorer().score(Self.order("c", at: now, amount: 80_000), large)
    #expect(scored.reasons == ["more than five times the customer's usual order"])
    #expect(FraudHistory.robustZ(5_000, [1, 2].map { log(Double($0)) }) == nil)
  }

  @Test func aBrandNewAccountBuyingAtOnceIsWeighed() {
    var order = Self.order("new", at: Self.start, amount: 45_000)
    order.customerCreatedAt = Self.start - 120
    var signals = FraudSignals()
    signals.accountAge = 120
    let scored = BuiltInFraudScorer().score(order, signals)
    #expect(scored.reasons == ["account created 2 min before an order above 200 EUR"])
    #expect(scored.thousandths == 350 && !scored.needsReview)
  }

  /// A backtest keeps each merchant's last 100 orders as it replays; what it sees must be what
  /// reading them at each order gives, ties in time included, from any starting point.
  @Test func aReplayKeepsTheMerchantsWindowAsTheStoreWouldReadIt() async throws {
    var orders: [FraudOrder] = []
    for index in 0..<400 {
      // Three merchants, ten SKUs, times with many ties.
      var order = Self.order(
        "c\(index % 37)", at: Self.start + Int64(index / 3) * 60,
        amount: Int64(1_000 + (index * 7_919) % 40_000), sku: "SKU-\(index % 10)")
      order.merchant = "m\(index % 3)"
      orders.append(order)
    }
    let store = try await Self.store(orders)
    let middle = Self.start + 40 * 60
    let replayed = try await store.read { db in
      var seen: [(FraudSignals, FraudSignals)] = []
      try FraudReplay.stored(from: middle, to: Int64.max, db) { item, signals in
        let read = try FraudHistory.signals(for: item.order, recorded: item.id ?? 0, db)
        seen.append((signals, read))
      }
      return seen
    }
    #expect(replayed.count == orders.count - 120)
    for (kept, read) in replayed { #expect(kept == read) }
    #expect(replayed.contains { $0.0.amountAgainstMerchant != nil && $0.0.skuShare > 0 })
  }

  @Test func selectionFindsWhatSortingWould() {
    var state: UInt64 = 3
    for size in 1...60 {
      var values = (0..<size).map { _ in
        state = state &* 6_364_136_223_846_793_005 &+ 1
        return Double(state >> 60)  // few distinct values: many ties
      }
      let sorted = values.sorted()
      for k in [0, size / 2, size - 1] {
        var copy = values
        #expect(FraudHistory.select(&copy, k) == sorted[k])
      }
      values.reverse()
      #expect(FraudHistory.select(&values, size / 2) == sorted[size / 2])
    }
  }
}
