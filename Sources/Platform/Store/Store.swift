internal import CMalloc
internal import CSQLite
import Foundation
package import GRDB
internal import GRDBSQLite
public import MktCore

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
  /// Where the services over this store read the time (the system's clock unless set).
  public var clock = WallClock.system
  /// What is left of the busy timeout, for all of this store's waits together.
  let budget: WaitBudget

  init(path: String, busyTimeout: Double, upgradedFrom: Int?, writer: any DatabaseWriter) {
    self.path = path
    self.busyTimeout = busyTimeout
    self.upgradedFrom = upgradedFrom
    self.writer = writer
    budget = WaitBudget(seconds: busyTimeout)
  }

  /// Whether ``open(path:mode:busyTimeout:)`` may create the file.
  public enum OpenMode: Sendable {
    /// Create the file if it does not exist (`mkt init`).
    case create
    /// The file must exist (every other command).
    case existing
    /// The file must exist, and the command only reads (and may save on the side with
    /// ``writeIfFree(_:_:)``): opening never waits for another process's write lock.
    case reading
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
    let config = configuration(busyTimeout: busyTimeout)
    if mode == .reading, isWritable(path),
      let store = try openForReading(path: path, configuration: config, busyTimeout: busyTimeout)
    {
      return store
    }
    let found = try Preflight.inspect(path: path, mode: mode, busyTimeout: busyTimeout)
    if mode != .create, !isWritable(path) {
      return try openReadOnly(
        path: path, found: found, configuration: config, busyTimeout: busyTimeout)
    }
    let pool: DatabasePool
    var upgradedFrom: Int?
    let opening = ContinuousClock.now
    var openingWait = Duration.zero
    do {
      pool = try DatabasePool(path: path, configuration: config)
      openingWait = ContinuousClock.now - opening
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
    let store = Store(
      path: path, busyTimeout: busyTimeout, upgradedFrom: upgradedFrom, writer: pool)
    // Opening may have waited for the write lock (GRDB's WAL set-up).
    store.budget.spend(openingWait)
    return store
  }

  /// The WAL's size in pages at which a commit copies it into the main file.
  static let autocheckpointPages = 8192
  /// Turns the automatic checkpoint (back) on, at ``autocheckpointPages``.
  static let automaticCheckpoint = "PRAGMA wal_autocheckpoint = \(autocheckpointPages)"

  /// The connection settings of every open.
  private static func configuration(busyTimeout: Double) -> Configuration {
    _ = processSettings
    var config = Configuration()
    config.busyMode = .timeout(busyTimeout)
    config.foreignKeysEnabled = true
    config.label = "mkt"
    // 32 MiB of page cache per connection (SQLite's default is 2 MiB): order placement and
    // imports touch many index pages per transaction; the memory is only taken when used.
    //
    // Statement journals in memory (`temp_store = MEMORY`): every write statement that fires
    // triggers journals the pages it changes so it can be undone alone; once one statement's
    // journal passed SQLite's 64 KiB spill threshold it lived in a temporary file, and every
    // later statement of the transaction wrote its pages there — 3.5 million writes for a
    // 200,000-product import, 3.7 million for a million-row stock sync.
    config.prepareDatabase { db in
      try db.execute(
        sql: """
          PRAGMA cache_size = -32768; \(automaticCheckpoint); PRAGMA temp_store = MEMORY
          """)
    }
    return config
  }

  /// A database this process could write, opened for reading with one connection.
  ///
  /// The connection first looks at the file (``Preflight``), then reads: a search, quote or
  /// report opens no second connection, and never waits for a writer (GRDB's pool writes on
  /// open when the `-wal` file is empty or absent, RELIABILITY.md §7). `nil` when the file
  /// needs creating or upgrading, which a pool does.
  private static func openForReading(
    path: String, configuration: Configuration, busyTimeout: Double
  ) throws(StoreError) -> Store? {
    guard try Preflight.inspectFile(path: path, mode: .reading) == nil else { return nil }
    do {
      let queue = try DatabaseQueue(path: path, configuration: configuration)
      let found = try queue.read { db throws(StoreError) in
        try Preflight.inspectSchema(db, path: path, busyTimeout: busyTimeout)
      }
      guard case .upToDate = found else {
        try? queue.close()
        return nil
      }
      return Store(path: path, busyTimeout: busyTimeout, upgradedFrom: nil, writer: queue)
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
  }

  /// Opens a database this process cannot write: reads work, writes fail with
  /// ``StoreError/readOnly(path:message:)`` (73), and nothing is created beside the file.
  static func openReadOnly(
    path: String, found: Preflight, configuration: Configuration, busyTimeout: Double
  ) throws(StoreError) -> Store {
    if case .needsMigration = found {
      throw .readOnly(
        path: path,
        message: "it needs an upgrade to schema version \(schemaVersion) and is read-only here")
    }
    var config = configuration
    config.readonly = true
    do {
      let queue = try DatabaseQueue(path: readOnlyLocation(path), configuration: config)
      return Store(path: path, busyTimeout: busyTimeout, upgradedFrom: nil, writer: queue)
    } catch {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
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

  /// SQLite's process-wide settings, made before its first use.
  ///
  /// No count of the memory SQLite allocates: Debian's SQLite has no lookaside allocator, so
  /// each of its small allocations goes to malloc, and counting took a process-wide mutex
  /// around every one (about 5 % of a catalog import). Nothing in mkt reads the count.
  private static let processSettings: Void = {
    _ = mkt_sqlite3_stop_counting_memory()
  }()

  /// A fresh, migrated database in memory, for tests.
  public static func inMemory() throws(StoreError) -> Store {
    _ = processSettings
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
  ///   - checkpointLater: Leave the pages committed in the WAL for a ``checkpoint(truncating:)``
  ///     that the caller runs beside other work (a large import's commit would otherwise copy
  ///     them into the main file itself, alone on one core); later commits wait for it too.
  ///   - body: The work; throwing rolls everything back.
  /// - Returns: what `body` returns.
  /// - Throws: the error `body` throws, with SQLite errors mapped to ``StoreError``.
  package func write<T: Sendable>(
    _ durability: Durability = .full, checkpointLater: Bool = false,
    _ body: @escaping @Sendable (Database) throws -> T
  ) async throws -> T {
    do {
      return try await writer.writeWithoutTransaction { [budget] db in
        let level = durability == .full ? "FULL" : "NORMAL"
        try db.execute(
          sql: "PRAGMA synchronous = \(level); PRAGMA busy_timeout = \(budget.milliseconds)")
        // Until the next ``checkpoint(truncating:)``, which turns it back on.
        if checkpointLater { try db.execute(sql: "PRAGMA wal_autocheckpoint = 0") }
        var output: T?
        let asked = ContinuousClock.now
        var started = false
        do {
          try db.inTransaction(.immediate) {
            budget.spend(ContinuousClock.now - asked)
            started = true
            output = try body(db)
            return .commit
          }
        } catch {
          if !started { budget.spend(ContinuousClock.now - asked) }
          // Rolled back: nothing waits for the checkpoint.
          if checkpointLater { try? db.execute(sql: Self.automaticCheckpoint) }
          throw error
        }
        budget.refill()  // progress: the next wait has the whole timeout again
        guard let output else {
          throw StoreError.unexpected(path: path, code: 0, message: "no result")
        }
        return output
      }
    } catch let error as DatabaseError {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
  }

  /// Runs `body` in one `BEGIN IMMEDIATE` transaction if the write lock is free right now.
  ///
  /// For work a reader may do on the side (search saving what it rebuilt): it never waits for
  /// another writer. Returns `nil` when another process holds the lock or the database is
  /// read-only.
  package func writeIfFree<T: Sendable>(
    _ durability: Durability = .normal, _ body: @escaping @Sendable (Database) throws -> T
  ) async throws -> T? {
    let waitMilliseconds = Int(busyTimeout * 1000)
    do {
      return try await writer.writeWithoutTransaction { db -> T? in
        try db.execute(sql: "PRAGMA busy_timeout = 0")
        defer { try? db.execute(sql: "PRAGMA busy_timeout = \(waitMilliseconds)") }
        let level = durability == .full ? "FULL" : "NORMAL"
        try db.execute(sql: "PRAGMA synchronous = \(level)")
        var output: T?
        do {
          try db.inTransaction(.immediate) {
            output = try body(db)
            return .commit
          }
        } catch let error as DatabaseError
          where [.SQLITE_BUSY, .SQLITE_LOCKED, .SQLITE_READONLY].contains(error.resultCode)
        {
          return nil
        }
        return output
      }
    } catch let error as DatabaseError {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
  }

  /// Hands back the memory a large write leaves behind: the connections' page caches and
  /// cached statements, and the allocator's free pages.
  ///
  /// An import's writer keeps its 32 MiB of cache after the commit, and the allocator keeps
  /// the pages SQLite freed; search's preparation that follows reads on other connections.
  package func releaseMemory() async throws {
    try await writeWithoutTransaction { db in db.releaseMemory() }
    if let pool = writer as? DatabasePool {
      // Each reader closes once its current read ends; the next reads open new ones.
      pool.releaseMemoryEventually()
    }
    malloc_trim(0)
  }

  /// Shrinks `db`'s page cache to `kibibytes` and hands the pages it gave up back to the
  /// system, inside a write transaction too.
  ///
  /// A write transaction's dirty pages stay in the cache whatever its size until they are
  /// written: they are first written to the WAL (as a cache spill would), so that the cache
  /// can let them go, and the allocator's free pages are then returned. An import's 32 MiB
  /// cache otherwise stays resident beside what runs next in the same transaction.
  ///
  /// - Throws: SQLite errors.
  package static func shrinkCache(_ db: Database, kibibytes: Int) throws {
    let flushed = sqlite3_db_cacheflush(db.sqliteConnection)
    guard flushed == SQLITE_OK else {
      throw DatabaseError(resultCode: ResultCode(rawValue: flushed), message: "cache flush")
    }
    try db.execute(sql: "PRAGMA cache_size = -\(kibibytes); PRAGMA shrink_memory")
    malloc_trim(0)
  }

  /// Whether this process can write the database at all (file permissions, read-only open).
  public var isWritable: Bool { path == ":memory:" || Self.isWritable(path) }

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
  public static var sqliteVersion: String { String(cString: sqlite3_libversion()) }
}
