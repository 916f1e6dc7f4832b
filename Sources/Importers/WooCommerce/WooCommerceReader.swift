import Foundation
import MktCore

/// Reads a WooCommerce product export (Products → Export, or the importer's sample CSV), one
/// canonical record per product for sale (issue 15, item 2).
///
/// `Type` says what a row is: `simple` and `external` rows are products, `variable` and
/// `grouped` rows are parents whose variations (`variation`, with `Parent` = `id:123` or the
/// parent's SKU) are the products, taking the parent's name, description, categories and
/// images where their own are empty. Prices are `Regular price` and `Sale price` (with `Date
/// sale price starts/ends`), stock is `In stock?` / `Stock` / `Backorders allowed?`, options are
/// `Attribute N name` / `Attribute N value(s)`. Rows that are not published (`Published` -1 or 0)
/// are skipped unless `--include-drafts`.
public final class WooCommerceReader {
  private let reader: CSVReader
  private let header: CSVHeader
  private let options: FeedOptions
  private var item = 0
  /// Parents seen so far, by `id:N` and by SKU: variations follow their parent in an export.
  private var parents: [String: CSVRecord] = [:]
  /// Unpublished products passed over.
  public private(set) var skippedDrafts = 0

  /// Reads the header row.
  ///
  /// - Throws: ``CSVError`` for an empty or malformed file, ``FeedError`` without a Type column.
  public init(source: ByteSource, options: FeedOptions) throws {
    reader = CSVReader(source: source, delimiter: options.delimiter, encoding: options.encoding)
    self.options = options
    guard let first = try reader.next() else { throw CSVError.emptyFile(file: source.name) }
    header = CSVHeader(first.fields.map { options.mapping[CSVHeader.normalize($0)] ?? $0 })
    guard header.index(of: "type") != nil, header.index(of: "sku") != nil else {
      throw FeedError.missingIDColumn(
        InputLocation(file: source.name, line: first.line), header: first.fields)
    }
  }

  /// Whether a header names a WooCommerce export: `Type`, `SKU` and `Regular price`.
  static func recognizes(_ names: Set<String>) -> Bool {
    names.contains("type") && names.contains("sku") && names.contains("regular_price")
  }

  /// The next product for sale as a record, or `nil` at the end.
  public func next() throws -> ProductRecord? {
    while let row = try reader.next() {
      if row.fields.allSatisfy(\.isEmpty) { continue }
      let kinds = Set(
        value(row, "type").lowercased().split(separator: ",").map {
          String($0.trimmingSpaces)
        })
      if kinds.contains("variable") || kinds.contains("grouped") {
        let id = value(row, "id")
        if !id.isEmpty { parents["id:" + id] = row }
        let sku = value(row, "sku")
        if !sku.isEmpty { parents[sku] = row }
        continue
      }
      let parentKey = value(row, "parent")
      let parent = parentKey.isEmpty ? nil : parents[parentKey] ?? parents["id:" + parentKey]
      let published = value(row, "published")
      let parentPublished = parent.map { value($0, "published") } ?? ""
      if !options.includeDrafts,
        ["-1", "0"].contains(published) || ["-1", "0"].contains(parentPublished)
      {
        skippedDrafts += 1
        continue
      }
      item += 1
      return record(row, parent: parent, parentKey: parentKey, kinds: kinds)
    }
    return nil
  }

  private func value(_ row: CSVRecord, _ name: String) -> String {
    guard let index = header.index(of: name), index < row.fields.count else { return "" }
    return String(row.fields[index].trimmingSpaces)
  }

  /// The row's value, else its parent's.
  private func inherited(_ row: CSVRecord, _ parent: CSVRecord?, _ name: String) -> String {
    let own = value(row, name)
    return own.isEmpty ? parent.map { value($0, name) } ?? "" : own
  }

  private func record(_ row: CSVRecord, parent: CSVRecord?, parentKey: String, kinds: Set<String>)
    -> ProductRecord
  {
    var record = ProductRecord(
      location: InputLocation(file: reader.name, line: row.line), item: item)
    if row.fields.count != header.names.count {
      record.readIssues.append(
        RowIssue(
          location: record.location, rule: "ragged-row",
          message: "the row has \(row.fields.count) fields, the header has \(header.names.count)"))
    }
    if !parentKey.isEmpty, parent == nil {
      record.readIssues.append(
        RowIssue(
          location: record.location, rule: "unknown-parent",
          message: "the variation's parent \(parentKey) is not earlier in the file",
          severity: .warning))
    }
    let id = value(row, "id")
    let sku = value(row, "sku")
    record[.id] = !sku.isEmpty ? sku : id.isEmpty ? "" : "wc-" + id
    record[.title] = inherited(row, parent, "name")
    let description = inherited(row, parent, "description")
    record[.description] =
      description.isEmpty ? inherited(row, parent, "short_description") : description
    let categories = Self.list(inherited(row, parent, "categories"))
    record[.productType] = categories.first ?? ""
    if let parent {
      let group = value(parent, "sku")
      record[.itemGroupID] = group.isEmpty ? "wc-" + value(parent, "id") : group
    }
    let images = Self.list(value(row, "images"))
    let shared = parent.map { Self.list(value($0, "images")) } ?? []
    record[.imageLink] = images.first ?? shared.first ?? ""
    record.setList(.additionalImageLink, (images + shared).filter { $0 != record[.imageLink] })
    if kinds.contains("external") {
      record[.link] = value(row, "external_url")
    } else if let shop = options.shopURL {
      let base = shop.hasSuffix("/") ? String(shop.dropLast()) : shop
      let page = parent.map { value($0, "id") } ?? id
      if !page.isEmpty { record[.link] = "\(base)/?p=\(page)" }
    }
    let currency = options.currency.map { " " + $0 } ?? ""
    let regular = value(row, "regular_price")
    let sale = value(row, "sale_price")
    if !regular.isEmpty { record[.price] = regular + currency }
    if !sale.isEmpty { record[.salePrice] = sale + currency }
    let starts = Self.instant(value(row, "date_sale_price_starts"), endOfDay: false)
    let ends = Self.instant(value(row, "date_sale_price_ends"), endOfDay: true)
    if !sale.isEmpty, let starts, let ends { record[.salePriceEffectiveDate] = starts + "/" + ends }
    record[.availability] = availability(row)
    let gtin = value(row, "gtin,_upc,_ean,_or_isbn")
    if !gtin.isEmpty { record[.gtin] = gtin }
    let weight = value(row, "weight_(kg)")
    if !weight.isEmpty { record[.shippingWeight] = weight + " kg" }
    for number in 1...8 {
      let name = value(row, "attribute_\(number)_name")
      guard !name.isEmpty else { continue }
      // A variation names its one value; a simple product may list several (Red, Blue): the
      // first is its own.
      let values = Self.list(value(row, "attribute_\(number)_value(s)"))
      guard let first = values.first else { continue }
      switch CSVHeader.normalize(name) {
      case "color", "colour", "pa_color", "farbe": record[.color] = first
      case "size", "pa_size", "größe", "groesse": record[.size] = first
      case "material", "pa_material": record[.material] = first
      case "brand", "pa_brand", "marke": record[.brand] = first
      case "gtin", "ean": record[.gtin] = first
      default: record.custom[CSVHeader.normalize(name)] = values.joined(separator: ", ")
      }
    }
    let tags = inherited(row, parent, "tags")
    if !tags.isEmpty { record.custom["tags"] = tags }
    record.stamp(options)
    return record
  }

  /// `In stock?` (1, 0, or `backorder`), refined by `Stock` and `Backorders allowed?`.
  private func availability(_ row: CSVRecord) -> String {
    let flag = value(row, "in_stock?").lowercased()
    let backorders = ["1", "notify", "yes"].contains(value(row, "backorders_allowed?").lowercased())
    if flag == "backorder" || flag == "onbackorder" { return "backorder" }
    if let stock = Int(value(row, "stock")), stock <= 0 {
      return backorders ? "backorder" : "out_of_stock"
    }
    if flag == "0" { return backorders ? "backorder" : "out_of_stock" }
    if flag == "1" || !value(row, "stock").isEmpty { return "in_stock" }
    return options.availability ?? "in_stock"
  }

  /// A comma-separated list, as WooCommerce writes categories, tags, images and values
  /// (`\,` is a comma inside an item).
  static func list(_ text: String) -> [String] {
    guard !text.isEmpty else { return [] }
    let marker = "\u{1F}"
    return text.replacingOccurrences(of: "\\,", with: marker).split(separator: ",").map {
      String($0.trimmingSpaces).replacingOccurrences(of: marker, with: ",")
    }.filter { !$0.isEmpty }
  }

  /// `2025-11-24` or `2025-11-24 00:00:00` as an ISO 8601 instant in UTC; a bare day ends at
  /// 23:59 when it ends a sale.
  static func instant(_ text: String, endOfDay: Bool) -> String? {
    guard text.count >= 10 else { return nil }
    let day = String(text.prefix(10))
    guard ECBRateFile.isDay(day) else { return nil }
    let time =
      text.count >= 16 ? String(text.dropFirst(11).prefix(5)) : endOfDay ? "23:59" : "00:00"
    return "\(day)T\(time)Z"
  }
}
