import Foundation
import Importers
import MktCore

/// One row of a stock file.
struct StockRow: Sendable {
  var merchant: String
  var sku: String
  var warehouse: String
  var quantity: Int64
  var mode: StockMode
  /// The ERP's time of the change, as UTC text (`2026-11-25T17:40:00Z`), if given.
  var updatedAt: String?
  var location: InputLocation

  /// The most units a stock row, or a stored level, may hold (and a delta may move).
  ///
  /// A trillion: two such numbers add up without leaving 64 bits, in Swift or in SQLite.
  static let maximumQuantity: UInt64 = 1_000_000_000_000
}

/// A stock file: its bytes and checksum (the default sync id), read once; its rows parsed one
/// at a time by ``read(_:)``, so a million rows never sit in memory as values.
struct StockFile {
  let path: String
  let merchant: String?
  /// Platform locations to warehouses (`--location-map "MAIN STORE=BER1"`).
  var locations: [String: String] = [:]
  /// Header renames, as feeds take them (`--map "Artikel=sku"`): column name → mkt's name.
  var mapping: [String: String] = [:]
  let mode: StockMode
  let bytes: [UInt8]
  let checksum: String
  /// The rows that could not be read, after ``read(_:)``.
  var issues: [RowIssue] = []
  /// The rows read, after ``read(_:)``.
  var count = 0

  /// Reads CSV (`sku,warehouse,quantity[,mode][,updated_at][,merchant_id]`, any delimiter) or
  /// JSON lines with the same keys.
  ///
  /// - Throws: source errors (66, 74); ``InventoryError/badHeader(_:_:)`` (65).
  init(path: String, merchant: String?, mode: StockMode, bytes given: [UInt8]? = nil) throws {
    self.path = path
    self.merchant = merchant
    self.mode = mode
    let bytes = try given ?? ByteSource(path: path).readAll()
    checksum = bytes.withUnsafeBufferPointer { String(ContentHash.of(bytes: $0), radix: 16) }
    self.bytes = bytes
  }

  /// Parses the rows in file order, handing each good one to `body`; bad ones go to `issues`.
  ///
  /// - Throws: ``InventoryError/badHeader(_:_:)``, CSV errors, what `body` throws.
  mutating func read(_ body: (StockRow) throws -> Void) throws {
    issues = []
    count = 0
    let first = bytes.first { ![0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }
    if first == UInt8(ascii: "{") {
      try readJSONLines(body)
    } else {
      try readCSV(body)
    }
  }

  private mutating func readCSV(_ body: (StockRow) throws -> Void) throws {
    let reader = CSVReader(source: ByteSource(bytes: bytes, name: path))
    guard let headerRecord = try reader.next() else { return }
    let header = CSVHeader(
      headerRecord.fields.map { mapping[CSVHeader.normalize($0)] ?? mapping[$0] ?? $0 })
    func column(_ names: String...) -> Int? { names.lazy.compactMap(header.index(of:)).first }
    if let layout = PlatformStockLayout(header) {
      return try readPlatform(layout, reader: reader, header: header, body)
    }
    let known = [
      "sku", "id", "warehouse", "warehouse_id", "quantity", "qty", "mode", "updated_at",
      "merchant_id",
    ]
    for (index, name) in header.names.enumerated() where !known.contains(name) {
      throw InventoryError.badHeader(
        InputLocation(file: path, line: 1, column: index + 1),
        "unknown column \(headerRecord.fields[index]) (known: sku, warehouse, quantity, mode, "
          + "updated_at, merchant_id)")
    }
    guard let sku = column("sku", "id"), let warehouse = column("warehouse", "warehouse_id"),
      let quantity = column("quantity", "qty")
    else {
      throw InventoryError.badHeader(
        InputLocation(file: path, line: 1), "a stock file needs sku, warehouse and quantity columns"
      )
    }
    let modeColumn = column("mode")
    let updatedColumn = column("updated_at")
    let merchantColumn = column("merchant_id")
    while let record = try reader.next() {
      if record.fields.allSatisfy(\.isEmpty) { continue }
      func cell(_ index: Int) -> (String, InputLocation) {
        (
          index < record.fields.count ? record.fields[index] : "",
          InputLocation(
            file: path, line: record.line, column: index + 1, field: header.names[index])
        )
      }
      if let row = add(
        sku: cell(sku), warehouse: cell(warehouse), quantity: cell(quantity),
        mode: modeColumn.map(cell), updatedAt: updatedColumn.map(cell),
        merchant: merchantColumn.map(cell),
        line: InputLocation(file: path, line: record.line))
      {
        try body(row)
      }
    }
  }

  private mutating func readJSONLines(_ body: (StockRow) throws -> Void) throws {
    var line = 0
    for slice in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false) {
      line += 1
      guard slice.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 }) else { continue }
      let at = InputLocation(file: path, line: line)
      guard let object = try? JSONSerialization.jsonObject(with: Data(slice)) as? [String: Any]
      else {
        count += 1
        issues.append(
          RowIssue(location: at, rule: "invalid-json", message: "the line is not a JSON object"))
        continue
      }
      var typeProblem: RowIssue?
      /// The cell as text: a string as it is, a whole number as digits; `null` is a missing
      /// cell. `true`, `1.5` for text, a list or an object are refused (`false` would have read
      /// as a quantity of 0).
      func cell(_ names: String...) -> (String, InputLocation)? {
        for name in names {
          guard let value = object[name], !(value is NSNull) else { continue }
          var location = at
          location.field = name
          if let text = value as? String { return (text, location) }
          if let number = value as? NSNumber,
            !String(describing: type(of: value)).contains("Boolean"),
            let whole = Int64(exactly: number.doubleValue)
          {
            return (String(whole), location)
          }
          typeProblem =
            typeProblem
            ?? RowIssue(
              location: location, rule: "invalid-type",
              message: "\(name) must be text or a whole number", rawValue: "\(value)")
          return ("", location)
        }
        return nil
      }
      var missing = at
      missing.field = "sku"
      let sku = cell("sku", "id") ?? ("", missing)
      let warehouse = cell("warehouse", "warehouse_id") ?? ("", at)
      let quantity = cell("quantity", "qty") ?? ("", at)
      let (mode, updatedAt, merchant) = (cell("mode"), cell("updated_at"), cell("merchant_id"))
      if let typeProblem {
        count += 1
        issues.append(typeProblem)
        continue
      }
      if let row = add(
        sku: sku, warehouse: warehouse, quantity: quantity, mode: mode, updatedAt: updatedAt,
        merchant: merchant, line: at)
      {
        try body(row)
      }
    }
  }

  mutating func add(
    sku: (String, InputLocation), warehouse: (String, InputLocation),
    quantity: (String, InputLocation), mode: (String, InputLocation)?,
    updatedAt: (String, InputLocation)?, merchant: (String, InputLocation)?, line: InputLocation
  ) -> StockRow? {
    count += 1
    let (defaultMerchant, defaultMode) = (self.merchant, self.mode)
    func reject(_ at: InputLocation, _ rule: String, _ message: String, _ value: String?)
      -> StockRow?
    {
      var location = at
      location.id = sku.0.isEmpty ? nil : sku.0
      issues.append(RowIssue(location: location, rule: rule, message: message, rawValue: value))
      return nil
    }
    let skuText = ProductRecord.composed(Self.trimmed(sku.0))
    guard !skuText.isEmpty else { return reject(sku.1, "missing-sku", "the row names no sku", nil) }
    let warehouseText = Self.trimmed(warehouse.0)
    guard !warehouseText.isEmpty else {
      return reject(warehouse.1, "missing-warehouse", "the row names no warehouse", nil)
    }
    var rowMode = defaultMode
    if let mode, !mode.0.isEmpty {
      guard let parsed = StockMode(rawValue: mode.0.lowercased()) else {
        return reject(mode.1, "invalid-mode", "mode must be set or delta", mode.0)
      }
      rowMode = parsed
    }
    guard let amount = Self.wholeNumber(Self.trimmed(quantity.0)) else {
      return reject(quantity.1, "invalid-quantity", "quantity must be a whole number", quantity.0)
    }
    guard amount.magnitude <= StockRow.maximumQuantity else {
      return reject(
        quantity.1, "quantity-out-of-range",
        "quantity must be between -\(StockRow.maximumQuantity) and \(StockRow.maximumQuantity)",
        quantity.0)
    }
    if rowMode == .set && amount < 0 {
      return reject(
        quantity.1, "negative-quantity", "an absolute quantity cannot be negative", quantity.0)
    }
    var stamp: String?
    if let updatedAt, !updatedAt.0.isEmpty {
      guard let seconds = FeedSyntax.instant(Substring(updatedAt.0), requireZone: true) else {
        return reject(
          updatedAt.1, "invalid-date",
          "updated_at must be an ISO 8601 date-time with a zone (2026-11-25T17:40:00Z)",
          updatedAt.0)
      }
      stamp = FeedSyntax.utcText(seconds)
    }
    let owner = merchant.map(\.0).flatMap { $0.isEmpty ? nil : $0 } ?? defaultMerchant ?? ""
    if let forced = defaultMerchant, owner != forced {
      return reject(
        merchant?.1 ?? line, "merchant-mismatch",
        "the row belongs to merchant \(owner), not \(forced)", owner)
    }
    guard !owner.isEmpty else {
      return reject(
        line, "unknown-merchant",
        "the row names no merchant (pass --merchant, or give a merchant_id column)",
        nil)
    }
    return StockRow(
      merchant: owner, sku: skuText, warehouse: warehouseText, quantity: amount, mode: rowMode,
      updatedAt: stamp, location: line)
  }

  /// The cell without surrounding white space (`CharacterSet.whitespaces`: tabs, spaces, NBSP
  /// and the other Unicode spaces); the same string, without Foundation, when it starts and
  /// ends with a visible ASCII character (nearly every cell).
  static func trimmed(_ text: String) -> String {
    guard let first = text.utf8.first, let last = text.utf8.last else { return text }
    let visible: (UInt8) -> Bool = { $0 > 0x20 && $0 < 0x7F }
    return visible(first) && visible(last) ? text : text.trimmingCharacters(in: .whitespaces)
  }

  /// `12`, or `12.0000` as Magento writes quantities; `nil` for `2.5` or text.
  static func wholeNumber(_ text: String) -> Int64? {
    if let value = Int64(text) { return value }
    guard let point = text.firstIndex(of: "."),
      text[text.index(after: point)...].allSatisfy({ $0 == "0" })
    else { return nil }
    return Int64(text[..<point])
  }
}
