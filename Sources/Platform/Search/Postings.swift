import Foundation
import GRDB
import Store

/// The products containing one word, with how much the word weighs in each: what bm25 needs,
/// read from the index's own postings (`product_search_instance`) without ranking in SQL.
struct Postings: Sendable, Equatable {
  /// Document ids, ascending.
  var docs: [Int32] = []
  /// Per document: the occurrences of the word, each counted at twice its column's weight
  /// (title 6, brand 4, category 3, description 2, tags 2), so they stay integers.
  var weights: [UInt16] = []

  var count: Int { docs.count }

  /// bm25's column weights, in the index's column order: title, brand, category,
  /// description, tags.
  static let columnWeights: [Double] = [3, 2, 1.5, 1, 1]

  static let doubledWeights = columnWeights.map { UInt16($0 * 2) }

  /// Twice the weight of the column named `name` (as `fts5vocab` names it), told apart by
  /// their first letters: title, brand, category, description, tags.
  static func doubledWeight(_ name: UnsafeRawBufferPointer) -> UInt16 {
    let column =
      switch name.first {
      case UInt8(ascii: "t"): name.count > 1 && name[1] == UInt8(ascii: "i") ? 0 : 4
      case UInt8(ascii: "b"): 1
      case UInt8(ascii: "c"): 2
      default: 3
      }
    return doubledWeights[column]
  }

  /// Reads `term`'s postings from the index (or another `fts5vocab` instance table), in `db`'s
  /// transaction.
  static func read(
    _ term: String, _ db: Database, from table: String = "product_search_instance"
  ) throws -> Postings {
    var postings = Postings()
    var sorted = true
    try each(term, db, from: table) { doc, weight in
      if let last = postings.docs.last, last == doc {
        postings.weights[postings.weights.count - 1] &+= weight
      } else {
        if let last = postings.docs.last, last > doc { sorted = false }
        postings.docs.append(doc)
        postings.weights.append(weight)
      }
    }
    if !sorted { postings.normalize() }
    return postings
  }

  /// Calls `body` with each instance of `term` in the index, as its document and its doubled
  /// column weight, in the index's order (by document).
  static func each(
    _ term: String, _ db: Database, from table: String = "product_search_instance",
    _ body: (Int32, UInt16) throws -> Void
  ) throws {
    try RawRows.each(
      db, sql: "SELECT doc, col FROM \(table) WHERE term = ?", arguments: [term]
    ) { row in
      try body(Int32(truncatingIfNeeded: row.integer(0)), doubledWeight(row.blob(1)))
    }
  }

  /// Sorts by document and merges repeated documents.
  private mutating func normalize() {
    let order = docs.indices.sorted { docs[$0] < docs[$1] }
    var merged = Postings()
    for index in order {
      if let last = merged.docs.last, last == docs[index] {
        merged.weights[merged.weights.count - 1] &+= weights[index]
      } else {
        merged.docs.append(docs[index])
        merged.weights.append(weights[index])
      }
    }
    self = merged
  }
}

/// Postings per database, catalog version and word, kept in memory up to a budget: the words
/// shoppers type most are read from the index once.
final class PostingsCache: @unchecked Sendable {
  /// Bytes of postings kept; past it the cache starts over.
  static let budget = 256 << 20
  // SAFETY: `entries` and `bytes` are read and written under `lock` only.
  private let lock = NSLock()
  private var entries: [String: Postings] = [:]
  private var bytes = 0

  /// From memory, else saved in the file for this version, else read from the index.
  func postings(_ term: String, key: String, version: Int64, _ db: Database) throws -> Postings {
    func load() throws -> Postings {
      try Postings.saved(term, version: version, db) ?? Postings.read(term, db)
    }
    guard !key.isEmpty else { return try load() }
    let entry = "\(key)\u{0}\(version)\u{0}\(term)"
    lock.lock()
    let cached = entries[entry]
    lock.unlock()
    if let cached { return cached }
    let postings = try load()
    let size = postings.count * 6
    lock.lock()
    if bytes + size > Self.budget {
      entries.removeAll()
      bytes = 0
    }
    entries[entry] = postings
    bytes += size
    lock.unlock()
    return postings
  }
}
