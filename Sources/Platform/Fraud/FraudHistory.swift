import Foundation
package import GRDB
import Store

/// The fraud module's record of placed orders (`fraud_observation`) and the signals read from
/// it: each signal is one range read on a key's index, bounded by the order's own time, so a
/// backtest replaying old orders sees what placement saw.
package enum FraudHistory {
  static let hour: Int64 = 3_600
  static let day: Int64 = 86_400

  /// What the history says about `order`, as of `order.placedAt`.
  ///
  /// `recorded` is the order's own id when it is already recorded (an explanation, a
  /// backtest): then only the orders recorded before it in its second count, as at placement.
  package static func signals(
    for order: FraudOrder, recorded: Int64 = Int64.max, windows: MerchantWindows? = nil,
    _ db: Database
  ) throws -> FraudSignals {
    var signals = FraudSignals()
    let now = order.placedAt
    // The customer's own orders, newest first: velocity, cards, spend, usual basket, and
    // whether this IP and email were theirs before.
    var amounts: [Double] = []
    var cards = Set<String>()
    if let card = order.card { cards.insert(card) }
    let ip = order.ip.map { Array($0.utf8) }
    let email = Array(order.email.utf8)
    var knownIP = false
    var knownEmail = false
    // Stepped raw: a `Row` per order read cost more than the read itself (perf, placement).
    try RawRows.each(
      db.cachedStatement(
        sql: """
          SELECT at, amount_eur, card, paid_at, ip, email FROM fraud_observation
          WHERE customer_id = ? AND at <= ?2 AND (at < ?2 OR order_id < ?3)
          ORDER BY at DESC LIMIT 200
          """), arguments: [order.customer, now, recorded]
    ) { row in
      let at = row.integer(0)
      signals.customer.count(at: at, now: now)
      if !row.isNull(1) {
        let amount = row.integer(1)
        signals.customerSpentEuroCents += amount
        if amount > 0 { amounts.append(log(Double(amount))) }
      }
      if at > now - day, let card = row.text(2) { cards.insert(card) }
      if !row.isNull(3), row.integer(3) <= now { signals.customerOrdersPaid += 1 }
      if let ip, !knownIP, row.blob(4).elementsEqual(ip) { knownIP = true }
      if !knownEmail, row.blob(5).elementsEqual(email) { knownEmail = true }
      signals.customerOrders += 1
    }
    if signals.customerOrders > 0 {
      signals.newIPForCustomer = ip != nil && !knownIP
      signals.newEmailForCustomer = !knownEmail
    }
    signals.cardsPerCustomer = cards.count
    signals.amountAgainstCustomer = robustZ(order.amountEuroCents, amounts)
    signals.email = try velocity("email", order.email, now, recorded, db).velocity
    if let ip = order.ip {
      let found = try velocity("ip", ip, now, recorded, db, customer: order.customer)
      signals.ip = found.velocity
      signals.accountsPerIP = found.accounts
    }
    if let device = order.device {
      let found = try velocity("device_id", device, now, recorded, db, customer: order.customer)
      signals.device = found.velocity
      signals.accountsPerDevice = found.accounts
    }
    if let card = order.card {
      signals.card = try velocity("card", card, now, recorded, db).velocity
    }
    // The merchant's last 100 orders: its usual basket and how many were for this SKU.
    let basket =
      try windows?.last(order, recorded: recorded, db)
      ?? lastOrders(of: order.merchant, before: now, recorded: recorded, db)
    var merchantAmounts: [Double] = []
    var sameSKU = 0
    merchantAmounts.reserveCapacity(basket.count)
    for entry in basket {
      if let logarithm = entry.logarithm { merchantAmounts.append(logarithm) }
      if entry.sku == order.mainSKU { sameSKU += 1 }
    }
    signals.skuShare = basket.isEmpty ? 0 : Double(sameSKU) / Double(basket.count)
    signals.amountAgainstMerchant = robustZ(order.amountEuroCents, merchantAmounts)
    try declines(order, now, &signals, db)
    signals.accountAge = order.customerCreatedAt.map { now - $0 }
    signals.billingMismatch = order.billingCountry.map { $0 != order.country } ?? false
    signals.ipMismatch = order.ipCountry.map { $0 != order.country } ?? false
    return signals
  }

  /// The merchant's last 100 orders before (`now`, `recorded`), newest first.
  static func lastOrders(
    of merchant: String, before now: Int64, recorded: Int64, _ db: Database
  ) throws -> [MerchantWindows.Entry] {
    var entries: [MerchantWindows.Entry] = []
    try RawRows.each(
      db.cachedStatement(
        sql: """
          SELECT amount_eur, sku FROM fraud_observation
          WHERE merchant_id = ? AND at <= ?2 AND (at < ?2 OR order_id < ?3)
          ORDER BY at DESC, order_id DESC LIMIT 100
          """), arguments: [merchant, now, recorded]
    ) { row in
      entries.append(.init(amount: row.isNull(0) ? 0 : row.integer(0), sku: row.text(1) ?? ""))
    }
    return entries
  }

  /// The orders before `now` with `column` = `value` over the last hour, day and week, and the
  /// distinct customers behind it over 30 days (`customer`'s own counted).
  ///
  /// Rows are stepped and counted here, not aggregated in SQL: `count(DISTINCT …)` builds a
  /// temporary index per order, which cost more than the rows (perf, backtest).
  private static func velocity(
    _ column: String, _ value: String, _ now: Int64, _ recorded: Int64, _ db: Database,
    customer: String? = nil
  ) throws -> (velocity: FraudSignals.Velocity, accounts: Int) {
    var velocity = FraudSignals.Velocity()
    var customers = Set<String>()
    let days = customer == nil ? 7 : 30
    let week = now - 7 * day
    try RawRows.each(
      db.cachedStatement(
        sql: """
          SELECT at\(customer == nil ? "" : ", customer_id") FROM fraud_observation
          WHERE \(column) = ?2 AND at > ?1 - \(Int64(days) * day) AND at <= ?1
            AND (at < ?1 OR order_id < ?3)
          """), arguments: [now, value, recorded]
    ) { row in
      let at = row.integer(0)
      if at > week { velocity.count(at: at, now: now) }
      if customer != nil, let id = row.text(1) { customers.insert(id) }
    }
    guard let customer else { return (velocity, 0) }
    customers.insert(customer)
    return (velocity, customers.count)
  }

  /// How many median absolute deviations the amount's logarithm is from the median of
  /// `logs` (`nil` with fewer than 3); a deviation of 0 counts as a tenth.
  package static func robustZ(_ amount: Int64, _ logs: [Double]) -> Double? {
    guard logs.count >= 3, amount > 0 else { return nil }
    var values = logs
    let median = select(&values, values.count / 2)
    for index in values.indices { values[index] = abs(values[index] - median) }
    let spread = max(select(&values, values.count / 2), 0.1)
    // 1.4826 × MAD estimates the standard deviation of a normal sample.
    return (log(Double(amount)) - median) / (1.4826 * spread)
  }

  /// The value that would stand at `k` if `values` were sorted (Hoare's selection; `values`
  /// is reordered): the same as `values.sorted()[k]`, without sorting.
  package static func select(_ values: inout [Double], _ k: Int) -> Double {
    var low = 0
    var high = values.count - 1
    while low < high {
      let pivot = values[(low + high) / 2]
      var left = low
      var right = high
      while left <= right {
        while values[left] < pivot { left += 1 }
        while values[right] > pivot { right -= 1 }
        if left <= right {
          values.swapAt(left, right)
          left += 1
          right -= 1
        }
      }
      if k <= right {
        high = right
      } else if k >= left {
        low = left
      } else {
        return values[k]
      }
    }
    return values[k]
  }

  /// Records a placed order, inside the placement's transaction; `paid` when it was paid at
  /// placement.
  package static func record(_ order: FraudOrder, id: Int64, paid: Bool, _ db: Database) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO fraud_observation (order_id, merchant_id, customer_id, email, ip, device_id,
          card, sku, amount_eur, at, country, billing_country, ip_country, customer_created_at,
          channel, quantity, paid_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: [
      id, order.merchant, order.customer, order.email, order.ip, order.device, order.card,
      order.mainSKU, order.amountEuroCents, order.placedAt, order.country, order.billingCountry,
      order.ipCountry, order.customerCreatedAt, order.channel, order.largestQuantity,
      paid ? order.placedAt : nil,
    ])
  }

  /// The keys a declined payment is counted under.
  static func declineKeys(_ order: FraudOrder) -> [String] {
    ["customer:" + order.customer]
      + [
        order.card.map { "card:" + $0 }, order.ip.map { "ip:" + $0 },
        order.device.map { "device:" + $0 },
      ].compactMap { $0 }
  }

  /// Records a payment the gateway declined, after the order's own writes were undone.
  package static func recordDecline(_ order: FraudOrder, _ db: Database) throws {
    let insert = try db.cachedStatement(sql: "INSERT INTO fraud_decline (key, at) VALUES (?, ?)")
    for key in declineKeys(order) { try insert.execute(arguments: [key, order.placedAt]) }
  }

  /// The declined payments of the order's customer, card, IP and device over the day before
  /// it (one read; declines are rare, so the table stays small).
  static func declines(
    _ order: FraudOrder, _ now: Int64, _ signals: inout FraudSignals, _ db: Database
  ) throws {
    let keys = declineKeys(order)
    let marks = Array(repeating: "?", count: keys.count).joined(separator: ", ")
    // Declines are rare: the rows are stepped and counted by their key's kind.
    try RawRows.each(
      db.cachedStatement(
        sql: """
          SELECT key FROM fraud_decline
          WHERE key IN (\(marks)) AND at > ? - 86400 AND at <= ?
          """), arguments: StatementArguments(keys) + [now, now]
    ) { row in
      let key = row.blob(0)
      if key.starts(with: "customer:".utf8) {
        signals.declines.customer += 1
      } else if key.starts(with: "card:".utf8) {
        signals.declines.card += 1
      } else if key.starts(with: "ip:".utf8) {
        signals.declines.ip += 1
      } else if key.starts(with: "device:".utf8) {
        signals.declines.device += 1
      }
    }
  }

  /// Notes that order `id` was paid at `at` (seconds since 1970): from then on it counts in
  /// its customer's paid orders.
  package static func markPaid(_ id: Int64, at: Int64, _ db: Database) throws {
    try db.cachedStatement(
      sql: "UPDATE fraud_observation SET paid_at = ? WHERE order_id = ? AND paid_at IS NULL"
    ).execute(arguments: [at, id])
  }
}

extension FraudSignals.Velocity {
  /// Counts an order at `at` seen from `now`.
  mutating func count(at: Int64, now: Int64) {
    if at > now - FraudHistory.hour { hour += 1 }
    if at > now - FraudHistory.day { day += 1 }
    if at > now - 7 * FraudHistory.day { week += 1 }
  }
}

/// Each merchant's last 100 orders, kept as a replay goes in the order orders were placed, so
/// a backtest reads a merchant's window once, not once per order: what
/// ``FraudHistory/lastOrders(of:before:recorded:_:)`` would read at each order.
package final class MerchantWindows {
  struct Entry {
    /// The amount's logarithm, when above 0 (what the usual basket is made of).
    var logarithm: Double?
    var sku: String

    init(amount: Int64, sku: String) {
      logarithm = amount > 0 ? log(Double(amount)) : nil
      self.sku = sku
    }
  }

  /// Per merchant, up to 100 entries, oldest first.
  private var windows: [String: [Entry]] = [:]

  package init() {}

  /// The merchant's last 100 orders before `order`, read from the store the first time.
  func last(_ order: FraudOrder, recorded: Int64, _ db: Database) throws -> [Entry] {
    if let known = windows[order.merchant] { return known }
    let read = try FraudHistory.lastOrders(
      of: order.merchant, before: order.placedAt, recorded: recorded, db)
    let oldestFirst = Array(read.reversed())
    windows[order.merchant] = oldestFirst
    return oldestFirst
  }

  /// Adds `order`, replayed after the ones before it.
  package func add(_ order: FraudOrder) {
    var window = windows[order.merchant, default: []]
    windows[order.merchant] = nil
    if window.count == 100 { window.removeFirst() }
    window.append(Entry(amount: order.amountEuroCents, sku: order.mainSKU))
    windows[order.merchant] = window
  }
}
