package import GRDB

/// `IN (…)` lists of many values, sent in chunks so that no statement holds more than a few
/// hundred parameters.
package enum SQLInList {
  /// Calls `body` for each chunk of at most `size` of `values`, with its `?, ?, …` placeholders
  /// and its arguments.
  package static func chunks<Value: DatabaseValueConvertible>(
    _ values: [Value], size: Int = 500,
    _ body: (_ placeholders: String, _ arguments: StatementArguments) throws -> Void
  ) throws {
    for start in stride(from: 0, to: values.count, by: size) {
      let chunk = values[start..<min(start + size, values.count)]
      try body(
        Array(repeating: "?", count: chunk.count).joined(separator: ","),
        StatementArguments(Array(chunk)))
    }
  }
}
