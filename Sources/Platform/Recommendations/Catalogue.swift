import Analytics
import Catalog
import GRDB

/// The catalog as the strategies compare products: each event product's category, brand and
/// price band, by the dense item index of ``Interactions``.
struct Catalogue {
  /// Category names by index; items outside the catalog have category -1.
  var categories: [String] = []
  var category: [Int32] = []
  var brand: [Int32] = []
  /// The product ids behind the items.
  var names: [String] = []

  static let none: Int32 = -1

  init(items: [Int64], names: [Int64: String], products: [ProductFacts]) {
    var byKey: [Int64: ProductFacts] = [:]
    for product in products { byKey[EventHistory.productKey(product.id)] = product }
    var categoryIndex: [String: Int32] = [:]
    var brandIndex: [String: Int32] = [:]
    category.reserveCapacity(items.count)
    for key in items {
      self.names.append(names[key] ?? "")
      guard let facts = byKey[key] else {
        category.append(Self.none)
        brand.append(Self.none)
        continue
      }
      category.append(
        facts.category.isEmpty ? Self.none : Self.intern(facts.category, &categoryIndex))
      brand.append(facts.brand.isEmpty ? Self.none : Self.intern(facts.brand, &brandIndex))
    }
    categories = categoryIndex.sorted { $0.value < $1.value }.map(\.key)
  }

  private static func intern(_ text: String, _ index: inout [String: Int32]) -> Int32 {
    if let known = index[text] { return known }
    let next = Int32(index.count)
    index[text] = next
    return next
  }

  /// The catalog's facts for the items of `interactions`.
  static func load(_ db: Database, items: [Int64]) throws -> Catalogue {
    var products: [ProductFacts] = []
    try CatalogService.eachProduct(db) { products.append($0) }
    return Catalogue(items: items, names: try EventHistory.productNames(db), products: products)
  }
}
