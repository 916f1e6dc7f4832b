import Catalog
import Foundation
import GRDB
import Importers
import Merchants
import MktCore
import Store
import Testing

@Suite struct ManifestTests {
  let store: Store
  let catalog: CatalogService
  let folder: String

  init() async throws {
    folder = NSTemporaryDirectory() + "mkt-manifest-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    store = try Store.open(path: folder + "/mkt.db", mode: .create)
    catalog = CatalogService(store: store)
  }

  func write(_ text: String, _ name: String) throws {
    try Data(text.utf8).write(to: URL(fileURLWithPath: folder + "/" + name))
  }

  static let header = "id,title,description,link,image_link,availability,price\n"
  static func rows(_ merchant: String, count: Int) -> String {
    (1...count).map {
      "\(merchant)-\($0),Lamp \($0),Bright,https://shop.example/\($0),https://cdn.example/\($0).jpg,in_stock,9.99 EUR\n"
    }.joined()
  }

  /// A thousand merchants (two hundred under the sanitizers, which run it 10–30× slower: the
  /// same four jobs at once, a fifth of the work), one of them broken halfway.
  static let merchants = ProcessInfo.processInfo.environment["MKT_SANITIZER"] == nil ? 1_000 : 200

  @Test func aThousandMerchantsEachInTheirOwnTransactionAndABrokenFeedFailsOnlyItsMerchant()
    async throws
  {
    let count = Self.merchants
    let broken = "M\(count / 2)"
    var manifest = "merchant_id,source,format,mode,language\n"
    for number in 1...count {
      let merchant = "M\(number)"
      // The middle merchant's feed breaks after its first rows: an unterminated quote.
      let feed =
        merchant == broken
        ? Self.header + Self.rows(merchant, count: 2) + "\(broken)-3,\"Lamp,Bright\n"
        : Self.header + Self.rows(merchant, count: 3)
      try write(feed, "\(merchant).csv")
      manifest += "\(merchant),\(merchant).csv,csv,upsert,de\n"
    }
    try write(manifest, "manifest.csv")
    let entries = try ManifestEntry.read(path: folder + "/manifest.csv")
    #expect(entries.count == count)
    let results = await catalog.importManifest(
      entries, createMerchants: "DE", jobs: 4)
    #expect(results.count == count)
    #expect(results.filter { $0.error != nil }.map(\.merchant) == [broken])
    #expect(results.map(\.merchant) == entries.map(\.merchant), "results in manifest order")
    let stats = try await catalog.stats()
    #expect(stats.products == (count - 1) * 3)
    #expect(stats.merchants.count == count - 1)
    #expect(
      try await MerchantService(store: store).count() == count - 1, "\(broken) rolled back whole")
    let history = try await catalog.history(limit: 2000)
    #expect(history.count == count)
    #expect(history.filter { $0.outcome == "failed" }.map(\.merchantID) == [broken])

    // The same manifest again: every merchant unchanged, the broken one still failing.
    let again = await catalog.importManifest(entries, createMerchants: "DE", jobs: 2)
    #expect(
      again.compactMap { $0.error == nil ? $0.summary.unchanged : nil }.allSatisfy { $0 == 3 })
  }

  @Test func badManifestsPointAtTheProblem() throws {
    try write("merchant_id,source,colour\n", "a.csv")
    #expect(throws: ManifestError.self) { try ManifestEntry.read(path: folder + "/a.csv") }
    try write("merchant_id,source,format\nM1,f.csv,pdf\n", "b.csv")
    do {
      _ = try ManifestEntry.read(path: folder + "/b.csv")
      Issue.record("an unknown format must be refused")
    } catch let error as ManifestError {
      #expect(error.location?.line == 2)
      #expect(error.location?.column == 3)
      #expect(error.description.contains("unknown format pdf"))
    }
    try write("merchant_id,source\n,f.csv\n", "c.csv")
    #expect(throws: ManifestError.self) { try ManifestEntry.read(path: folder + "/c.csv") }
  }

  @Test(arguments: [
    ("/etc/passwd", "absolute path"), ("../../../etc/passwd", "leads out"),
    ("sub/../../x.csv", "leads out"), ("link.csv", "leads out"),
    ("file:///etc/passwd", "not a path or an http(s) URL"), ("-", "not standard input"),
  ])
  func sourcesStayInsideTheManifestsFolder(source: String, message: String) throws {
    try? FileManager.default.createSymbolicLink(
      atPath: folder + "/link.csv", withDestinationPath: "/etc/passwd")
    try write("merchant_id,source\nM1,\(source)\n", "m.csv")
    let error = #expect(throws: ManifestError.self) {
      try ManifestEntry.read(path: folder + "/m.csv")
    }
    #expect(error?.description.contains(message) == true, "\(error?.description ?? "")")
    #expect(error?.location?.line == 2)
    #expect(error?.description.contains("root:") == false)
  }

  @Test func absolutePathsOnlyWhenAllowedAndRelativeOnesResolveInTheFolder() throws {
    try write(
      "merchant_id,source\nM1,/tmp/x.csv\nM2,feeds/./y.csv\nM3,https://shop.example/f.xml\n",
      "m.csv")
    let entries = try ManifestEntry.read(path: folder + "/m.csv", allowAbsolute: true)
    let root = URL(fileURLWithPath: folder).standardizedFileURL.path
    #expect(
      entries.map(\.source) == ["/tmp/x.csv", root + "/feeds/y.csv", "https://shop.example/f.xml"])
  }
}
