import Foundation
import GRDB
import MktCore
import Store

/// The change journal and the push positions: read and written by `mkt push` only.
struct PushJournal: Sendable {
  let store: Store

  /// A journal entry's row: a product id, a stock (sku, warehouse), a translation (product id,
  /// language), a rule id (its merchant empty for a rule of several merchants).
  struct Change: Sendable, Hashable {
    var kind: String
    var merchant: String
    var key: String
    var part: String
  }

  /// The rows changed after `position` (each once), in the order of their last change, and
  /// the journal's last position.
  func changes(after position: Int64, merchant: String?, kinds: Set<PushKind>) async throws
    -> (changes: [Change], top: Int64)
  {
    let journalKinds = Set(kinds.map(\.journal))
    return try await store.read { db in
      let top =
        try Int64.fetchOne(db, sql: "SELECT coalesce(max(seq), 0) FROM change_journal")
        ?? 0
      let rows = try Row.fetchAll(
        db,
        sql: """
          SELECT kind, merchant_id, key, part, max(seq) AS last FROM change_journal
          WHERE seq > ?1 AND seq <= ?2 AND (?3 IS NULL OR merchant_id = ?3)
          GROUP BY kind, merchant_id, key, part ORDER BY last
          """, arguments: [position, top, merchant])
      let changes = rows.compactMap { row -> Change? in
        let change = Change(
          kind: row["kind"], merchant: row["merchant_id"], key: row["key"],
          part: row["part"])
        return journalKinds.contains(change.kind) ? change : nil
      }
      return (changes, top)
    }
  }

  /// The position acknowledged for `target`.
  func position(_ target: String) async throws -> Int64 {
    try await store.read { db in
      try Int64.fetchOne(
        db, sql: "SELECT position FROM push_target WHERE url = ?", arguments: [target])
        ?? 0
    }
  }

  /// Records `position` (all before it acknowledged) or an error for `target`.
  func record(_ target: String, position: Int64?, pushed: Int, error: String?) async throws {
    let now = store.clock.now().formatted(.iso8601)
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO push_target (url, position, pushed, last_error, updated_at)
          VALUES (?1, coalesce(?2, 0), ?3, ?4, ?5)
          ON CONFLICT (url) DO UPDATE SET position = coalesce(?2, position),
            pushed = pushed + ?3, last_error = ?4, updated_at = ?5
          """, arguments: [target, position, pushed, error, now])
    }
  }

  /// The hashes last acknowledged by `url` for `merchant`'s `ids`.
  func sent(_ url: String, merchant: String, ids: [String]) async throws -> [String: Int64] {
    try await store.read { db in
      var hashes: [String: Int64] = [:]
      try SQLInList.chunks(ids) { placeholders, arguments in
        let rows = try Row.fetchCursor(
          db,
          sql: """
            SELECT id, content_hash FROM push_sent
            WHERE url = ? AND merchant_id = ? AND id IN (\(placeholders))
            """, arguments: [url, merchant] + arguments)
        while let row = try rows.next() { hashes[row["id"]] = row["content_hash"] }
      }
      return hashes
    }
  }

  /// Remembers what `url` acknowledged: `hashes` sent, `removed` deleted.
  func acknowledge(_ url: String, merchant: String, hashes: [String: Int64], removed: [String])
    async throws
  {
    try await store.write { db in
      let upsert = try db.cachedStatement(
        sql: """
          INSERT INTO push_sent (url, merchant_id, id, content_hash) VALUES (?, ?, ?, ?)
          ON CONFLICT (url, merchant_id, id) DO UPDATE SET content_hash = excluded.content_hash
          """)
      for (id, hash) in hashes { try upsert.execute(arguments: [url, merchant, id, hash]) }
      for id in removed {
        try db.execute(
          sql: "DELETE FROM push_sent WHERE url = ? AND merchant_id = ? AND id = ?",
          arguments: [url, merchant, id])
      }
    }
  }

  /// Every target's state, with the journal entries written since its position.
  func statuses() async throws -> [PushStatus] {
    try await store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT url, position, pushed, last_error, updated_at,
            (SELECT count(*) FROM change_journal WHERE seq > push_target.position) AS pending
          FROM push_target ORDER BY url
          """
      ).map { row in
        PushStatus(
          url: row["url"], position: row["position"], pending: row["pending"],
          pushed: row["pushed"], lastError: row["last_error"], updatedAt: row["updated_at"])
      }
    }
  }

  /// Journal entries in all, for a target never pushed to.
  func size() async throws -> Int {
    try await store.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM change_journal") ?? 0
    }
  }
}
