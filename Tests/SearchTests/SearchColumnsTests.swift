import Catalog
import Foundation
import GRDB
import Importers
import Merchants
import Store
import Testing

@testable import Search

/// The per-product columns search keeps in the database file.
@Suite struct SearchColumnsTests {
  let store: Store

  init() async throws {
    store = try await RankingTests.catalog(at: RankingTests.folder() + "/mkt.db")
  }

  @Test func savedColumnsReadBackAsBuiltAndOnlyForTheirVersion() async throws {
    try await SearchService(store: store).prepare()
    let (built, loaded, version) = try await store.read { db in
      let version = try SearchColumns.currentVersion(db)
      return (
        try SearchColumns.build(db), try SearchColumns.load(db, version: version), version
      )
    }
    #expect(loaded == built)
    #expect(built.rows == 1500)
    #expect(built.entries.filter(\.exists).count == 1500)
    #expect(built.tokens > 1500 * 10)
    try await store.write { db in
      try db.execute(sql: "DELETE FROM product WHERE doc = (SELECT max(doc) FROM product)")
    }
    let (current, stale) = try await store.read { db in
      (try SearchColumns.currentVersion(db), try SearchColumns.load(db, version: version))
    }
    #expect(current > version, "a delete moves the version")
    #expect(stale != nil, "the saved copy is still there")
    let reloaded = try await store.read { db in
      try SearchColumns.load(db, version: current)
    }
    #expect(reloaded == nil, "but it is not read for the new version")
  }

  @Test func aSpooledBuildHoldsWhatABuildInMemoryHolds() async throws {
    // Gaps: the first product and every seventh are gone, so documents without a product lie
    // before, between and among the others.
    let left = try await store.write { db in
      try db.execute(
        sql: "DELETE FROM product WHERE doc % 7 = 3 OR doc = (SELECT min(doc) FROM product)")
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM product") ?? 0
    }
    let (built, spooled) = try await store.read { db in
      (try SearchColumns.build(db), try SearchColumns.buildSpooled(db))
    }
    func bytes<T>(_ spool: ValueSpool<T>) throws -> [UInt8] {
      var bytes: [UInt8] = []
      try spool.eachPiece { bytes += $0 }
      return bytes
    }
    #expect(try bytes(spooled.entries) == built.entries.withUnsafeBytes { Array($0) })
    #expect(try bytes(spooled.shipping) == built.shipping.withUnsafeBytes { Array($0) })
    var columns = spooled.columns
    (columns.entries, columns.shipping) = (built.entries, built.shipping)
    #expect(columns == built)
    #expect(left < 1500 * 6 / 7 + 1)
    #expect(built.entries.filter(\.exists).count == left)
    // Saved through the spool (a rebuild: more than one product in 20 changed), read back.
    try await SearchService(store: store).prepare()
    let loaded = try await store.read { db in
      try SearchColumns.load(db, version: try SearchColumns.currentVersion(db))
    }
    #expect(loaded == built)
  }

  @Test func frequentWordsPostingsAreSavedForTheirVersion() async throws {
    try await SearchService(store: store).prepare(frequentWords: 100)
    let (saved, read, words, version) = try await store.read { db in
      let version = try SearchColumns.currentVersion(db)
      let word = try String.fetchOne(db, sql: "SELECT term FROM search_posting ORDER BY term")
      return (
        try Postings.saved(word ?? "", version: version, db), try Postings.read(word ?? "", db),
        try Int.fetchOne(db, sql: "SELECT count(*) FROM search_posting") ?? 0, version
      )
    }
    #expect(read.count >= 100)
    #expect(saved == read)
    #expect(words > 20)
    // The vocabulary was fresh, so the words came from it: the same as counting in the index.
    let (fresh, savedWords, counted) = try await store.read { db in
      (
        try !SearchService.vocabularyIsStale(db),
        try String.fetchAll(db, sql: "SELECT term FROM search_posting ORDER BY term"),
        try String.fetchAll(
          db, sql: "SELECT term FROM product_search_words WHERE doc >= 100 ORDER BY term")
      )
    }
    #expect(fresh)
    #expect(savedWords == counted)
    let phone = try await store.read { db in
      (try Postings.saved("phone", version: version, db), try Postings.read("phone", db).count)
    }
    #expect(phone.0 == nil, "in \(phone.1) products: read from the index")
    let rare = try await store.read { db in try Postings.saved("zzzz", version: version, db) }
    #expect(rare == nil)
  }

  @Test func fewChangesAreAppliedToTheSavedCopyAsARebuildWouldSaveThem() async throws {
    let search = SearchService(store: store)
    try await search.prepare(frequentWords: 60)
    // Updates (new words, a new brand, a price), deletes and an insert: 4 % of the catalog.
    try await store.write { db in
      try db.execute(
        sql: """
          UPDATE product SET title = title || ' phone phone', brand = 'Zyxel',
            sale_price_minor = 199,
            attributes = json_set(attributes, '$.shipping', json('[{"country":"CH"}]'))
          WHERE doc % 50 = 3;
          DELETE FROM product WHERE doc % 100 = 7;
          INSERT INTO product (merchant_id, id, title, brand, description, attributes,
            attribute_mask, content_hash, price_minor, currency, availability)
          SELECT merchant_id, id || '-copy', title, 'Newbrand', description, attributes,
            attribute_mask, content_hash, price_minor, 'CHF', 'preorder'
          FROM product WHERE doc % 100 = 11;
          """)
    }
    let changed = try await store.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM search_change") ?? 0
    }
    #expect(changed > 40 && changed * 20 <= 1500, "few enough to apply: \(changed)")
    try await search.prepare(frequentWords: 60)
    let (saved, rebuilt, words, left) = try await store.read { db in
      let version = try SearchColumns.currentVersion(db)
      var words: [(String, Postings?, Postings)] = []
      for word in try String.fetchAll(db, sql: "SELECT term FROM search_posting") {
        words.append(
          (word, try Postings.saved(word, version: version, db), try Postings.read(word, db)))
      }
      return (
        try SearchColumns.load(db, version: version), try SearchColumns.build(db), words,
        try Int.fetchOne(db, sql: "SELECT count(*) FROM search_change") ?? 0
      )
    }
    #expect(left == 0)
    // Values are numbered in the order met, so compare what the numbers stand for.
    func described(_ columns: SearchColumns) -> [String] {
      func name(_ values: [String], _ number: some BinaryInteger) -> String {
        number >= 0 ? values[Int(number)] : "-"
      }
      return zip(columns.entries, columns.shipping).map { entry, shipping in
        [
          name(columns.shippings, shipping),
          name(columns.merchants, entry.merchant), name(columns.brands, entry.brand),
          name(columns.categories, entry.googleCategory),
          name(columns.categories, entry.productType), name(columns.currencies, entry.currency),
          name(columns.availabilities, entry.availability),
          name(columns.languages, entry.language), "\(entry.price)", "\(entry.length)",
        ].joined(separator: "|")
      }
    }
    let (patched, expected) = (saved.map(described) ?? [], described(rebuilt))
    #expect(patched.count == expected.count)
    let differing = zip(patched, expected).filter { $0 != $1 }
    #expect(
      differing.isEmpty,
      "\(differing.count) entries differ, first: \(differing.first.map { "\($0)" } ?? "")")
    #expect(saved?.rows == rebuilt.rows)
    #expect(saved?.tokens == rebuilt.tokens)
    // Applied, not rebuilt: new values are numbered after the saved ones.
    #expect(Set(saved?.brands.suffix(2) ?? []) == ["Zyxel", "Newbrand"])
    #expect(words.count > 20)
    for (word, saved, read) in words {
      #expect(saved == read, "\(word)")
    }
  }

  @Test func changesToOneProductInTwentyAreAppliedAndOneMoreRebuilds() async throws {
    try await SearchService(store: store).prepare()
    // 1,500 products: up to 75 changed ones are applied to the saved copy. The products
    // applied, in order; `nil` for a rebuild.
    func applied(afterTouching count: Int) async throws -> [Int32]? {
      try await store.write { db in
        try db.execute(sql: "DELETE FROM search_change")
        try db.execute(
          sql: "INSERT INTO search_change (doc) SELECT doc FROM product ORDER BY doc DESC LIMIT ?",
          arguments: [count])
        try db.execute(sql: "UPDATE search_state SET version = version + 1")
        switch try SearchPreparation.work(db) {
        case .apply(let changed, _): return changed
        case .rebuild, .nothing: return nil
        }
      }
    }
    let changed = try await applied(afterTouching: 75)
    #expect(changed?.count == 75)
    #expect(changed == changed?.sorted())
    #expect(try await applied(afterTouching: 76) == nil)
  }

  @Test func aDamagedSavedCopyIsNotTrusted() async throws {
    let search = SearchService(store: store)
    try await search.prepare()
    // The database's own copy, as read when the file beside it is missing (a copied database).
    _ = try await store.read { db in
      unlink(SearchColumns.sideFile(of: try SearchColumnsCache.identity(db).file))
    }
    // A merchant number past the merchant table, as a torn or edited row would have.
    try await store.write { db in
      try db.execute(
        sql: """
          UPDATE search_column SET data = CAST(substr(data, 1, 32)
            || x'0000000000000000FFFFFF7F' || substr(data, 45) AS BLOB) WHERE name = 'entries';
          """)
    }
    let loaded = try await store.read { db in
      try SearchColumns.load(db, version: try SearchColumns.currentVersion(db))
    }
    #expect(loaded == nil)
    // The next save replaces it although the catalog did not change.
    try await search.prepare()
    let replaced = try await store.read { db in
      try SearchColumns.load(db, version: try SearchColumns.currentVersion(db))
    }
    #expect(replaced != nil)
    var request = SearchRequest(text: "phone")
    request.facets = [.brand]
    let result = try await search.search(request)
    #expect(result.total > 0, "rebuilt from the catalog instead")
  }

  @Test func aFileReplacedAtTheSameVersionIsNotServedFromMemory() async throws {
    let folder = try RankingTests.folder()
    // Two catalogs with as many writes each (the same version), one with Zyxel phones.
    func catalog(_ name: String, brand: String) async throws {
      let store = try await RankingTests.catalog(at: folder + "/" + name)
      try await store.write { db in
        try db.execute(
          sql: "UPDATE product SET brand = ? WHERE doc IN "
            + "(SELECT doc FROM product WHERE title LIKE '%phone%' ORDER BY doc LIMIT 5)",
          arguments: [brand])
      }
      var request = SearchRequest(text: "phone")
      request.facets = [.brand]
      let found = try await SearchService(store: store).search(request)
      #expect(found.facets["brand"]?.contains { $0.value == brand } == true)
      try await store.writeWithoutTransaction { db in
        try db.execute(sql: "PRAGMA wal_checkpoint(TRUNCATE)")
      }
    }
    try await catalog("shop.db", brand: "Acme")
    try await catalog("backup.db", brand: "Zyxel")
    // The backup restored under the shop's name, as a restore by file copy does.
    let manager = FileManager.default
    for suffix in ["", "-wal", "-shm"] {
      try? manager.removeItem(atPath: folder + "/shop.db" + suffix)
    }
    try manager.copyItem(atPath: folder + "/backup.db", toPath: folder + "/shop.db")
    let store = try Store.open(path: folder + "/shop.db")
    var request = SearchRequest(text: "phone")
    request.facets = [.brand]
    let found = try await SearchService(store: store).search(request)
    #expect(found.facets["brand"]?.contains { $0.value == "Zyxel" } == true)
    #expect(found.facets["brand"]?.contains { $0.value == "Acme" } == false)
  }

  @Test func aCatalogWhoseValuesDoNotFitIsSearchedInSQLAndMarkedOnce() async throws {
    // 130 currencies: more than an entry numbers.
    try await store.write { db in
      try db.execute(
        sql: """
          UPDATE product SET currency = 'X' || printf('%03d', doc % 130) WHERE doc <= 400
          """)
    }
    let search = SearchService(store: store)
    var request = SearchRequest(text: "phone")
    request.facets = [.brand]
    let found = try await search.search(request)
    var reference = request
    reference.rankInSQL = true
    let expected = try await search.search(reference)
    #expect(found.total == expected.total)
    #expect(found.hits.map(\.id) == expected.hits.map(\.id))
    #expect(try await search.isPrepared(), "marked: the next search does not try again")
    let saved = try await store.read { db in
      try Int.fetchOne(db, sql: "SELECT count(*) FROM search_column") ?? -1
    }
    #expect(saved == 2, "only the mark and the postings stamp")
  }

  @Test func encodedPostingsReadBackAndCutOnesAreRefused() {
    let postings = Postings(docs: [1, 2, 300, 70_000, 2_000_000], weights: [6, 2, 1000, 3, 4])
    let bytes = postings.encoded()
    let back = bytes.withUnsafeBytes { Postings(encoded: $0) }
    #expect(back?.docs == postings.docs)
    #expect(back?.weights == postings.weights)
    let cut = bytes.dropLast().withUnsafeBytes { Postings(encoded: $0) }
    #expect(cut == nil)
  }

  @Test func postingsWeighEachColumnAsBM25Does() async throws {
    let (postings, rows) = try await store.read { db in
      (
        try Postings.read("phone", db),
        try Row.fetchAll(
          db,
          sql: """
            SELECT doc, col, count(*) FROM product_search_instance WHERE term = 'phone'
            GROUP BY doc, col
            """
        ).map { (Int32($0[0] as Int64), $0[1] as String, UInt16($0[2] as Int)) }
      )
    }
    var expected: [Int32: UInt16] = [:]
    let weights: [String: UInt16] = [
      "title": 6, "brand": 4, "category": 3, "description": 2, "tags": 2,
    ]
    for (doc, column, count) in rows {
      expected[doc, default: 0] += (weights[column] ?? 0) * count
    }
    #expect(postings.docs == expected.keys.sorted())
    #expect(postings.weights == postings.docs.map { expected[$0] ?? 0 })
    #expect(postings.count > 20)
  }
}
