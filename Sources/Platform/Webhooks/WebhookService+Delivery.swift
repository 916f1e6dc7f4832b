import Access
public import Foundation
import GRDB
import MktCore
import Remote
import Store

extension WebhookService {
  /// A delivery claimed for posting.
  package struct Claimed: Sendable {
    var endpoint: Int64
    var outbox: Int64
    var url: String
    var secret: String
    var attempts: Int
    var firstAttempt: Int64
    var body: [UInt8]
  }

  /// One round: queues new events, posts every delivery due at `now` (at most `limit`, eight
  /// at a time), records each answer.
  public func deliverRound(
    now: Date? = nil, limit: Int = 200, timeout: Duration = .seconds(10)
  ) async throws -> DeliveryRound {
    let now = now ?? store.clock.now()
    var round = DeliveryRound()
    round.queued = try await queue()
    let claimed = try await claim(now: now, limit: limit)
    var outcomes: [(Claimed, HTTPCall.Outcome)] = []
    try await withThrowingTaskGroup(of: (Claimed, HTTPCall.Outcome).self) { group in
      var next = claimed.makeIterator()
      func start() -> Bool {
        guard let delivery = next.next() else { return false }
        group.addTask { (delivery, await Self.post(delivery, now: now, timeout: timeout)) }
        return true
      }
      for _ in 0..<8 where !start() { break }
      while let outcome = try await group.next() {
        outcomes.append(outcome)
        _ = start()
      }
    }
    let stamp = Int64(now.timeIntervalSince1970)
    let results = outcomes
    let counts = try await store.write { db in
      var counts = DeliveryRound()
      for (delivery, outcome) in results {
        try Self.record(delivery, outcome, at: stamp, &counts, db)
      }
      return counts
    }
    round.delivered = counts.delivered
    round.retrying = counts.retrying
    round.failed = counts.failed
    return round
  }

  /// Delivers until stopped (the task cancelled): a round, then a pause when it was idle.
  public func run(pause: Duration = .seconds(1)) async throws {
    while !Task.isCancelled {
      let round = try await deliverRound()
      if round.isIdle { try await Task.sleep(for: pause) }
    }
  }

  /// Queues a delivery for each endpoint and each outbox event past its position that it wants.
  package func queue() async throws -> Int {
    try await store.write { db in
      let endpoints = try Row.fetchAll(
        db,
        sql: """
          SELECT id, merchant_id, url, events, secret, created_at, last_outbox_id
          FROM webhook_endpoint
          WHERE last_outbox_id < (SELECT coalesce(max(id), 0) FROM outbox)
          """)
      var queued = 0
      for row in endpoints {
        let endpoint = Self.endpoint(row)
        let after: Int64 = row["last_outbox_id"]
        let events = try Row.fetchAll(
          db,
          sql: """
            SELECT id, topic FROM outbox WHERE id > ? AND merchant_id = ? ORDER BY id
            """, arguments: [after, endpoint.merchant])
        for event in events where endpoint.wants(event["topic"]) {
          try db.execute(
            sql: """
              INSERT OR IGNORE INTO webhook_delivery (endpoint_id, outbox_id, next_attempt_at)
              VALUES (?, ?, 0)
              """, arguments: [endpoint.id, event["id"] as Int64])
          queued += db.changesCount
        }
        try db.execute(
          sql: """
            UPDATE webhook_endpoint SET last_outbox_id = (SELECT coalesce(max(id), 0) FROM outbox)
            WHERE id = ?
            """, arguments: [endpoint.id])
      }
      return queued
    }
  }

  /// Takes the deliveries due at `now`, pushing their next attempt past the claim period.
  package func claim(now: Date, limit: Int) async throws -> [Claimed] {
    let stamp = Int64(now.timeIntervalSince1970)
    return try await store.write { db in
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT d.endpoint_id, d.outbox_id, d.attempts, d.first_attempt_at, e.url, e.secret,
            e.merchant_id, o.topic, o.payload, o.created_at
          FROM webhook_delivery d JOIN webhook_endpoint e ON e.id = d.endpoint_id
          JOIN outbox o ON o.id = d.outbox_id
          WHERE d.delivered_at IS NULL AND d.failed_at IS NULL AND d.next_attempt_at <= ?
          ORDER BY d.outbox_id LIMIT ?
          """, arguments: [stamp, max(0, limit)])
      return try rows.map { row in
        let claimed = Claimed(
          endpoint: row["endpoint_id"], outbox: row["outbox_id"], url: row["url"],
          secret: row["secret"], attempts: row["attempts"],
          firstAttempt: row["first_attempt_at"] ?? stamp,
          body: Self.body(
            id: row["outbox_id"], topic: row["topic"], merchant: row["merchant_id"],
            created: row["created_at"], payload: row["payload"]))
        try db.execute(
          sql: """
            UPDATE webhook_delivery
            SET next_attempt_at = ?, attempts = attempts + 1,
              first_attempt_at = coalesce(first_attempt_at, ?)
            WHERE endpoint_id = ? AND outbox_id = ?
            """,
          arguments: [
            stamp + Int64(Self.claim), stamp, claimed.endpoint, claimed.outbox,
          ])
        return claimed
      }
    }
  }

  /// The JSON a receiver gets; the same bytes on every attempt, so a signature can be checked
  /// against them and the id used to deduplicate.
  static func body(id: Int64, topic: String, merchant: String, created: String, payload: String)
    -> [UInt8]
  {
    func quoted(_ text: String) -> String {
      let data = (try? JSONSerialization.data(withJSONObject: [text], options: [])) ?? Data()
      return String(String(decoding: data, as: UTF8.self).dropFirst().dropLast())
    }
    return Array(
      ("{\"id\":\(quoted(eventID(id))),\"type\":\(quoted(topic)),"
        + "\"merchant_id\":\(quoted(merchant)),\"created_at\":\(quoted(created)),"
        + "\"data\":\(payload)}").utf8)
  }

  /// `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the secret>`, as Stripe signs.
  public static func signature(secret: String, timestamp: Int64, body: [UInt8]) -> String {
    let signed = Array("\(timestamp).".utf8) + body
    return "t=\(timestamp),v1="
      + Digest.hex(Digest.hmacSHA256(key: Array(secret.utf8), message: signed))
  }

  static func post(_ delivery: Claimed, now: Date, timeout: Duration) async -> HTTPCall.Outcome {
    let stamp = Int64(now.timeIntervalSince1970)
    return await HTTPCall(
      url: delivery.url,
      headers: [
        "Content-Type: application/json", "Mkt-Event-Id: " + eventID(delivery.outbox),
        "Mkt-Signature: "
          + signature(secret: delivery.secret, timestamp: stamp, body: delivery.body),
      ], body: delivery.body, timeout: timeout
    ).send()
  }

  /// Marks a delivery delivered on a 2xx, else schedules its retry or fails it.
  static func record(
    _ delivery: Claimed, _ outcome: HTTPCall.Outcome, at stamp: Int64,
    _ counts: inout DeliveryRound, _ db: Database
  ) throws {
    let attempts = delivery.attempts + 1
    var status: Int?
    var error: String?
    switch outcome {
    case .answered(let code, _, let body):
      if (200..<300).contains(code) {
        try db.execute(
          sql: """
            UPDATE webhook_delivery SET delivered_at = ?, last_status = ?, last_error = NULL
            WHERE endpoint_id = ? AND outbox_id = ?
            """,
          arguments: [
            Date(timeIntervalSince1970: TimeInterval(stamp)).formatted(.iso8601), code,
            delivery.endpoint, delivery.outbox,
          ])
        counts.delivered += 1
        return
      }
      status = code
      error = String(decoding: body.prefix(200), as: UTF8.self)
    case .timedOut: error = "timed out"
    case .failed(let message): error = message
    }
    let expired = TimeInterval(stamp - delivery.firstAttempt) >= retryWindow
    let next = stamp + Int64(backoff(after: attempts))
    try db.execute(
      sql: """
        UPDATE webhook_delivery
        SET last_status = ?, last_error = ?, next_attempt_at = ?, failed_at = ?
        WHERE endpoint_id = ? AND outbox_id = ?
        """,
      arguments: [
        status, error, next,
        expired ? Date(timeIntervalSince1970: TimeInterval(stamp)).formatted(.iso8601) : nil,
        delivery.endpoint, delivery.outbox,
      ])
    if expired { counts.failed += 1 } else { counts.retrying += 1 }
  }
}
