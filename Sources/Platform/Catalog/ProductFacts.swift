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
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT merchant_id, id, title, coalesce(nullif(product_type, ''),
          google_product_category, ''), coalesce(brand, ''),
          coalesce(sale_price_minor, price_minor), currency
        FROM product ORDER BY merchant_id, id
        """)
    while let row = try rows.next() {
      try body(
        ProductFacts(
          merchant: row[0], id: row[1], title: row[2], category: row[3], brand: row[4],
          priceMinor: row[5], currency: row[6]))
    }
  }
}

/// What a product's badges need from the catalog.
package struct BadgeFacts: Sendable, Equatable {
  /// A sale price below the regular one is in force now.
  package var onSale: Bool
  /// When the catalog first stored the product (ISO 8601).
  package var createdAt: String
}

extension CatalogService {
  /// The badge facts of the products with `ids` (any merchant; the first stored wins).
  package static func badgeFacts(of ids: [String], at now: Int64, _ db: Database) throws
    -> [String: BadgeFacts]
  {
    var result: [String: BadgeFacts] = [:]
    try SQLInList.chunks(ids) { placeholders, arguments in
      for row in try Row.fetchAll(
        db,
        sql: """
          SELECT id, price_minor, sale_price_minor,
            json_extract(attributes, '$.sale_price_effective_date'), created_at
          FROM product WHERE id IN (\(placeholders)) ORDER BY created_at
          """, arguments: arguments)
      {
        let id: String = row[0]
        guard result[id] == nil else { continue }
        let price: Int64? = row[1]
        let sale: Int64? = row[2]
        let onSale =
          sale.map { sale in price.map { sale < $0 } ?? true } == true
          && FeedSyntax.saleInForce(row[3], at: now)
        result[id] = BadgeFacts(onSale: onSale, createdAt: row[4])
      }
    }
    return result
  }
}
