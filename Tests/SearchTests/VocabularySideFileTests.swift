import Foundation
import GRDB
import Store
import Testing

@testable import Search

/// The vocabulary mapped from the file beside the database (`<db>-words`).
@Suite struct VocabularySideFileTests {
  let store: Store
  let path: String

  init() async throws {
    (store, path) = try await RankingTests.preparedCatalog()
  }

  /// The vocabulary mapped from the file under the database's stamp (or `stamp`), and the one
  /// read from `search_vocab`.
  func load(stamp: String? = nil) async throws -> (mapped: Vocabulary?, table: Vocabulary) {
    try await store.read { [path] db in
      let built = try String.fetchOne(db, sql: "SELECT built_at FROM search_state") ?? ""
      return (
        Vocabulary.mappedSideFile(database: path, stamp: stamp ?? built), try Vocabulary.load(db)
      )
    }
  }

  /// Every word with its count, most frequent first.
  static func words(_ vocabulary: Vocabulary) -> [String] {
    vocabulary.completions(of: "", limit: .max).map { "\($0.term) \($0.docs)" }
  }

  var file: String { Vocabulary.sideFile(of: path) }

  /// Rewrites bytes of the file at `offset`.
  func patch(_ offset: Int, _ bytes: [UInt8]) throws {
    let handle = try FileHandle(forUpdating: URL(fileURLWithPath: file))
    try handle.seek(toOffset: UInt64(offset))
    try handle.write(contentsOf: bytes)
    try handle.close()
  }

  @Test func theRefreshWritesAFileThatReadsAsTheTable() async throws {
    let (mapped, table) = try await load()
    let vocabulary = try #require(mapped)
    #expect(vocabulary.letters.isMapped && vocabulary.bytes.isMapped)
    #expect(vocabulary.count > 100)
    #expect(Self.words(vocabulary) == Self.words(table))
    for typo in ["phnoe", "televison", "oeld", "cottn"] {
      #expect(
        vocabulary.corrections(of: typo).map(\.term) == table.corrections(of: typo).map(\.term))
    }
    #expect(vocabulary.count(of: "oled") == table.count(of: "oled"))
  }

  @Test func aSearchInANewProcessCorrectsFromTheFileAsFromTheTable() async throws {
    let request = SearchRequest(text: "phnoe oeld")
    let mapped = try await SearchService(store: store, cache: SearchCache()).search(request)
    #expect(unlink(file) == 0)
    let table = try await SearchService(store: store, cache: SearchCache()).search(request)
    #expect(!mapped.corrections.isEmpty)
    #expect(mapped.corrections == table.corrections)
    #expect(mapped.hits.map(\.id) == table.hits.map(\.id))
  }

  @Test func aFileOfAnotherStampIsNotRead() async throws {
    #expect(try await load(stamp: "2026-01-01T00:00:00.000Z-00000000").mapped == nil)
    try patch(64, [0x5a])  // the stamp's first byte, after the header
    #expect(try await load().mapped == nil)
  }

  @Test func aCutShortFileIsNotRead() async throws {
    let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
    #expect(truncate(file, off_t(size - 1)) == 0)
    #expect(try await load().mapped == nil)
  }

  @Test func wordsThatRunPastTheBytesAreNotRead() async throws {
    let (mapped, _) = try await load()
    let words = try #require(mapped).count
    let stamp = try #require(
      try await store.read { db in
        try String.fetchOne(db, sql: "SELECT built_at FROM search_state")
      })
    // The second word's start, after the header, the stamp and the letters.
    let starts = 64 + (stamp.utf8.count + 7) / 8 * 8 + 8 * words
    try patch(starts + 4, [0xff, 0xff, 0xff, 0x7f])
    #expect(try await load().mapped == nil)
  }

  @Test func preparingWritesAMissingFile() async throws {
    #expect(unlink(file) == 0)
    try await SearchService(store: store).prepare()
    let (mapped, table) = try await load()
    #expect(Self.words(try #require(mapped)) == Self.words(table))
  }

  @Test func aNewVocabularyReplacesTheFile() async throws {
    let before = try #require(try await load().mapped)
    try await store.write(.normal) { db in try SearchService.rebuildVocabulary(db) }
    let (mapped, table) = try await load()
    #expect(try #require(mapped).letters.isMapped)
    #expect(Self.words(try #require(mapped)) == Self.words(table))
    #expect(Self.words(before) == Self.words(table), "the earlier mapping still reads")
  }
}
