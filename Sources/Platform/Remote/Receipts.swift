public import Foundation
import GRDB
import MktCore
public import Store

/// The answers the server gave to requests with an `Idempotency-Key`, so that a retried
/// upload (a push batch) gets the first answer instead of being applied again.
public struct Receipts: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// The answer stored for `key` on `route` for `merchant`.
  public func answer(merchant: String, key: String, route: String) async throws
    -> (status: Int, body: [UInt8])?
  {
    try await store.read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT status, body FROM http_receipt
          WHERE merchant_id = ? AND key = ? AND route = ?
          """, arguments: [merchant, key, route]
      ).map { row in (row["status"] as Int, [UInt8](row["body"] as Data)) }
    }
  }

  /// Stores the answer to `key` on `route` for `merchant` (the first one stays).
  public func record(
    merchant: String, key: String, route: String, status: Int, body: [UInt8], now: Date? = nil
  ) async throws {
    let now = now ?? store.clock.now()
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT OR IGNORE INTO http_receipt (merchant_id, key, route, status, body, at)
          VALUES (?, ?, ?, ?, ?, ?)
          """,
        arguments: [merchant, key, route, status, Data(body), now.formatted(.iso8601)])
    }
  }
}
