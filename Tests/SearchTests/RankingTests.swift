import Catalog
import Foundation
import GRDB
import Importers
import Merchants
import Search
import Store
import Testing

/// The fast path (postings and per-product columns, ranked in Swift) against the reference:
/// FTS5's own bm25 and the filters in SQL, over gen.py's catalog and queries (Fixtures).
@Suite struct RankingTests {
  let store: Store
  let search: SearchService
  let queries: [String]

  static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("Fixtures")

  /// A new store at `path` holding the fixture catalog (gen.py, 1,500 products, 2 merchants).
  static func catalog(at path: String) async throws -> Store {
    let store = try Store.open(path: path, mode: .create)
    for (id, country) in [("M001", "IT"), ("M002", "DE")] {
      _ = try await MerchantService(store: store).add(
        MerchantService.merchant(
          id: id, name: id, country: country, currency: nil, prices: nil, domain: nil))
    }
    // Not prepared for search: the tests prepare it as they need (`frequentWords`, …).
    _ = try await CatalogService(store: store).importFeed(
      path: fixtures.appendingPathComponent("catalog.csv").path,
      feed: FeedOptions(merchant: nil, language: "en"), searchReady: false)
    return store
  }

  /// A new database file holding the fixture catalog, prepared for search: the store and the
  /// file's path.
  static func preparedCatalog() async throws -> (store: Store, path: String) {
    let path = try folder() + "/mkt.db"
    let store = try await catalog(at: path)
    try await SearchService(store: store).prepare()
    return (store, path)
  }

  /// A new folder for a test's databases.
  static func folder() throws -> String {
    let folder = NSTemporaryDirectory() + "mkt-search-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    return folder
  }

  init() async throws {
    store = try await Self.catalog(at: Self.folder() + "/mkt.db")
    search = SearchService(store: store)
    // Words in 40 products or more are read from their saved postings, the others from the
    // index: both kinds meet in most queries.
    try await search.prepare(frequentWords: 40)
    queries = try String(
      contentsOf: Self.fixtures.appendingPathComponent("queries.txt"), encoding: .utf8
    ).split(separator: "\n").map(String.init)
  }

  /// Both paths' answers to `request`.
  func both(_ request: SearchRequest) async throws -> (fast: SearchResult, sql: SearchResult) {
    var reference = request
    reference.rankInSQL = true
    return (try await search.search(request), try await search.search(reference))
  }

  /// The same hits in the same order with the same scores (to rounding), and the same facets.
  func expectSame(
    _ fast: SearchResult, _ sql: SearchResult, _ label: String,
    sourceLocation: SourceLocation = #_sourceLocation
  ) {
    #expect(fast.total == sql.total, "\(label): total", sourceLocation: sourceLocation)
    #expect(fast.facets == sql.facets, "\(label): facets", sourceLocation: sourceLocation)
    #expect(fast.corrections == sql.corrections, "\(label)", sourceLocation: sourceLocation)
    #expect(fast.nextCursor == nil || sql.nextCursor != nil, "\(label)")
    #expect(fast.hits.count == sql.hits.count, "\(label): page", sourceLocation: sourceLocation)
    for (a, b) in zip(fast.hits, sql.hits) {
      let close = abs(a.score - b.score) <= 1e-9 * max(1, abs(b.score))
      #expect(
        close, "\(label): \(a.id) \(a.score) vs \(b.id) \(b.score)", sourceLocation: sourceLocation)
      // Equal scores may tie-break differently only if they differ in the last bits.
      if a.id != b.id {
        #expect(
          close, "\(label): rank \(a.rank) \(a.id) vs \(b.id)", sourceLocation: sourceLocation)
      }
    }
  }

  /// Every text with every change of the request, each answered alike by both paths.
  func expectSameForAll(
    _ texts: [String], _ facets: [SearchRequest.Facet],
    _ changes: [(String, (inout SearchRequest) -> Void)]
  ) async throws {
    for text in texts {
      for (label, change) in changes {
        var request = SearchRequest(text: text)
        request.facets = facets
        change(&request)
        let (fast, sql) = try await both(request)
        expectSame(fast, sql, "\(text) / \(label)")
      }
    }
  }

  @Test func scoresOrderAndFacetsEqualFTS5s() async throws {
    #expect(queries.count == 80)
    var nonEmpty = 0
    for query in queries {
      var request = SearchRequest(text: query)
      request.facets = [.brand, .category, .price, .availability, .merchant]
      request.perPage = 20
      let (fast, sql) = try await both(request)
      if fast.total > 0 { nonEmpty += 1 }
      expectSame(fast, sql, query)
    }
    #expect(nonEmpty > 50, "the queries find something")
  }

  @Test func filtersSortsAndPagesEqualSQLs() async throws {
    let requests: [(String, (inout SearchRequest) -> Void)] = [
      ("merchant", { $0.merchant = "M002" }),
      ("brand", { $0.brands = ["samsung", "Apple", "nike"] }),
      ("category", { $0.category = "apparel & accessories > " }),
      (
        "price",
        {
          $0.priceMin = 2000
          $0.priceMax = 15000
          $0.currency = "EUR"
        }
      ),
      ("price-asc", { $0.sort = .priceAsc }),
      ("price-desc", { $0.sort = .priceDesc }),
      ("newest", { $0.sort = .newest }),
      (
        "page 3",
        {
          $0.page = 3
          $0.perPage = 7
        }
      ),
      ("unknown merchant", { $0.merchant = "M999" }),
    ]
    try await expectSameForAll(
      ["", "phone", "black shirt", "coffee"], [.brand, .category, .price], requests)
  }

  @Test func inStockEqualsSQLWhetherStockRowsAreFewOrMany() async throws {
    // Synced stock for 300 products (every fifth): some sold out, some reserved down to 0.
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO warehouse (merchant_id, id, name, country, serves)
            VALUES ('M001', 'W1', 'W1', 'IT', 'IT'), ('M002', 'W1', 'W1', 'DE', 'DE');
          INSERT INTO stock (merchant_id, sku, warehouse_id, on_hand)
            SELECT merchant_id, id, 'W1', doc % 3 FROM product WHERE doc % 5 = 0;
          INSERT INTO reservation (merchant_id, sku, warehouse_id, quantity, order_id, reason)
            SELECT merchant_id, id, 'W1', -1, 1, 'order' FROM product WHERE doc % 15 = 10;
          """)
    }
    // "" has more hits than there are stock rows, the words fewer: both ways are used.
    try await expectSameForAll(
      ["", "phone", "black shirt", "bag", "coffee"], [.brand, .availability],
      [("in stock", { $0.inStock = true })])
    var all = SearchRequest(text: "")
    all.inStock = true
    let total = try await search.search(all).total
    let expected = try await store.read { db in
      try Int.fetchOne(
        db,
        sql: """
          SELECT count(*) FROM product p WHERE CASE
            WHEN EXISTS (SELECT 1 FROM stock s WHERE s.merchant_id = p.merchant_id AND s.sku = p.id)
            THEN p.doc % 3 != 0 AND NOT (p.doc % 15 = 10 AND p.doc % 3 = 1)
            ELSE p.availability = 'in_stock' END
          """) ?? -1
    }
    #expect(total == expected)
  }

  @Test func ratingsBoostFilterAndSortAsInSQL() async throws {
    // Ratings on two products in three, some with more decimals than are kept.
    try await store.write { db in
      try db.execute(
        sql: """
          UPDATE product SET attributes = json_set(attributes, '$.custom.product_rating',
            CASE doc % 3 WHEN 1 THEN (doc % 50) / 10.0 WHEN 2 THEN (doc % 500) / 100.0 + 0.004 END)
          WHERE doc % 3 != 0
          """)
    }
    let changes: [(String, (inout SearchRequest) -> Void)] = [
      ("relevance", { _ in }),
      ("min 3.5", { $0.minRating = 3.5 }),
      ("min 4.55", { $0.minRating = 4.55 }),
      ("by rating", { $0.sort = .rating }),
      (
        "by rating, min 2, page 2",
        {
          $0.sort = .rating
          $0.minRating = 2
          $0.page = 2
        }
      ),
    ]
    try await expectSameForAll(["", "phone", "black shirt", "bag"], [.brand, .price], changes)
  }

  @Test func shipsToCountryAsInSQL() async throws {
    // Shipping entries on some products (to AT and DE; to nowhere; without a country); the
    // others ship to their merchant's country (IT or DE).
    try await store.write { db in
      try db.execute(
        sql: """
          UPDATE product SET attributes = json_set(attributes, '$.shipping',
            json(CASE doc % 4
              WHEN 1 THEN '[{"country":"AT","price":"4.90 EUR"},{"country":"DE"}]'
              WHEN 2 THEN '[]'
              ELSE '[{"service":"Standard"}]' END))
          WHERE doc % 4 != 0 AND doc % 7 = 0
          """)
    }
    try await expectSameForAll(
      ["", "phone", "bag", "black shirt"], [.merchant, .brand],
      ["DE", "AT", "IT", "FR"].map { (code: String) -> (String, (inout SearchRequest) -> Void) in
        ("to " + code, { $0.country = code })
      })
    var austria = SearchRequest(text: "")
    austria.country = "AT"
    #expect(try await search.search(austria).total > 10)
  }

  @Test func cursorsWalkTheSameHitsAsSQL() async throws {
    for sort in [SearchRequest.Sort.relevance, .priceAsc, .newest] {
      var pages: [[String]] = [[], []]
      for (index, rankInSQL) in [false, true].enumerated() {
        var cursor: String?
        repeat {
          var request = SearchRequest(text: "bag")
          request.sort = sort
          request.perPage = 9
          request.cursor = cursor
          request.rankInSQL = rankInSQL
          let page = try await search.search(request)
          pages[index] += page.hits.map(\.id)
          cursor = page.nextCursor
        } while cursor != nil
      }
      #expect(pages[0] == pages[1], "\(sort)")
      #expect(Set(pages[0]).count == pages[0].count, "no duplicates")
    }
  }

  @Test func aChangedCatalogIsSearchedAsItIsNow() async throws {
    var request = SearchRequest(text: "phone")
    request.facets = [.brand]
    let before = try await search.search(request)
    try await search.prepare()
    // Every write to `product` moves the version: the columns built before are not used.
    try await store.write { db in
      try db.execute(
        sql: "UPDATE product SET brand = 'Zyxel', price_minor = 1 WHERE doc IN "
          + "(SELECT doc FROM product WHERE title LIKE '%phone%' LIMIT 3)")
    }
    let after = try await both(request)
    expectSame(after.fast, after.sql, "after an update")
    #expect(after.fast.facets["brand"]?.contains { $0.value == "Zyxel" } == true)
    #expect(after.fast.total == before.total)
  }
}
