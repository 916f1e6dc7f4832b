import MktCore

/// Reads a Merchant Center CSV or TSV feed into ``ProductRecord``s, one per row, streaming.
///
/// The header row names attributes in Merchant Center's spelling, with spaces or underscores
/// and any case (`Image Link` = `image_link`), optionally prefixed `g:`; `--map` renames columns
/// first. Unknown columns become custom attributes. List attributes (`additional_image_link`,
/// `shipping`, …) hold several values separated by commas.
public final class ProductCSVReader {
  private let reader: CSVReader
  private let columns: [Column]
  private let attributeColumns: [Int32]
  private let options: FeedOptions
  private var item = 0

  enum Column {
    case attribute(Attribute)
    /// `shipping(country:service:price)`: a structured attribute with its parts named in the header.
    case structured(Attribute, parts: [String])
    case custom(String)
  }

  /// Reads the header row.
  ///
  /// - Throws: ``CSVError`` when the file is empty or malformed, ``FeedError`` when two columns
  ///   name the same attribute.
  public init(source: ByteSource, options: FeedOptions) throws {
    let delimiter = options.delimiter ?? (options.format == .tsv ? 9 : nil)
    reader = CSVReader(source: source, delimiter: delimiter, encoding: options.encoding)
    self.options = options
    guard let header = try reader.next() else { throw CSVError.emptyFile(file: source.name) }
    var columns: [Column] = []
    var seen: [Attribute: Int] = [:]
    for (index, raw) in header.fields.enumerated() {
      var name = CSVHeader.normalize(raw)
      if let mapped = options.mapping[name] ?? options.mapping[raw] {
        name = CSVHeader.normalize(mapped)
      }
      if name.hasPrefix("g:") { name.removeFirst(2) }
      var parts: [String]?
      if let open = name.firstIndex(of: "("), name.hasSuffix(")") {
        parts = name[name.index(after: open)..<name.index(before: name.endIndex)]
          .split(separator: ":").map { String($0) }
        name = String(name[..<open])
      }
      if let attribute = Attribute(name: name) {
        if let first = seen[attribute] {
          throw FeedError.duplicateColumn(
            InputLocation(file: source.name, line: header.line, column: index + 1, field: raw),
            firstColumn: first + 1)
        }
        seen[attribute] = index
        if let parts, attribute.subattributes != nil {
          columns.append(.structured(attribute, parts: parts))
        } else {
          columns.append(.attribute(attribute))
        }
      } else {
        columns.append(.custom(name.isEmpty ? "column_\(index + 1)" : name))
      }
    }
    guard seen[.id] != nil else {
      // A first line that names no attribute at all is not a feed's header: it is not echoed
      // (a manifest or a typo may point at any file; its content stays out of messages).
      throw FeedError.missingIDColumn(
        InputLocation(file: source.name, line: header.line),
        header: seen.isEmpty ? [] : header.fields)
    }
    self.columns = columns
    var attributeColumns = [Int32](repeating: 0, count: Attribute.allCases.count)
    for (attribute, index) in seen { attributeColumns[attribute.rawValue] = Int32(index + 1) }
    self.attributeColumns = attributeColumns
  }

  /// The source's name, for messages.
  public var name: String { reader.name }
  /// Bytes read so far, for progress.
  public var bytesRead: Int { reader.bytesRead }
  /// The delimiter in use.
  public var delimiter: UInt8 { reader.delimiter }

  /// The next record, or `nil` at the end.
  public func next() throws -> ProductRecord? {
    var record = ProductRecord(location: InputLocation(), item: 0)
    return try next(into: &record) ? record : nil
  }

  /// Reads the next record into `record`, reusing its storage; `false` at the end.
  public func next(into record: inout ProductRecord) throws -> Bool {
    guard let row = try reader.next() else { return false }
    item += 1
    record.reset(location: InputLocation(file: reader.name, line: row.line), item: item)
    record.columns = attributeColumns
    if row.fields.count != columns.count {
      var location = record.location
      location.item = item
      if let idColumn = columns.firstIndex(where: {
        if case .attribute(.id) = $0 { true } else { false }
      }),
        idColumn < row.fields.count
      {
        location.id = String(row.fields[idColumn].trimmingSpaces)
      }
      record.readIssues.append(
        RowIssue(
          location: location, rule: "ragged-row",
          message: "the row has \(row.fields.count) fields, the header has \(columns.count)"))
    }
    for (index, field) in row.fields.prefix(columns.count).enumerated() {
      let value = Self.trimmed(field)
      guard !value.isEmpty else { continue }
      switch columns[index] {
      case .attribute(let attribute):
        if attribute.isList {
          record.setList(attribute, Self.splitList(value[...], attribute: attribute))
        } else {
          record[attribute] = value
        }
      case .structured(let attribute, let parts):
        record.setList(
          attribute,
          Self.splitList(value[...], attribute: attribute).map { item in
            let values = item.split(separator: ":", omittingEmptySubsequences: false)
            var named: [String: String] = [:]
            for (part, text) in zip(parts, values) { named[part] = String(text) }
            return attribute.joined(named)
          })
      case .custom(let name):
        record.custom[name] = value
      }
    }
    record.stamp(options)
    return true
  }

  /// The value without surrounding white space; the same string when there is none (most).
  @inline(__always)
  static func trimmed(_ value: String) -> String {
    guard let first = value.utf8.first, let last = value.utf8.last else { return value }
    let space: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
    return space(first) || space(last) ? String(value.trimmingSpaces) : value
  }

  /// Splits a list cell on commas, trimming each value and dropping empty ones.
  static func splitList(_ cell: Substring, attribute: Attribute) -> [String] {
    guard cell.utf8.contains(UInt8(ascii: ",")) else {
      return cell.isEmpty ? [] : [trimmed(String(cell))]
    }
    return cell.utf8.split(separator: UInt8(ascii: ",")).compactMap { part in
      let value = trimmed(String(Substring(part)))
      return value.isEmpty ? nil : value
    }
  }
}

extension ProductRecord {
  /// Fills `merchant_id`, `language` and `availability` from the options where the feed names
  /// none, and gives bare prices (`89.00`, as PIM exports write them) the `--currency`.
  mutating func stamp(_ options: FeedOptions) {
    if self[.merchantID].isEmpty, let merchant = options.merchant { self[.merchantID] = merchant }
    if self[.language].isEmpty, let language = options.language { self[.language] = language }
    if let availability = options.availability, self[.availability].isEmpty {
      self[.availability] = availability
    }
    if let currency = options.currency {
      for attribute in [Attribute.price, .salePrice] where Self.isBareAmount(self[attribute]) {
        self[attribute] += " " + currency
      }
    }
  }

  /// Whether `text` is a number alone: digits with a decimal point or comma.
  static func isBareAmount(_ text: String) -> Bool {
    !text.isEmpty
      && text.utf8.allSatisfy {
        ($0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9")) || $0 == UInt8(ascii: ".")
          || $0 == UInt8(ascii: ",")
      }
  }
}
