public import Foundation
public import Fraud
import GRDB
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
  /// The score of the model or weights in force now, from those signals, and the decision
  /// with the rules and thresholds in force now.
  public var score: String
  public var reasons: [String]
  public var decision: FraudAction
  /// The rules that fire for it (the first decides, allow before block before review).
  public var rules: [String]
  /// The trained model's contributions, largest push towards fraud first (none without a
  /// model).
  public var contributions: [FraudModel.Contribution]

  enum CodingKeys: String, CodingKey {
    case signals, score, reasons, status, decision, rules, contributions
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
    facts.channel = request.channel
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
      guard let order = try Self.order(id, db), let facts = try FraudHistory.order(id, db)
      else { throw OrderError.notFound(id) }
      let signals = try FraudHistory.signals(for: facts, recorded: id, db)
      let decision = self.fraud.decide(facts, signals)
      return FraudExplanation(
        orderID: id, status: order.status, storedScore: order.fraudScore,
        storedReasons: order.fraudReasons, signals: signals,
        score: Self.score(decision.score.thousandths), reasons: decision.score.reasons,
        decision: decision.action,
        rules: self.fraud.rules.rules.filter { $0.fires(facts, signals) }.map {
          "\($0.name) (\($0.action.rawValue)): \($0.text)"
        },
        contributions: self.fraud.model?.contributions(facts, signals) ?? [])
    }
  }

  /// The refusal recorded for `request`'s key, when the same order was refused before.
  static func earlierRefusal(_ request: OrderRequest, _ db: Database) throws -> OrderError? {
    guard
      let row = try Row.fetchOne(
        db.cachedStatement(
          sql: """
            SELECT request_digest, score, reasons FROM fraud_refusal
            WHERE merchant_id = ? AND idempotency_key = ?
            """), arguments: [request.merchant, request.idempotencyKey]),
      (row["request_digest"] as String) == request.digest
    else { return nil }
    let reasons: String = row["reasons"]
    return .fraudRefused(
      score: score(row["score"]),
      reasons: reasons.isEmpty ? [] : reasons.components(separatedBy: "; "))
  }

  /// Records the refusal of an order and throws it: nothing else of the order is written.
  static func refuse(
    _ validated: Validated, _ order: Priced, _ decision: FraudDecision, _ db: Database
  ) throws -> Never {
    let request = validated.request
    try db.cachedStatement(
      sql: """
        INSERT INTO fraud_refusal (merchant_id, idempotency_key, request_digest, customer_id,
          score, reasons, total_minor, currency, at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (merchant_id, idempotency_key) DO UPDATE SET
          request_digest = excluded.request_digest, customer_id = excluded.customer_id,
          score = excluded.score, reasons = excluded.reasons,
          total_minor = excluded.total_minor, currency = excluded.currency, at = excluded.at
        """
    ).execute(arguments: [
      request.merchant, request.idempotencyKey, request.digest, request.customer.id,
      decision.score.thousandths, decision.reasons.joined(separator: "; "), order.total,
      validated.country.currency.rawValue, validated.placedAt,
    ])
    throw OrderError.fraudRefused(
      score: score(decision.score.thousandths), reasons: decision.reasons)
  }

  /// Orders refused by the fraud checks, newest first.
  public func refusals(merchant: String? = nil, limit: Int = 1_000) async throws -> [Refusal] {
    try await store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT merchant_id, idempotency_key, customer_id, score, reasons, total_minor,
            currency, at FROM fraud_refusal WHERE ?1 IS NULL OR merchant_id = ?1
          ORDER BY at DESC, idempotency_key LIMIT ?2
          """, arguments: [merchant, max(0, limit)]
      ).map { row in
        Refusal(
          merchant: row["merchant_id"], key: row["idempotency_key"], customer: row["customer_id"],
          score: Self.score(row["score"]), reasons: row["reasons"],
          total: Money.text(row["total_minor"], row["currency"]), currency: row["currency"],
          at: row["at"])
      }
    }
  }

  /// The orders waiting in review, oldest first: of `merchant` when given, placed at least
  /// `olderThan` seconds before `now` when given.
  public func reviewQueue(
    merchant: String? = nil, olderThan: Int? = nil, now: Date? = nil, limit: Int = 1_000
  ) async throws -> [Order] {
    let now = now ?? store.clock.now()
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

/// An order the fraud checks refused.
public struct Refusal: Sendable, Equatable, Encodable {
  public var merchant: String
  public var key: String
  public var customer: String
  public var score: String
  public var reasons: String
  public var total: String
  public var currency: String
  public var at: String

  enum CodingKeys: String, CodingKey {
    case merchant, customer, score, reasons, total, currency, at
    case key = "idempotency_key"
  }
}
