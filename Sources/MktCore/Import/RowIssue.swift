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

  public init(location: InputLocation, rule: String, message: String, rawValue: String? = nil) {
    self.location = location
    self.rule = rule
    self.message = message
    self.rawValue = rawValue
  }

  /// `file:line:column: message [rule]`.
  public var description: String { "\(location): \(message) [\(rule)]" }

  enum CodingKeys: String, CodingKey {
    case file, line, column, field, id, rule, message
    case rawValue = "raw_value"
  }

  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    location = InputLocation(
      file: try container.decodeIfPresent(String.self, forKey: .file),
      line: try container.decodeIfPresent(Int.self, forKey: .line),
      column: try container.decodeIfPresent(Int.self, forKey: .column),
      field: try container.decodeIfPresent(String.self, forKey: .field),
      id: try container.decodeIfPresent(String.self, forKey: .id))
    rule = try container.decode(String.self, forKey: .rule)
    message = try container.decode(String.self, forKey: .message)
    rawValue = try container.decodeIfPresent(String.self, forKey: .rawValue)
  }

  /// Flat: the NDJSON line of `--errors FILE` has file, line, column, field, id, rule, message, raw_value.
  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encodeIfPresent(location.file, forKey: .file)
    try container.encodeIfPresent(location.line, forKey: .line)
    try container.encodeIfPresent(location.column, forKey: .column)
    try container.encodeIfPresent(location.field, forKey: .field)
    try container.encodeIfPresent(location.id, forKey: .id)
    try container.encode(rule, forKey: .rule)
    try container.encode(message, forKey: .message)
    try container.encodeIfPresent(rawValue, forKey: .rawValue)
  }
}
