/// What `mkt db info` shows: where the database is, its schema, size and contents.
public struct DatabaseInfo: Sendable, Equatable, Codable {
  /// The database path as given.
  public var path: String
  /// The schema version the file is at.
  public var schemaVersion: Int
  /// The newest schema version this binary knows.
  public var latestSchemaVersion: Int
  /// The SQLite library version.
  public var sqliteVersion: String
  /// The journal mode, `wal` for a file store.
  public var journalMode: String
  /// Bytes in the main database file.
  public var sizeBytes: Int64
  /// Bytes in the write-ahead log, not yet checkpointed into the main file.
  public var walBytes: Int64
  /// The page size in bytes.
  public var pageSize: Int
  /// Pages on the free list, reusable or reclaimable by `VACUUM`.
  public var freePages: Int
  /// Row counts of mkt's tables, by name.
  public var tables: [TableCount]

  /// One table's row count.
  public struct TableCount: Sendable, Equatable, Codable {
    public var name: String
    public var rows: Int
  }

  enum CodingKeys: String, CodingKey {
    case path, tables
    case schemaVersion = "schema_version"
    case latestSchemaVersion = "latest_schema_version"
    case sqliteVersion = "sqlite_version"
    case journalMode = "journal_mode"
    case sizeBytes = "size_bytes"
    case walBytes = "wal_bytes"
    case pageSize = "page_size"
    case freePages = "free_pages"
  }
}

/// What `mkt db check` found: SQLite's integrity check and foreign-key check.
public struct IntegrityReport: Sendable, Equatable, Encodable {
  /// The lines `PRAGMA integrity_check` printed, other than `ok`.
  public var integrityProblems: [String]
  /// Rows whose foreign key points at no row, as `table rowid N -> parent`.
  public var foreignKeyViolations: [String]

  /// Whether both checks passed.
  public var ok: Bool { integrityProblems.isEmpty && foreignKeyViolations.isEmpty }

  enum CodingKeys: String, CodingKey {
    case ok
    case integrityProblems = "integrity_problems"
    case foreignKeyViolations = "foreign_key_violations"
  }

  public init(integrityProblems: [String], foreignKeyViolations: [String]) {
    self.integrityProblems = integrityProblems
    self.foreignKeyViolations = foreignKeyViolations
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(ok, forKey: .ok)
    try container.encode(integrityProblems, forKey: .integrityProblems)
    try container.encode(foreignKeyViolations, forKey: .foreignKeyViolations)
  }
}
