import Foundation
import GRDB
import Importers
public import MktCore

/// What an ingest of events did, or would do with `--dry-run`.
public struct EventIngestSummary: Sendable, Equatable, Encodable {
  /// The input, as the user named it.
  public var source: String
  /// Events read, rejected ones included.
  public var rows = 0
  /// Events stored and counted.
  public var ingested = 0
  /// Events stored before (the same `event_id` with the same content, or the same line).
  public var duplicates = 0
  public var rejected = 0
  /// The first and last day ingested events fall on (`YYYY-MM-DD`).
  public var firstDay: String?
  public var lastDay: String?
  /// Raw events deleted by the retention setting.
  public var pruned = 0
  public var dryRun: Bool
  public var durationMilliseconds = 0
  /// The problems found in rejected events, in input order.
  public var issues: [RowIssue] = []

  enum CodingKeys: String, CodingKey {
    case source, rows, ingested, duplicates, rejected, pruned, issues
    case firstDay = "first_day"
    case lastDay = "last_day"
    case dryRun = "dry_run"
    case durationMilliseconds = "duration_ms"
  }

  /// One line for people.
  public var line: String {
    let verb = dryRun ? "would be ingested" : "ingested"
    var text =
      "\(rows) events: \(ingested) \(verb), \(duplicates) already stored, \(rejected) rejected"
    if let firstDay, let lastDay {
      text += firstDay == lastDay ? " (\(firstDay))" : " (\(firstDay) to \(lastDay))"
    }
    if pruned > 0 { text += "; \(pruned) raw events past retention deleted" }
    return text + " in \(durationMilliseconds) ms" + (dryRun ? " (dry run, nothing written)" : "")
  }
}

/// One ingest of an event file, inside the caller's transaction: each event validated,
/// de-duplicated, stored raw and counted in the rollups.
struct EventIngest {
  var source: String
  var dryRun: Bool
  var maxErrors: Int
  /// The latest event time accepted: now plus 15 minutes for clocks running ahead.
  var latest: Int64
  /// Events this many days older than now are refused, `nil` for none.
  ///
  /// Their raw rows, needed to tell a duplicate, are deleted by then.
  var keepRawDays: Int?
  var now: Int64
  /// Events counted between two flushes of the rollups, bounding memory.
  static let batchSize = 131_072

  func run(_ reader: EventReader, _ db: Database) throws -> EventIngestSummary {
    var summary = EventIngestSummary(source: source, dryRun: dryRun)
    let merchants = Set(try String.fetchAll(db, sql: "SELECT id FROM merchant"))
    let batch = RollupBatch(db)
    let oldest = keepRawDays.map { now / Event.daySeconds - Int64($0) }
    var firstDay = Int64.max
    var lastDay = Int64.min
    let pipeline = EventPipeline(reader: reader, latest: latest, merchants: merchants)
    defer { pipeline.cancel() }
    while let item = try pipeline.next() {
      summary.rows += 1
      guard case .event(let event) = item else {
        if case .rejected(let issue) = item { summary.issues.append(issue) }
        summary.rejected += 1
        continue
      }
      let day = event.encoded.day
      if let oldest, day < oldest {
        summary.rejected += 1
        summary.issues.append(
          RowIssue(
            location: InputLocation(file: reader.name, line: event.line, field: "ts"),
            rule: "past-retention",
            message: "the event is older than the \(keepRawDays ?? 0) days raw events are kept "
              + "for: it cannot be told from one ingested before"))
        continue
      }
      let state = try batch.state(day)
      if let stored = state.keys[event.key] {
        if stored == event.digest {
          summary.duplicates += 1
        } else {
          summary.rejected += 1
          summary.issues.append(
            RowIssue(
              location: InputLocation(
                file: reader.name, line: event.line, column: event.column > 0 ? event.column : nil,
                field: "event_id"),
              rule: "duplicate-event-id",
              message: "event_id \(event.eventID) was ingested before with other content",
              rawValue: event.eventID))
        }
        continue
      }
      state.keys[event.key] = event.digest
      state.touch(.keys)
      try Names.store(event, db)
      summary.ingested += 1
      firstDay = min(firstDay, day)
      lastDay = max(lastDay, day)
      try batch.apply(event.encoded)
      if batch.pending >= Self.batchSize { try batch.flush() }
    }
    try batch.flush(final: true)
    if firstDay <= lastDay {
      summary.firstDay = Analytics.dayText(firstDay)
      summary.lastDay = Analytics.dayText(lastDay)
    }
    guard summary.rejected <= maxErrors else {
      throw ImportError.tooManyErrors(
        source: source, rejected: summary.rejected, maxErrors: maxErrors, issues: summary.issues)
    }
    if let oldest {
      summary.pruned =
        try Int.fetchOne(
          db, sql: "SELECT coalesce(sum(count), 0) FROM analytics_block WHERE day < ?",
          arguments: [oldest]) ?? 0
      try db.execute(sql: "DELETE FROM analytics_block WHERE day < ?", arguments: [oldest])
      try db.execute(sql: "DELETE FROM analytics_state WHERE day < ?", arguments: [oldest])
    }
    return summary
  }
}

/// Days as the analytics tables keep them (days since 1970-01-01, UTC).
public enum Analytics {
  /// `YYYY-MM-DD` of a day number.
  public static func dayText(_ day: Int64) -> String {
    let date = Date(timeIntervalSince1970: TimeInterval(day * Event.daySeconds))
    return String(UTCTime.iso(date).prefix(10))
  }

  /// The day number of `YYYY-MM-DD`, or `nil`.
  public static func day(_ text: String) -> Int64? {
    guard text.count == 10, let seconds = FeedSyntax.instant(Substring(text), requireZone: false)
    else { return nil }
    return seconds / Event.daySeconds
  }
}
