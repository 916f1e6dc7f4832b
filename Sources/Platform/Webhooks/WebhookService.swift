import Access
public import Foundation
import GRDB
import MktCore
import Remote
public import Store

/// Order events delivered to merchants' endpoints: signed, retried with backoff for 72 hours,
/// marked delivered only on a 2xx, failed ones kept for replay.
///
/// Orders write their events to the outbox in the same transaction as the change. A round
/// queues the new outbox events for each endpoint that wants them, claims the deliveries that
/// are due (so two deliverers do not post the same one at once), posts them, and records each
/// answer. A deliverer killed mid-round loses nothing: a claimed delivery that was never
/// answered is due again when its claim lapses. Receivers deduplicate by the event id.
public struct WebhookService: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// The events an endpoint may ask for; `order.*` (`stock.*`) takes every order (stock) event.
  ///
  /// `stock.low`: a decrease (a hold, a sync) left a sku's available quantity, over all its
  /// merchant's warehouses, below the merchant's low-stock threshold (`mkt inventory low-stock`);
  /// once per sku until it is back at or above the threshold.
  public static let topics = [
    "order.placed", "order.paid", "order.review", "order.rejected", "order.cancelled",
    "order.partially_fulfilled", "order.fulfilled", "order.completed", "order.refunded",
    "stock.low",
  ]

  /// The wildcards an endpoint may ask for: each group of topics.
  public static let wildcards = ["order.*", "stock.*"]

  /// How long a delivery is retried, counted from its first attempt.
  public static let retryWindow: TimeInterval = 72 * 3_600
  /// How long a claimed delivery is left to its deliverer before another may try it.
  static let claim: TimeInterval = 60

  /// Seconds to wait after the `attempt`-th failure: 30 s doubling, at most 6 hours.
  public static func backoff(after attempt: Int) -> TimeInterval {
    min(30 * pow(2, Double(max(0, attempt - 1))), 6 * 3_600)
  }

  /// Adds an endpoint for `merchant`; events from now on are delivered to it.
  ///
  /// - Throws: ``WebhookError`` for an unknown merchant or event, a URL that is not http(s).
  public func add(
    merchant: String, url: String, events: [String], secret: String? = nil, now: Date? = nil
  ) async throws -> WebhookEndpoint {
    let now = now ?? store.clock.now()
    guard let parsed = URL(string: url), ["http", "https"].contains(parsed.scheme ?? ""),
      parsed.host != nil
    else { throw WebhookError.badURL(url) }
    for event in events where !Self.wildcards.contains(event) && !Self.topics.contains(event) {
      throw WebhookError.unknownEvent(event)
    }
    let secret = secret ?? "whsec_" + Digest.hex(Digest.randomBytes(24))
    let created = now.formatted(.iso8601)
    return try await store.write { db in
      guard
        try Bool.fetchOne(db, sql: "SELECT 1 FROM merchant WHERE id = ?", arguments: [merchant])
          != nil
      else { throw WebhookError.unknownMerchant(merchant) }
      try db.execute(
        sql: """
          INSERT INTO webhook_endpoint (merchant_id, url, events, secret, created_at, last_outbox_id)
          VALUES (?, ?, ?, ?, ?, (SELECT coalesce(max(id), 0) FROM outbox))
          """,
        arguments: [merchant, url, events.joined(separator: " "), secret, created])
      return WebhookEndpoint(
        id: db.lastInsertedRowID, merchant: merchant, url: url, events: events, secret: secret,
        createdAt: created)
    }
  }

  /// The endpoints, of `merchant` when given.
  public func endpoints(merchant: String? = nil) async throws -> [WebhookEndpoint] {
    try await store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, merchant_id, url, events, secret, created_at FROM webhook_endpoint
          WHERE ?1 IS NULL OR merchant_id = ?1 ORDER BY id
          """, arguments: [merchant]
      ).map(Self.endpoint)
    }
  }

  /// Removes an endpoint and its pending deliveries.
  public func remove(_ id: Int64) async throws {
    let removed = try await store.write { db in
      try db.execute(sql: "DELETE FROM webhook_endpoint WHERE id = ?", arguments: [id])
      return db.changesCount
    }
    if removed == 0 { throw WebhookError.unknownEndpoint(id) }
  }

  /// Deliveries that ran out of retries, oldest first.
  public func failed(merchant: String? = nil) async throws -> [FailedDelivery] {
    try await store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT d.outbox_id, d.endpoint_id, e.merchant_id, e.url, o.topic, d.attempts,
            d.last_status, d.last_error, d.failed_at
          FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
          JOIN outbox o ON o.id = d.outbox_id
          WHERE d.failed_at IS NOT NULL AND (?1 IS NULL OR e.merchant_id = ?1)
          ORDER BY d.failed_at, d.outbox_id
          """, arguments: [merchant]
      ).map { row in
        FailedDelivery(
          event: Self.eventID(row["outbox_id"]), endpoint: row["endpoint_id"],
          merchant: row["merchant_id"], url: row["url"], topic: row["topic"],
          attempts: row["attempts"], lastStatus: row["last_status"],
          lastError: row["last_error"], failedAt: row["failed_at"])
      }
    }
  }

  /// Sends the event `id` (`evt_42` or `42`) again to its endpoints (or `endpoint` only), with a
  /// fresh retry window, whether it failed or was delivered.
  ///
  /// - Returns: how many deliveries were queued again.
  public func replay(_ id: String, endpoint: Int64? = nil, now: Date? = nil) async throws
    -> Int
  {
    let now = now ?? store.clock.now()
    guard let outbox = Int64(id.hasPrefix("evt_") ? String(id.dropFirst(4)) : id) else {
      throw WebhookError.unknownDelivery(id)
    }
    let queued = try await store.write { db in
      try db.execute(
        sql: """
          UPDATE webhook_delivery
          SET failed_at = NULL, delivered_at = NULL, attempts = 0, first_attempt_at = NULL,
            next_attempt_at = ?1
          WHERE outbox_id = ?2 AND (?3 IS NULL OR endpoint_id = ?3)
          """, arguments: [Int64(now.timeIntervalSince1970), outbox, endpoint])
      return db.changesCount
    }
    if queued == 0 { throw WebhookError.unknownDelivery(id) }
    return queued
  }

  static func eventID(_ outbox: Int64) -> String { "evt_\(outbox)" }

  static func endpoint(_ row: Row) -> WebhookEndpoint {
    WebhookEndpoint(
      id: row["id"], merchant: row["merchant_id"], url: row["url"],
      events: (row["events"] as String).split(separator: " ").map(String.init),
      secret: row["secret"], createdAt: row["created_at"])
  }
}
