import Catalog
import GRDB
import Importers
import Merchants
import MktCore
import Store
import Testing

/// The search index follows every write to the catalog, in the same transaction.
@Suite struct SearchIndexTests {
  let store: Store
  let catalog: CatalogService

  init() async throws {
    store = try Store.inMemory()
    catalog = CatalogService(store: store)
    _ = try await MerchantService(store: store).add(
      MerchantService.merchant(
        id: "acme", name: "Acme", country: "DE", currency: nil, prices: nil, domain: nil))
  }

  static let header = "id,title,description,link,image_link,availability,price,brand,color\n"
  static func row(_ id: String, title: String, description: String, brand: String = "Acme")
    -> String
  {
    "\(id),\(title),\(description),https://acme.example/\(id),https://cdn.acme.example/\(id).jpg,in_stock,10.00 EUR,\(brand),Red\n"
  }

  /// The ids whose index entry matches `query`, sorted.
  func matches(_ query: String) async throws -> [String] {
    try await store.read { db in
      try String.fetchAll(
        db,
        sql: """
          SELECT p.id FROM product_search s JOIN product p ON p.doc = s.rowid
          WHERE product_search MATCH ? ORDER BY p.id
          """, arguments: [query])
    }
  }

  func integrity() async throws {
    try await store.write { db in
      try db.execute(
        sql: "INSERT INTO product_search (product_search, rank) VALUES ('integrity-check', 1)")
    }
  }

  @Test func insertsUpdatesAndRemovalsReachTheIndex() async throws {
    let first = try feedFile(
      Self.header
        + Self.row("A-1", title: "Winter Jacket", description: "<p>Warm &amp; <b>dry</b></p>")
        + Self.row("A-2", title: "Café table", description: "Oak"))
    _ = try await catalog.importFeed(path: first, feed: FeedOptions(merchant: "acme"))
    #expect(try await matches("jacket") == ["A-1"])
    #expect(try await matches("dry") == ["A-1"])
    #expect(try await matches("b") == [], "markup is not indexed")
    #expect(try await matches("cafe") == ["A-2"], "diacritics fold")
    #expect(try await matches("tags:red") == ["A-1", "A-2"])

    let second = try feedFile(
      Self.header + Self.row("A-1", title: "Rain Coat", description: "Waterproof"))
    _ = try await catalog.importFeed(
      path: second, feed: FeedOptions(merchant: "acme"),
      options: ImportOptions(mode: .replace))
    #expect(try await matches("jacket") == [])
    #expect(try await matches("coat") == ["A-1"])
    #expect(try await matches("oak") == [], "the removed product left the index")
    try await integrity()
  }

  @Test func aRejectedImportLeavesTheIndexAsItWas() async throws {
    let good = try feedFile(Self.header + Self.row("A-1", title: "Lamp", description: "Bright"))
    _ = try await catalog.importFeed(path: good, feed: FeedOptions(merchant: "acme"))
    let bad = try feedFile(
      Self.header + Self.row("A-1", title: "Sofa", description: "Soft") + "A-2,,,,,,,,\n")
    await #expect(throws: ImportError.self) {
      try await catalog.importFeed(path: bad, feed: FeedOptions(merchant: "acme"))
    }
    #expect(try await matches("lamp") == ["A-1"])
    #expect(try await matches("sofa") == [])
    try await integrity()
  }

  @Test func anotherLanguageKeepsThePreviousTextAsATranslation() async throws {
    let german = try feedFile(Self.header + Self.row("A-1", title: "Stuhl", description: "Holz"))
    _ = try await catalog.importFeed(
      path: german, feed: FeedOptions(merchant: "acme", language: "de"))
    let french = try feedFile(Self.header + Self.row("A-1", title: "Chaise", description: "Bois"))
    _ = try await catalog.importFeed(
      path: french, feed: FeedOptions(merchant: "acme", language: "fr"))
    let translations = try await store.read { db in
      try Row.fetchAll(db, sql: "SELECT language, title, description FROM product_translation")
        .map { [$0[0], $0[1], $0[2]] as [String] }
    }
    #expect(translations == [["de", "Stuhl", "Holz"]])
    #expect(try await matches("chaise") == ["A-1"])
  }
}

@Suite struct PlainTextTests {
  @Test(arguments: [
    ("<p>Warm &amp; <b>dry</b></p>", "Warm & dry"),
    ("Line<br/>break", "Line break"),
    ("Caf&eacute; &#233;&#xE9; &unknown; 5 &lt; 6", "Café éé &unknown; 5 < 6"),
    ("  plain   text\n", "plain text"),
    ("a<script>alert(1)</script>b<style>x{}</style>c", "a b c"),
    ("unclosed < tag", "unclosed < tag"),
    ("&nbsp;x&nbsp;", "x"),
    ("", ""),
  ])
  func stripsMarkupAndDecodesReferences(html: String, text: String) {
    #expect(PlainText.from(html: html) == text)
  }
}
