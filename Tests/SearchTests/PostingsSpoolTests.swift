import Foundation
import GRDB
import Store
import Testing

@testable import Search

/// The frequent words' postings spooled as the index yields them: the same bytes as reading
/// each word whole and encoding it, also when a word's postings span many writes and reads.
@Suite struct PostingsSpoolTests {
  let store: Store

  init() async throws {
    store = try await RankingTests.catalog(at: RankingTests.folder() + "/mkt.db")
  }

  /// Every word's bytes, read back a piece at a time.
  private func spooled(_ spool: PostingsSpool) throws -> [(String, [UInt8])] {
    var words: [(String, [UInt8])] = []
    try spool.each { word, pieces in
      var bytes: [UInt8] = []
      try pieces.each { bytes.append(contentsOf: $0) }
      #expect(bytes.count == pieces.count)
      words.append((word, bytes))
    }
    return words
  }

  @Test func spooledPostingsAreTheWordsReadWhole() async throws {
    try await store.read { db in
      let words = try Postings.frequent(minimum: 20, db)
      #expect(words.count > 20)
      let expected = try words.map { ($0, [UInt8](try Postings.read($0, db).encoded())) }
      #expect(expected.contains { $0.1.count > 200 }, "words longer than several pieces")
      // 64-byte pieces: a word's postings span writes, and its length is set in the file.
      for piece in [64, 1 << 20] {
        let got = try spooled(try PostingsSpool(words, db, piece: piece))
        #expect(got.map(\.0) == words)
        #expect(got.map(\.1) == expected.map(\.1), "piece \(piece)")
      }
    }
  }

  @Test func postingsOutOfOrderAreSortedAsReadingWholeSortsThem() async throws {
    try await store.write { db in
      try db.execute(
        sql: """
          CREATE TEMP TABLE shuffled (term TEXT, doc INTEGER, col TEXT);
          INSERT INTO shuffled VALUES ('a', 1, 'title'), ('a', 9, 'brand'), ('a', 4, 'title'),
            ('a', 4, 'tags'), ('a', 30, 'description'), ('b', 2, 'title'), ('b', 2, 'title'),
            ('b', 7, 'category');
          """)
      for piece in [8, 1 << 20] {
        let got = try spooled(
          try PostingsSpool(["a", "b"], db, from: "temp.shuffled", piece: piece))
        let a = try Postings.read("a", db, from: "temp.shuffled")
        #expect(a.docs == [1, 4, 9, 30])
        #expect(got.map(\.0) == ["a", "b"])
        #expect(got.first?.1 == [UInt8](a.encoded()), "piece \(piece)")
        #expect(got.last?.1 == [UInt8](try Postings.read("b", db, from: "temp.shuffled").encoded()))
      }
      try db.execute(sql: "DROP TABLE temp.shuffled")
    }
  }

  @Test func theEncoderAddsUpADocumentsInstancesAndNoticesDisorder() {
    var bytes: [UInt8] = []
    var encoder = Postings.Encoder()
    for (doc, weight) in [(3, 6), (3, 2), (5, 4), (200, 1)] as [(Int32, UInt16)] {
      encoder.add(doc, weight, into: &bytes)
    }
    encoder.finish(into: &bytes)
    #expect(encoder.inOrder)
    #expect(bytes == [UInt8](Postings(docs: [3, 5, 200], weights: [8, 4, 1]).encoded()))
    var disordered = Postings.Encoder()
    var ignored: [UInt8] = []
    disordered.add(5, 1, into: &ignored)
    disordered.add(3, 1, into: &ignored)
    #expect(!disordered.inOrder)
  }
}
