import Foundation
import GRDB
import Store

extension Postings {
  /// Saves the postings of every word in at least `minimum` products, replacing the older ones.
  ///
  /// - Returns: the number of words saved.
  static func saveFrequent(minimum: Int, version: Int64, _ db: Database) throws -> Int {
    let words = try frequent(minimum: minimum, db)
    try save([PostingsSpool(words, db)], version: version, db)
    return words.count
  }

  /// The words in at least `minimum` products, the most frequent first.
  ///
  /// Read from the vocabulary while it is fresh (``SearchService/prepare(frequentWords:waiting:alongside:)``
  /// has just refreshed it when it was not): counting them in the index means reading all of it
  /// again, a second on one core at a million products. Which words have saved postings only
  /// decides how fast they are searched: the others are read from the index, with the same
  /// result.
  static func frequent(minimum: Int, _ db: Database) throws -> [String] {
    let counted =
      try SearchService.vocabularyIsStale(db)
      ? "SELECT term FROM product_search_words WHERE doc >= ? ORDER BY doc DESC, term"
      : "SELECT term FROM search_vocab WHERE docs >= ? ORDER BY docs DESC, term"
    return try String.fetchAll(db, sql: counted, arguments: [minimum])
  }

  /// Replaces the saved postings with the spooled ones, as those of catalog `version`.
  static func save(_ spools: [PostingsSpool], version: Int64, _ db: Database) throws {
    try db.execute(sql: "DELETE FROM search_posting")
    for spool in spools {
      try spool.each { word, postings in
        try SearchColumns.insert(
          postings, into: "search_posting", db,
          sql: "INSERT INTO search_posting (term, data) VALUES (?, zeroblob(?))",
          arguments: [word, postings.count])
      }
    }
    try stamp(version, db)
  }

  /// Marks the saved postings as those of catalog `version`.
  static func stamp(_ version: Int64, _ db: Database) throws {
    try db.execute(
      sql: "INSERT OR REPLACE INTO search_column (name, version, data) VALUES ('postings', ?, x'')",
      arguments: [version])
  }

  /// The catalog version the saved postings are those of; -1 for none.
  static func savedVersion(_ db: Database) throws -> Int64 {
    try Int64.fetchOne(db, sql: "SELECT version FROM search_column WHERE name = 'postings'") ?? -1
  }

  /// The saved postings of `term` when they were saved for `version`.
  static func saved(_ term: String, version: Int64, _ db: Database) throws -> Postings? {
    var found: Postings?
    try RawRows.each(
      db,
      sql: """
        SELECT p.data FROM search_posting p, search_column c
        WHERE p.term = ? AND c.name = 'postings' AND c.version = ?
        """,
      arguments: [term, version]
    ) { row in found = Postings(encoded: row.blob(0)) }
    return found
  }

  /// Each posting as two varints: the distance from the previous document, then the weight.
  func encoded() -> Data {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(docs.count * 3)
    encode(into: &bytes)
    return Data(bytes)
  }

  /// Appends ``encoded()``'s bytes to `bytes`.
  func encode(into bytes: inout [UInt8]) {
    var encoder = Encoder()
    for (doc, weight) in zip(docs, weights) { encoder.add(doc, weight, into: &bytes) }
    encoder.finish(into: &bytes)
  }

  /// Encodes postings as they come, one instance of the word at a time: instances in the same
  /// document add up their weights (wrapping, as ``read(_:_:from:)`` does).
  struct Encoder {
    private var previous: Int32 = 0
    private var pending: (doc: Int32, weight: UInt16)?
    /// Whether the documents came in ascending order; encoded bytes of postings that did not
    /// are not ``encoded()``'s.
    private(set) var inOrder = true

    mutating func add(_ doc: Int32, _ weight: UInt16, into bytes: inout [UInt8]) {
      if let (last, sum) = pending {
        if last == doc {
          pending = (doc, sum &+ weight)
          return
        }
        if doc < last { inOrder = false }
        put(last, sum, into: &bytes)
      }
      pending = (doc, weight)
    }

    /// Writes the last document.
    mutating func finish(into bytes: inout [UInt8]) {
      if let (last, sum) = pending { put(last, sum, into: &bytes) }
      pending = nil
    }

    private mutating func put(_ doc: Int32, _ weight: UInt16, into bytes: inout [UInt8]) {
      Self.varint(UInt32(bitPattern: doc &- previous), into: &bytes)
      Self.varint(UInt32(weight), into: &bytes)
      previous = doc
    }

    private static func varint(_ value: UInt32, into bytes: inout [UInt8]) {
      var value = value
      while value >= 0x80 {
        bytes.append(UInt8(value & 0x7f) | 0x80)
        value >>= 7
      }
      bytes.append(UInt8(value))
    }
  }

  /// Reads ``encoded()``'s bytes; `nil` when they are cut short.
  init?(encoded bytes: UnsafeRawBufferPointer) {
    var index = 0
    func next() -> UInt32? {
      var value: UInt32 = 0
      var shift: UInt32 = 0
      while index < bytes.count, shift < 35 {
        let byte = bytes[index]
        index += 1
        value |= UInt32(byte & 0x7f) << shift
        if byte & 0x80 == 0 { return value }
        shift += 7
      }
      return nil
    }
    var previous: Int32 = 0
    while index < bytes.count {
      guard let delta = next(), let weight = next() else { return nil }
      previous &+= Int32(bitPattern: delta)
      docs.append(previous)
      weights.append(UInt16(clamping: weight))
    }
  }

  /// These postings without the documents in `removed` (ascending), with `added`'s merged in.
  func replacing(_ removed: [Int32], with added: Postings) -> Postings {
    var result = Postings()
    result.docs.reserveCapacity(count + added.count)
    result.weights.reserveCapacity(count + added.count)
    var (r, a) = (0, 0)
    for (index, doc) in docs.enumerated() {
      while r < removed.count && removed[r] < doc { r += 1 }
      if r < removed.count && removed[r] == doc { continue }
      while a < added.count && added.docs[a] < doc {
        result.docs.append(added.docs[a])
        result.weights.append(added.weights[a])
        a += 1
      }
      result.docs.append(doc)
      result.weights.append(weights[index])
    }
    result.docs += added.docs[a...]
    result.weights += added.weights[a...]
    return result
  }
}
