/// A problem with one input row: where, which field, which rule, why, and the raw value.
///
/// Row problems are values, collected and reported together, not thrown one at a time.
public struct RowIssue: Error, Sendable, Hashable, Codable, CustomStringConvertible {
  /// Where the row is; `field` names the offending column.
  public var location: InputLocation
  /// A stable, kebab-case rule name scripts can match on, such as `unknown-country`.
  public var rule: String
  /// What is wrong, in lowercase.
  public var message: String
  /// The value as written in the input, when there is one.
  public var rawValue: String?
  /// An error rejects the row; a warning keeps it.
  public var severity: Severity

  public init(
    location: InputLocation, rule: String, message: String, rawValue: String? = nil,
    severity: Severity = .error
  ) {
    self.location = location
    self.rule = rule
    self.message = message
    self.rawValue = rawValue
    self.severity = severity
  }

  /// `file:line:column: message [rule]`, with `warning:` before a warning's message.
  public var description: String {
    "\(location): \(severity == .warning ? "warning: " : "")\(message) [\(rule)]"
  }

  enum CodingKeys: String, CodingKey {
    case file, line, column, field, id, item, rule, message, severity
    case rawValue = "raw_value"
  }

  /// How bad a row problem is.
  public enum Severity: String, Sendable, Hashable, Codable, Comparable {
    /// The row is rejected.
    case error
    /// The row is kept; the problem is reported.
    case warning

    public static func < (lhs: Self, rhs: Self) -> Bool { lhs == .error && rhs == .warning }
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    location = InputLocation(
      file: try container.decodeIfPresent(String.self, forKey: .file),
      line: try container.decodeIfPresent(Int.self, forKey: .line),
      column: try container.decodeIfPresent(Int.self, forKey: .column),
      field: try container.decodeIfPresent(String.self, forKey: .field),
      id: try container.decodeIfPresent(String.self, forKey: .id),
      item: try container.decodeIfPresent(Int.self, forKey: .item))
    rule = try container.decode(String.self, forKey: .rule)
    message = try container.decode(String.self, forKey: .message)
    rawValue = try container.decodeIfPresent(String.self, forKey: .rawValue)
    severity = try container.decodeIfPresent(Severity.self, forKey: .severity) ?? .error
  }

  /// Flat: the NDJSON line of `--errors FILE` has file, line, column, field, id, rule, message, raw_value.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(location.file, forKey: .file)
    try container.encodeIfPresent(location.line, forKey: .line)
    try container.encodeIfPresent(location.column, forKey: .column)
    try container.encodeIfPresent(location.field, forKey: .field)
    try container.encodeIfPresent(location.id, forKey: .id)
    try container.encodeIfPresent(location.item, forKey: .item)
    try container.encode(rule, forKey: .rule)
    try container.encode(message, forKey: .message)
    try container.encodeIfPresent(rawValue, forKey: .rawValue)
    try container.encode(severity, forKey: .severity)
  }

  /// Input order: by line, then column; for sorting issues gathered in more than one pass.
  public static func inInputOrder(_ a: RowIssue, _ b: RowIssue) -> Bool {
    (a.location.line ?? 0, a.location.column ?? 0) < (b.location.line ?? 0, b.location.column ?? 0)
  }
}
