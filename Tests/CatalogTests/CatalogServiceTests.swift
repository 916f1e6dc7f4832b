import Catalog
import Foundation
import Importers
import Merchants
import MktCore
import Store
import Testing

/// A feed written to a temporary file.
func feedFile(_ text: String, name: String = "feed.csv") throws -> String {
  let directory = NSTemporaryDirectory() + "mkt-catalog-" + UUID().uuidString
  try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
  let path = directory + "/" + name
  try Data(text.utf8).write(to: URL(fileURLWithPath: path))
  return path
}

@Suite struct CatalogImportTests {
  let store: Store
  let catalog: CatalogService

  init() async throws {
    store = try Store.inMemory()
    catalog = CatalogService(store: store)
    let merchants = MerchantService(store: store)
    for (id, country) in [("acme", "DE"), ("lux", "LU")] {
      _ = try await merchants.add(
        MerchantService.merchant(
          id: id, name: "Shop \(id)", country: country, currency: nil, prices: nil, domain: nil))
    }
  }

  static let header = "id,title,description,link,image_link,availability,price,brand,gtin\n"
  static func row(
    _ id: String, title: String = "Chair", price: String = "10.00 EUR", brand: String = "Acme"
  )
    -> String
  {
    "\(id),\(title),A good chair.,https://acme.example/\(id),https://cdn.acme.example/\(id).jpg,in_stock,\(price),\(brand),4006381333931\n"
  }
  static let acme = FeedOptions(merchant: "acme")

  @Test func importsThenFindsEverythingUnchanged() async throws {
    let path = try feedFile(Self.header + Self.row("A-1") + Self.row("A-2"))
    let first = try await catalog.importFeed(path: path, feed: Self.acme)
    #expect((first.inserted, first.updated, first.unchanged) == (2, 0, 0))
    let second = try await catalog.importFeed(path: path, feed: Self.acme)
    #expect((second.inserted, second.updated, second.unchanged) == (0, 0, 2))
    let products = try await catalog.products(merchant: "acme")
    #expect(products.map(\.id) == ["A-1", "A-2"])
    #expect(products[0].price == "10.00 EUR")
    #expect(try await catalog.history().map(\.outcome) == ["ok", "ok"])
  }

  @Test func aChangedPriceIsAnUpdateAndDryRunWritesNothing() async throws {
    _ = try await catalog.importFeed(
      path: try feedFile(Self.header + Self.row("A-1")), feed: Self.acme)
    let changed = try feedFile(Self.header + Self.row("A-1", price: "12.50 EUR") + Self.row("A-9"))
    let dry = try await catalog.importFeed(
      path: changed, feed: Self.acme, options: ImportOptions(dryRun: true))
    #expect((dry.inserted, dry.updated) == (1, 1))
    #expect(try await catalog.products().count == 1)
    let real = try await catalog.importFeed(path: changed, feed: Self.acme)
    #expect((real.inserted, real.updated) == (1, 1))
    #expect(try await catalog.product(id: "A-1", merchant: "acme").price == "12.50 EUR")
  }

  @Test func blankCellsKeepStoredValuesAndEmptyMarkersClearThem() async throws {
    _ = try await catalog.importFeed(
      path: try feedFile(Self.header + Self.row("A-1")), feed: Self.acme)
    let blankBrand = try feedFile(Self.header + Self.row("A-1", brand: ""))
    let kept = try await catalog.importFeed(path: blankBrand, feed: Self.acme)
    #expect(kept.unchanged == 1)
    #expect(try await catalog.product(id: "A-1", merchant: nil).brand == "Acme")
    let cleared = try feedFile(Self.header + Self.row("A-1", brand: "__EMPTY__"))
    #expect(try await catalog.importFeed(path: cleared, feed: Self.acme).updated == 1)
    #expect(try await catalog.product(id: "A-1", merchant: nil).brand == nil)
  }

  @Test func badItemsAbortEverythingUnlessTheBudgetAllows() async throws {
    let path = try feedFile(
      Self.header + Self.row("A-1") + Self.row("A-2", price: "\"10,00 EUR\"") + Self.row("A-3"))
    await #expect(throws: ImportError.self) {
      try await catalog.importFeed(path: path, feed: Self.acme)
    }
    #expect(try await catalog.products().isEmpty)
    #expect(try await catalog.history().first?.outcome == "failed")
    let summary = try await catalog.importFeed(
      path: path, feed: Self.acme, options: ImportOptions(maxErrors: 1))
    #expect((summary.inserted, summary.rejected) == (2, 1))
    #expect(summary.issues.first?.rule == "invalid-price")
  }

  @Test func aDuplicateIdIsRejectedInDryRunAndRealRunAlike() async throws {
    // Into an empty catalog the database's unique key finds duplicates; a dry run the
    // validator: both report the same.
    let path = try feedFile(Self.header + Self.row("A-1") + Self.row("A-2") + Self.row("A-1"))
    let options = ImportOptions(maxErrors: 1)
    let dry = try await catalog.importFeed(
      path: path, feed: Self.acme, options: ImportOptions(dryRun: true, maxErrors: 1))
    let real = try await catalog.importFeed(path: path, feed: Self.acme, options: options)
    for summary in [dry, real] {
      #expect((summary.inserted, summary.rejected) == (2, 1))
      #expect(summary.issues.map(\.rule) == ["duplicate-id"])
      #expect(summary.issues.first?.location.line == 4)
    }
    #expect(try await catalog.products().map(\.id) == ["A-1", "A-2"])
  }

  @Test func unknownAndMismatchedMerchantsAreRejected() async throws {
    let path = try feedFile(
      "id,title,description,link,image_link,availability,price,merchant_id\n"
        + "A-1,Chair,Good.,https://a.example/1,https://a.example/1.jpg,in_stock,1.00 EUR,nobody\n"
        + "A-2,Chair,Good.,https://a.example/2,https://a.example/2.jpg,in_stock,1.00 EUR,lux\n")
    let summary = try await catalog.importFeed(
      path: path, feed: FeedOptions(), options: ImportOptions(maxErrors: 5))
    #expect(summary.issues.map(\.rule) == ["unknown-merchant"])
    #expect(try await catalog.products(merchant: "lux").map(\.id) == ["A-2"])
    let forced = try await catalog.importFeed(
      path: path, feed: FeedOptions(merchant: "acme"), options: ImportOptions(maxErrors: 5))
    #expect(forced.issues.map(\.rule) == ["merchant-mismatch", "merchant-mismatch"])
  }

  @Test func replaceRemovesWhatTheFeedNoLongerListsAndDeleteRemovesListedIds() async throws {
    _ = try await catalog.importFeed(
      path: try feedFile(Self.header + Self.row("A-1") + Self.row("A-2") + Self.row("A-3")),
      feed: Self.acme)
    let replaced = try await catalog.importFeed(
      path: try feedFile(Self.header + Self.row("A-2")), feed: Self.acme,
      options: ImportOptions(mode: .replace))
    #expect((replaced.unchanged, replaced.removed) == (1, 2))
    let deleted = try await catalog.importFeed(
      path: try feedFile("id\nA-2\nA-404\n"), feed: Self.acme, options: ImportOptions(mode: .delete)
    )
    #expect((deleted.removed, deleted.unchanged) == (1, 1))
    #expect(try await catalog.stats().products == 0)
  }

  @Test func aFeedThatBreaksHalfWayWritesNothing() async throws {
    let xml = """
      <?xml version="1.0"?>
      <rss version="2.0" xmlns:g="http://base.google.com/ns/1.0"><channel>
      <item><g:id>X-1</g:id><title>Chair</title><description>Good.</description>
      <link>https://a.example/1</link><g:image_link>https://a.example/1.jpg</g:image_link>
      <g:availability>in_stock</g:availability><g:price>1.00 EUR</g:price></item>
      <item><g:id>X-2</g:id><title>Tab
      """
    await #expect(throws: FeedError.self) {
      try await catalog.importFeed(path: try feedFile(xml, name: "broken.xml"), feed: Self.acme)
    }
    #expect(try await catalog.products().isEmpty)
  }

  @Test func theSameProductsInXMLAreUnchangedAfterTheCSV() async throws {
    let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
      .deletingLastPathComponent().appendingPathComponent("ImportersTests/Fixtures/gen").path
    let store = try Store.inMemory()
    let merchants = MerchantService(store: store)
    for index in 1...50 {
      _ = try await merchants.add(
        MerchantService.merchant(
          id: String(format: "M%03d", index), name: "Shop", country: "DE", currency: nil,
          prices: nil, domain: nil))
    }
    let catalog = CatalogService(store: store)
    let csv = try await catalog.importFeed(path: fixtures + "/catalog.csv", feed: FeedOptions())
    #expect(csv.inserted == 300)
    let xml = try await catalog.importFeed(path: fixtures + "/catalog.xml", feed: FeedOptions())
    #expect(xml.unchanged == 300)
  }
}
