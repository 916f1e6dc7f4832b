public import Foundation
public import Fraud
import GRDB
import Importers
import MktCore
import Store

/// Why an order was scored as it was: the signals as they stood when it was placed, and the
/// score and reasons of the weights in force, beside what placement stored.
public struct FraudExplanation: Sendable, Encodable {
  public var orderID: Int64
  public var status: OrderStatus
  /// What placement stored.
  public var storedScore: String
  public var storedReasons: [String]
  /// The signals at the order's time (orders placed after it are not seen).
  public var signals: FraudSignals
  /// The score of the weights in force now, from those signals.
  public var score: String
  public var reasons: [String]

  enum CodingKeys: String, CodingKey {
    case signals, score, reasons, status
    case orderID = "order_id"
    case storedScore = "stored_score"
    case storedReasons = "stored_reasons"
  }
}

extension OrderService {
  /// The fraud signals and score of a placed order, as of its placement.
  ///
  /// - Throws: ``OrderError/notFound(_:)``.
  public func explainFraud(_ id: Int64) async throws -> FraudExplanation {
    try await store.read { db in
      guard let order = try Self.order(id, db),
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT o.ip, o.device_id, o.card, o.sku, coalesce(o.amount_eur, 0), o.at,
              r.billing_country, r.ip_country, r.customer_created_at
            FROM fraud_observation o JOIN orders r ON r.id = o.order_id WHERE o.order_id = ?
            """, arguments: [id])
      else { throw OrderError.notFound(id) }
      var facts = FraudOrder(
        merchant: order.merchantID, customer: order.customerID, email: order.email,
        country: order.country, amountEuroCents: row[4], mainSKU: row[3],
        largestQuantity: order.lines.map(\.quantity).max() ?? 0, placedAt: row[5])
      facts.ip = row[0]
      facts.device = row[1]
      facts.card = row[2]
      facts.billingCountry = row[6]
      facts.ipCountry = row[7]
      facts.customerCreatedAt = (row[8] as String?).flatMap(UTCTime.date).map {
        Int64($0.timeIntervalSince1970.rounded(.down))
      }
      let signals = try FraudHistory.signals(for: facts, recorded: id, db)
      let scored = self.scorer.score(facts, signals)
      return FraudExplanation(
        orderID: id, status: order.status, storedScore: order.fraudScore,
        storedReasons: order.fraudReasons, signals: signals,
        score: Self.score(scored.thousandths), reasons: scored.reasons)
    }
  }

  /// The orders waiting in review, oldest first: of `merchant` when given, placed at least
  /// `olderThan` seconds before `now` when given.
  public func reviewQueue(
    merchant: String? = nil, olderThan: Int? = nil, now: Date = Date(), limit: Int = 1_000
  ) async throws -> [Order] {
    let before = olderThan.map { UTCTime.iso(now.addingTimeInterval(-Double($0))) }
    return try await store.read { db in
      try Row.fetchAll(
        db,
        sql: Self.orderColumns + """
           WHERE status = 'review' AND (?1 IS NULL OR merchant_id = ?1)
            AND (?2 IS NULL OR placed_at <= ?2)
          ORDER BY placed_at, id LIMIT ?3
          """, arguments: [merchant, before, max(0, limit)]
      ).map(Self.summary)
    }
  }
}
