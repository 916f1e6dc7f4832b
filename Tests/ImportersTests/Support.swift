import Foundation
import Importers
import MktCore
import Testing

/// The fixtures folder beside this file.
let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
  .appendingPathComponent("Fixtures").path

/// Every record and its findings of a fixture feed.
func scan(_ path: String, options: FeedOptions = FeedOptions()) throws -> (
  summary: FeedCheckSummary, records: [ProductRecord], findings: [RowIssue]
) {
  var records: [ProductRecord] = []
  var findings: [RowIssue] = []
  let summary = try FeedScan.run(path: fixtures + "/" + path, options: options) { record, found in
    records.append(record)
    findings += found
  }
  return (summary, records, findings)
}

/// The canonical lines of a fixture feed.
func normalized(_ path: String, options: FeedOptions = FeedOptions()) throws -> String {
  try scan(path, options: options).records.map { FeedNormalizer().line(for: $0) + "\n" }.joined()
}

/// Compares `actual` with `Fixtures/<name>`; `MKT_RECORD_GOLDEN=1` rewrites it and fails.
func expectGolden(
  _ actual: String, named name: String, sourceLocation: SourceLocation = #_sourceLocation
) throws {
  let path = fixtures + "/" + name
  if ProcessInfo.processInfo.environment["MKT_RECORD_GOLDEN"] == "1" {
    try Data(actual.utf8).write(to: URL(fileURLWithPath: path))
    Issue.record(
      "recorded \(name); run again without MKT_RECORD_GOLDEN", sourceLocation: sourceLocation)
    return
  }
  guard let expected = FileManager.default.contents(atPath: path) else {
    Issue.record(
      "no golden file \(name); record it with MKT_RECORD_GOLDEN=1", sourceLocation: sourceLocation)
    return
  }
  let comparison = GoldenComparison(
    golden: String(decoding: expected, as: UTF8.self).split(separator: "\n").map(String.init),
    actual: actual.split(separator: "\n").map(String.init))
  let differences = comparison.differences.map(\.description).joined(separator: "\n")
  #expect(comparison.matches, "\(name) differs:\n\(differences)", sourceLocation: sourceLocation)
  #expect(String(decoding: expected, as: UTF8.self) == actual, sourceLocation: sourceLocation)
}

/// `text` in a file named `name` in a fresh temporary folder, which ``removeFolder(of:)``
/// removes with it.
func temporaryFile(_ text: String, name: String) throws -> String {
  let folder = NSTemporaryDirectory() + "mkt-importers-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
  let path = folder + "/" + name
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  return path
}

/// Removes the folder ``temporaryFile(_:name:)`` made for `path`.
func removeFolder(of path: String) {
  try? FileManager.default.removeItem(atPath: (path as NSString).deletingLastPathComponent)
}
