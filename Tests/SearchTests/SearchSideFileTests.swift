import Catalog
import Foundation
import GRDB
import Importers
import Merchants
import Store
import Testing

@testable import Search

/// The entries and shipping sets mapped from the file beside the database.
@Suite struct SearchSideFileTests {
  let store: Store
  let path: String

  init() async throws {
    (store, path) = try await RankingTests.preparedCatalog()
  }

  func load() async throws -> (loaded: SearchColumns?, built: SearchColumns) {
    try await store.read { db in
      (
        try SearchColumns.load(db, version: try SearchColumns.currentVersion(db)),
        try SearchColumns.build(db)
      )
    }
  }

  /// Rewrites `count` bytes of the side file at `offset`.
  func patch(_ offset: Int, _ bytes: [UInt8]) throws {
    let file = try FileHandle(forUpdating: URL(fileURLWithPath: SearchColumns.sideFile(of: path)))
    try file.seek(toOffset: UInt64(offset))
    try file.write(contentsOf: bytes)
    try file.close()
  }

  @Test func aPreparedCatalogIsReadFromTheMappedFileAsBuilt() async throws {
    let (loaded, built) = try await load()
    #expect(loaded?.entries.isMapped == true)
    #expect(loaded?.shipping.isMapped == true)
    #expect(loaded == built)
    // Changed in memory, a mapped array becomes an array of its own.
    var changed = try #require(loaded)
    changed.entries[0] = .absent
    #expect(!changed.entries.isMapped)
    #expect(changed.entries.dropFirst().elementsEqual(built.entries.dropFirst()))
  }

  @Test func anImportLeavesSearchPreparedWithItsFile() async throws {
    let folder = try RankingTests.folder()
    let store = try Store.open(path: folder + "/fresh.db", mode: .create)
    for id in ["M001", "M002"] {
      _ = try await MerchantService(store: store).add(
        MerchantService.merchant(
          id: id, name: id, country: "DE", currency: nil, prices: nil, domain: nil))
    }
    #expect(try await !SearchService(store: store).isPrepared())
    _ = try await CatalogService(store: store).importFeed(
      path: RankingTests.fixtures.appendingPathComponent("catalog.csv").path,
      feed: FeedOptions(merchant: nil, language: "en"))
    #expect(try await SearchService(store: store).isPrepared(), "prepared by the import")
    #expect(FileManager.default.fileExists(atPath: folder + "/fresh.db-search"))
  }

  @Test func aFileOfAnotherStampIsNotRead() async throws {
    try patch(24, [0x5a, 0x5a])  // the stamp, at the header's fourth number
    let (loaded, built) = try await load()
    #expect(loaded?.entries.isMapped == false, "read from the database instead")
    #expect(loaded == built)
  }

  @Test func aCutShortFileIsNotRead() async throws {
    let name = SearchColumns.sideFile(of: path)
    let size = try #require(try FileManager.default.attributesOfItem(atPath: name)[.size] as? Int)
    #expect(truncate(name, off_t(size - 4)) == 0)
    let (loaded, built) = try await load()
    #expect(loaded?.entries.isMapped == false)
    #expect(loaded == built)
  }

  @Test func aDamagedEntryCountsAsNoProduct() async throws {
    let search = SearchService(store: store)
    var request = SearchRequest(text: "phone")
    request.facets = [.brand, .merchant]
    request.perPage = 100
    let before = try await search.search(request)
    let first = try #require(before.hits.first)
    let doc = try await store.read { db in
      try #require(
        try Int.fetchOne(
          db, sql: "SELECT doc FROM product WHERE merchant_id = ? AND id = ?",
          arguments: [first.merchantID, first.id]))
    }
    // The entry's merchant number (after its 8-byte price) past the merchant table.
    let entry = 64 + doc * MemoryLayout<SearchColumns.Entry>.stride
    try patch(entry + 8, [0xff, 0xff, 0xff, 0x7f])
    let after = try await SearchService(store: store, cache: SearchCache()).search(request)
    #expect(after.total == before.total - 1)
    #expect(!after.hits.contains { $0.merchantID == first.merchantID && $0.id == first.id })
  }
}
