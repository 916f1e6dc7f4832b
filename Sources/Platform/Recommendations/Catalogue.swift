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
  /// Brand names by index.
  var brands: [String] = []
  /// The product ids behind the items.
  var names: [String] = []

  static let none: Int32 = -1

  init(items: [Int64], names: [Int64: String], products: [ProductFacts]) {
    var builder = Builder(items: items, names: names)
    for product in products { builder.add(product) }
    self = builder.catalogue()
  }

  /// Builds a catalogue from products met one at a time: only the category and brand of the
  /// products in the events are kept (the catalog may hold a million more).
  struct Builder {
    private var position: [Int64: Int] = [:]
    private var facts: [(category: String, brand: String)?]
    private var names: [String]

    init(items: [Int64], names: [Int64: String]) {
      position.reserveCapacity(items.count)
      for (index, key) in items.enumerated() { position[key] = index }
      facts = Array(repeating: nil, count: items.count)
      self.names = items.map { names[$0] ?? "" }
    }

    /// Notes a product's facts if the events met it; a later seller of the same id wins.
    mutating func add(_ product: ProductFacts) {
      guard let index = position[EventHistory.productKey(product.id)] else { return }
      facts[index] = (product.category, product.brand)
    }

    func catalogue() -> Catalogue {
      var catalogue = Catalogue()
      var categoryIndex: [String: Int32] = [:]
      var brandIndex: [String: Int32] = [:]
      catalogue.names = names
      catalogue.category.reserveCapacity(facts.count)
      catalogue.brand.reserveCapacity(facts.count)
      for fact in facts {
        guard let fact else {
          catalogue.category.append(Catalogue.none)
          catalogue.brand.append(Catalogue.none)
          continue
        }
        catalogue.category.append(
          fact.category.isEmpty ? Catalogue.none : Catalogue.intern(fact.category, &categoryIndex))
        catalogue.brand.append(
          fact.brand.isEmpty ? Catalogue.none : Catalogue.intern(fact.brand, &brandIndex))
      }
      catalogue.categories = categoryIndex.sorted { $0.value < $1.value }.map(\.key)
      catalogue.brands = brandIndex.sorted { $0.value < $1.value }.map(\.key)
      return catalogue
    }
  }

  private init() {}

  /// A stored model's catalogue, to which products first met since are added with ``add(_:)``.
  init(categories: [String], category: [Int32], brands: [String], brand: [Int32]) {
    (self.categories, self.category, self.brands, self.brand) =
      (categories, category, brands, brand)
  }

  /// Appends products met for the first time, in order.
  mutating func add(_ products: [ProductFacts?]) {
    var categoryIndex = Dictionary(
      categories.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    var brandIndex = Dictionary(
      brands.enumerated().map { ($1, Int32($0)) }, uniquingKeysWith: { first, _ in first })
    for facts in products { add(facts, &categoryIndex, &brandIndex) }
  }

  private mutating func add(
    _ facts: ProductFacts?, _ categoryIndex: inout [String: Int32],
    _ brandIndex: inout [String: Int32]
  ) {
    let category = facts.map(\.category) ?? ""
    let brand = facts.map(\.brand) ?? ""
    self.category.append(
      category.isEmpty ? Catalogue.none : Catalogue.intern(category, &categoryIndex))
    self.brand.append(brand.isEmpty ? Catalogue.none : Catalogue.intern(brand, &brandIndex))
    if categoryIndex.count > categories.count { categories.append(category) }
    if brandIndex.count > brands.count { brands.append(brand) }
  }

  fileprivate static func intern(_ text: String, _ index: inout [String: Int32]) -> Int32 {
    if let known = index[text] { return known }
    let next = Int32(index.count)
    index[text] = next
    return next
  }

  /// The catalog's facts for the items of `interactions`.
  static func load(_ db: Database, items: [Int64]) throws -> Catalogue {
    var builder = Builder(items: items, names: try EventHistory.productNames(db))
    try CatalogService.eachProduct(db) { builder.add($0) }
    return builder.catalogue()
  }
}
