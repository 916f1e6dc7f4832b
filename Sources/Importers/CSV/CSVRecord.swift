/// One record of a delimited file: its fields, decoded, and the line it starts on.
public struct CSVRecord: Sendable, Equatable {
  /// The fields, in order.
  public var fields: [String]
  /// The 1-based line on which the record starts (a quoted field may span lines).
  public var line: Int

  public init(fields: [String], line: Int) {
    self.fields = fields
    self.line = line
  }
}
