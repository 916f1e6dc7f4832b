import Analytics
import Foundation
import MktCore
import Store
import Testing

/// `report anomalies` on gen.py data: a checkout outage planted in one country on one day is
/// named first — and is the only anomaly — while the untouched traffic stays quiet.
@Suite(
  // Hundreds of thousands of events: minutes under a sanitizer, and the races are covered by
  // the other ingest tests; `make test` runs it.
  .disabled(if: ProcessInfo.processInfo.environment["MKT_SANITIZER"] != nil)
) struct AnomalyTests {
  /// The fixture's lines, decompressed with gzip.
  static func fixtureLines() throws -> [Substring] {
    let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .appendingPathComponent("Fixtures/events-35d.csv.gz").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/sh")
    process.arguments = ["-c", "gzip -dc '\(path)'"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    let data = pipe.fileHandleForReading.readDataToEndOfFile()
    process.waitUntilExit()
    return String(decoding: data, as: UTF8.self).split(separator: "\n")
  }

  @Test func aPlantedOutageIsNamedFirstAndAlone() async throws {
    let lines = try Self.fixtureLines()
    #expect(lines.count == 300_119)
    // No purchase from Germany on Wednesday 29 January: checkout broke there.
    let planted = lines.filter { line in
      !(line.hasPrefix("2025-01-29") && line.contains(",purchase,") && line.hasSuffix(",DE"))
    }
    #expect(lines.count - planted.count == 29)
    let directory = try TemporaryDirectory()
    let path = try directory.write("planted.csv", planted.joined(separator: "\n") + "\n")
    let service = AnalyticsService(
      store: try Store.open(path: directory.file("mkt.db"), mode: .create))
    let summary = try await service.ingest(path: path)
    #expect(summary.ingested == planted.count - 1)

    let conversion = try await service.anomalies(metric: .conversion)
    #expect(conversion.rows.map { "\($0.day) \($0.scope)" } == ["2025-01-29 country=DE"])
    let outage = try #require(conversion.rows.first)
    #expect(outage.value == 0 && outage.baseline > 0.04 && outage.score < -4.5)
    #expect(try await service.anomalies(metric: .traffic).rows.isEmpty, "traffic was not touched")
  }
}

/// `report insights`: suggestions carry their evidence.
@Suite struct InsightsTests {
  @Test func suggestionsNameTheSearchAndTheProduct() async throws {
    let directory = try TemporaryDirectory()
    let service = AnalyticsService(
      store: try Store.open(path: directory.file("mkt.db"), mode: .create))
    var lines: [String] = []
    for index in 0..<12 {
      let time = "2025-03-0\(index % 7 + 1)T10:\(10 + index):00Z"
      lines.append(
        "{\"ts\":\"\(time)\",\"type\":\"search\",\"user_id\":\"u\(index)\",\"query\":\"Regenjacke\","
          + "\"results\":0,\"country\":\"DE\"}")
      lines.append(
        "{\"ts\":\"\(time)\",\"type\":\"product_view\",\"user_id\":\"u\(index)\","
          + "\"product_id\":\"P-DULL\"}")
    }
    let path = try directory.write("e.jsonl", lines.joined(separator: "\n"))
    _ = try await service.ingest(path: path)
    let insights = try #require(try await service.insights(days: 7))
    #expect(
      insights.suggestions.contains(
        "search \"regenjacke\" had 12 searches and 12 without a result in DE: add a synonym "
          + "(mkt search synonyms load) or products shoppers can find under it"),
      "\(insights.suggestions)")
    #expect(insights.suggestions.contains { $0.hasPrefix("P-DULL was viewed 12 times") })
    #expect(insights.movements.count == 5)
  }
}
