import Foundation
package import GRDB
import MktCore

/// The one SQLite database file behind mkt: opened, migrated and guarded here, and only here.
///
/// Modules read and write through ``read(_:)`` and ``write(_:_:)``; no GRDB type appears in the
/// public API. A file store is a `DatabasePool` (WAL: readers never block the writer), waits up to
/// the busy timeout for a lock, enforces foreign keys, and runs write transactions `IMMEDIATE`.
public struct Store: Sendable {
  /// The database path as given, or `:memory:`.
  public let path: String
  /// Seconds a command waits for another process's lock before exit 75.
  public let busyTimeout: Double
  /// The schema version the file had when this open migrated it; `nil` if nothing was migrated.
  public let upgradedFrom: Int?
  let writer: any DatabaseWriter

  /// Whether ``open(path:mode:busyTimeout:)`` may create the file.
  public enum OpenMode: Sendable {
    /// Create the file if it does not exist (`mkt init`).
    case create
    /// The file must exist (every other command).
    case existing
  }

  /// Opens the database file at `path`, migrating it to this binary's schema.
  ///
  /// The file is inspected read-only first: a directory, a non-SQLite file, another
  /// application's database or a newer mkt schema is refused before anything is written.
  ///
  /// - Throws: ``StoreError``.
  public static func open(path: String, mode: OpenMode = .existing, busyTimeout: Double = 5)
    throws(StoreError) -> Store
  {
    let found = try Preflight.inspect(path: path, mode: mode, busyTimeout: busyTimeout)
    var config = Configuration()
    config.busyMode = .timeout(busyTimeout)
    config.foreignKeysEnabled = true
    config.label = "mkt"
    // 32 MiB of page cache per connection (SQLite's default is 2 MiB): order placement and
    // imports touch many index pages per transaction; the memory is only taken when used.
    config.prepareDatabase { db in
      try db.execute(sql: "PRAGMA cache_size = -32768; PRAGMA wal_autocheckpoint = 8192")
    }
    let pool: DatabasePool
    var upgradedFrom: Int?
    do {
      pool = try DatabasePool(path: path, configuration: config)
      let applied = try pool.read { try Store.migrator.appliedIdentifiers($0) }
      if applied.count < Store.migrator.migrations.count {
        try Store.migrator.migrate(pool)
        if case .needsMigration = found {
          upgradedFrom = applied.compactMap(Store.version(of:)).max() ?? 0
        }
      }
    } catch {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
    return Store(path: path, busyTimeout: busyTimeout, upgradedFrom: upgradedFrom, writer: pool)
  }

  /// The most of the file a read connection maps into memory (``mapForReading(_:)``); SQLite
  /// caps it at its compile-time limit (2 GiB for Debian's).
  static let mmapBytes = 1 << 40

  /// Lets `db` read the file through a memory map instead of copying each page.
  ///
  /// For reads that touch many pages (search). Not for imports: mapped pages count in the
  /// process's resident memory, and an import would seem to hold the whole file.
  package static func mapForReading(_ db: Database) throws {
    try db.execute(sql: "PRAGMA mmap_size = \(mmapBytes)")
  }

  /// A fresh, migrated database in memory, for tests.
  public static func inMemory() throws(StoreError) -> Store {
    do {
      let queue = try DatabaseQueue()
      try Store.migrator.migrate(queue)
      return Store(path: ":memory:", busyTimeout: 0, upgradedFrom: nil, writer: queue)
    } catch {
      throw StoreError(error, path: ":memory:", busyTimeout: 0)
    }
  }

  /// Runs `body` in a read transaction: a consistent snapshot, concurrent with writers.
  ///
  /// - Throws: the error `body` throws, with SQLite errors mapped to ``StoreError``.
  package func read<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws
    -> T
  {
    do {
      return try await writer.read(body)
    } catch let error as DatabaseError {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
  }

  /// Runs `body` in one `BEGIN IMMEDIATE` transaction: all of it commits, or none of it.
  ///
  /// - Parameters:
  ///   - durability: `.full` fsyncs the commit (survives power loss); `.normal` for re-importable
  ///     bulk data.
  ///   - body: The work; throwing rolls everything back.
  /// - Returns: what `body` returns.
  /// - Throws: the error `body` throws, with SQLite errors mapped to ``StoreError``.
  package func write<T: Sendable>(
    _ durability: Durability = .full, _ body: @escaping @Sendable (Database) throws -> T
  ) async throws -> T {
    do {
      return try await writer.writeWithoutTransaction { db in
        let level = durability == .full ? "FULL" : "NORMAL"
        try db.execute(sql: "PRAGMA synchronous = \(level)")
        var output: T?
        try db.inTransaction(.immediate) {
          output = try body(db)
          return .commit
        }
        guard let output else {
          throw StoreError.unexpected(path: path, code: 0, message: "no result")
        }
        return output
      }
    } catch let error as DatabaseError {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
  }

  /// Runs `body` outside any transaction on the writer connection: checkpoints, backups, VACUUM.
  package func writeWithoutTransaction<T: Sendable>(
    _ body: @escaping @Sendable (Database) throws -> T
  ) async throws -> T {
    do {
      return try await writer.writeWithoutTransaction(body)
    } catch let error as DatabaseError {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
  }

  /// The version of the SQLite library mkt runs on, such as `3.40.1`.
  public static var sqliteVersion: String {
    (try? DatabaseQueue().read { try String.fetchOne($0, sql: "SELECT sqlite_version()") })
      .flatMap { $0 } ?? "unknown"
  }
}
