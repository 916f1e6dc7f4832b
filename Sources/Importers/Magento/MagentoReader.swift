import Foundation
import MktCore

/// Reads a Magento 2 catalog export (System → Data Transfer → Export, entity "Products"), one
/// canonical record per product for sale (issue 15, item 2).
///
/// A row with an empty `store_view_code` is a product as the default store view shows it; the
/// rows after it with a store view code give its `name` and `description` in that store view's
/// language, stored as translations. `product_type` says what a row is: `configurable` rows are
/// parents whose `configurable_variations` (`sku=MH01-XS-Black,size=XS,color=Black|sku=…`) name
/// the simple products for sale, wherever they are in the file; a child takes the parent's
/// link, description, categories and image where its own are empty, and the variation's options.
/// `grouped` rows are containers and not read. Disabled products (`product_online` 2) are skipped
/// unless `--include-drafts`. Prices are `price` and `special_price` with its dates; stock is
/// `qty`, `is_in_stock` and `allow_backorders`; images are paths under the shop's media folder
/// (`--shop-url` makes them addresses); `additional_attributes` (`key=value,…`) fill colour,
/// size, material, brand and GTIN, and the rest become custom attributes.
public final class MagentoReader {
  private let reader: CSVReader
  private let header: CSVHeader
  private let options: FeedOptions
  private var item = 0
  /// Records read completely, in file order.
  private var ready: [ProductRecord] = []
  private var readyIndex = 0
  /// The records of the last default-store row (a product, or a configurable's children): its
  /// store view rows may still follow.
  private var open: [ProductRecord] = []
  private var openSKU = ""
  /// Simple products not visible on their own, waiting for the configurable that lists them.
  private var children: [String: ProductRecord] = [:]
  private var childOrder: [String] = []
  /// Variations named by configurables read before their children, by the child's SKU.
  private var claims: [String: (parent: Parent, options: [(String, String)])] = [:]
  /// Problems found between records (a store view row without its product), reported with the
  /// next record.
  private var stray: [RowIssue] = []
  /// Disabled products passed over.
  public private(set) var skippedDrafts = 0

  /// At most this many children wait for their configurable; beyond it the oldest is read as a
  /// product of its own, with a warning.
  static let waitingChildren = 50_000

  /// What a configurable product lends its children.
  private struct Parent {
    var sku: String
    var record: ProductRecord
  }

  /// Reads the header row.
  ///
  /// - Throws: ``CSVError`` for an empty or malformed file, ``FeedError`` without `sku`.
  public init(source: ByteSource, options: FeedOptions) throws {
    reader = CSVReader(source: source, delimiter: options.delimiter, encoding: options.encoding)
    self.options = options
    guard let first = try reader.next() else { throw CSVError.emptyFile(file: source.name) }
    header = CSVHeader(first.fields.map { options.mapping[CSVHeader.normalize($0)] ?? $0 })
    guard header.index(of: "sku") != nil else {
      throw FeedError.missingIDColumn(
        InputLocation(file: source.name, line: first.line), header: first.fields)
    }
  }

  /// Whether a header names a Magento export: `sku`, `store_view_code` and `product_type`.
  static func recognizes(_ names: Set<String>) -> Bool {
    names.contains("sku") && names.contains("store_view_code") && names.contains("product_type")
  }

  /// The next product for sale as a record, or `nil` at the end.
  public func next() throws -> ProductRecord? {
    while true {
      if readyIndex < ready.count {
        defer {
          readyIndex += 1
          if readyIndex == ready.count {
            ready.removeAll(keepingCapacity: true)
            readyIndex = 0
          }
        }
        var record = ready[readyIndex]
        if !stray.isEmpty {
          record.readIssues += stray
          stray.removeAll()
        }
        return record
      }
      guard let row = try reader.next() else {
        guard !open.isEmpty || !childOrder.isEmpty else { return nil }
        ready += open
        open.removeAll()
        for sku in childOrder {
          if let child = children.removeValue(forKey: sku) { ready.append(alone(child)) }
        }
        childOrder.removeAll()
        continue
      }
      if row.fields.allSatisfy(\.isEmpty) { continue }
      read(row)
    }
  }

  private func read(_ row: CSVRecord) {
    let sku = value(row, "sku")
    let view = value(row, "store_view_code")
    if !view.isEmpty {
      translate(row, sku: sku, view: view)
      return
    }
    ready += open
    open.removeAll()
    openSKU = sku
    if value(row, "product_online") == "2" && !options.includeDrafts {
      skippedDrafts += 1
      return
    }
    let type = value(row, "product_type").lowercased()
    if type == "grouped" { return }
    item += 1
    let record = record(row)
    if type == "configurable" {
      item -= 1
      let parent = Parent(sku: sku, record: record)
      for variation in Self.variations(value(row, "configurable_variations")) {
        guard let child = variation.first(where: { $0.0 == "sku" })?.1 else { continue }
        if let waiting = children.removeValue(forKey: child) {
          open.append(complete(waiting, parent: parent, options: variation))
        } else {
          claims[child] = (parent, variation)
        }
      }
      if !open.isEmpty { childOrder.removeAll { children[$0] == nil } }
      return
    }
    if let claim = claims.removeValue(forKey: sku) {
      open = [complete(record, parent: claim.parent, options: claim.options)]
    } else if value(row, "visibility").lowercased() == "not visible individually" {
      children[sku] = record
      childOrder.append(sku)
      if childOrder.count > Self.waitingChildren {
        let oldest = childOrder.removeFirst()
        if let child = children.removeValue(forKey: oldest) { ready.append(alone(child)) }
      }
    } else {
      open = [record]
    }
  }

  /// A store view row: the name and description in that view's language.
  private func translate(_ row: CSVRecord, sku: String, view: String) {
    let location = InputLocation(file: reader.name, line: row.line)
    guard let language = Self.language(ofStoreView: view) else {
      stray.append(
        RowIssue(
          location: location, rule: "unknown-store-view",
          message: "the store view \(view) names no language (name store views like de, de_de or "
            + "german); its row is not read", severity: .warning))
      return
    }
    let title = value(row, "name")
    let description = PlainText.from(html: value(row, "description"))
    guard !title.isEmpty || !description.isEmpty else { return }
    func add(to record: inout ProductRecord) {
      guard record[.language] != language else { return }
      var translation = ProductTranslation(
        language: language, title: title.isEmpty ? record[.title] : title,
        description: description.isEmpty ? PlainText.from(html: record[.description]) : description)
      if let index = record.translations.firstIndex(where: { $0.language == language }) {
        if title.isEmpty { translation.title = record.translations[index].title }
        record.translations[index] = translation
      } else {
        record.translations.append(translation)
      }
    }
    if sku == openSKU {
      for index in open.indices { add(to: &open[index]) }
    } else if var child = children[sku] {
      add(to: &child)
      children[sku] = child
    } else {
      stray.append(
        RowIssue(
          location: location, rule: "stray-store-view",
          message:
            "the store view row for \(sku) does not follow its product's row; it is not read",
          severity: .warning))
    }
  }

  private func value(_ row: CSVRecord, _ name: String) -> String {
    guard let index = header.index(of: name), index < row.fields.count else { return "" }
    return String(row.fields[index].trimmingSpaces)
  }

  private func record(_ row: CSVRecord) -> ProductRecord {
    var record = ProductRecord(
      location: InputLocation(file: reader.name, line: row.line), item: item)
    if row.fields.count != header.names.count {
      record.readIssues.append(
        RowIssue(
          location: record.location, rule: "ragged-row",
          message: "the row has \(row.fields.count) fields, the header has \(header.names.count)"))
    }
    record[.id] = value(row, "sku")
    record[.title] = value(row, "name")
    let description = value(row, "description")
    record[.description] = description.isEmpty ? value(row, "short_description") : description
    record[.productType] = Self.category(value(row, "categories"))
    let base = options.shopURL.map { $0.hasSuffix("/") ? String($0.dropLast()) : $0 }
    let urlKey = value(row, "url_key")
    if let base, !urlKey.isEmpty { record[.link] = "\(base)/\(urlKey).html" }
    let image = media(value(row, "base_image"), base: base)
    record[.imageLink] = image
    record.setList(
      .additionalImageLink,
      value(row, "additional_images").split(separator: ",").map {
        media(String($0.trimmingSpaces), base: base)
      }.filter { $0 != image })
    let currency = options.currency.map { " " + $0 } ?? ""
    let price = Self.amount(value(row, "price"))
    if !price.isEmpty { record[.price] = price + currency }
    let special = Self.amount(value(row, "special_price"))
    if !special.isEmpty {
      record[.salePrice] = special + currency
      let from = Self.instant(value(row, "special_price_from_date"), endOfDay: false)
      let to = Self.instant(value(row, "special_price_to_date"), endOfDay: true)
      if let from, let to { record[.salePriceEffectiveDate] = from + "/" + to }
    }
    record[.availability] = availability(row)
    let weight = value(row, "weight")
    if !weight.isEmpty { record.custom["weight"] = weight }
    for (key, text) in Self.pairs(value(row, "additional_attributes")) {
      Self.apply(key, text, to: &record)
    }
    record.stamp(options)
    return record
  }

  /// A child with what its configurable lends it.
  private func complete(
    _ child: ProductRecord, parent: Parent, options variation: [(String, String)]
  ) -> ProductRecord {
    var child = child
    child[.itemGroupID] = parent.sku
    for (key, text) in variation where key != "sku" { Self.apply(key, text, to: &child) }
    for attribute in [Attribute.link, .description, .productType, .imageLink, .brand]
    where child[attribute].isEmpty {
      child[attribute] = parent.record[attribute]
    }
    if !parent.record[.link].isEmpty { child[.link] = parent.record[.link] }
    for translation in parent.record.translations
    where !child.translations.contains(where: { $0.language == translation.language }) {
      child.translations.append(translation)
    }
    return child
  }

  /// A child no configurable listed, read as a product of its own.
  private func alone(_ child: ProductRecord) -> ProductRecord {
    var child = child
    child.readIssues.append(
      RowIssue(
        location: child.location, rule: "orphan-variation",
        message: "\(child.id) is not visible individually and no configurable product lists it",
        severity: .warning))
    return child
  }

  /// `qty`, `is_in_stock` and `allow_backorders`.
  private func availability(_ row: CSVRecord) -> String {
    let inStock = value(row, "is_in_stock")
    let backorders = ["1", "2"].contains(value(row, "allow_backorders"))
    let quantity = Double(value(row, "qty"))
    if inStock == "0" { return backorders ? "backorder" : "out_of_stock" }
    if let quantity, quantity <= 0 { return backorders ? "backorder" : "out_of_stock" }
    if inStock == "1" || quantity != nil { return "in_stock" }
    return options.availability ?? "in_stock"
  }

  /// Magento's `34.000000` as `34.00`: zeros past the cent dropped, anything else kept for
  /// validation to judge.
  static func amount(_ text: String) -> String {
    guard let dot = text.firstIndex(of: "."), text.distance(from: dot, to: text.endIndex) > 3
    else { return text }
    let cents = text.index(dot, offsetBy: 3)
    return text[cents...].allSatisfy({ $0 == "0" }) ? String(text[..<cents]) : text
  }

  /// A media path (`/m/h/mh01-black_main.jpg`) under the shop's product media folder; an
  /// address is kept as it is.
  private func media(_ path: String, base: String?) -> String {
    guard !path.isEmpty, !path.contains("://"), let base else { return path }
    return base + "/media/catalog/product" + (path.hasPrefix("/") ? path : "/" + path)
  }

  /// Sets an attribute Magento names `key` (from `additional_attributes` or a variation).
  static func apply(_ key: String, _ text: String, to record: inout ProductRecord) {
    guard !text.isEmpty else { return }
    switch CSVHeader.normalize(key) {
    case "color", "colour", "farbe": record[.color] = text
    case "size", "größe", "groesse": record[.size] = text
    case "material": record[.material] = text
    case "pattern": record[.pattern] = text
    case "gender": record[.gender] = text
    case "manufacturer", "brand", "marke": record[.brand] = text
    case "ean", "gtin", "upc", "barcode", "isbn": record[.gtin] = text
    case "mpn": record[.mpn] = text
    case let name: record.custom[name] = text
    }
  }

  /// `key=value,key=value`; a comma inside a value (no `=` after it) belongs to the value.
  static func pairs(_ text: String) -> [(String, String)] {
    var result: [(String, String)] = []
    for part in text.split(separator: ",", omittingEmptySubsequences: true) {
      if let equals = part.firstIndex(of: "=") {
        result.append(
          (String(part[..<equals].trimmingSpaces), String(part[part.index(after: equals)...])))
      } else if !result.isEmpty {
        result[result.count - 1].1 += "," + part
      }
    }
    return result
  }

  /// `sku=A,size=XS|sku=B,size=S`: one list of pairs per variation.
  static func variations(_ text: String) -> [[(String, String)]] {
    text.split(separator: "|").map { pairs(String($0)) }.filter { !$0.isEmpty }
  }

  /// The first category path as Merchant Center's `product_type` writes it, without the root.
  ///
  /// `Default Category/Men/Tops` → `Men > Tops`. Several paths are separated by commas (or `|`).
  static func category(_ text: String) -> String {
    let first = text.split(whereSeparator: { $0 == "," || $0 == "|" }).first.map(String.init) ?? ""
    var levels = first.split(separator: "/").map { String($0.trimmingSpaces) }
    if levels.count > 1 { levels.removeFirst() }
    return levels.joined(separator: " > ")
  }

  /// A store view's language: `de`, `de_de`, `de-ch`, `de_store` or an English or native name
  /// (`german`, `deutsch`).
  public static func language(ofStoreView code: String) -> String? {
    let lower = code.lowercased()
    let letters = lower.prefix { $0.isASCII && $0.isLetter }
    if letters.count == 2, lower.dropFirst(2).first.map({ $0 == "_" || $0 == "-" }) ?? true {
      return String(letters)
    }
    let names: [String: String] = [
      "english": "en", "german": "de", "deutsch": "de", "french": "fr", "francais": "fr",
      "français": "fr", "spanish": "es", "espanol": "es", "español": "es", "italian": "it",
      "italiano": "it", "dutch": "nl", "nederlands": "nl", "polish": "pl", "polski": "pl",
      "swedish": "sv", "svenska": "sv", "danish": "da", "dansk": "da", "portuguese": "pt",
      "portugues": "pt", "czech": "cs", "finnish": "fi", "suomi": "fi", "greek": "el",
      "hungarian": "hu", "romanian": "ro", "slovak": "sk", "slovenian": "sl", "croatian": "hr",
      "bulgarian": "bg", "estonian": "et", "latvian": "lv", "lithuanian": "lt", "norwegian": "no",
    ]
    return names[String(lower.prefix { $0.isLetter })]
  }

  /// `2025-11-24[ 10:00:00]` or Magento's `11/24/25[, 10:00 AM]` as an ISO 8601 instant in UTC; a
  /// bare day ends at 23:59 when it ends a sale.
  static func instant(_ text: String, endOfDay: Bool) -> String? {
    if let iso = WooCommerceReader.instant(text, endOfDay: endOfDay) { return iso }
    let date = text.prefix { $0 != "," && $0 != " " }
    let parts = date.split(separator: "/").compactMap { Int($0) }
    guard parts.count == 3, (1...12).contains(parts[0]), (1...31).contains(parts[1]) else {
      return nil
    }
    let year = parts[2] < 100 ? 2000 + parts[2] : parts[2]
    func two(_ number: Int) -> String { number < 10 ? "0\(number)" : "\(number)" }
    let day = "\(year)-\(two(parts[0]))-\(two(parts[1]))"
    guard ECBRateFile.isDay(day) else { return nil }
    return "\(day)T\(endOfDay ? "23:59" : "00:00")Z"
  }
}
