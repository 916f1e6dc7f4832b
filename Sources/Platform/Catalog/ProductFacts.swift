package import GRDB

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
