public import Foundation
import GRDB
import Importers
public import MktCore
public import Store

/// Shopper events and what ops ask of them: ingest with rollups kept in the same transaction,
/// rebuilds from the raw events, and the reports read from the rollups.
public struct AnalyticsService: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// Options of an ingest.
  public struct IngestOptions: Sendable {
    public var dryRun = false
    public var maxErrors = 0
    /// Keep raw events this many days (stored as the setting for later ingests); `nil` keeps
    /// the stored setting.
    public var keepRawDays: Int?
    /// The time ingest takes as now (tests); `nil` for the clock.
    public var now: Date?
    /// The file's bytes when it was fetched (a URL); the path then only names it.
    public var bytes: [UInt8]?
    /// A file of a followed folder, recorded as taken in the same transaction.
    public var followed: FollowedFile?

    public init(dryRun: Bool = false, maxErrors: Int = 0, keepRawDays: Int? = nil) {
      self.dryRun = dryRun
      self.maxErrors = maxErrors
      self.keepRawDays = keepRawDays
    }
  }

  /// Ingests an event file (JSON lines or CSV, plain or gzip; `-` is standard input) in one
  /// transaction: every event or none (beyond `maxErrors` rejected ones), the rollups with them.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - name: What locations call the input (a URL downloaded to `path`), if not `path`.
  ///   - options: Dry run, error budget, retention.
  /// - Returns: the counts and the rejected events.
  /// - Throws: ``ImportError`` (65) past the error budget; ``LineError`` (65) for a line over
  ///   1 MiB; source and store errors.
  public func ingest(path: String, name: String? = nil, options: IngestOptions = IngestOptions())
    async throws -> EventIngestSummary
  {
    let started = ContinuousClock.now
    let source =
      try options.bytes.map { ByteSource(bytes: $0, name: name ?? path) }
      ?? ByteSource(path: path, name: name)
    let reader = try EventReader(source: source)
    let now = Int64((options.now ?? store.clock.now()).timeIntervalSince1970)
    nonisolated(unsafe) let unsafeReader = reader
    var summary: EventIngestSummary
    do {
      summary = try await store.write(.full) { db in
        let stored = try String.fetchOne(
          db, sql: "SELECT value FROM analytics_setting WHERE name = 'keep_raw_days'")
        if let keep = options.keepRawDays, !options.dryRun {
          try db.execute(
            sql:
              "INSERT OR REPLACE INTO analytics_setting (name, value) VALUES ('keep_raw_days', ?)",
            arguments: [String(keep)])
        }
        let ingest = EventIngest(
          source: unsafeReader.name, dryRun: options.dryRun, maxErrors: options.maxErrors,
          latest: now + 15 * 60, keepRawDays: options.keepRawDays ?? stored.flatMap(Int.init),
          now: now)
        let summary = try ingest.run(unsafeReader, db)
        if options.dryRun { throw DryRun(summary: summary) }
        if let file = options.followed {
          try db.execute(
            sql: """
              INSERT OR REPLACE INTO analytics_file (path, size, modified, events)
              VALUES (?, ?, ?, ?)
              """, arguments: [file.path, file.size, file.modified, summary.ingested])
        }
        return summary
      }
    } catch let dryRun as DryRun {
      summary = dryRun.summary
    }
    summary.durationMilliseconds = Int((ContinuousClock.now - started) / .milliseconds(1))
    return summary
  }

  /// Ends a dry run's transaction with a rollback, carrying what it would have done.
  private struct DryRun: Error {
    var summary: EventIngestSummary
  }

  /// A file in a folder `mkt events ingest --follow` reads: taken once, in name order.
  public struct FollowedFile: Sendable, Equatable {
    public var path: String
    public var size: Int64
    public var modified: Int64

    public init(path: String, size: Int64, modified: Int64) {
      self.path = path
      self.size = size
      self.modified = modified
    }
  }

  /// The files of `directory` not taken yet, in name order: event files (`.jsonl`, `.ndjson`,
  /// `.json`, `.csv`, each maybe `.gz`), not hidden (a producer writes `.name.tmp`, then
  /// renames), unchanged since they were taken if taken before.
  public func newFiles(in directory: String) async throws -> [FollowedFile] {
    let names: [String]
    do {
      names = try FileManager.default.contentsOfDirectory(atPath: directory).sorted()
    } catch {
      throw SourceError.cannotOpen(path: directory, reason: "not a readable folder")
    }
    let extensions = [".jsonl", ".ndjson", ".json", ".csv"]
    var files: [FollowedFile] = []
    for name in names where !name.hasPrefix(".") {
      let bare = name.hasSuffix(".gz") ? String(name.dropLast(3)) : name
      guard extensions.contains(where: bare.hasSuffix) else { continue }
      let path = (directory as NSString).appendingPathComponent(name)
      guard let attributes = try? FileManager.default.attributesOfItem(atPath: path),
        attributes[.type] as? FileAttributeType == .typeRegular
      else { continue }
      let size = (attributes[.size] as? NSNumber)?.int64Value ?? 0
      let modified = Int64((attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0)
      files.append(FollowedFile(path: path, size: size, modified: modified))
    }
    let taken = try await store.read { db in
      var taken: [String: (Int64, Int64)] = [:]
      for row in try Row.fetchAll(db, sql: "SELECT path, size, modified FROM analytics_file") {
        taken[row["path"]] = (row["size"], row["modified"])
      }
      return taken
    }
    return files.filter { file in
      guard let (size, modified) = taken[file.path] else { return true }
      return size != file.size || modified != file.modified
    }
  }

  /// What the events tables hold.
  public struct Stats: Sendable, Equatable, Encodable {
    public var events: Int
    public var firstDay: String?
    public var lastDay: String?
    public var rollupDays: Int
    public var products: Int
    public var queries: Int
    public var keepRawDays: Int?
    public var byType: [String: Int]

    enum CodingKeys: String, CodingKey {
      case events, products, queries
      case firstDay = "first_day"
      case lastDay = "last_day"
      case rollupDays = "rollup_days"
      case keepRawDays = "keep_raw_days"
      case byType = "by_type"
    }
  }

  /// Counts of the raw events and rollups.
  public func stats() async throws -> Stats {
    try await store.read { db in
      let range = try Row.fetchOne(
        db,
        sql: """
          SELECT coalesce(sum(count), 0) AS event_count, min(day) AS first_day, max(day) AS last_day
          FROM analytics_block
          """)
      var byType: [String: Int] = [:]
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT sum(page_views) AS page_views, sum(product_views) AS product_views,
            sum(carts) AS carts, sum(purchases) AS purchases, sum(searches) AS searches
          FROM analytics_day
          """)
      {
        let columns: [(EventType, String)] = [
          (.pageView, "page_views"), (.productView, "product_views"), (.addToCart, "carts"),
          (.purchase, "purchases"), (.search, "searches"),
        ]
        for (type, column) in columns {
          byType[type.name] = row[column] ?? 0
        }
      }
      return Stats(
        events: range?["event_count"] ?? 0,
        firstDay: (range?["first_day"] as Int64?).map(Analytics.dayText),
        lastDay: (range?["last_day"] as Int64?).map(Analytics.dayText),
        rollupDays: try Int.fetchOne(
          db, sql: "SELECT count(DISTINCT day) FROM analytics_day") ?? 0,
        products: try Int.fetchOne(
          db, sql: "SELECT count(*) FROM analytics_name WHERE kind = ?",
          arguments: [NameKind.product.rawValue]) ?? 0,
        queries: try Int.fetchOne(
          db, sql: "SELECT count(*) FROM analytics_name WHERE kind = ?",
          arguments: [NameKind.query.rawValue]) ?? 0,
        keepRawDays: try String.fetchOne(
          db, sql: "SELECT value FROM analytics_setting WHERE name = 'keep_raw_days'"
        ).flatMap(Int.init),
        byType: byType)
    }
  }

  /// Recomputes the rollups of `from` and the days after from the raw events, in the order they
  /// were ingested: the same rollups ingest kept.
  ///
  /// - Returns: the number of raw events replayed.
  /// - Throws: ``AnalyticsError/rawEventsPruned(from:oldest:)`` when raw events of those days
  ///   were deleted by the retention setting.
  public func rebuild(from: String) async throws -> Int {
    guard let day = Analytics.day(from) else { throw AnalyticsError.invalidDay(from) }
    let today = store.clock.seconds() / Event.daySeconds
    return try await store.write(.full) { db in
      if let keep = try String.fetchOne(
        db, sql: "SELECT value FROM analytics_setting WHERE name = 'keep_raw_days'"
      ).flatMap(Int64.init) {
        let oldest = today - keep
        guard day >= oldest else {
          throw AnalyticsError.rawEventsPruned(from: from, oldest: Analytics.dayText(oldest))
        }
      }
      return try Self.rebuild(fromDay: day, db)
    }
  }

  static func rebuild(fromDay day: Int64, _ db: Database) throws -> Int {
    for table in [
      "analytics_day", "analytics_revenue", "analytics_product_day", "analytics_query_day",
      "analytics_sketch", "analytics_ab", "analytics_product_pack",
    ] {
      try db.execute(sql: "DELETE FROM \(table) WHERE day >= ?", arguments: [day])
    }
    try db.execute(
      sql: "DELETE FROM analytics_state WHERE day >= ? AND part != ?",
      arguments: [day, DayState.Part.keys.rawValue])
    let batch = RollupBatch(db, recording: false)
    var replayed = 0
    let blocks = try Row.fetchCursor(
      db, sql: "SELECT day, events FROM analytics_block WHERE day >= ? ORDER BY id",
      arguments: [day])
    while let block = try blocks.next() {
      try EventBlock.forEach(block["events"], day: block["day"]) { event in
        try batch.apply(event)
        replayed += 1
      }
      if batch.pending >= EventIngest.batchSize { try batch.flush() }
    }
    try batch.flush(final: true)
    return replayed
  }
}

/// What analytics refuses.
public enum AnalyticsError: MktError, Equatable {
  case invalidDay(String)
  case emptyRange(from: String, to: String)
  case rawEventsPruned(from: String, oldest: String)
  case unsupportedFilter(report: String, filter: String)

  public var exitStatus: SysExit {
    switch self {
    case .invalidDay, .emptyRange, .unsupportedFilter: .usage
    case .rawEventsPruned: .dataError
    }
  }

  public var description: String {
    switch self {
    case .invalidDay(let text): "'\(text)' is not a day (YYYY-MM-DD)"
    case .emptyRange(let from, let to): "--from \(from) is after --to \(to)"
    case .unsupportedFilter(let report, let filter):
      "report \(report) cannot filter by \(filter): its rollups are not kept per segment"
    case .rawEventsPruned(let from, let oldest):
      "raw events before \(oldest) were deleted by the retention setting: the rollups from "
        + "\(from) cannot be rebuilt"
    }
  }

  public var hint: String? {
    switch self {
    case .rawEventsPruned(_, let oldest): "rebuild from \(oldest) or later"
    default: nil
    }
  }
}
