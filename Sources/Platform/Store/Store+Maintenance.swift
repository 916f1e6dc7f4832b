import Foundation
import GRDB
import MktCore

#if canImport(Glibc)
import Glibc
#endif

extension Store {
  /// The schema version the file is at now: one read of the migrations table (readiness checks).
  public func appliedSchemaVersion() async throws -> Int {
    try await read { db in
      try Store.migrator.appliedIdentifiers(db).compactMap(Store.version(of:)).max() ?? 0
    }
  }

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

  /// Checks the database file at `path` even when it is too damaged to open as a store.
  ///
  /// A file that opens is checked as ``check()`` does. One that SQLite finds damaged while
  /// opening (truncated, overwritten pages) is opened read-only, without migrating, and what
  /// `PRAGMA integrity_check` manages to say, or the error it stops with, is the report.
  ///
  /// - Returns: the findings; `ok` only for an intact database.
  /// - Throws: ``StoreError`` for a file that is missing, not a file, or not SQLite at all.
  public static func check(path: String, busyTimeout: Double) async throws -> IntegrityReport {
    do {
      return try await Self.open(path: path, mode: .reading, busyTimeout: busyTimeout).check()
    } catch StoreError.corrupt(_, let message) {
      var problems = damage(path)
      if !problems.contains(message) { problems.insert(message, at: 0) }
      return IntegrityReport(integrityProblems: problems, foreignKeyViolations: [])
    }
  }

  /// What `PRAGMA integrity_check` says of a damaged file, read-only and unmigrated.
  private static func damage(_ path: String) -> [String] {
    var config = Configuration()
    config.readonly = true
    do {
      let queue = try DatabaseQueue(path: readOnlyLocation(path), configuration: config)
      defer { try? queue.close() }
      return try queue.read { db in
        try String.fetchAll(db, sql: "PRAGMA integrity_check").filter { $0 != "ok" }
      }
    } catch let error as DatabaseError {
      return [error.message ?? "database disk image is malformed"]
    } catch {
      return ["\(error)"]
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
          let table: String = row["table"]
          let rowid: Int64? = row["rowid"]
          let parent: String = row["parent"]
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
    switch try OutputPath.check(destination, protecting: [path], replacingDatabases: true) {
    case .replace(let target):
      if FileManager.default.fileExists(atPath: target), !overwrite {
        throw StoreError.backupExists(path: destination)
      }
      try await backup(into: target, shownAs: destination)
      return Self.fileSize(target)
    case .inPlace(let device):
      // A device or pipe (`/dev/stdout`): back up beside the database, then stream the copy.
      let staged = OutputPath.directory(of: path) + "/.mkt-backup-\(getpid()).db"
      defer { unlink(staged) }
      try await backup(into: staged, shownAs: destination)
      return try Self.copy(staged, toDevice: device)
    }
  }

  /// Backs up into `target.partial-PID`, then renames it to `target`.
  private func backup(into target: String, shownAs destination: String) async throws {
    let temporary = OutputPath.temporary(
      for: target, tag: "partial-\(ProcessInfo.processInfo.processIdentifier)")
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
      guard rename(temporary, target) == 0 else {
        throw StoreError.cannotCreate(path: destination, message: String(cString: strerror(errno)))
      }
    } catch {
      try? copy.close()
      unlink(temporary)
      unlink(temporary + "-journal")
      if let error = error as? DatabaseError {
        throw StoreError(error, path: path, busyTimeout: busyTimeout)
      }
      throw StoreError.cannotCreate(path: destination, message: Self.reason(error))
    }
  }

  /// Writes the file at `source` into the device or FIFO at `device`; returns the bytes written.
  private static func copy(_ source: String, toDevice device: String) throws -> Int64 {
    let input = Glibc.open(source, O_RDONLY | O_CLOEXEC)
    let output = Glibc.open(device, O_WRONLY | O_CLOEXEC)
    defer {
      if input >= 0 { close(input) }
      if output >= 0 { close(output) }
    }
    guard input >= 0, output >= 0 else {
      throw StoreError.cannotCreate(path: device, message: String(cString: strerror(errno)))
    }
    var buffer = [UInt8](repeating: 0, count: 1 << 16)
    var total: Int64 = 0
    while true {
      let count = buffer.withUnsafeMutableBytes { Glibc.read(input, $0.baseAddress, $0.count) }
      if count == 0 { return total }
      if count < 0 {
        if errno == EINTR { continue }
        throw StoreError.ioError(path: source, message: String(cString: strerror(errno)))
      }
      let failure = buffer.withUnsafeBytes {
        Descriptor.writeAll(output, UnsafeRawBufferPointer(rebasing: $0[..<count]))
      }
      if failure == EPIPE { return total }  // the reader stopped reading
      if failure != 0 {
        throw StoreError.ioError(path: device, message: String(cString: strerror(failure)))
      }
      total += Int64(count)
    }
  }

  /// Copies the WAL into the main file and, when `truncating` (the default), empties it, after
  /// bulk writes; commits copy it again once it is large (after a
  /// ``write(_:checkpointLater:_:)``).
  ///
  /// Without `truncating`, copies what it can without waiting for readers, which read on.
  public func checkpoint(truncating: Bool = true) async throws {
    _ = try await writeWithoutTransaction { db in
      try db.execute(sql: Self.automaticCheckpoint)
      return try db.checkpoint(truncating ? .truncate : .passive)
    }
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
