package import GRDB
import Importers
import Store

/// What other modules read of a product to compare it with others (recommendations): where it
/// sits in the catalog, its brand and its price.
package struct ProductFacts: Sendable, Equatable {
  package var merchant: String
  package var id: String
  package var title: String
  /// The merchant's `product_type`, else Google's category path, else empty.
  package var category: String
  package var brand: String
  /// The price in force at import (the sale price when there was one), in minor units.
  package var priceMinor: Int64?
  package var currency: String?

  package init(
    merchant: String, id: String, title: String = "", category: String, brand: String = "",
    priceMinor: Int64? = nil, currency: String? = nil
  ) {
    self.merchant = merchant
    self.id = id
    self.title = title
    self.category = category
    self.brand = brand
    self.priceMinor = priceMinor
    self.currency = currency
  }
}

extension CatalogService {
  /// Calls `body` with every product, in key order (merchant, id): Catalog owns `product`,
  /// other modules read it here.
  package static func eachProduct(_ db: Database, _ body: (ProductFacts) throws -> Void) throws {
    try eachProduct(db, where: "", arguments: [], body)
  }

  /// Calls `body` with the products whose id is one of `ids`, ordered by merchant and id (so a
  /// later seller of the same id comes last); a read by the index on `product(id)`.
  package static func eachProduct(
    _ db: Database, ids: [String], _ body: (ProductFacts) throws -> Void
  ) throws {
    try SQLInList.chunks(ids) { marks, arguments in
      try eachProduct(db, where: "WHERE id IN (\(marks))", arguments: arguments, body)
    }
  }

  private static func eachProduct(
    _ db: Database, where filter: String, arguments: StatementArguments,
    _ body: (ProductFacts) throws -> Void
  ) throws {
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT merchant_id, id, title,
          coalesce(nullif(product_type, ''), google_product_category, '') AS category,
          coalesce(brand, '') AS brand, coalesce(sale_price_minor, price_minor) AS price,
          currency
        FROM product \(filter) ORDER BY merchant_id, id
        """, arguments: arguments)
    while let row = try rows.next() {
      try body(
        ProductFacts(
          merchant: row["merchant_id"], id: row["id"], title: row["title"],
          category: row["category"], brand: row["brand"], priceMinor: row["price"],
          currency: row["currency"]))
    }
  }
}

/// What a product's badges and a shelf's filters need from the catalog.
package struct BadgeFacts: Sendable, Equatable {
  /// A sale price below the regular one is in force now.
  package var onSale: Bool
  /// When the catalog first stored the product (ISO 8601).
  package var createdAt: String
  /// The merchants selling the id.
  package var merchants: Set<String> = []
  /// The countries one of them ships it to (`ProductShipping.countriesSQL`).
  package var countries: Set<String> = []
}

extension CatalogService {
  /// The badge facts of the products with `ids` (any merchant; the first stored gives the
  /// sale and the age, every seller the merchants and countries).
  ///
  /// The countries are read only `withCountries`: a JSON walk per product, which lists that
  /// filter by no country need not pay.
  package static func badgeFacts(
    of ids: [String], at now: Int64, withCountries: Bool = false, _ db: Database
  ) throws -> [String: BadgeFacts] {
    var result: [String: BadgeFacts] = [:]
    try SQLInList.chunks(ids) { placeholders, arguments in
      for row in try Row.fetchAll(
        db.cachedStatement(
          sql: """
            SELECT p.id, p.price_minor, p.sale_price_minor,
              json_extract(p.attributes, '$.sale_price_effective_date')
                AS sale_price_effective_date,
              p.created_at, p.merchant_id,
              \(withCountries ? ProductShipping.countriesSQL : "NULL") AS countries
            FROM product p WHERE p.id IN (\(placeholders)) ORDER BY p.created_at
            """), arguments: arguments)
      {
        let id: String = row["id"]
        let countries = ((row["countries"] as String?) ?? "").split(separator: ",").map(String.init)
        if result[id] != nil {
          result[id]?.merchants.insert(row["merchant_id"])
          result[id]?.countries.formUnion(countries)
          continue
        }
        let price: Int64? = row["price_minor"]
        let sale: Int64? = row["sale_price_minor"]
        let onSale =
          sale.map { sale in price.map { sale < $0 } ?? true } == true
          && FeedSyntax.saleInForce(row["sale_price_effective_date"], at: now)
        result[id] = BadgeFacts(
          onSale: onSale, createdAt: row["created_at"], merchants: [row["merchant_id"]],
          countries: Set(countries))
      }
    }
    return result
  }
}
