import Foundation
import GRDB
import Orders
import Payments
import Store
import Testing

/// Payment methods per country, merchants' choices, asynchronous methods and the test
/// gateway's declines and refunds.
@Suite struct PaymentTests {
  /// The shop with a warehouse serving the Netherlands and Belgium too.
  static func shop() async throws -> Shop {
    try await Shop(
      stock: [("CHAIR", "BER", 200), ("LAMP", "BER", 50)],
      berlinServes: ["DE", "AT", "FR", "NL", "BE"])
  }

  @Test func theShippedTableCoversEveryCountryWithCardsAndNamesItsSources() {
    let methods = PaymentMethods.all
    #expect(Set(methods.map(\.id)).count == methods.count)
    let card = PaymentMethods.named("card")
    #expect(card?.countries.count == 25 && card?.flow == .direct)
    for method in methods {
      #expect(method.source.hasPrefix("https://"), "\(method.id)")
      #expect(!method.countries.isEmpty && !method.currencies.isEmpty, "\(method.id)")
    }
    #expect(PaymentMethods.named("ideal")?.countries == ["NL"])
    #expect(PaymentMethods.named("invoice")?.enabledByDefault == false)
    #expect(PaymentMethods.named("sepa_debit")?.enabledByDefault == false)
  }

  @Test func aMethodMustBeOfferedInTheCountryForTheAmountAndByTheMerchant() async throws {
    let shop = try await Self.shop()
    let service = try await OrderService.open(store: shop.store)
    // iDEAL is Dutch: refused in Germany, with what would work.
    await #expect {
      try await service.place(order("p1", [("CHAIR", 1)], country: "DE", method: "ideal"))
    } throws: { error in
      guard
        case .paymentMethodUnavailable(let method, let reason, let alternatives)? =
          error as? OrderError
      else { return false }
      return method == "ideal" && reason.contains("not offered in DE")
        && alternatives == ["card", "bank_transfer"]
    }
    // EPS takes at most 10,000 EUR: 100 chairs are 11,900.
    await #expect {
      try await service.place(order("p2", [("CHAIR", 100)], country: "AT", method: "eps"))
    } throws: { error in
      "\(error)".contains("EPS takes at most 10000.00 EUR")
        && "\(error)".contains("methods that would: card, bank_transfer")
    }
    await #expect {
      try await service.place(order("p3", [("CHAIR", 1)], method: "paypal"))
    } throws: { error in
      "\(error)".contains("no such method") && "\(error)".contains("ideal")
    }
    // Invoices only where the merchant enables them.
    await #expect {
      try await service.place(order("p4", [("CHAIR", 1)], method: "invoice"))
    } throws: { error in
      "\(error)".contains("merchant acme does not offer Invoice")
    }
    #expect(try await shop.count("orders") == 0)
    #expect(try await shop.available("CHAIR") == 200)
    try await PaymentService(store: shop.store).setEnabled("invoice", merchant: "acme", true)
    try await PaymentService(store: shop.store).setEnabled("card", merchant: "acme", false)
    let reopened = try await OrderService.open(store: shop.store)
    #expect(
      try await reopened.place(order("p4", [("CHAIR", 1)], method: "invoice")).status == .pending)
    await #expect(throws: OrderError.self) {
      try await reopened.place(order("p5", [("CHAIR", 1)]))
    }
    await #expect(throws: PaymentError.unknownMethod("klarna")) {
      try await PaymentService(store: shop.store).setEnabled("klarna", merchant: "acme", true)
    }
    let offered = try await PaymentService(store: shop.store).methods(
      country: "NL", merchant: "acme", currency: "EUR", amount: 6_000_000)
    #expect(
      offered.map(\.method.id) == ["card", "ideal", "sepa_debit", "invoice", "bank_transfer"])
    #expect(offered.map(\.enabled) == [false, true, false, true, true])
    #expect(offered[1].refusal == "iDEAL takes at most 50000.00 EUR")
  }

  @Test func aRedirectMethodWaitsPendingUntilConfirmed() async throws {
    let shop = try await Self.shop()
    let service = try await OrderService.open(store: shop.store)
    let placed = try await service.place(order("i1", [("LAMP", 2)], country: "NL", method: "ideal"))
    #expect(placed.status == .pending)
    var stored = try await service.order(placed.orderID)
    #expect(stored.paymentReference == "test-pending-order-\(placed.orderID)")
    #expect(try await shop.available("LAMP") == 48)
    let paidBefore = try await shop.store.read { db in
      try Int64?.fetchOne(
        db, sql: "SELECT paid_at FROM fraud_observation WHERE order_id = ?",
        arguments: [placed.orderID]) ?? nil
    }
    #expect(paidBefore == nil)
    stored = try await service.pay(placed.orderID, reference: "ideal-tr-1")
    #expect(stored.status == .paid && stored.paymentReference == "ideal-tr-1")
    let paidAfter = try await shop.store.read { db in
      try Int64?.fetchOne(
        db, sql: "SELECT paid_at FROM fraud_observation WHERE order_id = ?",
        arguments: [placed.orderID]) ?? nil
    }
    #expect(paidAfter != nil)
    // Never confirmed: expiry cancels it and gives its stock back.
    let abandoned = try await service.place(
      order("i2", [("LAMP", 1)], country: "BE", method: "bancontact"))
    #expect(abandoned.status == .pending)
    _ = try await service.expire(olderThan: 3_600, now: Date(timeIntervalSinceNow: 86_400 * 400))
    #expect(try await service.order(abandoned.orderID).status == .cancelled)
  }

  @Test func theTestGatewayDeclinesCardTestingAndRefundsOncePerKey() async throws {
    let gateway = TestGateway()
    func small(_ at: Int64) throws(PaymentFailure) -> Authorization {
      try gateway.authorize(
        PaymentRequest(
          reference: "r\(at)", amountMinor: 99, currency: "EUR", method: "card", card: "fp-1",
          at: at), flow: .direct)
    }
    for at in [0, 10, 20] as [Int64] { #expect(try small(at).settled) }
    #expect(throws: PaymentFailure.self) { try small(30) }
    // A minute later the card is clean again; large charges never count.
    #expect(try small(200).settled)
    let refund = try gateway.refund(
      reference: "test-r1", amountMinor: 500, currency: "EUR", key: "k")
    #expect(
      try gateway.refund(reference: "test-r1", amountMinor: 500, currency: "EUR", key: "k")
        == refund)

    let shop = try await Self.shop()
    let service = try await OrderService.open(store: shop.store)
    let paid = try await service.place(order("rf", [("CHAIR", 1)]))
    let refunded = try await service.refund(paid.orderID)
    #expect(refunded.status == .refunded)
  }
}
