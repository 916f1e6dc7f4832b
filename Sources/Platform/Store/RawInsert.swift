package import GRDB
internal import GRDBSQLite

/// A prepared statement bound and run straight through SQLite's C calls.
///
/// For inserts run hundreds of thousands of times in one command, where building GRDB's
/// arguments for each run costs more than the insert itself. The write side of ``RawRows``.
package struct RawInsert {
  private let statement: Statement

  /// Copies of the bound text, taken by SQLite itself (`SQLITE_TRANSIENT`).
  private static let transient = unsafeBitCast(
    OpaquePointer(bitPattern: -1), to: sqlite3_destructor_type.self)

  package init(_ statement: Statement) {
    self.statement = statement
  }

  /// Binds `value` to the parameter at `index` (from 1); `nil` binds NULL.
  package func bind(_ value: String?, at index: Int32) {
    let handle = statement.sqliteStatement
    guard var value else {
      sqlite3_bind_null(handle, index)
      return
    }
    value.withUTF8 { bytes in
      if let base = bytes.baseAddress {
        let text = UnsafeRawPointer(base).assumingMemoryBound(to: CChar.self)
        _ = sqlite3_bind_text(handle, index, text, Int32(bytes.count), Self.transient)
      } else {
        // An empty string may have no address, which SQLite would take for NULL.
        _ = sqlite3_bind_text(handle, index, "", 0, Self.transient)
      }
    }
  }

  /// Binds `value` to the parameter at `index` (from 1); `nil` binds NULL.
  package func bind(_ value: Int64?, at index: Int32) {
    let handle = statement.sqliteStatement
    if let value {
      sqlite3_bind_int64(handle, index, value)
    } else {
      sqlite3_bind_null(handle, index)
    }
  }

  /// Runs the statement with the values bound, then makes it ready for the next ones.
  ///
  /// - Throws: `DatabaseError` from SQLite (a constraint, a full disk).
  package func run() throws {
    let handle = statement.sqliteStatement
    defer { sqlite3_reset(handle) }
    let code = sqlite3_step(handle)
    guard code == SQLITE_DONE else { throw RawRows.failure(code, statement) }
  }
}
