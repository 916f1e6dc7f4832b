public import Foundation
public import Fraud
import GRDB
import Importers
import Localization
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
  /// What the fraud module sees of an order being placed; its main SKU is its first line of
  /// the largest quantity, as the record of orders placed before the module was copied.
  static func fraudFacts(_ validated: Validated, _ order: Priced) -> FraudOrder {
    let request = validated.request
    let largest = order.lines.max { $0.quantity < $1.quantity }
    var facts = FraudOrder(
      merchant: request.merchant, customer: request.customer.id, email: request.customer.email,
      country: validated.country.code.rawValue, amountEuroCents: order.totalEuroCents,
      mainSKU: largest?.sku ?? "", largestQuantity: largest?.quantity ?? 0,
      placedAt: Int64(validated.placed.timeIntervalSince1970.rounded(.down)))
    facts.ip = request.ip
    facts.device = request.deviceID
    facts.card = request.cardFingerprint
    facts.billingCountry = request.billingCountry
    facts.ipCountry = request.ipCountry
    facts.customerCreatedAt = validated.customerCreatedAt
    return facts
  }

  /// Checks what the checkout sent of the shopper: the account's creation time (returned, in
  /// seconds since 1970) and the lengths of the device, card, user agent and channel.
  static func shopperFields(_ request: OrderRequest) throws -> Int64? {
    var createdAt: Int64?
    if let text = request.customer.createdAt {
      guard let date = UTCTime.date(text) else {
        throw OrderError.invalidRequest(
          "customer.created_at '\(text)' is not ISO 8601 with a zone")
      }
      createdAt = Int64(date.timeIntervalSince1970.rounded(.down))
    }
    for (name, value) in [
      ("device_id", request.deviceID), ("card_fingerprint", request.cardFingerprint),
      ("user_agent", request.userAgent), ("channel", request.channel),
    ] {
      if let value, value.utf8.count > 1_000 {
        throw OrderError.invalidRequest("\(name) must be at most 1000 bytes")
      }
    }
    return createdAt
  }

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
