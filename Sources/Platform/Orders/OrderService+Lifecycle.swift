public import Foundation
import Fraud
import GRDB
import Inventory
import Merchants
import MktCore
import Payments
import Store

extension OrderService {
  /// What may be done to an order in each status.
  public static let actions: [OrderStatus: [String]] = [
    .pending: ["pay", "cancel", "expire"],
    .paid: ["fulfil", "cancel", "refund"],
    .partiallyFulfilled: ["fulfil", "refund"],
    .fulfilled: ["complete", "refund"],
    .completed: ["refund"],
    .review: ["approve", "reject", "cancel"],
    .cancelled: [], .rejected: [], .refunded: [],
  ]

  /// The order's status, checked against `action` (inside the caller's transaction).
  static func status(of id: Int64, for action: String, _ db: Database) throws -> OrderStatus {
    guard
      let text = try String.fetchOne(
        db, sql: "SELECT status FROM orders WHERE id = ?", arguments: [id]),
      let status = OrderStatus(rawValue: text)
    else { throw OrderError.notFound(id) }
    let allowed = actions[status] ?? []
    guard allowed.contains(action) else {
      throw OrderError.illegalTransition(
        order: id, status: status, action: Self.pastTense(action), allowed: allowed)
    }
    return status
  }

  static func pastTense(_ action: String) -> String {
    switch action {
    case "pay": "paid"
    case "fulfil": "fulfilled"
    case "complete": "completed"
    case "cancel": "cancelled"
    case "refund": "refunded"
    case "approve": "approved"
    case "reject": "rejected"
    case "expire": "expired"
    default: action
    }
  }

  /// Moves `id` to `status` with a history entry and an outbox event.
  func move(
    _ id: Int64, from: OrderStatus, to: OrderStatus, note: String, _ db: Database
  ) throws {
    let instant = store.clock.now()
    let now = UTCTime.iso(instant)
    try db.execute(
      sql: "UPDATE orders SET status = ?, updated_at = ? WHERE id = ?",
      arguments: [to.rawValue, now, id])
    try OrderHistory.record(id, from: from, to: to, note: note, at: now, db)
    if to == .paid {
      try FraudHistory.markPaid(id, at: Int64(instant.timeIntervalSince1970), db)
    }
    try db.execute(
      sql: """
        INSERT INTO outbox (topic, order_id, merchant_id, payload)
        VALUES (?1, ?2, (SELECT merchant_id FROM orders WHERE id = ?2), ?3)
        """,
      arguments: [
        "order.\(to.rawValue)", id,
        "{\"order_id\":\(id),\"from\":\"\(from.rawValue)\",\"status\":\"\(to.rawValue)\"}",
      ])
  }

  /// Records the payment of a pending (invoice, bank transfer) order.
  @discardableResult
  public func pay(_ id: Int64, reference: String? = nil) async throws -> Order {
    try await store.write(durability) { db in
      let status = try Self.status(of: id, for: "pay", db)
      try db.execute(
        sql: "UPDATE orders SET payment_reference = ? WHERE id = ?",
        arguments: [reference ?? "received-\(id)", id])
      try self.move(id, from: status, to: .paid, note: "payment received", db)
    }
    return try await order(id)
  }

  /// Cancels an order, releasing what it reserved (a paid order is refunded in full).
  @discardableResult
  public func cancel(_ id: Int64, note: String = "") async throws -> Order {
    try await store.write(durability) { [gateway] db in
      let status = try Self.status(of: id, for: "cancel", db)
      try Reservations.release(order: id, reason: "cancelled", db)
      if status == .paid {
        try Self.refundPayment(id, amount: nil, gateway, db)
        try db.execute(
          sql: "UPDATE orders SET refunded_minor = total_minor WHERE id = ?", arguments: [id])
      }
      try self.move(
        id, from: status, to: .cancelled,
        note: note.isEmpty ? (status == .paid ? "refunded in full" : "") : note, db)
    }
    return try await order(id)
  }

  /// Ships lines (all that is left, or `quantities` by line number): stock leaves the
  /// warehouses and the reservations are compensated.
  @discardableResult
  public func fulfil(_ id: Int64, quantities: [Int: Int] = [:]) async throws -> Order {
    try await store.write(durability) { db in
      let status = try Self.status(of: id, for: "fulfil", db)
      let merchant =
        try String.fetchOne(
          db, sql: "SELECT merchant_id FROM orders WHERE id = ?", arguments: [id]) ?? ""
      let lines = try Row.fetchAll(
        db,
        sql: "SELECT line, sku, warehouse_id, quantity - fulfilled AS open_quantity "
          + "FROM order_line WHERE order_id = ? ORDER BY line", arguments: [id])
      var shipped = 0
      for row in lines {
        let line: Int = row["line"]
        let open: Int = row["open_quantity"]
        let quantity = quantities.isEmpty ? open : quantities[line] ?? 0
        guard quantity > 0 else { continue }
        guard quantity <= open else {
          throw OrderError.invalidRequest(
            "line \(line) has \(open) unit(s) left to fulfil, not \(quantity)")
        }
        try OrderError.short {
          try Reservations.fulfil(
            merchant: merchant, sku: row["sku"], warehouse: row["warehouse_id"], quantity: quantity,
            order: id, db)
        }
        try db.execute(
          sql: "UPDATE order_line SET fulfilled = fulfilled + ? WHERE order_id = ? AND line = ?",
          arguments: [quantity, id, line])
        shipped += quantity
      }
      for line in quantities.keys where !lines.contains(where: { $0["line"] == line }) {
        throw OrderError.invalidRequest("order \(id) has no line \(line)")
      }
      guard shipped > 0 else { throw OrderError.invalidRequest("nothing left to fulfil") }
      let left =
        try Int.fetchOne(
          db, sql: "SELECT sum(quantity - fulfilled) FROM order_line WHERE order_id = ?",
          arguments: [id]) ?? 0
      try self.move(
        id, from: status, to: left == 0 ? .fulfilled : .partiallyFulfilled,
        note: "\(shipped) unit(s) shipped", db)
    }
    return try await order(id)
  }

  /// Closes a fulfilled order.
  @discardableResult
  public func complete(_ id: Int64) async throws -> Order {
    try await store.write(durability) { db in
      let status = try Self.status(of: id, for: "complete", db)
      try self.move(id, from: status, to: .completed, note: "", db)
    }
    return try await order(id)
  }

  /// Refunds `amount` (default: all not yet refunded).
  ///
  /// With `restock`, shipped units go back to their warehouses. A full refund releases what is
  /// still reserved and ends the order.
  @discardableResult
  public func refund(_ id: Int64, amount: String? = nil, restock: Bool = false) async throws
    -> Order
  {
    try await store.write(durability) { [gateway] db in
      let status = try Self.status(of: id, for: "refund", db)
      guard
        let row = try Row.fetchOne(
          db,
          sql: "SELECT total_minor, refunded_minor, currency, merchant_id FROM orders WHERE id = ?",
          arguments: [id])
      else { throw OrderError.notFound(id) }
      let total: Int64 = row["total_minor"]
      let refunded: Int64 = row["refunded_minor"]
      let currency = CurrencyCode(row["currency"] as String) ?? .eur
      let left = total - refunded
      var refund = left
      if let amount {
        refund = try Money(amount, currency: currency).minorUnits
        guard refund > 0, refund <= left else {
          throw OrderError.invalidRequest(
            "a refund is above 0 and at most \(Money.text(left, currency.rawValue)) \(currency)")
        }
      }
      try Self.refundPayment(id, amount: refund, gateway, db)
      try db.execute(
        sql: "UPDATE orders SET refunded_minor = refunded_minor + ? WHERE id = ?",
        arguments: [refund, id])
      let full = refund == left
      if restock {
        let merchant: String = row["merchant_id"]
        for line in try Row.fetchAll(
          db,
          sql: "SELECT sku, warehouse_id, fulfilled - refunded AS restock_quantity, line "
            + "FROM order_line WHERE order_id = ? AND fulfilled > refunded", arguments: [id])
        {
          try Reservations.restock(
            merchant: merchant, sku: line["sku"], warehouse: line["warehouse_id"],
            quantity: line["restock_quantity"], db)
          try db.execute(
            sql: "UPDATE order_line SET refunded = fulfilled WHERE order_id = ? AND line = ?",
            arguments: [id, line["line"] as Int])
        }
      }
      let note =
        "\(Money.text(refund, currency.rawValue)) \(currency) refunded"
        + (restock ? ", shipped units restocked" : "")
      if full {
        try Reservations.release(order: id, reason: "refunded", db)
        try self.move(id, from: status, to: .refunded, note: note, db)
      } else {
        try OrderHistory.record(
          id, from: status, to: status, note: note, at: UTCTime.iso(self.store.clock.now()), db)
      }
    }
    return try await order(id)
  }

  /// Gives `amount` (all not yet refunded when `nil`) of order `id` back through the gateway.
  ///
  /// The key is made of the order and what was refunded before: a retry after a crash refunds
  /// once. Orders paid outside the gateway (invoice, transfer) are refunded by the merchant.
  static func refundPayment(
    _ id: Int64, amount: Int64?, _ gateway: any PaymentGateway, _ db: Database
  ) throws {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT payment_reference, total_minor - refunded_minor AS refundable_minor,
            refunded_minor, currency, payment_method FROM orders WHERE id = ?
          """, arguments: [id]),
      let reference = row["payment_reference"] as String?,
      (PaymentMethods.named(row["payment_method"])?.flow ?? .deferred) != .deferred
    else { return }
    let refunded: Int64 = row["refunded_minor"]
    do {
      _ = try gateway.refund(
        reference: reference, amountMinor: amount ?? row["refundable_minor"],
        currency: row["currency"], key: "order-\(id)-refund-after-\(refunded)")
    } catch {
      throw OrderError(error)
    }
  }

  /// Releases an order held for review: a card is charged now.
  ///
  /// The decision labels the order as not fraud for `mkt fraud train`.
  @discardableResult
  public func approve(_ id: Int64, note: String = "") async throws -> Order {
    try await store.write(durability) { [gateway] db in
      let status = try Self.status(of: id, for: "approve", db)
      guard
        let row = try Row.fetchOne(
          db, sql: "SELECT payment_method, total_minor, currency FROM orders WHERE id = ?",
          arguments: [id])
      else { throw OrderError.notFound(id) }
      let method: String = row["payment_method"]
      var target = OrderStatus.pending
      // Methods no longer in the table (stored before it) wait for the money, as deferred.
      let flow = PaymentMethods.named(method)?.flow ?? .deferred
      if flow != .deferred {
        let charge = PaymentRequest(
          reference: "order-\(id)", amountMinor: row["total_minor"], currency: row["currency"],
          method: method, at: self.store.clock.seconds())
        let authorization = try gateway.authorizeOrder(charge, flow: flow)
        try db.execute(
          sql: "UPDATE orders SET payment_reference = ? WHERE id = ?",
          arguments: [authorization.reference, id])
        if authorization.settled { target = .paid }
      }
      try self.move(
        id, from: status, to: target,
        note: note.isEmpty ? "approved after review" : "approved after review: \(note)", db)
      try FraudService.label(
        id, fraud: false, source: "review", note: note, at: UTCTime.iso(self.store.clock.now()), db)
    }
    return try await order(id)
  }

  /// Refuses an order held for review, releasing its stock.
  ///
  /// The decision labels the order as fraud for `mkt fraud train`.
  @discardableResult
  public func reject(_ id: Int64, note: String = "") async throws -> Order {
    try await store.write(durability) { db in
      let status = try Self.status(of: id, for: "reject", db)
      try Reservations.release(order: id, reason: "rejected", db)
      try self.move(id, from: status, to: .rejected, note: note, db)
      try FraudService.label(
        id, fraud: true, source: "review", note: note, at: UTCTime.iso(self.store.clock.now()), db)
    }
    return try await order(id)
  }

  /// What `mkt orders expire` did.
  public struct ExpirySummary: Sendable, Equatable, Encodable {
    public var expired: [Int64]
    public var compacted: Int
  }

  /// Cancels pending orders, and orders left waiting in review, placed before `now − ttl`,
  /// and releases their stock.
  ///
  /// Then removes the ledger rows of closed orders. Safe to run from cron at any time,
  /// concurrently with placements: one transaction.
  public func expire(olderThan ttl: TimeInterval, now: Date? = nil) async throws
    -> ExpirySummary
  {
    let now = now ?? store.clock.now()
    let cutoff = UTCTime.iso(now.addingTimeInterval(-ttl))
    return try await store.write(durability) { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT id, status FROM orders WHERE status IN ('pending', 'review') AND placed_at < ?
          ORDER BY id
          """, arguments: [cutoff])
      var ids: [Int64] = []
      for row in rows {
        let id: Int64 = row["id"]
        let status = OrderStatus(rawValue: row["status"]) ?? .pending
        try Reservations.release(order: id, reason: "expired", db)
        try self.move(
          id, from: status, to: .cancelled,
          note: status == .review ? "review not decided, expired" : "unpaid, expired", db)
        ids.append(id)
      }
      return ExpirySummary(expired: ids, compacted: try Reservations.compact(db))
    }
  }
}

extension OrderService {
  /// Whether a merchant lets an order line be served from several warehouses; with `allowed`,
  /// sets it first.
  ///
  /// - Throws: ``OrderError/invalidRequest(_:)`` for an unknown merchant.
  public func splitLines(merchant: String, allowed: Bool? = nil) async throws -> Bool {
    try await store.write(durability) { db in
      guard let value = try Merchant.splitLines(db, merchant: merchant, allowed: allowed) else {
        throw OrderError.invalidRequest("unknown merchant '\(merchant)'")
      }
      return value
    }
  }
}
