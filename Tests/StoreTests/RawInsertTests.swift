import GRDB
import Store
import Testing

/// ``RawInsert`` binds what GRDB would: text (empty is not NULL), non-ASCII text, integers,
/// NULLs; and a failed run throws and leaves the statement ready for the next values.
@Suite struct RawInsertTests {
  @Test func bindsWhatGRDBWouldAndReportsAConstraint() throws {
    let queue = try DatabaseQueue()
    let rows = try queue.write { db in
      try db.execute(sql: "CREATE TABLE t (k INTEGER PRIMARY KEY, a TEXT, n INTEGER) STRICT")
      let insert = RawInsert(try db.makeStatement(sql: "INSERT INTO t (k, a, n) VALUES (?, ?, ?)"))
      let values: [(Int64, String?, Int64?)] = [
        (1, "", 0), (2, nil, nil), (3, "Größe 42 — 東京", Int64.min), (4, "SKU-0111494", 7),
      ]
      for (key, text, number) in values {
        insert.bind(key, at: 1)
        insert.bind(text, at: 2)
        insert.bind(number, at: 3)
        try insert.run()
      }
      insert.bind(Int64(1), at: 1)
      let error = #expect(throws: DatabaseError.self) { try insert.run() }
      #expect(error?.resultCode == .SQLITE_CONSTRAINT)
      #expect(error?.message?.contains("UNIQUE constraint failed: t.k") == true)
      insert.bind(Int64(5), at: 1)
      insert.bind("after", at: 2)
      try insert.run()
      return try Row.fetchAll(
        db, sql: "SELECT k, a, typeof(a) AS kind, n FROM t ORDER BY k")
    }
    #expect(rows.map { $0["kind"] as String } == ["text", "null", "text", "text", "text"])
    #expect(rows.map { $0["a"] as String? } == ["", nil, "Größe 42 — 東京", "SKU-0111494", "after"])
    #expect(rows.map { $0["n"] as Int64? } == [0, nil, Int64.min, 7, 7])
  }
}
