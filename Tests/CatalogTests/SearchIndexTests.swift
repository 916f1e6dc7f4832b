import Catalog
import Foundation
import GRDB
import Importers
import Merchants
import MktCore
import Search
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

  @Test func aBulkImportMovesTheCatalogVersionByWhatItInsertedAndAnUnchangedOneNot() async throws {
    func state() async throws -> (version: Int64, stamp: Int64, listed: Int) {
      try await store.read { db in
        let row = try Row.fetchOne(db, sql: "SELECT version, stamp FROM search_state")
        let listed = try Int.fetchOne(db, sql: "SELECT count(*) FROM search_change") ?? -1
        return (row?["version"] ?? -1, row?["stamp"] ?? -1, listed)
      }
    }
    let feed = try feedFile(
      Self.header + Self.row("A-1", title: "Winter Jacket", description: "Warm")
        + Self.row("A-2", title: "Rain Coat", description: "Dry"))
    let before = try await state()
    _ = try await catalog.importFeed(
      path: feed, feed: FeedOptions(merchant: "acme"), searchReady: false)
    let inserted = try await state()
    #expect(inserted.version == before.version + 2, "one step per inserted product")
    #expect(inserted.stamp != before.stamp)
    #expect(inserted.listed == 2, "both listed as changed for search's saved columns")
    try await SearchService(store: store).prepare()
    let prepared = try await state()
    _ = try await catalog.importFeed(path: feed, feed: FeedOptions(merchant: "acme"))
    let unchanged = try await state()
    #expect(unchanged.version == prepared.version)
    #expect(unchanged.stamp == prepared.stamp, "the saved files beside the database stay valid")
    #expect(unchanged.listed == 0)
    #expect(try await SearchService(store: store).isPrepared())
  }

  @Test func feedsInARowLeaveSearchPreparedAlsoWhenALaterOneFails() async throws {
    let good = try feedFile(
      Self.header + Self.row("A-1", title: "Winter Jacket", description: "Warm"))
    let missing = NSTemporaryDirectory() + "mkt-no-such-feed-\(UUID().uuidString).csv"
    await #expect(throws: (any Error).self) {
      try await catalog.importFeeds([good, missing]) { source in
        try await catalog.importFeed(
          path: source, feed: FeedOptions(merchant: "acme"), searchReady: false)
      }
    }
    #expect(try await matches("jacket") == ["A-1"], "the first feed committed")
    #expect(
      try await SearchService(store: store).isPrepared(),
      "the first feed's products are in search's saved columns: no search saves them")
  }

  @Test func anImportLeavesItsPagesToTheCheckpointBesideSearchAndAnEmptyWAL() async throws {
    let folder = NSTemporaryDirectory() + "mkt-checkpoint-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: folder) }
    let store = try Store.open(path: folder + "/mkt.db", mode: .create)
    _ = try await MerchantService(store: store).add(
      MerchantService.merchant(
        id: "acme", name: "Acme", country: "DE", currency: nil, prices: nil, domain: nil))
    let catalog = CatalogService(store: store)
    let rows = (1...300).map { Self.row("A-\($0)", title: "Jacket \($0)", description: "Warm") }
    let feed = try feedFile(Self.header + rows.joined())
    func autocheckpoint() async throws -> Int {
      try await store.writeWithoutTransaction { db in
        try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint") ?? -1
      }
    }
    let summary = try await catalog.importFeed(
      path: feed, feed: FeedOptions(merchant: "acme"), searchReady: false)
    #expect(try await autocheckpoint() == 0, "the commit left its pages for the checkpoint")
    let (hashSize, merge) = try await store.read { db in
      (
        try Int.fetchOne(db, sql: "SELECT v FROM product_search_config WHERE k = 'hashsize'"),
        try Int.fetchOne(db, sql: "SELECT v FROM product_search_config WHERE k = 'automerge'")
      )
    }
    #expect(hashSize == 16 << 20, "the bulk index gathers 16 MiB of terms per segment")
    #expect(merge == 4, "and later writes merge at FTS5's default again")
    try await catalog.prepareSearch(after: [summary])
    #expect(try await autocheckpoint() == 8192, "commits copy the WAL again")
    let wal = try FileManager.default.attributesOfItem(atPath: folder + "/mkt.db-wal")[.size]
    #expect((wal as? NSNumber)?.intValue == 0, "the WAL is emptied at the end")
    #expect(try await SearchService(store: store).isPrepared())
    let found = try await SearchService(store: store).search(SearchRequest(text: "jacket"))
    #expect(found.total == 300)
  }

  @Test func aFailedImportLeavesTheAutomaticCheckpointOn() async throws {
    // No price: rejected, and with no errors allowed the import rolls back.
    let feed = try feedFile(
      "id,title,description,link,image_link,availability,price,brand\n"
        + "A-1,Jacket,Warm,https://acme.example/1,https://cdn.acme.example/1.jpg,in_stock,,Acme\n")
    await #expect(throws: ImportError.self) {
      try await catalog.importFeed(path: feed, feed: FeedOptions(merchant: "acme"))
    }
    let pages = try await store.writeWithoutTransaction { db in
      try Int.fetchOne(db, sql: "PRAGMA wal_autocheckpoint")
    }
    #expect(pages == 8192, "a writer that never imports again still checkpoints")
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
