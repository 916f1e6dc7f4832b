import Foundation
import GRDB
internal import GRDBSQLite
public import Localization
import MktCore

/// Orders written out for accounting and fulfilment: CSV (one row per line item, the order's
/// fields repeated; or Shopify's order-export layout), JSON (orders with nested lines) or NDJSON.
///
/// Streamed from one read snapshot in order id order, a buffer at a time: memory stays flat
/// whatever the number of orders. CSV cells that a spreadsheet would run as a formula (starting
/// with `=`, `+`, `-`, `@`, tab or carriage return) are prefixed with `'`.
public struct OrderExport: Sendable {
  public enum Format: String, Sendable, CaseIterable { case csv, json, ndjson }
  public enum Layout: String, Sendable, CaseIterable { case standard, shopify }

  public var format: Format
  public var layout: Layout
  public var merchant: String?
  /// Only orders placed at or after this time (ISO 8601).
  public var since: String?
  /// Amounts as this locale writes them; plain `1234.50` when `nil`.
  public var locale: LocaleFormat?

  public init(format: Format = .csv, layout: Layout = .standard) {
    self.format = format
    self.layout = layout
  }

  static let standardColumns = [
    "order_id", "placed_at", "status", "merchant_id", "customer_id", "email", "country",
    "currency", "order_subtotal", "order_vat", "order_discount", "order_shipping", "order_total",
    "refunded", "payment_method", "codes", "line", "sku", "title", "warehouse_id", "quantity",
    "unit_price", "line_total", "line_vat", "vat_rate", "fulfilled",
  ]

  /// Shopify's orders export header (Admin › Orders › Export), in its order.
  static let shopifyColumns = [
    "Name", "Email", "Financial Status", "Paid at", "Fulfillment Status", "Fulfilled at",
    "Accepts Marketing", "Currency", "Subtotal", "Shipping", "Taxes", "Total", "Discount Code",
    "Discount Amount", "Shipping Method", "Created at", "Lineitem quantity", "Lineitem name",
    "Lineitem price", "Lineitem compare at price", "Lineitem sku", "Lineitem requires shipping",
    "Lineitem taxable", "Lineitem fulfillment status", "Billing Name", "Billing Street",
    "Billing Address1", "Billing Address2", "Billing Company", "Billing City", "Billing Zip",
    "Billing Province", "Billing Country", "Billing Phone", "Shipping Name", "Shipping Street",
    "Shipping Address1", "Shipping Address2", "Shipping Company", "Shipping City",
    "Shipping Zip", "Shipping Province", "Shipping Country", "Shipping Phone", "Notes",
    "Note Attributes", "Cancelled at", "Payment Method", "Payment Reference", "Refunded Amount",
    "Vendor", "Outstanding Balance", "Employee", "Location", "Device ID", "Id", "Tags",
    "Risk Level", "Source", "Lineitem discount", "Tax 1 Name", "Tax 1 Value", "Phone",
    "Receipt Number", "Billing Province Name", "Shipping Province Name", "Payment ID",
    "Payment References",
  ]

  static let query = """
    SELECT o.id, o.placed_at, o.status, o.merchant_id, o.customer_id, o.email, o.country,
      o.currency, o.subtotal_minor, o.vat_minor, o.discount_minor, o.shipping_minor,
      o.total_minor, o.refunded_minor, o.payment_method, o.codes, l.line, l.sku, l.title,
      l.warehouse_id, l.quantity, l.unit_minor, l.total_minor, l.vat_minor, l.vat_rate,
      l.fulfilled, o.billing_country, o.payment_reference, o.fraud_score, o.updated_at
    FROM orders o JOIN order_line l ON l.order_id = o.id
    WHERE o.id > ?1 AND o.id <= ?2 AND (?3 IS NULL OR o.merchant_id = ?3)
      AND (?4 IS NULL OR o.placed_at >= ?4)
    ORDER BY o.id, l.line
    """

  /// Writes the orders with ids in `(after, through]` to `write`, in chunks; returns the
  /// orders and lines written.
  func write(
    after: Int64, through: Int64, _ db: Database, _ write: (String) throws -> Void
  ) throws -> (orders: Int, lines: Int) {
    if format == .csv, layout == .standard, locale == nil {
      return try writeStandardCSV(after: after, through: through, db, write)
    }
    var out = ""
    out.reserveCapacity(1 << 17)
    var orders = 0
    var lines = 0
    var currentOrder: Int64 = -1
    var firstJSON = true
    switch format {
    case .csv:
      out +=
        (layout == .shopify ? Self.shopifyColumns : Self.standardColumns)
        .map(Self.cell).joined(separator: ",") + "\n"
    case .json: out += "["
    case .ndjson: break
    }
    var pendingJSON: (head: String, lines: [String])?
    func flushJSON() {
      guard let pending = pendingJSON else { return }
      let object = pending.head + ",\"lines\":[" + pending.lines.joined(separator: ",") + "]}"
      if format == .json {
        out += (firstJSON ? "\n" : ",\n") + object
        firstJSON = false
      } else {
        out += object + "\n"
      }
      pendingJSON = nil
    }
    let cursor = try Row.fetchCursor(
      db, sql: Self.query, arguments: [after, through, merchant, since])
    while let row = try cursor.next() {
      let id: Int64 = row[0]
      let newOrder = id != currentOrder
      if newOrder {
        orders += 1
        currentOrder = id
      }
      lines += 1
      let currency: String = row[7]
      switch format {
      case .csv:
        out +=
          layout == .shopify
          ? shopifyRow(row, first: newOrder, currency: currency)
          : standardRow(row, currency: currency)
      case .json, .ndjson:
        if newOrder {
          flushJSON()
          pendingJSON = (orderJSON(row, currency: currency), [])
        }
        pendingJSON?.lines.append(lineJSON(row, currency: currency))
      }
      if out.utf8.count >= 1 << 17 {
        try write(out)
        out.removeAll(keepingCapacity: true)
      }
    }
    flushJSON()
    if format == .json { out += firstJSON ? "]\n" : "\n]\n" }
    try write(out)
    return (orders, lines)
  }

  func amount(_ units: Int64, _ currency: String) -> String {
    let money = Money(minorUnits: units, currency: CurrencyCode(currency) ?? .eur)
    return locale?.format(money) ?? money.decimalString
  }

  func standardRow(_ row: Row, currency: String) -> String {
    let id: Int64 = row[0]
    let line: Int = row[16]
    let quantity: Int = row[20]
    let fulfilled: Int = row[25]
    let cells: [String] = [
      String(id), row[1], row[2], row[3], row[4], row[5], row[6], currency,
      amount(row[8], currency), amount(row[9], currency), amount(row[10], currency),
      amount(row[11], currency), amount(row[12], currency), amount(row[13], currency), row[14],
      row[15], String(line), row[17], row[18], row[19], String(quantity),
      amount(row[21], currency), amount(row[22], currency), amount(row[23], currency), row[24],
      String(fulfilled),
    ]
    return cells.map(Self.cell).joined(separator: ",") + "\n"
  }

  func shopifyRow(_ row: Row, first: Bool, currency: String) -> String {
    let id: Int64 = row[0]
    let status: String = row[2]
    let quantity: Int = row[20]
    let fulfilled: Int = row[25]
    let financial =
      switch status {
      case "pending", "review": "pending"
      case "refunded": "refunded"
      case "cancelled", "rejected": "voided"
      default: "paid"
      }
    let fulfilment =
      switch status {
      case "fulfilled", "completed": "fulfilled"
      case "partially_fulfilled": "partial"
      default: "unfulfilled"
      }
    let score: Int = row[28]
    var cells = [String](repeating: "", count: Self.shopifyColumns.count)
    func set(_ column: String, _ value: String) {
      if let index = Self.shopifyColumns.firstIndex(of: column) { cells[index] = value }
    }
    set("Name", "#\(id)")
    set("Email", row[5])
    set("Created at", row[1])
    set("Lineitem quantity", String(quantity))
    set("Lineitem name", row[18])
    set("Lineitem price", amount(row[21], currency))
    set("Lineitem sku", row[17])
    set("Lineitem requires shipping", "true")
    set("Lineitem taxable", "true")
    set("Lineitem fulfillment status", fulfilled >= quantity ? "fulfilled" : "pending")
    set("Vendor", row[3])
    if first {
      set("Financial Status", financial)
      if financial == "paid" { set("Paid at", row[1]) }
      set("Fulfillment Status", fulfilment)
      if fulfilment == "fulfilled" { set("Fulfilled at", row[29]) }
      set("Accepts Marketing", "no")
      set("Currency", currency)
      set("Subtotal", amount(row[8], currency))
      set("Shipping", amount(row[11], currency))
      set("Taxes", amount(row[9], currency))
      set("Total", amount(row[12], currency))
      set("Discount Code", row[15])
      set("Discount Amount", amount(row[10], currency))
      set("Billing Country", row[26] ?? row[6])
      set("Shipping Country", row[6])
      set("Payment Method", row[14])
      set("Payment Reference", row[27] ?? "")
      set("Refunded Amount", amount(row[13], currency))
      set("Id", String(id))
      set("Risk Level", score > 800 ? "High" : score > 400 ? "Medium" : "Low")
      set("Source", "mkt")
      set("Tax 1 Name", "VAT \(row[24] as String)%")
      set("Tax 1 Value", amount(row[9], currency))
    }
    return cells.map(Self.cell).joined(separator: ",") + "\n"
  }

  func orderJSON(_ row: Row, currency: String) -> String {
    let id: Int64 = row[0]
    let codes: String = row[15]
    return "{\"order_id\":\(id),\"placed_at\":\(Self.json(row[1])),\"status\":\(Self.json(row[2])),"
      + "\"merchant_id\":\(Self.json(row[3])),\"customer_id\":\(Self.json(row[4])),"
      + "\"email\":\(Self.json(row[5])),\"country\":\(Self.json(row[6])),"
      + "\"currency\":\(Self.json(currency)),\"subtotal\":\(Self.json(amount(row[8], currency))),"
      + "\"vat\":\(Self.json(amount(row[9], currency))),"
      + "\"discount\":\(Self.json(amount(row[10], currency))),"
      + "\"shipping\":\(Self.json(amount(row[11], currency))),"
      + "\"total\":\(Self.json(amount(row[12], currency))),"
      + "\"refunded\":\(Self.json(amount(row[13], currency))),"
      + "\"payment_method\":\(Self.json(row[14])),\"codes\":["
      + codes.split(separator: " ").map { Self.json(String($0)) }.joined(separator: ",") + "]"
  }

  func lineJSON(_ row: Row, currency: String) -> String {
    let line: Int = row[16]
    let quantity: Int = row[20]
    let fulfilled: Int = row[25]
    return "{\"line\":\(line),\"sku\":\(Self.json(row[17])),\"title\":\(Self.json(row[18])),"
      + "\"warehouse_id\":\(Self.json(row[19])),\"quantity\":\(quantity),"
      + "\"unit_price\":\(Self.json(amount(row[21], currency))),"
      + "\"total\":\(Self.json(amount(row[22], currency))),"
      + "\"vat\":\(Self.json(amount(row[23], currency))),\"vat_rate\":\(Self.json(row[24])),"
      + "\"fulfilled\":\(fulfilled)}"
  }

  /// A CSV cell: quoted when it holds a comma, quote or line break; prefixed with `'` when a
  /// spreadsheet would run it as a formula.
  static func cell(_ value: String) -> String {
    var value = value
    if let first = value.unicodeScalars.first, "=+-@\t\r".unicodeScalars.contains(first) {
      value = "'" + value
    }
    guard value.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return value
    }
    return "\"" + value.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// A JSON string literal.
  static func json(_ value: String) -> String {
    var out = "\""
    for scalar in value.unicodeScalars {
      switch scalar {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      case "\t": out += "\\t"
      default:
        if scalar.value < 0x20 {
          out += String(format: "\\u%04x", scalar.value)
        } else {
          out.unicodeScalars.append(scalar)
        }
      }
    }
    return out + "\""
  }

  /// The standard CSV layout with plain amounts, written as bytes: each order's columns are
  /// rendered once and repeated for its lines, and text goes from SQLite's buffer to the output
  /// without becoming a `String`.
  func writeStandardCSV(
    after: Int64, through: Int64, _ db: Database, _ write: (String) throws -> Void
  ) throws -> (orders: Int, lines: Int) {
    var out = CSVBytes()
    out.bytes.reserveCapacity(1 << 18)
    for (index, column) in Self.standardColumns.enumerated() {
      if index > 0 { out.bytes.append(UInt8(ascii: ",")) }
      out.text(column)
    }
    out.bytes.append(UInt8(ascii: "\n"))
    var prefix = CSVBytes()
    var currentOrder: Int64 = -1
    var digits = 2
    var orders = 0
    var lines = 0
    // Stepped by hand: text goes from SQLite's buffer straight into the output, with no Data or
    // String per cell (GRDB's row accessors make one each).
    let statement = try db.makeStatement(sql: Self.query)
    try statement.setArguments([after, through, merchant, since])
    let handle = statement.sqliteStatement
    func text(_ column: Int32, into csv: inout CSVBytes) {
      guard let pointer = sqlite3_column_text(handle, column) else { return }
      csv.cell(
        UnsafeRawBufferPointer(start: pointer, count: Int(sqlite3_column_bytes(handle, column))))
    }
    while true {
      let code = sqlite3_step(handle)
      if code == SQLITE_DONE { break }
      guard code == SQLITE_ROW else {
        throw DatabaseError(
          resultCode: ResultCode(rawValue: code),
          message: String(cString: sqlite3_errmsg(sqlite3_db_handle(handle))), sql: Self.query)
      }
      let id = sqlite3_column_int64(handle, 0)
      if id != currentOrder {
        currentOrder = id
        orders += 1
        prefix.bytes.removeAll(keepingCapacity: true)
        prefix.integer(id)
        for column in Int32(1)...7 {
          prefix.bytes.append(UInt8(ascii: ","))
          text(column, into: &prefix)
        }
        let code = sqlite3_column_text(handle, 7).map { String(cString: $0) } ?? "EUR"
        digits = CurrencyCode(code)?.minorUnitDigits ?? 2
        for column in Int32(8)...13 {
          prefix.bytes.append(UInt8(ascii: ","))
          prefix.amount(sqlite3_column_int64(handle, column), digits: digits)
        }
        for column in Int32(14)...15 {
          prefix.bytes.append(UInt8(ascii: ","))
          text(column, into: &prefix)
        }
        prefix.bytes.append(UInt8(ascii: ","))
      }
      lines += 1
      out.bytes += prefix.bytes
      out.integer(sqlite3_column_int64(handle, 16))
      for column in Int32(17)...19 {
        out.bytes.append(UInt8(ascii: ","))
        text(column, into: &out)
      }
      out.bytes.append(UInt8(ascii: ","))
      out.integer(sqlite3_column_int64(handle, 20))
      for column in Int32(21)...23 {
        out.bytes.append(UInt8(ascii: ","))
        out.amount(sqlite3_column_int64(handle, column), digits: digits)
      }
      out.bytes.append(UInt8(ascii: ","))
      text(24, into: &out)
      out.bytes.append(UInt8(ascii: ","))
      out.integer(sqlite3_column_int64(handle, 25))
      out.bytes.append(UInt8(ascii: "\n"))
      if out.bytes.count >= 1 << 18 {
        try write(String(decoding: out.bytes, as: UTF8.self))
        out.bytes.removeAll(keepingCapacity: true)
      }
    }
    try write(String(decoding: out.bytes, as: UTF8.self))
    return (orders, lines)
  }
}

/// CSV written as bytes.
struct CSVBytes {
  var bytes: [UInt8] = []

  /// Whether a spreadsheet takes a cell starting with `byte` for a formula: = + - @ tab CR.
  static func isFormulaStart(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: true
    default: false
    }
  }

  /// Whether `byte` makes a cell need quotes: comma, quote, line feed, carriage return.
  static func isSpecial(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x2C, 0x22, 0x0A, 0x0D: true
    default: false
    }
  }

  /// A cell from text: prefixed with `'` when a spreadsheet would run it as a formula, quoted
  /// when it holds a comma, quote or line break.
  mutating func cell(_ data: Data?) {
    guard let data, !data.isEmpty else { return }
    data.withUnsafeBytes { cell($0) }
  }

  mutating func cell(_ raw: UnsafeRawBufferPointer) {
    guard !raw.isEmpty else { return }
    do {
      let formula = CSVBytes.isFormulaStart(raw[0])
      var quoted = false
      for byte in raw where CSVBytes.isSpecial(byte) {
        quoted = true
        break
      }
      if quoted { bytes.append(UInt8(ascii: "\"")) }
      if formula { bytes.append(UInt8(ascii: "'")) }
      if quoted {
        for byte in raw {
          if byte == UInt8(ascii: "\"") { bytes.append(byte) }
          bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
      } else {
        bytes.append(contentsOf: raw)
      }
    }
  }

  mutating func text(_ text: String) { cell(Data(text.utf8)) }

  mutating func integer(_ value: Int64) {
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) = (
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      )
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0
      for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
    }
  }

  /// Minor units as a plain decimal with `digits` decimals: `1234.50`.
  mutating func amount(_ minor: Int64, digits: Int) {
    guard digits > 0 else { return integer(minor) }
    var scale: Int64 = 1
    for _ in 0..<digits { scale *= 10 }
    if minor < 0 { bytes.append(UInt8(ascii: "-")) }
    let magnitude = minor.magnitude
    integer(Int64(magnitude / UInt64(scale)))
    bytes.append(UInt8(ascii: "."))
    var fraction = magnitude % UInt64(scale)
    var divisor = UInt64(scale) / 10
    while divisor > 0 {
      bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
      fraction %= divisor
      divisor /= 10
    }
  }
}
