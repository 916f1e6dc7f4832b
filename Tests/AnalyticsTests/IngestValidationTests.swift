import Foundation
import Importers
import MktCore
import Store
import Testing

@testable import Analytics

/// Bad events are rejected with their line, column and reason; nothing of a file is written
/// past the error budget (issue 16, "Bad input").
@Suite struct IngestValidationTests {
  let directory: TemporaryDirectory
  let service: AnalyticsService
  let store: Store

  init() throws {
    directory = try TemporaryDirectory()
    store = try Store.open(path: directory.file("mkt.db"), mode: .create)
    service = AnalyticsService(store: store)
  }

  static let good =
    #"{"ts":"2025-01-01T10:00:00Z","type":"page_view","user_id":"u1","session_id":"s1","country":"DE"}"#

  /// Ingests `lines` after one good line with an error budget, returning the rejections.
  func rejections(_ lines: [String]) async throws -> [RowIssue] {
    let path = try directory.write(
      "bad.jsonl", ([Self.good] + lines).joined(separator: "\n") + "\n")
    let summary = try await service.ingest(
      path: path, options: AnalyticsService.IngestOptions(maxErrors: 100))
    #expect(summary.ingested + summary.duplicates + summary.rejected == summary.rows)
    return summary.issues
  }

  @Test func eachProblemIsNamedWhereItIs() async throws {
    let issues = try await rejections([
      #"{"ts":"2025-01-01T10:00:00Z","type":"checkout","user_id":"u1"}"#,
      #"{"type":"page_view","user_id":"u1"}"#,
      #"{"ts":"2025-01-01T10:00:00Z","type":"page_view"}"#,
      #"{"ts":"yesterday","type":"page_view","user_id":"u1"}"#,
      #"{"ts":"2099-01-01T10:00:00Z","type":"page_view","user_id":"u1"}"#,
      #"{"ts":"2025-01-01T10:00:00Z","type":"purchase","user_id":"u1","product_id":"P1","price":12.5}"#,
      #"{"ts":"2025-01-01T10:00:00Z","type":"page_view","user_id":"u1","merchant_id":"nobody"}"#,
      #"{"ts":"2025-01-01T10:00:00Z","type":"product_view","user_id":"u1"}"#,
      #"{"ts":"2025-01-01T10:00:00Z","type":"page_view","user_id":"u1""#,
      #"{"ts":"2025-01-01T10:00:00Z","type":"page_view","user_id":{"id":1}}"#,
      #"{"ts":"2025-01-01T10:00:00Z","type":"purchase","user_id":"u1","product_id":"P1","price":-3,"currency":"EUR"}"#,
    ])
    #expect(
      issues.map(\.rule) == [
        "unknown-type", "missing-ts", "missing-user", "invalid-ts", "future-ts",
        "missing-currency", "unknown-merchant", "missing-product", "invalid-json", "invalid-json",
        "invalid-price",
      ])
    #expect(issues.map { $0.location.line } == Array(2...12))
    #expect(
      issues[0].description
        == directory.file("bad.jsonl")
        + ":2:37 (field type): type is one of page_view, product_view, add_to_cart, "
        + "purchase, search [unknown-type]",
      "\(issues[0].description)")
    #expect(issues[9].message == "user_id must be text or a number, not an object")
    #expect(issues[8].location.column != nil)
  }

  @Test func aReusedEventIDWithOtherContentIsRejected() async throws {
    let first = #"{"event_id":"e1","ts":"2025-01-01T10:00:00Z","type":"page_view","user_id":"u1"}"#
    let other = #"{"event_id":"e1","ts":"2025-01-01T10:00:00Z","type":"page_view","user_id":"u2"}"#
    let issues = try await rejections([first, first, other])
    #expect(issues.map(\.rule) == ["duplicate-event-id"])
    #expect(issues.first?.message == "event_id e1 was ingested before with other content")
    #expect(try await service.stats().events == 2)
  }

  @Test func overTheBudgetNothingIsWritten() async throws {
    let path = try directory.write(
      "bad.jsonl",
      Self.good + "\n" + #"{"ts":"2025-01-01T10:00:00Z","type":"nope","user_id":"u1"}"# + "\n")
    await #expect(throws: ImportError.self) { try await service.ingest(path: path) }
    #expect(try await service.stats().events == 0)
  }

  @Test func aHugeLineIsRefusedWithBoundedMemory() async throws {
    let path = directory.file("huge.jsonl")
    _ = FileManager.default.createFile(atPath: path, contents: nil)
    let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
    try handle.write(contentsOf: Data((Self.good + "\n").utf8))
    try handle.write(contentsOf: Data(#"{"ts":"2025-01-01T10:00:00Z","query":""#.utf8))
    let chunk = Data(repeating: UInt8(ascii: "x"), count: 1 << 20)
    for _ in 0..<8 { try handle.write(contentsOf: chunk) }
    try handle.close()
    await #expect(throws: LineError.tooLong(InputLocation(file: path, line: 2), limit: 1 << 20)) {
      try await service.ingest(path: path)
    }
    #expect(try await service.stats().events == 0)
  }

  @Test func aDryRunWritesNothing() async throws {
    let path = try directory.write("a.jsonl", Self.good + "\n")
    var options = AnalyticsService.IngestOptions()
    options.dryRun = true
    let summary = try await service.ingest(path: path, options: options)
    #expect(summary.ingested == 1 && summary.dryRun)
    #expect(try await service.stats().events == 0)
  }

  @Test func csvFilesReadTheSameFields() async throws {
    let path = try directory.write(
      "a.csv",
      "ts,type,user_id,session_id,product_id,price,currency,country\n"
        + "2025-01-01T10:00:00Z,purchase,u1,s1,P1,19.90,EUR,DE\n"
        + "2025-01-01T10:05:00Z,purchase,u1,s1,P2,,EUR,DE\n")
    let summary = try await service.ingest(
      path: path, options: AnalyticsService.IngestOptions(maxErrors: 1))
    #expect(summary.ingested == 1)
    #expect(summary.issues.first?.description.hasPrefix("\(path):3 (field price)") == true)
    let overview = try await service.overview(ReportFilter())
    #expect(overview.rows.first?.revenue == 19.9)
  }

  @Test func reportsRefuseABackwardRangeAndSayWhenEmpty() async throws {
    await #expect(throws: AnalyticsError.emptyRange(from: "2025-02-01", to: "2025-01-01")) {
      try await service.overview(ReportFilter(from: "2025-02-01", to: "2025-01-01"))
    }
    #expect(try await service.overview(ReportFilter(from: "2025-01-01")).rows.isEmpty)
  }
}

/// The reader's byte-level time parser agrees with the feed validator's on every form.
@Suite struct TimeParsingTests {
  @Test(arguments: [
    "2025-01-01T10:00:00Z", "2024-02-29T23:59:59Z", "2025-03-30T02:30:00+02:00",
    "2025-10-26T01:15:00-05:30", "2025-06-01T12:00:00.123Z", "2000-01-01 00:00:00Z",
    "1999-12-31T23:59:59+14:00", "2025-02-29T10:00:00Z", "2025-13-01T10:00:00Z",
    "2025-01-01T24:00:00Z", "2025-01-01T10:00:00", "2025-01-01T10:00Z", "2025-01-32T10:00:00Z",
    "2025-01-01T10:00:00+0100", "x025-01-01T10:00:00Z",
  ])
  func bytesAndTextAgree(text: String) {
    let fast = Array(text.utf8).withUnsafeBufferPointer { EventDraft.isoSeconds($0) }
    let full = FeedSyntax.instant(Substring(text), requireZone: true)
    if let fast { #expect(fast == full, "\(text)") }
    if full == nil { #expect(fast == nil, "\(text)") }
  }
}

/// `--keep-raw`: raw events past retention are deleted, their rollups kept; older events are
/// refused (they could not be told from duplicates), and rollups are not rebuilt past it.
@Suite struct RetentionTests {
  @Test func rawEventsArePrunedRollupsKept() async throws {
    let directory = try TemporaryDirectory()
    let service = AnalyticsService(
      store: try Store.open(path: directory.file("mkt.db"), mode: .create))
    func line(_ day: String, _ user: String) -> String {
      "{\"ts\":\"\(day)T10:00:00Z\",\"type\":\"page_view\",\"user_id\":\"\(user)\"}"
    }
    var options = AnalyticsService.IngestOptions()
    options.now = Date(timeIntervalSince1970: 1_741_000_000)  // 2025-03-03
    let old = try directory.write(
      "old.jsonl", line("2025-01-02", "a") + "\n" + line("2025-02-25", "b"))
    _ = try await service.ingest(path: old, options: options)
    options.keepRawDays = 30
    let recent = try directory.write("recent.jsonl", line("2025-03-01", "c"))
    let summary = try await service.ingest(path: recent, options: options)
    #expect(summary.pruned == 1, "the January event's raw row")
    let stats = try await service.stats()
    #expect(stats.events == 2 && stats.keepRawDays == 30)
    #expect(try await service.overview(ReportFilter()).rows.map(\.pageViews).reduce(0, +) == 3)
    // Later ingests keep the setting: an event older than 30 days is refused.
    options.keepRawDays = nil
    let late = try directory.write("late.jsonl", line("2025-01-03", "d"))
    options.maxErrors = 1
    let refused = try await service.ingest(path: late, options: options)
    #expect(refused.issues.map(\.rule) == ["past-retention"])
    await #expect(throws: AnalyticsError.self) { try await service.rebuild(from: "2025-01-01") }
  }
}
