package import GRDB
import MktCore

/// The `merchant` table's SQL; `insert` is also used by the catalog import (`--create-merchants`).
extension Merchant {
  static let selectColumns =
    "id, name, country, currency, price_basis, domain, created_at, updated_at"

  /// Decodes a row selected with ``selectColumns``, by column name.
  init(row: Row) throws {
    let id: String = row["id"]
    guard let country = CountryCode(row["country"] as String),
      let currency = CurrencyCode(row["currency"] as String),
      let basis = PriceBasis(rawValue: row["price_basis"])
    else {
      throw MerchantError.invalidField(
        RowIssue(
          location: InputLocation(id: id), rule: "stored-value",
          message: "merchant \(id) has an invalid stored country, currency or price basis"))
    }
    self.init(
      id: id, name: row["name"], country: country, currency: currency, priceBasis: basis,
      domain: row["domain"])
    createdAt = row["created_at"]
    updatedAt = row["updated_at"]
  }

  static func fetch(_ db: Database, id: String) throws -> Merchant? {
    try Row.fetchOne(db, sql: "SELECT \(selectColumns) FROM merchant WHERE id = ?", arguments: [id])
      .map(Merchant.init(row:))
  }

  static func fetchAll(_ db: Database) throws -> [Merchant] {
    try Row.fetchAll(db, sql: "SELECT \(selectColumns) FROM merchant ORDER BY id")
      .map(Merchant.init(row:))
  }

  package static func insert(_ merchant: Merchant, _ db: Database) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO merchant (id, name, country, currency, price_basis, domain)
        VALUES (?, ?, ?, ?, ?, ?)
        """
    ).execute(arguments: merchant.arguments)
  }

  static func update(_ merchant: Merchant, _ db: Database) throws {
    try db.cachedStatement(
      sql: """
        UPDATE merchant SET name = ?2, country = ?3, currency = ?4, price_basis = ?5, domain = ?6,
          updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
        WHERE id = ?1
        """
    ).execute(arguments: merchant.arguments)
  }

  /// What depends on merchant `id`: orders (kept for accounting, so they block a removal),
  /// and the products and warehouses a removal would take with it.
  static func dependents(id: String, _ db: Database) throws -> MerchantError.Dependents {
    func count(_ table: String) throws -> Int {
      try Int.fetchOne(
        db, sql: "SELECT count(*) FROM \(table) WHERE merchant_id = ?", arguments: [id]) ?? 0
    }
    return MerchantError.Dependents(
      id: id, orders: try count("orders"), products: try count("product"),
      warehouses: try count("warehouse"))
  }

  /// Refuses to remove merchants that have orders, naming each with its counts.
  static func checkRemovable(_ ids: [String], _ db: Database) throws {
    let blocked = try ids.map { try dependents(id: $0, db) }.filter { $0.orders > 0 }
    if !blocked.isEmpty { throw MerchantError.hasOrders(blocked) }
  }

  static func delete(id: String, _ db: Database) throws {
    try db.cachedStatement(sql: "DELETE FROM merchant WHERE id = ?").execute(arguments: [id])
  }

  private var arguments: StatementArguments {
    [id, name, country.rawValue, currency.rawValue, priceBasis.rawValue, domain]
  }
}

extension Merchant {
  /// Whether the merchant lets an order line be served from several warehouses.
  ///
  /// With `allowed`, sets it first. `nil` for an unknown merchant.
  package static func splitLines(_ db: Database, merchant: String, allowed: Bool?) throws -> Bool? {
    if let allowed {
      try db.execute(
        sql: "UPDATE merchant SET split_lines = ? WHERE id = ?", arguments: [allowed, merchant])
    }
    return try Bool.fetchOne(
      db, sql: "SELECT split_lines FROM merchant WHERE id = ?", arguments: [merchant])
  }
}
