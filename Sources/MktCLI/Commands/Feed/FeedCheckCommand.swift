import ArgumentParser
import Foundation
import Importers
import MktCore

/// `mkt feed check FILE…`: validate feeds against the Merchant Center rules, or against a
/// golden file.
struct FeedCheckCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "check",
    abstract: "Validate feeds against the Merchant Center rules, or compare with a golden file.",
    discussion: """
      Prints each finding as file:line:column (item, field, id): severity: message [rule], \
      then a summary per feed. Exit status: 0 when no finding is an error (warnings allowed), \
      1 when any is or when the feed differs from --golden, 65 when a feed cannot be read, \
      66 when a file is missing.

      Example: mkt feed check feed.xml --golden feed.golden.jsonl
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: FindingsOutputOptions
  @OptionGroup(title: "Reading") var reading: FeedReadOptions
  @Argument(help: "The feeds; '-' reads standard input.", completion: .file()) var files: [String]
  @Option(help: "Print at most N findings per feed (the counts stay complete).")
  var maxFindings: Int?
  @Option(
    help: ArgumentHelp("Compare the feed's canonical lines with this file.", valueName: "file"))
  var golden: String?
  @Flag(help: "Rewrite the --golden file from the feed instead of comparing.")
  var updateGolden = false

  func validate() throws {
    if updateGolden && golden == nil {
      throw ValidationError("--update-golden needs --golden FILE")
    }
    if golden != nil && files.count != 1 { throw ValidationError("--golden compares one feed") }
    if let maxFindings, maxFindings < 0 {
      throw ValidationError("--max-findings must be 0 or more")
    }
  }

  struct Report: Encodable {
    var summary: FeedCheckSummary
    var findings: [RowIssue]
    var golden: [GoldenComparison.Difference]?
  }

  func run() async throws {
    let out = Output(global, output)
    let limit =
      maxFindings
      ?? (output.format == .text ? 50 : Int.max)
    var worst = SysExit.ok
    var reports: [Report] = []
    for file in files {
      do {
        var findings: [RowIssue] = []
        var lines: [String] = []
        let normalizer = FeedNormalizer()
        let summary = try FeedScan.run(path: file, options: reading.options) { record, found in
          for finding in found where findings.count < limit { findings.append(finding) }
          if golden != nil { lines.append(normalizer.line(for: record)) }
        }
        var report = Report(summary: summary, findings: findings, golden: nil)
        if summary.errors > 0 { worst = max(worst, .problemsFound) }
        if let golden {
          if updateGolden {
            let file = try OutputFile(path: golden)
            try file.write(lines.map { $0 + "\n" }.joined())
            try file.finish()
          } else {
            let expected = try Self.lines(of: golden)
            let comparison = GoldenComparison(golden: expected, actual: lines)
            report.golden = comparison.differences
            if !comparison.matches { worst = max(worst, .problemsFound) }
          }
        }
        if output.format == .text {
          try out.write(Self.text(report, limit: limit, updated: updateGolden ? golden : nil))
          if let hint = Self.shopifyHint(summary, reading.options) { out.note(hint) }
        } else if output.format == .jsonl {
          var text = ""
          for finding in report.findings { text += try Output.json(finding, pretty: false) + "\n" }
          try out.write(text)
        }
        reports.append(report)
      } catch let error as any MktError {
        out.report(error)
        worst = max(worst, error.exitStatus)
      }
    }
    if output.format == .json {
      try out.write(Output.json(reports.count == 1 ? [reports[0]] : reports, pretty: true) + "\n")
    }
    if worst != .ok { throw Reported(worst, "the feed check found problems") }
  }

  /// What a Shopify export lacks that the command line supplies, when items were rejected
  /// for it: Shopify writes prices without a currency and no product links.
  static func shopifyHint(_ summary: FeedCheckSummary, _ options: FeedOptions) -> String? {
    guard summary.format == .shopify, summary.rejected > 0 else { return nil }
    var missing: [String] = []
    if options.currency == nil { missing.append("--currency EUR (its prices have none)") }
    if options.shopURL == nil {
      missing.append("--shop-url https://your-shop.example (for the product links)")
    }
    guard !missing.isEmpty else { return nil }
    return "hint: a Shopify export needs " + missing.joined(separator: " and ")
  }

  static func text(_ report: Report, limit: Int, updated: String?) -> String {
    var text = ""
    for finding in report.findings {
      text += "\(finding)" + (finding.rawValue.map { ": \"\($0)\"" } ?? "") + "\n"
    }
    let summary = report.summary
    let total = summary.errors + summary.warnings
    if total > report.findings.count {
      text +=
        "… \(total - report.findings.count) more findings (--max-findings N, or --jsonl for all)\n"
    }
    for difference in report.golden ?? [] { text += "golden: \(difference)\n" }
    text +=
      "\(summary.file): \(summary.items) items (\(summary.format.rawValue)), "
      + "\(summary.valid) valid, \(summary.rejected) rejected, \(summary.warned) with warnings; "
      + "\(summary.errors) errors, \(summary.warnings) warnings\n"
    if summary.skippedDrafts > 0 {
      text +=
        "  \(summary.skippedDrafts) product(s) not for sale skipped: draft, archived, unpublished or "
        + "disabled (--include-drafts reads them)\n"
    }
    if !summary.rules.isEmpty {
      text +=
        "  "
        + summary.rules.sorted { ($1.value, $0.key) < ($0.value, $1.key) }
        .map { "\($0.key) \($0.value)" }.joined(separator: ", ") + "\n"
    }
    if let golden = report.golden {
      text +=
        golden.isEmpty
        ? "  matches the golden file\n"
        : "  differs from the golden file: \(golden.count) differences\n"
    }
    if let updated { text += "  wrote the golden file \(updated)\n" }
    return text
  }

  static func lines(of path: String) throws -> [String] {
    let source = try ByteSource(path: path)
    var data: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while case let count = try source.read(into: &chunk), count > 0 { data += chunk[0..<count] }
    return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
  }
}
