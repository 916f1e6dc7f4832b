import Foundation
import GRDB
import Store

/// What search needs of each product, as arrays indexed by the product's document id: the
/// filters, facets and ranking read these instead of joining every hit to its row.
///
/// Built from the catalog and stamped with `search_state.version`, which every write to
/// `product` bumps in its own transaction: a copy is used only while the stamps agree. The
/// copy lives in memory per process and in `search_column` in the database file, so a new
/// process loads arrays instead of reading a million rows.
struct SearchColumns: Sendable, Equatable {
  var version: Int64
  /// Rows and tokens of the index: bm25's document count and average length.
  var rows = 0
  var tokens = 0
  /// Per document id (`product.doc`); ``Entry/absent`` where there is no product.
  var entries = PlainArray<Entry>()
  /// Per document id: the countries the product ships to, as a number in `shippings`.
  var shipping = PlainArray<Int32>()
  /// The distinct values the arrays above point into.
  var merchants: [String] = []
  var brands: [String] = []
  var categories: [String] = []
  var currencies: [String] = []
  var availabilities: [String] = []
  var languages: [String] = []
  /// Sets of countries, comma-separated (`AT,DE`).
  var shippings: [String] = []

  /// A product's rating in hundredths, as SQL over `p` (product): its imported average
  /// (`mkt ratings import`) where it has one, else the feed's `product_rating` or `rating`
  /// column (custom attributes); the SQL path reads ratings the same way.
  static let rating =
    "CAST(round(CAST(coalesce((SELECT r.average FROM product_rating r "
    + "WHERE r.merchant_id = p.merchant_id AND r.product_id = p.id), "
    + "json_extract(p.attributes, '$.custom.product_rating'), "
    + "json_extract(p.attributes, '$.custom.rating')) AS REAL) * 100) AS INTEGER)"

  /// The countries a product ships to, as SQL over `p` (Catalog's reading of the feed).
  static let shipsTo = ProductShipping.countriesSQL

  /// Whether a set of countries from ``shipsTo`` holds `country`.
  static func ships(_ set: String, to country: String) -> Bool {
    ProductShipping.ships(set, to: country)
  }

  static let none: Int32 = -1
  static let noPrice = Int64.min

  /// One product, in one piece: a hit reads one cache line, not one per array (at a million
  /// products, scattered array reads cost more than everything else).
  struct Entry: Sendable, Equatable, BitwiseCopyable {
    /// The sale price when there is one, else the price, in minor units; `noPrice` for none.
    var price = noPrice
    /// Numbers of the values in the tables below; -1 for none.
    var merchant = none
    var brand = none
    var googleCategory = none
    var productType = none
    var language: Int16 = -1
    /// Tokens of the document in all columns of the index (bm25's document length).
    var length: UInt16 = 0
    /// The rating in hundredths (4.5 is 450); -1 when unrated.
    var rating: Int16 = -1
    var currency: Int8 = -1
    var availability: Int8 = -1

    static let absent = Entry()
    var exists: Bool { merchant >= 0 }
  }

  var averageLength: Double { rows == 0 ? 1 : Double(tokens) / Double(rows) }

  /// The catalog's current version (in the caller's transaction).
  static func currentVersion(_ db: Database) throws -> Int64 {
    try Int64.fetchOne(db, sql: "SELECT version FROM search_state") ?? 0
  }

  /// Reads the arrays from the catalog and the index, in `db`'s transaction.
  static func build(_ db: Database) throws -> SearchColumns {
    var columns = SearchColumns(version: try currentVersion(db))
    let lengths = try columns.readLengths(db)
    columns.entries = PlainArray(lengths.map { Entry(length: $0) })
    columns.shipping = PlainArray(repeating: none, count: lengths.count)
    try columns.readProducts(db, where: "1")
    return columns
  }

  /// Reads each document's token count (bm25's document length), one per document id up to
  /// the largest product's, and counts the index's rows and tokens.
  mutating func readLengths(_ db: Database) throws -> [UInt16] {
    let maxDoc = Int(try Int64.fetchOne(db, sql: "SELECT max(doc) FROM product") ?? 0)
    var lengths = [UInt16](repeating: 0, count: maxDoc + 1)
    // FTS5 keeps each document's token count per column as varints.
    try RawRows.each(db, sql: "SELECT id, sz FROM product_search_docsize") { row in
      let doc = Int(row.integer(0))
      let total = Varint.sum(row.blob(1))
      rows += 1
      tokens += total
      if doc >= 0 && doc < lengths.count { lengths[doc] = UInt16(clamping: total) }
    }
    return lengths
  }

  /// Reads the entries of the products `condition` selects (SQL over `product`), numbering new
  /// values after the known ones; lengths are left as they were.
  mutating func readProducts(
    _ db: Database, where condition: String, arguments: StatementArguments = []
  ) throws {
    var entries = self.entries
    var shipping = self.shipping
    (self.entries, self.shipping) = (PlainArray(), PlainArray())  // one copy of each, not two
    defer { (self.entries, self.shipping) = (entries, shipping) }
    try eachProduct(db, where: condition, arguments: arguments) { doc, entry, shipsTo in
      if doc >= entries.count {
        entries += Array(repeating: .absent, count: doc + 1 - entries.count)
      }
      if doc >= shipping.count {
        shipping += Array(repeating: Self.none, count: entries.count - shipping.count)
      }
      shipping[doc] = shipsTo
      var entry = entry
      entry.length = entries[doc].length
      entries[doc] = entry
    }
  }

  /// Calls `body` with the document id, entry (length 0) and shipping set of each product
  /// `condition` selects (SQL over `product`, which may end in `ORDER BY`), numbering new
  /// values after the known ones.
  mutating func eachProduct(
    _ db: Database, where condition: String, arguments: StatementArguments = [],
    _ body: (Int, Entry, Int32) throws -> Void
  ) throws {
    var merchants = Interner(merchants)
    var brands = Interner(brands)
    var categories = Interner(categories)
    var currencies = Interner(currencies)
    var availabilities = Interner(availabilities)
    var languages = Interner(languages)
    var shippings = Interner(shippings)
    let sql = """
      SELECT doc, merchant_id, brand, google_product_category, product_type,
        coalesce(sale_price_minor, price_minor), currency, availability, language,
        \(Self.rating), \(Self.shipsTo)
      FROM product p WHERE \(condition)
      """
    try RawRows.each(db, sql: sql, arguments: arguments) { row in
      let doc = Int(row.integer(0))
      guard doc >= 0 else { return }
      var entry = Entry()
      entry.merchant = merchants.id(row, 1)
      entry.brand = brands.id(row, 2)
      entry.googleCategory = categories.id(row, 3)
      entry.productType = categories.id(row, 4)
      if !row.isNull(5) { entry.price = row.integer(5) }
      entry.currency = try Int8(exactly: currencies.id(row, 6)).orThrow()
      entry.availability = try Int8(exactly: availabilities.id(row, 7)).orThrow()
      entry.language = try Int16(exactly: languages.id(row, 8)).orThrow()
      if !row.isNull(9) { entry.rating = Int16(clamping: row.integer(9)) }
      try body(doc, entry, shippings.id(row, 10))
    }
    self.merchants = merchants.values
    self.brands = brands.values
    self.categories = categories.values
    self.currencies = currencies.values
    self.availabilities = availabilities.values
    self.languages = languages.values
    self.shippings = shippings.values
  }
}

/// More distinct currencies, availabilities or languages than an ``SearchColumns/Entry`` can
/// number: search ranks in SQL instead.
struct TooManyValues: Error {}

extension Optional {
  func orThrow() throws -> Wrapped {
    guard let self else { throw TooManyValues() }
    return self
  }
}

/// Distinct strings numbered in order of first appearance.
struct Interner {
  private(set) var values: [String] = []
  private var ids: [String: Int32] = [:]

  init(_ values: [String] = []) {
    self.values = values
    for (index, value) in values.enumerated() { ids[value] = Int32(index) }
  }

  /// The number of the text in `row`'s `column`; ``SearchColumns/none`` for NULL.
  mutating func id(_ row: RawRows.Row, _ column: Int32) -> Int32 {
    guard let text = row.text(column) else { return SearchColumns.none }
    if let id = ids[text] { return id }
    let id = Int32(values.count)
    values.append(text)
    ids[text] = id
    return id
  }
}

/// SQLite's variable-length integers, as FTS5 stores column sizes.
enum Varint {
  /// The sum of the varints in `bytes`.
  static func sum(_ bytes: UnsafeRawBufferPointer) -> Int {
    var total = 0
    var value = 0
    var index = 0
    var count = 0
    while index < bytes.count {
      let byte = bytes[index]
      index += 1
      count += 1
      if count == 9 {
        value = (value << 8) | Int(byte)
      } else {
        value = (value << 7) | Int(byte & 0x7f)
        if byte & 0x80 != 0 { continue }
      }
      total += value
      value = 0
      count = 0
    }
    return total
  }
}
