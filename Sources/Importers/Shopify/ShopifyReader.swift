import MktCore

/// Reads a Shopify product export, one canonical record per variant.
///
/// Rows sharing a `Handle` are one product; its first row
/// carries the product's fields, each row with a `Variant SKU` or variant price is a variant,
/// rows with only an image add images. Each variant becomes one canonical record with
/// `item_group_id` = Handle.
public final class ShopifyReader {
  private let reader: CSVReader
  private let header: CSVHeader
  private let options: FeedOptions
  private var pending: CSVRecord?
  private var queue: [ProductRecord] = []
  private var item = 0

  /// Reads the header row.
  ///
  /// - Throws: ``CSVError`` for an empty or malformed file, ``FeedError`` without a Handle column.
  public init(source: ByteSource, options: FeedOptions) throws {
    reader = CSVReader(source: source, delimiter: options.delimiter, encoding: options.encoding)
    self.options = options
    guard let first = try reader.next() else { throw CSVError.emptyFile(file: source.name) }
    header = CSVHeader(first.fields.map { options.mapping[$0] ?? $0 })
    guard header.index(of: "handle") != nil || header.index(of: "url_handle") != nil else {
      throw FeedError.missingIDColumn(
        InputLocation(file: source.name, line: first.line), header: first.fields)
    }
  }

  /// Draft and archived products passed over (without `--include-drafts`).
  public private(set) var skippedDrafts = 0

  /// The next variant as a record, or `nil` at the end.
  public func next() throws -> ProductRecord? {
    if queue.isEmpty { try readProduct() }
    return queue.isEmpty ? nil : queue.removeFirst()
  }

  /// Reads all rows of the next handle for sale into `queue`.
  private func readProduct() throws {
    while queue.isEmpty {
      guard let first = try pending ?? reader.next() else { return }
      pending = nil
      var rows = [first]
      let handle = value(first, "handle")
      while let row = try reader.next() {
        if value(row, "handle") != handle {
          pending = row
          break
        }
        rows.append(row)
      }
      let product = ShopifyProduct(rows: rows, header: header, file: reader.name)
      if product.isDraft, !options.includeDrafts {
        skippedDrafts += 1  // drafts and archived products are not for sale
        continue
      }
      queue = product.records(startingAt: item + 1, options: options)
      item += queue.count
    }
  }

  private func value(_ row: CSVRecord, _ column: String) -> String {
    ShopifyProduct(rows: [], header: header, file: reader.name).value(row, column)
  }
}
