import Foundation
import GRDB
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
      l.warehouse_id, l.quantity, l.unit_minor, l.total_minor AS line_total_minor,
      l.vat_minor AS line_vat_minor, l.vat_rate, l.fulfilled, o.billing_country,
      o.payment_reference, o.fraud_score, o.updated_at
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
      let id: Int64 = row["id"]
      let newOrder = id != currentOrder
      if newOrder {
        orders += 1
        currentOrder = id
      }
      lines += 1
      let currency: String = row["currency"]
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
    let id: Int64 = row["id"]
    let line: Int = row["line"]
    let quantity: Int = row["quantity"]
    let fulfilled: Int = row["fulfilled"]
    let cells: [String] = [
      String(id), row["placed_at"], row["status"], row["merchant_id"], row["customer_id"],
      row["email"], row["country"], currency, amount(row["subtotal_minor"], currency),
      amount(row["vat_minor"], currency), amount(row["discount_minor"], currency),
      amount(row["shipping_minor"], currency), amount(row["total_minor"], currency),
      amount(row["refunded_minor"], currency), row["payment_method"], row["codes"],
      String(line), row["sku"], row["title"], row["warehouse_id"], String(quantity),
      amount(row["unit_minor"], currency), amount(row["line_total_minor"], currency),
      amount(row["line_vat_minor"], currency), row["vat_rate"], String(fulfilled),
    ]
    return cells.map(Self.cell).joined(separator: ",") + "\n"
  }

  func shopifyRow(_ row: Row, first: Bool, currency: String) -> String {
    let id: Int64 = row["id"]
    let status: String = row["status"]
    let quantity: Int = row["quantity"]
    let fulfilled: Int = row["fulfilled"]
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
    let score: Int = row["fraud_score"]
    var cells = [String](repeating: "", count: Self.shopifyColumns.count)
    func set(_ column: String, _ value: String) {
      if let index = Self.shopifyColumns.firstIndex(of: column) { cells[index] = value }
    }
    set("Name", "#\(id)")
    set("Email", row["email"])
    set("Created at", row["placed_at"])
    set("Lineitem quantity", String(quantity))
    set("Lineitem name", row["title"])
    set("Lineitem price", amount(row["unit_minor"], currency))
    set("Lineitem sku", row["sku"])
    set("Lineitem requires shipping", "true")
    set("Lineitem taxable", "true")
    set("Lineitem fulfillment status", fulfilled >= quantity ? "fulfilled" : "pending")
    set("Vendor", row["merchant_id"])
    if first {
      set("Financial Status", financial)
      if financial == "paid" { set("Paid at", row["placed_at"]) }
      set("Fulfillment Status", fulfilment)
      if fulfilment == "fulfilled" { set("Fulfilled at", row["updated_at"]) }
      set("Accepts Marketing", "no")
      set("Currency", currency)
      set("Subtotal", amount(row["subtotal_minor"], currency))
      set("Shipping", amount(row["shipping_minor"], currency))
      set("Taxes", amount(row["vat_minor"], currency))
      set("Total", amount(row["total_minor"], currency))
      set("Discount Code", row["codes"])
      set("Discount Amount", amount(row["discount_minor"], currency))
      set("Billing Country", row["billing_country"] ?? row["country"])
      set("Shipping Country", row["country"])
      set("Payment Method", row["payment_method"])
      set("Payment Reference", row["payment_reference"] ?? "")
      set("Refunded Amount", amount(row["refunded_minor"], currency))
      set("Id", String(id))
      set("Risk Level", score > 800 ? "High" : score > 400 ? "Medium" : "Low")
      set("Source", "mkt")
      set("Tax 1 Name", "VAT \(row["vat_rate"] as String)%")
      set("Tax 1 Value", amount(row["vat_minor"], currency))
    }
    return cells.map(Self.cell).joined(separator: ",") + "\n"
  }

  func orderJSON(_ row: Row, currency: String) -> String {
    let id: Int64 = row["id"]
    let codes: String = row["codes"]
    return "{\"order_id\":\(id),\"placed_at\":\(Self.json(row["placed_at"])),"
      + "\"status\":\(Self.json(row["status"])),\"merchant_id\":\(Self.json(row["merchant_id"])),"
      + "\"customer_id\":\(Self.json(row["customer_id"])),\"email\":\(Self.json(row["email"])),"
      + "\"country\":\(Self.json(row["country"])),\"currency\":\(Self.json(currency)),"
      + "\"subtotal\":\(Self.json(amount(row["subtotal_minor"], currency))),"
      + "\"vat\":\(Self.json(amount(row["vat_minor"], currency))),"
      + "\"discount\":\(Self.json(amount(row["discount_minor"], currency))),"
      + "\"shipping\":\(Self.json(amount(row["shipping_minor"], currency))),"
      + "\"total\":\(Self.json(amount(row["total_minor"], currency))),"
      + "\"refunded\":\(Self.json(amount(row["refunded_minor"], currency))),"
      + "\"payment_method\":\(Self.json(row["payment_method"])),\"codes\":["
      + codes.split(separator: " ").map { Self.json(String($0)) }.joined(separator: ",") + "]"
  }

  func lineJSON(_ row: Row, currency: String) -> String {
    let line: Int = row["line"]
    let quantity: Int = row["quantity"]
    let fulfilled: Int = row["fulfilled"]
    return "{\"line\":\(line),\"sku\":\(Self.json(row["sku"])),"
      + "\"title\":\(Self.json(row["title"])),\"warehouse_id\":\(Self.json(row["warehouse_id"])),"
      + "\"quantity\":\(quantity),\"unit_price\":\(Self.json(amount(row["unit_minor"], currency))),"
      + "\"total\":\(Self.json(amount(row["line_total_minor"], currency))),"
      + "\"vat\":\(Self.json(amount(row["line_vat_minor"], currency))),"
      + "\"vat_rate\":\(Self.json(row["vat_rate"])),\"fulfilled\":\(fulfilled)}"
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
}
