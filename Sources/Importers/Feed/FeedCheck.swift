public import MktCore

/// What `mkt feed check` found in one feed: counts that are always complete, whatever part of
/// the findings is printed.
public struct FeedCheckSummary: Sendable, Equatable, Encodable {
  /// The feed, as named.
  public var file: String
  /// The format read.
  public var format: FeedFormat
  /// Items read.
  public var items = 0
  /// Items without error-severity findings.
  public var valid = 0
  /// Items with at least one error: Merchant Center would reject them.
  public var rejected = 0
  /// Valid items with warnings.
  public var warned = 0
  /// Findings at error severity.
  public var errors = 0
  /// Findings at warning severity.
  public var warnings = 0
  /// Findings per rule id.
  public var rules: [String: Int] = [:]
  /// Shopify draft and archived products passed over (without `--include-drafts`).
  public var skippedDrafts = 0

  public init(file: String, format: FeedFormat) {
    self.file = file
    self.format = format
  }

  enum CodingKeys: String, CodingKey {
    case file, format, items, valid, rejected, warned, errors, warnings, rules
    case skippedDrafts = "skipped_drafts"
  }

  /// Adds one item's findings to the counts.
  public mutating func count(_ findings: [RowIssue]) {
    items += 1
    let errorCount = findings.count { $0.severity == .error }
    errors += errorCount
    warnings += findings.count - errorCount
    if errorCount > 0 {
      rejected += 1
    } else {
      valid += 1
      if !findings.isEmpty { warned += 1 }
    }
    for finding in findings { rules[finding.rule, default: 0] += 1 }
  }
}

/// Reads and validates a feed, item by item, in constant memory (but for the ids kept to find
/// duplicates).
public enum FeedScan {
  /// Calls `body` with each record and its findings, in feed order, and returns the counts.
  ///
  /// The feed is parsed on a thread of its own (``FeedRecords``) while this one validates:
  /// each takes about half of a check.
  public static func run(
    path: String, options: FeedOptions,
    body: (ProductRecord, [RowIssue]) throws -> Void = { _, _ in }
  ) throws -> FeedCheckSummary {
    let reader = try FeedReader(path: path, options: options)
    var summary = FeedCheckSummary(file: path, format: reader.format)
    let records = FeedRecords(reader)
    defer { records.cancel() }
    var validator = FeedValidator(decimalComma: options.decimalComma)
    var record = ProductRecord(location: InputLocation(), item: 0)
    while try records.next(into: &record) {
      let findings = validator.validate(record)
      summary.count(findings)
      try body(record, findings)
    }
    summary.skippedDrafts = records.skippedDrafts
    return summary
  }
}
