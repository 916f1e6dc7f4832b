import Catalog
import Foundation
import GRDB
import Importers
import Merchants
import MktCore
import Search
import Store
import Testing

/// A hand-made catalog whose right answers are known.
@Suite struct SearchTests {
  let store: Store
  let search: SearchService

  static let header =
    "id,title,description,link,image_link,availability,price,brand,product_type,color,product_rating\n"
  static let rows = [
    "J1,Winter Jacket,Warm and dry,in_stock,89.00 EUR,Nordwand,Apparel > Outerwear,Black",
    "J2,Rain Jacket,Light and waterproof,out_of_stock,59.00 EUR,Nordwand,Apparel > Outerwear,Yellow",
    "J3,Denim Jacket,Classic cut,in_stock,69.00 EUR,Bluefield,Apparel > Outerwear,Blue",
    "C1,Wool Coat,Goes well with any jacket,in_stock,149.00 EUR,Bluefield,Apparel > Outerwear,Grey",
    "S1,Leather Schuhe,Handmade in Italy,in_stock,120.00 EUR,Calzoleria,Apparel > Shoes,Brown",
    "S2,Running Shoes,Light trainers for Nordwand fans,in_stock,99.00 EUR,Sprintex,Apparel > Shoes,White",
    "K1,Café table,Round oak table,in_stock,249.00 EUR,Holzhaus,Home > Furniture,",
    "K2,Coffee mug,Stoneware mug for café au lait,in_stock,12.50 EUR,Holzhaus,Home > Kitchen,White",
    "K3,Tea mug,Stoneware,preorder,11.00 EUR,Holzhaus,Home > Kitchen,Green",
    "T1,T-Shirt basic,Organic cotton tee,in_stock,19.00 EUR,Bluefield,Apparel > Tops,White",
  ]

  init() async throws {
    let folder = NSTemporaryDirectory() + "mkt-search-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    store = try Store.open(path: folder + "/mkt.db", mode: .create)
    search = SearchService(store: store)
    _ = try await MerchantService(store: store).add(
      MerchantService.merchant(
        id: "shop", name: "Shop", country: "DE", currency: nil, prices: nil, domain: nil))
    var feed = Self.header
    for row in Self.rows {
      let cells = row.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
      feed +=
        [
          cells[0], cells[1], cells[2], "https://shop.example/\(cells[0])",
          "https://shop.example/\(cells[0]).jpg", cells[3], cells[4], cells[5], cells[6], cells[7],
          ["J1": "4.5", "J3": "3.9", "S1": "4.8"][cells[0]] ?? "",
        ].joined(separator: ",") + "\n"
    }
    let path = folder + "/feed.csv"
    try Data(feed.utf8).write(to: URL(fileURLWithPath: path))
    _ = try await CatalogService(store: store).importFeed(
      path: path, feed: FeedOptions(merchant: "shop", language: "en"))
  }

  func ids(_ text: String, _ change: (inout SearchRequest) -> Void = { _ in }) async throws
    -> [String]
  {
    var request = SearchRequest(text: text)
    change(&request)
    return try await search.search(request).hits.map(\.id)
  }

  @Test func aBrandQueryRanksTheBrandFirst() async throws {
    let found = try await ids("nordwand")
    #expect(Set(found.prefix(2)) == ["J1", "J2"])
    #expect(found.last == "S2", "a description mention ranks below the brand's products")
  }

  @Test func aTitleMatchBeatsADescriptionMatch() async throws {
    let found = try await ids("jacket")
    #expect(found.count == 4)
    #expect(found.last == "C1")
  }

  @Test func inStockRanksAboveOutOfStockAtEqualText() async throws {
    let found = try await ids("jacket nordwand")
    #expect(found == ["J1", "J2"])
  }

  @Test func aRatedProductRanksAboveAnUnratedOneAtEqualText() async throws {
    // K2 and K3 are both stoneware mugs in stock at Holzhaus; rating K3 moves it first.
    try await store.write { db in
      try db.execute(
        sql: """
          UPDATE product SET availability = 'in_stock',
            description = 'Stoneware', title = 'Mug' WHERE id IN ('K2', 'K3');
          UPDATE product SET attributes = json_set(attributes, '$.custom.product_rating', 4.0)
          WHERE id = 'K3';
          """)
    }
    #expect(try await ids("stoneware mug") == ["K3", "K2"])
  }

  @Test(arguments: [
    ("jakcet", "jacket"), ("jackte", "jacket"), ("nordwnad", "nordwand"),
    ("stonewear", "stoneware"),
  ])
  func typosAreCorrectedAndSaid(typed: String, meant: String) async throws {
    let result = try await search.search(SearchRequest(text: typed))
    #expect(result.corrections == [Correction(from: typed, to: [meant])])
    #expect(!result.hits.isEmpty)
  }

  @Test func shortWordsAreNeverCorrectedAndExactWordsWin() async throws {
    #expect(try await search.search(SearchRequest(text: "mg")).corrections.isEmpty)
    // "mug" exists: no correction to "mugs" or anything else.
    let exact = try await search.search(SearchRequest(text: "mug"))
    #expect(exact.corrections.isEmpty)
    #expect(Set(exact.hits.map(\.id)) == ["K2", "K3"])
  }

  @Test func diacriticsAndCaseFold() async throws {
    #expect(try await ids("cafe").sorted() == ["K1", "K2"])
    #expect(try await ids("CAFÉ").sorted() == ["K1", "K2"])
    #expect(try await ids("schuhe") == ["S1"])
  }

  @Test(arguments: [
    "\"", "\"\"", "*", "jacket*", "-jacket", "jacket -rain", "title:jacket", "NEAR(jacket rain)",
    "jacket AND rain", "jacket OR rain", "NOT jacket", "(jacket", "jacket)", "^jacket", "+", ":",
    "jacket\"", "'jacket'", "{title}: jacket", "jacket NEAR/2 rain", "\u{0}", "%", "_",
  ])
  func userInputNeverBreaksTheQuery(text: String) async throws {
    let result = try await search.search(SearchRequest(text: text))
    #expect(result.total >= 0)
  }

  @Test func operatorsAreWordsAndQuotesMakePhrases() async throws {
    #expect(try await ids("jacket OR mug").isEmpty, "OR is a word, not an operator")
    #expect(try await ids("\"rain jacket\"") == ["J2"])
    #expect(Set(try await ids("rain jacket")) == ["J2"])
    #expect(try await ids("\"jacket rain\"").isEmpty)
  }

  @Test func facetCountsEqualSQLCountsOfTheSameFilter() async throws {
    var request = SearchRequest(text: "")
    request.facets = [.brand, .category, .availability, .price]
    request.inStock = true
    let result = try await search.search(request)
    let expected = try await store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT brand, count(*) FROM product WHERE availability = 'in_stock'
          GROUP BY brand ORDER BY count(*) DESC, brand
          """
      ).map { FacetCount(value: $0[0], count: $0[1]) }
    }
    #expect(result.facets["brand"] == expected)
    #expect(result.total == 8)
    #expect(result.facets["category"]?.first == FacetCount(value: "Apparel", count: 6))
    #expect(
      result.facets["price"]?.map(\.value) == ["10-25", "50-100", "100-250"],
      "buckets in price order")
  }

  @Test func filtersNarrowTheHits() async throws {
    #expect(try await ids("") { $0.brands = ["bluefield"] }.sorted() == ["C1", "J3", "T1"])
    #expect(
      try await ids("jacket") {
        $0.priceMax = 7000
        $0.currency = "EUR"
      }.sorted() == ["J2", "J3"])
    #expect(try await ids("") { $0.category = "home > kit" }.sorted() == ["K2", "K3"])
    #expect(try await ids("") { $0.country = "DE" }.count == 10)
    #expect(try await ids("") { $0.country = "FR" }.isEmpty)
  }

  @Test func ratingsFilterAndSort() async throws {
    #expect(try await ids("") { $0.minRating = 4 }.sorted() == ["J1", "S1"])
    #expect(try await ids("") { $0.sort = .rating }.prefix(3) == ["S1", "J1", "J3"])
  }

  @Test func syncedStockDecidesInStock() async throws {
    // J1's feed says in stock, but its warehouse has none; J2's says out of stock, but it has.
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO warehouse (merchant_id, id, name, country, serves)
            VALUES ('shop', 'W1', 'W1', 'DE', 'DE');
          INSERT INTO stock (merchant_id, sku, warehouse_id, on_hand) VALUES
            ('shop', 'J1', 'W1', 0), ('shop', 'J2', 'W1', 4);
          """)
    }
    #expect(try await ids("jacket") { $0.inStock = true }.sorted() == ["C1", "J2", "J3"])
  }

  @Test func pagesHaveNoDuplicatesOrGaps() async throws {
    var all: [String] = []
    var cursor: String?
    repeat {
      var request = SearchRequest(text: "")
      request.perPage = 3
      request.sort = .priceAsc
      request.cursor = cursor
      let page = try await search.search(request)
      all += page.hits.map(\.id)
      cursor = page.nextCursor
    } while cursor != nil
    #expect(all.count == 10)
    #expect(Set(all).count == 10)
    var byPage: [String] = []
    for number in 1...4 {
      var request = SearchRequest(text: "")
      request.perPage = 3
      request.page = number
      request.sort = .priceAsc
      byPage += try await search.search(request).hits.map(\.id)
    }
    #expect(byPage == all)
  }

  @Test func badRequestsAreRefused() async throws {
    var request = SearchRequest(text: "jacket")
    request.priceMin = 500
    request.priceMax = 100
    await #expect(throws: SearchError.self) { try await search.search(request) }
    request = SearchRequest(text: "jacket")
    request.perPage = 101
    await #expect(throws: SearchError.self) { try await search.search(request) }
    request = SearchRequest(text: "jacket")
    request.cursor = "garbage"
    await #expect(throws: SearchError.self) { try await search.search(request) }
  }

  @Test func aLanguageWithoutProductsIsSaid() async throws {
    var request = SearchRequest(text: "jacket")
    request.language = "fi"
    let result = try await search.search(request)
    #expect(result.total == 0)
    #expect(result.warnings == ["no product is in language fi (the catalog has: en)"])
  }

  @Test func aLongQueryIsTruncatedWithAWarning() async throws {
    let result = try await search.search(
      SearchRequest(text: String(repeating: "jacket ", count: 1500)))
    #expect(result.warnings.count == 1)
  }

  @Test func synonymsExpandTheQuery() async throws {
    let file = NSTemporaryDirectory() + "synonyms-" + UUID().uuidString
    try Data("# tops\ntshirt, t-shirt, tee\n".utf8).write(to: URL(fileURLWithPath: file))
    #expect(try await search.loadSynonyms(path: file, language: "en") == 1)
    #expect(try await ids("tshirt") == ["T1"])
  }

  @Test func aMissingIndexFallsBackToScanningAndReindexRestoresIt() async throws {
    try await store.write { db in
      try db.execute(sql: "DROP TABLE product_search")
    }
    let result = try await search.search(SearchRequest(text: "jacket"))
    #expect(result.warnings.first?.contains("reindex") == true)
    #expect(result.total == 4)
  }

  @Test func suggestionsCompleteAndForgiveATypo() async throws {
    #expect(try await search.suggest("ja").map(\.text) == ["jacket"])
    #expect(try await search.suggest("rain ja").map(\.text) == ["rain jacket"])
    #expect(try await search.suggest("jca").map(\.text).contains("jacket"))
  }

  /// Issue 15, item 8: a completion or a correction is offered only when it finds products
  /// together with the rest of what was typed.
  @Test func suggestionsAndCorrectionsFindProductsWithTheRestOfTheQuery() async throws {
    #expect(try await search.suggest("te").map(\.text).contains("tea"))
    #expect(try await search.suggest("wool te").map(\.text).isEmpty, "no wool tea or tee")
    #expect(try await search.suggest("stoneware te").map(\.text) == ["stoneware tea"])
    let alone = try await search.search(SearchRequest(text: "jackte"))
    #expect(alone.corrections == [Correction(from: "jackte", to: ["jacket"])])
    let together = try await search.search(SearchRequest(text: "stoneware jackte"))
    #expect(together.corrections.isEmpty, "jacket and stoneware share no product")
    #expect(together.total == 0)
  }
}
