import Foundation
import GRDB

/// The read-only look at a database file taken before a writer connection opens it.
enum Preflight {
  case new
  case upToDate
  case needsMigration

  /// Refuses what must not be written to: a directory, a non-SQLite file, another application's
  /// database, or a schema newer than this binary's.
  static func inspect(path: String, mode: Store.OpenMode, busyTimeout: Double) throws(StoreError)
    -> Preflight
  {
    if let found = try inspectFile(path: path, mode: mode) { return found }
    var config = Configuration()
    config.readonly = true
    config.busyMode = .timeout(busyTimeout)
    do {
      let queue = try DatabaseQueue(path: Store.readOnlyLocation(path), configuration: config)
      defer { try? queue.close() }
      return try queue.read { db throws(StoreError) -> Preflight in
        try inspectSchema(db, path: path, busyTimeout: busyTimeout)
      }
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
  }

  /// What the file alone tells: `.new` for no file (when `mode` creates) or an empty one,
  /// `nil` for an SQLite file, whose schema ``inspectSchema(_:path:busyTimeout:)`` reads.
  static func inspectFile(path: String, mode: Store.OpenMode) throws(StoreError) -> Preflight? {
    var info = stat()
    guard stat(path, &info) == 0 else {
      guard mode == .create else { throw .missing(path: path) }
      let parent = URL(fileURLWithPath: path).deletingLastPathComponent().path
      var parentIsDirectory: ObjCBool = false
      guard FileManager.default.fileExists(atPath: parent, isDirectory: &parentIsDirectory),
        parentIsDirectory.boolValue
      else { throw .cannotOpen(path: path, message: "the directory \(parent) does not exist") }
      return .new
    }
    // Never open anything but a regular file: a FIFO would block forever, a device is no database.
    if let kind = Self.kind(of: info.st_mode) { throw .notAFile(path: path, kind: kind) }
    guard let handle = FileHandle(forReadingAtPath: path) else {
      throw .cannotOpen(path: path, message: "the file cannot be read")
    }
    let header = (try? handle.read(upToCount: 16)) ?? Data()
    try? handle.close()
    if header.isEmpty { return .new }  // SQLite treats an empty file as a new database
    guard header.elementsEqual(Array("SQLite format 3\0".utf8)) else {
      throw .notADatabase(path: path)
    }
    return nil
  }

  /// Reads `db`'s tables and applied migrations: another application's database and a newer
  /// schema are refused.
  static func inspectSchema(_ db: Database, path: String, busyTimeout: Double) throws(StoreError)
    -> Preflight
  {
    do {
      let tables = try String.fetchAll(
        db,
        sql: """
          SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'
          ORDER BY name
          """)
      if tables.isEmpty { return .new }
      guard tables.contains("grdb_migrations") else {
        throw StoreError.foreignDatabase(path: path, tables: tables)
      }
      let applied = try Store.migrator.appliedIdentifiers(db)
      let known = Set(Store.migrator.migrations)
      if !applied.isSubset(of: known) {
        let found = applied.compactMap(Store.version(of:)).max() ?? 0
        throw StoreError.newerSchema(
          path: path, found: max(found, Store.schemaVersion + 1), known: Store.schemaVersion)
      }
      return applied.count == known.count ? .upToDate : .needsMigration
    } catch let error as StoreError {
      throw error
    } catch {
      throw StoreError(error, path: path, busyTimeout: busyTimeout)
    }
  }
}

extension Preflight {
  /// What a non-regular file is, for the refusal; `nil` for a regular file.
  static func kind(of mode: mode_t) -> String? {
    switch mode & S_IFMT {
    case S_IFREG: nil
    case S_IFDIR: "a directory"
    case S_IFIFO: "a FIFO (named pipe)"
    case S_IFCHR: "a character device"
    case S_IFBLK: "a block device"
    case S_IFSOCK: "a socket"
    default: "not a regular file"
    }
  }
}

extension Store {
  /// Whether this process may write the database: the file, and either its folder (SQLite
  /// creates `-wal` and `-shm` there) or both of those files.
  static func isWritable(_ path: String) -> Bool {
    guard access(path, W_OK) == 0 else { return false }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    return access(folder, W_OK) == 0
      || (access(path + "-wal", W_OK) == 0 && access(path + "-shm", W_OK) == 0)
  }

  /// How to open `path` for reading without leaving anything behind.
  ///
  /// A writable database opens as it is. One this process cannot write, with no `-wal` beside
  /// it (so no writer is active: the file is as complete as it gets), opens as an immutable URI:
  /// SQLite then creates no `-wal` or `-shm` (a plain read-only open would leave both, owned by
  /// the reader and unwritable by the owner). With a `-wal` present, a read-only open reads
  /// through it.
  static func readOnlyLocation(_ path: String) -> String {
    guard !isWritable(path), access(path + "-wal", F_OK) != 0 else { return path }
    let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
    var allowed = CharacterSet.urlPathAllowed
    allowed.remove(charactersIn: "?#%")
    let encoded = absolute.addingPercentEncoding(withAllowedCharacters: allowed) ?? absolute
    return "file:\(encoded)?immutable=1"
  }
}

extension StoreError {
  /// Maps an SQLite error to what it means for the user.
  init(_ error: any Error, path: String, busyTimeout: Double) {
    if let error = error as? StoreError {
      self = error
      return
    }
    guard let error = error as? DatabaseError else {
      self = .unexpected(path: path, code: -1, message: "\(error)")
      return
    }
    let message = error.message ?? "SQLite error \(error.resultCode.rawValue)"
    switch error.resultCode {
    case .SQLITE_BUSY, .SQLITE_LOCKED: self = .busy(path: path, timeout: busyTimeout)
    case .SQLITE_READONLY, .SQLITE_PERM, .SQLITE_AUTH:
      self = .readOnly(path: path, message: message)
    case .SQLITE_CANTOPEN: self = .cannotOpen(path: path, message: message)
    case .SQLITE_NOTADB: self = .notADatabase(path: path)
    case .SQLITE_CORRUPT: self = .corrupt(path: path, message: message)
    case .SQLITE_IOERR, .SQLITE_FULL, .SQLITE_NOLFS, .SQLITE_PROTOCOL:
      self = .ioError(path: path, message: message)
    default: self = .unexpected(path: path, code: error.resultCode.rawValue, message: message)
    }
  }
}
