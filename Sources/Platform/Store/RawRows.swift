package import GRDB
internal import GRDBSQLite

/// Rows stepped straight from SQLite, for scans of every row (search's columns and postings,
/// order exports): GRDB's `Row` makes a value per cell, which costs more than the scan itself.
package enum RawRows {
  package struct Row {
    package let handle: OpaquePointer

    package func integer(_ column: Int32) -> Int64 { sqlite3_column_int64(handle, column) }

    package func isNull(_ column: Int32) -> Bool {
      sqlite3_column_type(handle, column) == SQLITE_NULL
    }

    package func text(_ column: Int32) -> String? {
      guard let pointer = sqlite3_column_text(handle, column) else { return nil }
      return String(
        decoding: UnsafeRawBufferPointer(
          start: pointer, count: Int(sqlite3_column_bytes(handle, column))),
        as: UTF8.self)
    }

    /// The bytes of a text or blob cell, valid until the next step.
    package func blob(_ column: Int32) -> UnsafeRawBufferPointer {
      guard let pointer = sqlite3_column_blob(handle, column) else {
        return UnsafeRawBufferPointer(start: nil, count: 0)
      }
      return UnsafeRawBufferPointer(
        start: pointer, count: Int(sqlite3_column_bytes(handle, column)))
    }
  }

  package static func each(
    _ db: Database, sql: String, arguments: StatementArguments = [],
    _ body: (Row) throws -> Void
  ) throws {
    try each(db.makeStatement(sql: sql), arguments: arguments, body)
  }

  /// The rows of a statement prepared once (`Database.cachedStatement`) and run many times.
  package static func each(
    _ statement: Statement, arguments: StatementArguments, _ body: (Row) throws -> Void
  ) throws {
    try statement.setArguments(arguments)
    let handle = statement.sqliteStatement
    defer { sqlite3_reset(handle) }
    while true {
      let code = sqlite3_step(handle)
      if code == SQLITE_DONE { return }
      guard code == SQLITE_ROW else { throw failure(code, statement) }
      try body(Row(handle: handle))
    }
  }

  /// The error of a step of `statement` that returned `code`, with SQLite's message: read it
  /// before the statement is reset.
  static func failure(_ code: Int32, _ statement: Statement) -> DatabaseError {
    DatabaseError(
      resultCode: ResultCode(rawValue: code),
      message: String(cString: sqlite3_errmsg(sqlite3_db_handle(statement.sqliteStatement))),
      sql: statement.sql)
  }
}
