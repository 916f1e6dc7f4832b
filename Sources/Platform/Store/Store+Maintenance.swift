import Foundation
import GRDB

#if canImport(Glibc)
import Glibc
#endif

extension Store {
  /// Path, schema, size, journal mode and row counts per table, from one consistent read.
  public func info() async throws -> DatabaseInfo {
    let path = URL(fileURLWithPath: self.path).standardizedFileURL.path
    let (main, wal) = (Self.fileSize(self.path), Self.fileSize(self.path + "-wal"))
    return try await read { db in
      let applied = try Store.migrator.appliedIdentifiers(db)
      let names = try String.fetchAll(
        db,
        sql: """
          SELECT name FROM sqlite_master
          WHERE type = 'table' AND rootpage != 0 AND name NOT LIKE 'sqlite_%'
            AND name NOT LIKE 'grdb_%'
            AND name NOT IN (
              SELECT v.name || s.suffix FROM sqlite_master v,
                (SELECT '_config' AS suffix UNION ALL SELECT '_data' UNION ALL SELECT '_docsize'
                  UNION ALL SELECT '_idx' UNION ALL SELECT '_content') s
              WHERE v.type = 'table' AND v.rootpage = 0)
          ORDER BY name
          """)
      let tables = try names.map { name in
        DatabaseInfo.TableCount(
          name: name,
          rows: try Int.fetchOne(db, sql: "SELECT count(*) FROM \(name.quotedDatabaseIdentifier)")
            ?? 0)
      }
      return DatabaseInfo(
        path: path, schemaVersion: applied.compactMap(Store.version(of:)).max() ?? 0,
        latestSchemaVersion: Store.schemaVersion,
        sqliteVersion: try String.fetchOne(db, sql: "SELECT sqlite_version()") ?? "unknown",
        journalMode: try String.fetchOne(db, sql: "PRAGMA journal_mode") ?? "unknown",
        sizeBytes: main, walBytes: wal,
        pageSize: try Int.fetchOne(db, sql: "PRAGMA page_size") ?? 0,
        freePages: try Int.fetchOne(db, sql: "PRAGMA freelist_count") ?? 0,
        tables: tables)
    }
  }

  /// Runs `PRAGMA integrity_check` and `PRAGMA foreign_key_check`; damage SQLite reports while
  /// checking is a finding, not a failure of the command.
  public func check() async throws -> IntegrityReport {
    try await read { db in
      var integrity: [String]
      do {
        integrity = try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
      } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
        integrity = [error.message ?? "database disk image is malformed"]
      }
      var violations: [String] = []
      do {
        for row in try Row.fetchAll(db, sql: "PRAGMA foreign_key_check") {
          let table: String = row[0]
          let rowid: Int64? = row[1]
          let parent: String = row[2]
          violations.append("\(table) rowid \(rowid.map(String.init) ?? "?") -> \(parent)")
        }
      } catch let error as DatabaseError where error.resultCode == .SQLITE_CORRUPT {
        integrity.append(error.message ?? "database disk image is malformed")
      }
      return IntegrityReport(integrityProblems: integrity, foreignKeyViolations: violations)
    }
  }

  /// Copies the database to `destination` with SQLite's online backup.
  ///
  /// The backup reads one snapshot, so writers may go on meanwhile. The copy is written beside the destination and renamed into
  /// place: `destination` never holds a partial backup.
  ///
  /// - Parameters:
  ///   - destination: The backup file's path.
  ///   - overwrite: Replace an existing file at `destination`.
  /// - Returns: the size of the backup in bytes.
  /// - Throws: ``StoreError/backupExists(path:)`` without `overwrite`, or when the copy fails.
  public func backup(to destination: String, overwrite: Bool = false) async throws -> Int64 {
    let manager = FileManager.default
    var isDirectory: ObjCBool = false
    if manager.fileExists(atPath: destination, isDirectory: &isDirectory) {
      if isDirectory.boolValue || !overwrite { throw StoreError.backupExists(path: destination) }
    }
    let temporary = "\(destination).partial-\(ProcessInfo.processInfo.processIdentifier)"
    let copy: DatabaseQueue
    do {
      copy = try DatabaseQueue(path: temporary)
    } catch {
      throw StoreError.cannotCreate(path: destination, message: Self.reason(error))
    }
    do {
      try writer.backup(to: copy)
      try copy.close()
      // rename(2) replaces the destination atomically, if --force allowed one.
      guard rename(temporary, destination) == 0 else {
        throw StoreError.cannotCreate(path: destination, message: String(cString: strerror(errno)))
      }
    } catch {
      try? copy.close()
      try? manager.removeItem(atPath: temporary)
      if let error = error as? DatabaseError {
        throw StoreError(error, path: path, busyTimeout: busyTimeout)
      }
      throw StoreError.cannotCreate(path: destination, message: Self.reason(error))
    }
    return Self.fileSize(destination)
  }

  /// Copies the WAL into the main file and truncates it, after bulk writes.
  public func checkpoint() async throws {
    _ = try await writeWithoutTransaction { db in try db.checkpoint(.truncate) }
  }

  static func fileSize(_ path: String) -> Int64 {
    let attributes = try? FileManager.default.attributesOfItem(atPath: path)
    return (attributes?[.size] as? NSNumber)?.int64Value ?? 0
  }

  private static func reason(_ error: any Error) -> String {
    if let error = error as? DatabaseError { return error.message ?? "\(error)" }
    return (error as NSError).localizedDescription
  }
}
