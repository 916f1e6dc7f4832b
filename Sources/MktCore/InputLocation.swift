/// Where in the input a problem is: a file position, a field, a record id — whichever are known.
public struct InputLocation: Sendable, Hashable, Codable, CustomStringConvertible {
  /// The file path as the user gave it, or `-` for standard input.
  public var file: String?
  /// The 1-based line number.
  public var line: Int?
  /// The 1-based column: a field index in delimited files, a character column in XML.
  public var column: Int?
  /// The field or attribute name.
  public var field: String?
  /// The record's id (merchant id, SKU).
  public var id: String?
  /// The 1-based position of the item in a feed.
  public var item: Int?

  public init(
    file: String? = nil, line: Int? = nil, column: Int? = nil, field: String? = nil,
    id: String? = nil, item: Int? = nil
  ) {
    self.file = file
    self.line = line
    self.column = column
    self.field = field
    self.id = id
    self.item = item
  }

  enum CodingKeys: String, CodingKey {
    case file, line, column, field, id, item
  }

  /// `file:line:column`, then the field and id, such as `merchants.csv:4:3 (field country, id M004)`.
  public var description: String {
    var position = [file ?? (line == nil ? nil : "line")].compactMap { $0 }
    if let line { position.append(String(line)) }
    if let column, line != nil { position.append(String(column)) }
    var text = position.joined(separator: ":")
    var details: [String] = []
    if let item { details.append("item \(item)") }
    if let field { details.append("field \(field)") }
    if let id { details.append("id \(id)") }
    if !details.isEmpty {
      let joined = details.joined(separator: ", ")
      text = text.isEmpty ? joined : "\(text) (\(joined))"
    }
    return text
  }
}
