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
    for order: FraudOrder, recorded: Int64 = Int64.max, _ db: Database
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
    var merchantAmounts: [Double] = []
    var sameSKU = 0
    var recent = 0
    let sku = Array(order.mainSKU.utf8)
    try RawRows.each(
      db.cachedStatement(
        sql: """
          SELECT amount_eur, sku FROM fraud_observation
          WHERE merchant_id = ? AND at <= ?2 AND (at < ?2 OR order_id < ?3)
          ORDER BY at DESC LIMIT 100
          """), arguments: [order.merchant, now, recorded]
    ) { row in
      recent += 1
      if !row.isNull(0), row.integer(0) > 0 { merchantAmounts.append(log(Double(row.integer(0)))) }
      if row.blob(1).elementsEqual(sku) { sameSKU += 1 }
    }
    signals.skuShare = recent == 0 ? 0 : Double(sameSKU) / Double(recent)
    signals.amountAgainstMerchant = robustZ(order.amountEuroCents, merchantAmounts)
    try declines(order, now, &signals, db)
    signals.accountAge = order.customerCreatedAt.map { now - $0 }
    signals.billingMismatch = order.billingCountry.map { $0 != order.country } ?? false
    signals.ipMismatch = order.ipCountry.map { $0 != order.country } ?? false
    return signals
  }

  /// The orders before `now` with `column` = `value` over the last hour, day and week, and the
  /// distinct customers behind it over 30 days (`customer`'s own counted).
  private static func velocity(
    _ column: String, _ value: String, _ now: Int64, _ recorded: Int64, _ db: Database,
    customer: String? = nil
  ) throws -> (velocity: FraudSignals.Velocity, accounts: Int) {
    // Accounts only where asked: counting distinct customers sorts the key's 30 days.
    let accounts =
      customer == nil
      ? "0, 0"
      : "count(DISTINCT customer_id), max(customer_id = ?4)"
    let row = try Row.fetchOne(
      db.cachedStatement(
        sql: """
          SELECT count(*) FILTER (WHERE at > ?1 - 3600), count(*) FILTER (WHERE at > ?1 - 86400),
            count(*) FILTER (WHERE at > ?1 - 604800), \(accounts)
          FROM fraud_observation
          WHERE \(column) = ?2 AND at > ?1 - \(customer == nil ? 604_800 : 2_592_000) AND at <= ?1
            AND (at < ?1 OR order_id < ?3)
          """), arguments: customer.map { [now, value, recorded, $0] } ?? [now, value, recorded])
    let velocity = FraudSignals.Velocity(
      hour: row?[0] ?? 0, day: row?[1] ?? 0, week: row?[2] ?? 0)
    let distinct: Int = row?[3] ?? 0
    let seen: Bool = row?[4] ?? false
    return (velocity, customer == nil ? 0 : distinct + (seen ? 0 : 1))
  }

  /// How many median absolute deviations the amount's logarithm is from the median of
  /// `logs` (`nil` with fewer than 3); a deviation of 0 counts as a tenth.
  package static func robustZ(_ amount: Int64, _ logs: [Double]) -> Double? {
    guard logs.count >= 3, amount > 0 else { return nil }
    let sorted = logs.sorted()
    let median = sorted[sorted.count / 2]
    let deviations = sorted.map { abs($0 - median) }.sorted()
    let spread = max(deviations[deviations.count / 2], 0.1)
    // 1.4826 × MAD estimates the standard deviation of a normal sample.
    return (log(Double(amount)) - median) / (1.4826 * spread)
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
    try RawRows.each(
      db.cachedStatement(
        sql: """
          SELECT substr(key, 1, instr(key, ':') - 1), count(*) FROM fraud_decline
          WHERE key IN (\(marks)) AND at > ? - 86400 AND at <= ? GROUP BY 1
          """), arguments: StatementArguments(keys + [String(now), String(now)])
    ) { row in
      let count = Int(row.integer(1))
      switch row.text(0) {
      case "customer": signals.declines.customer = count
      case "card": signals.declines.card = count
      case "ip": signals.declines.ip = count
      case "device": signals.declines.device = count
      default: break
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
