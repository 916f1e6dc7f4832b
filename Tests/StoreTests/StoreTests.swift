import Foundation
import GRDB
import MktCore
import Store
import Testing

@Suite struct StoreOpenTests {
  let directory: TemporaryDirectory
  init() throws { directory = try TemporaryDirectory() }

  @Test func createsAMigratedWALDatabase() async throws {
    let path = directory.file("new.db")
    let store = try Store.open(path: path, mode: .create)
    let info = try await store.info()
    #expect(info.schemaVersion == Store.schemaVersion)
    #expect(info.journalMode == "wal")
    #expect(
      Set(["import_run", "merchant", "product", "product_translation", "search_vocab"])
        .isSubset(of: info.tables.map(\.name)))
    #expect(!info.tables.contains { $0.name.hasPrefix("product_search") }, "FTS internals hidden")
    #expect(FileManager.default.fileExists(atPath: path))
  }

  @Test func refusesAMissingFileUnlessCreating() {
    #expect(throws: StoreError.missing(path: directory.file("none.db"))) {
      try Store.open(path: directory.file("none.db"))
    }
    #expect(!FileManager.default.fileExists(atPath: directory.file("none.db")))
  }

  @Test func refusesADirectory() {
    #expect(throws: StoreError.notAFile(path: directory.path, kind: "a directory")) {
      try Store.open(path: directory.path, mode: .create)
    }
  }

  @Test func refusesANonSQLiteFileAndLeavesItAlone() throws {
    let path = directory.file("notes.txt")
    try Data("merchant notes, not a database\n".utf8).write(to: URL(fileURLWithPath: path))
    #expect(throws: StoreError.notADatabase(path: path)) {
      try Store.open(path: path, mode: .create)
    }
    #expect(try String(contentsOfFile: path, encoding: .utf8) == "merchant notes, not a database\n")
  }

  @Test func refusesAnotherApplicationsDatabase() throws {
    let path = directory.file("other.db")
    try DatabaseQueue(path: path).write {
      try $0.execute(sql: "CREATE TABLE invoices (id INTEGER)")
    }
    #expect(throws: StoreError.foreignDatabase(path: path, tables: ["invoices"])) {
      try Store.open(path: path)
    }
  }

  @Test func refusesANewerSchemaAndLeavesTheFileUntouched() throws {
    let path = directory.file("future.db")
    _ = try Store.open(path: path, mode: .create)
    try DatabaseQueue(path: path).write {
      try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('0042-create-hologram')")
    }
    let before = try Data(contentsOf: URL(fileURLWithPath: path))
    #expect(throws: StoreError.newerSchema(path: path, found: 42, known: Store.schemaVersion)) {
      try Store.open(path: path)
    }
    #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
  }

  @Test func migratesAnOlderDatabaseOnOpen() async throws {
    let path = directory.file("old.db")
    // A database from before migration 0001: mkt's bookkeeping table, no tables yet.
    try await DatabaseQueue(path: path).write {
      try $0.execute(sql: "CREATE TABLE grdb_migrations (identifier TEXT NOT NULL PRIMARY KEY)")
    }
    let store = try Store.open(path: path)
    #expect(store.upgradedFrom == 0)
    #expect(try await store.info().schemaVersion == Store.schemaVersion)
    #expect(try Store.open(path: path).upgradedFrom == nil)
  }

  @Test func waitsForTheBusyTimeoutThenReportsBusy() async throws {
    let path = directory.file("busy.db")
    let store = try Store.open(path: path, mode: .create, busyTimeout: 0.2)
    let holder = try lockHolder(path)
    defer { try? holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
    let started = ContinuousClock.now
    await #expect(throws: StoreError.busy(path: path, timeout: 0.2)) {
      try await store.fillMerchantsForTest(count: 1)
    }
    // Opening took a few milliseconds of the same budget (it may have waited too).
    #expect(ContinuousClock.now - started >= .milliseconds(150))
  }

  @Test func readersAreNotBlockedByAWriter() async throws {
    let path = directory.file("wal.db")
    let store = try Store.open(path: path, mode: .create, busyTimeout: 0.2)
    let holder = try lockHolder(path)
    defer { try? holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
    #expect(try await store.info().tables.count >= 5)
  }

  /// A second connection that holds the write lock until it rolls back.
  func lockHolder(_ path: String) throws -> DatabaseQueue {
    var config = Configuration()
    config.allowsUnsafeTransactions = true
    let holder = try DatabaseQueue(path: path, configuration: config)
    try holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
    return holder
  }

  @Test func backupIsAConsistentCopyAndRefusesToOverwrite() async throws {
    let store = try Store.open(path: directory.file("a.db"), mode: .create)
    let size = try await store.backup(to: directory.file("b.db"))
    #expect(size > 0)
    let copy = try Store.open(path: directory.file("b.db"))
    #expect(try await copy.check().ok)
    #expect(try await copy.info().schemaVersion == Store.schemaVersion)
    await #expect(throws: StoreError.backupExists(path: directory.file("b.db"))) {
      try await store.backup(to: directory.file("b.db"))
    }
    #expect(try await store.backup(to: directory.file("b.db"), overwrite: true) > 0)
  }

  @Test func checkFindsDamage() async throws {
    let path = directory.file("damaged.db")
    let store = try Store.open(path: path, mode: .create)
    // Enough merchants that the middle of the file is theirs, far past the schema's pages.
    try await store.fillMerchantsForTest(count: 20_000)
    try await store.checkpoint()
    // Overwrite the middle of the file: b-tree pages of the merchant table.
    let handle = try #require(FileHandle(forUpdatingAtPath: path))
    let size = try handle.seekToEnd()
    try handle.seek(toOffset: size / 2)
    try handle.write(contentsOf: Data(repeating: 0x5A, count: 8192))
    try handle.close()
    let report = try await Store.open(path: path).check()
    #expect(!report.ok)
    #expect(!report.integrityProblems.isEmpty)
  }
}

extension Store {
  /// Inserts `count` merchants straight into the table, as only a test may.
  func fillMerchantsForTest(count: Int) async throws {
    try await write { db in
      for index in 0..<count {
        try db.execute(
          sql: "INSERT INTO merchant (id, name, country, currency) VALUES (?, ?, 'DE', 'EUR')",
          arguments: ["T\(index)", "Test merchant number \(index) with a long enough name"])
      }
    }
  }
}

@Suite struct StoreWriteTests {
  struct Failure: Error {}

  @Test func aThrowingWriteLeavesNothingBehind() async throws {
    let store = try Store.inMemory()
    await #expect(throws: Failure.self) {
      try await store.write { db in
        try db.execute(
          sql: "INSERT INTO merchant (id, name, country, currency) VALUES ('A', 'A', 'DE', 'EUR')")
        throw Failure()
      }
    }
    #expect(try await store.info().tables.first { $0.name == "merchant" }?.rows == 0)
  }

  @Test func durabilityPicksTheSynchronousLevelPerTransaction() async throws {
    let directory = try TemporaryDirectory()
    let store = try Store.open(path: directory.file("d.db"), mode: .create)
    let full = try await store.write(.full) { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
    let normal = try await store.write(.normal) { try Int.fetchOne($0, sql: "PRAGMA synchronous") }
    #expect(full == 2)
    #expect(normal == 1)
  }

  @Test func writesRunInImmediateTransactions() async throws {
    let store = try Store.inMemory()
    let inTransaction = try await store.write { $0.isInsideTransaction }
    #expect(inTransaction)
  }
}

/// Hardening classes 9 and 10: what a database path may be, and how long a command waits.
@Suite struct StoreHardeningTests {
  let directory: TemporaryDirectory
  init() throws { directory = try TemporaryDirectory() }

  @Test func aFIFOOrADeviceIsRefusedAtOnce() throws {
    let fifo = directory.file("pipe.db")
    #expect(mkfifo(fifo, 0o600) == 0)
    let started = ContinuousClock.now
    #expect(throws: StoreError.notAFile(path: fifo, kind: "a FIFO (named pipe)")) {
      try Store.open(path: fifo)
    }
    #expect(ContinuousClock.now - started < .seconds(5), "opening a FIFO would block forever")
    let error = #expect(throws: StoreError.self) { try Store.open(path: "/dev/null") }
    #expect(error == .notAFile(path: "/dev/null", kind: "a character device"))
    #expect(error?.exitStatus == .noInput)
  }

  /// Holds the write lock from another connection, with nothing written to the WAL yet.
  func holdWriteLock(_ path: String) throws -> DatabaseQueue {
    var config = Configuration()
    config.allowsUnsafeTransactions = true
    let other = try DatabaseQueue(path: path, configuration: config)
    try other.writeWithoutTransaction { db in
      try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
      try db.execute(sql: "BEGIN IMMEDIATE")
    }
    return other
  }

  @Test func aReaderNeverWaitsForAWriter() async throws {
    let path = directory.file("shop.db")
    try await Store.open(path: path, mode: .create).checkpoint()
    let other = try holdWriteLock(path)
    defer { try? other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
    let started = ContinuousClock.now
    let info = try await Store.open(path: path, mode: .reading, busyTimeout: 20).info()
    #expect(info.schemaVersion == Store.schemaVersion)
    // Waiting would take the whole 20 s (and then fail); the bound leaves room for a loaded CI.
    #expect(ContinuousClock.now - started < .seconds(10))
  }

  @Test func aWriterWaitsNoLongerThanItsTimeoutInAll() async throws {
    let path = directory.file("shop.db")
    let store = try Store.open(path: path, mode: .create, busyTimeout: 10)
    let other = try holdWriteLock(path)
    defer { try? other.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
    func write() async {
      await #expect(throws: StoreError.busy(path: path, timeout: 10)) {
        try await store.write { db in try db.execute(sql: "CREATE TABLE t (x)") }
      }
    }
    await write()  // spends the whole budget
    var waits: [Duration] = []
    for _ in 0..<4 {
      let started = ContinuousClock.now
      await write()
      waits.append(ContinuousClock.now - started)
    }
    // Each waiting its own 10 s would take 10 s or more each; the budget is spent, so they give
    // up at once. The wall clock also counts the time this task waits to be resumed on a machine
    // loaded by the rest of the suite (an AddressSanitizer run on CI took 31 s for the four), so
    // the quickest of them is the figure.
    #expect(waits.min().map { $0 < .seconds(5) } == true, "one budget for all waits: \(waits)")
  }

  @Test func aDamagedFileIsReportedByTheCheckNotRefused() async throws {
    let path = directory.file("shop.db")
    let store = try Store.open(path: path, mode: .create)
    try await store.write { db in
      try db.execute(sql: "CREATE TABLE filler (x); INSERT INTO filler VALUES (zeroblob(200000))")
    }
    try await store.checkpoint()
    let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
    let damaged = directory.file("damaged.db")
    try bytes.prefix(bytes.count / 2).write(to: URL(fileURLWithPath: damaged))
    let report = try await Store.check(path: damaged, busyTimeout: 1)
    #expect(!report.ok)
    #expect(!report.integrityProblems.isEmpty)
  }
}
