public import MktCore

/// The database could not be opened, read or written.
public enum StoreError: MktError, Equatable {
  /// No database file at the path, and the command does not create one.
  case missing(path: String)
  /// The path names a directory, a device, a FIFO or a socket (`kind` says which).
  case notAFile(path: String, kind: String)
  /// The file exists but is not an SQLite database.
  case notADatabase(path: String)
  /// The file is an SQLite database, but not one of mkt's.
  case foreignDatabase(path: String, tables: [String])
  /// The database was written by a newer mkt.
  case newerSchema(path: String, found: Int, known: Int)
  /// Another process held the database longer than the busy timeout.
  case busy(path: String, timeout: Double)
  /// The file or its directory cannot be written.
  case readOnly(path: String, message: String)
  /// The file cannot be created or opened.
  case cannotOpen(path: String, message: String)
  /// The disk is full, or another operating-system I/O error.
  case ioError(path: String, message: String)
  /// SQLite found the file damaged.
  case corrupt(path: String, message: String)
  /// A backup would overwrite an existing file.
  case backupExists(path: String)
  /// An output file cannot be created.
  case cannotCreate(path: String, message: String)
  /// An SQLite error mkt does not expect: a bug.
  case unexpected(path: String, code: Int32, message: String)

  public var exitStatus: SysExit {
    switch self {
    case .missing, .notAFile, .cannotOpen: .noInput
    case .notADatabase, .foreignDatabase, .newerSchema, .corrupt: .dataError
    case .busy: .tempFail
    case .readOnly, .backupExists, .cannotCreate: .cantCreate
    case .ioError: .ioError
    case .unexpected: .software
    }
  }

  public var location: InputLocation? {
    switch self {
    case .missing(let path), .notAFile(let path, _), .notADatabase(let path),
      .foreignDatabase(let path, _), .newerSchema(let path, _, _), .busy(let path, _),
      .readOnly(let path, _), .cannotOpen(let path, _), .ioError(let path, _),
      .corrupt(let path, _), .unexpected(let path, _, _), .backupExists(let path),
      .cannotCreate(let path, _):
      InputLocation(file: path)
    }
  }

  public var description: String {
    switch self {
    case .missing: "no mkt database here"
    case .notAFile(_, let kind): "the database path is \(kind), not a database file"
    case .notADatabase: "the file is not an SQLite database"
    case .foreignDatabase(_, let tables):
      "the file is an SQLite database, but not mkt's (it has tables "
        + tables.prefix(5).joined(separator: ", ") + (tables.count > 5 ? ", …" : "") + ")"
    case .newerSchema(_, let found, let known):
      "the database has schema version \(found), newer than this mkt knows (\(known)); "
        + "it was left untouched"
    case .busy(_, let timeout):
      "another mkt process holds the database; try again (waited \(Self.seconds(timeout)))"
    case .readOnly(_, let message): "cannot write to the database: \(message)"
    case .cannotOpen(_, let message): "cannot open the database: \(message)"
    case .ioError(_, let message): "I/O error on the database: \(message)"
    case .corrupt(_, let message): "the database is damaged: \(message)"
    case .unexpected(_, let code, let message): "SQLite error \(code): \(message)"
    case .backupExists: "the backup file already exists"
    case .cannotCreate(_, let message): "cannot create the file: \(message)"
    }
  }

  public var hint: String? {
    switch self {
    case .missing: "create it with `mkt init`, or point --db or MKT_DB at an existing one"
    case .notAFile, .notADatabase, .foreignDatabase:
      "point --db (or MKT_DB) at an mkt database file, or at a new path and run `mkt init`"
    case .newerSchema: "upgrade mkt to a version that knows this schema"
    case .busy: "run the command again when the other one is done, or raise --busy-timeout"
    case .readOnly: "check the file's and its directory's permissions"
    case .cannotOpen: "check that the directory exists and is writable"
    case .ioError: "check free disk space and the disk, then try again"
    case .corrupt: "`mkt db check` lists the damage; restore the latest backup if needed"
    case .backupExists: "choose a new file name, or pass --force to replace it"
    case .cannotCreate: "check that the directory exists and is writable, and the free space"
    case .unexpected: "this is a bug in mkt; please report it with `mkt --version`"
    }
  }

  private static func seconds(_ value: Double) -> String {
    value == value.rounded() ? "\(Int(value)) s" : "\(value) s"
  }
}
