/// What a bulk import did, or would do with `--dry-run`.
public struct ImportSummary: Sendable, Equatable, Encodable {
  /// The input, as the user named it.
  public var source: String
  /// The mode the run used.
  public var mode: ImportMode
  /// Whether anything was written.
  public var dryRun: Bool
  /// Rows read from the input, rejected ones included.
  public var rows: Int
  public var inserted = 0
  public var updated = 0
  public var unchanged = 0
  public var removed = 0
  public var rejected = 0
  /// Merchants created for unknown `merchant_id`s (`mkt import --create-merchants`).
  public var merchantsCreated = 0
  /// Products the feed marks as not for sale (drafts, archived, unpublished, disabled), passed
  /// over without `--include-drafts`.
  public var skippedDrafts = 0
  /// A remote source answered that it has not changed since the last import: nothing was read.
  public var notModified = false
  /// Wall-clock duration of the run in milliseconds.
  public var durationMilliseconds: Int = 0
  /// The problems found in rejected rows, in input order.
  public var issues: [RowIssue] = []

  public init(source: String, mode: ImportMode, dryRun: Bool, rows: Int = 0) {
    self.source = source
    self.mode = mode
    self.dryRun = dryRun
    self.rows = rows
  }

  /// Rows per second over the whole run.
  public var rowsPerSecond: Int {
    durationMilliseconds > 0 ? rows * 1000 / durationMilliseconds : rows * 1000
  }

  enum CodingKeys: String, CodingKey {
    case source, mode, rows, inserted, updated, unchanged, removed, rejected, issues
    case dryRun = "dry_run"
    case merchantsCreated = "merchants_created"
    case skippedDrafts = "skipped_drafts"
    case notModified = "not_modified"
    case durationMilliseconds = "duration_ms"
    case rowsPerSecond = "rows_per_second"
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode(source, forKey: .source)
    try container.encode(mode, forKey: .mode)
    try container.encode(dryRun, forKey: .dryRun)
    try container.encode(rows, forKey: .rows)
    try container.encode(inserted, forKey: .inserted)
    try container.encode(updated, forKey: .updated)
    try container.encode(unchanged, forKey: .unchanged)
    try container.encode(removed, forKey: .removed)
    try container.encode(rejected, forKey: .rejected)
    if merchantsCreated > 0 { try container.encode(merchantsCreated, forKey: .merchantsCreated) }
    if skippedDrafts > 0 { try container.encode(skippedDrafts, forKey: .skippedDrafts) }
    if notModified { try container.encode(notModified, forKey: .notModified) }
    try container.encode(durationMilliseconds, forKey: .durationMilliseconds)
    try container.encode(rowsPerSecond, forKey: .rowsPerSecond)
    try container.encode(issues, forKey: .issues)
  }

  /// One line for people: `12 rows: 10 inserted, 2 updated, 0 unchanged, 0 removed, 0 rejected`.
  public var line: String {
    if notModified { return "not modified since the last import: nothing read, nothing written" }
    let verb = dryRun ? "would be " : ""
    return "\(rows) rows: \(inserted) \(verb)inserted, \(updated) \(verb)updated, "
      + "\(unchanged) unchanged, \(removed) \(verb)removed, \(rejected) rejected"
      + (merchantsCreated > 0 ? ", \(merchantsCreated) merchants \(verb)created" : "")
      + (skippedDrafts > 0 ? ", \(skippedDrafts) not for sale skipped (--include-drafts)" : "")
      + " in \(durationMilliseconds) ms" + (dryRun ? " (dry run, nothing written)" : "")
  }
}

/// A bulk import stopped before writing anything.
public enum ImportError: MktError, Equatable {
  /// More rows were rejected than `--max-errors` allows.
  case tooManyErrors(source: String, rejected: Int, maxErrors: Int, issues: [RowIssue])

  public var exitStatus: SysExit { .dataError }

  public var location: InputLocation? {
    switch self {
    case .tooManyErrors(_, _, _, let issues): issues.first?.location
    }
  }

  public var description: String {
    switch self {
    case .tooManyErrors(let source, let rejected, let maxErrors, _):
      "\(source): \(rejected) rejected row\(rejected == 1 ? "" : "s") "
        + "(--max-errors \(maxErrors)); nothing was written"
    }
  }

  public var details: [String] {
    switch self {
    case .tooManyErrors(_, _, _, let issues): issues.map(\.description)
    }
  }

  public var hint: String? {
    "fix the rows listed above, or pass --max-errors N to skip up to N bad rows "
      + "(--errors FILE writes them as NDJSON)"
  }
}
