import Foundation
import GRDB

extension Postings {
  /// Saves the postings of every word in at least `minimum` products, replacing the older ones.
  ///
  /// - Returns: the number of words saved.
  static func saveFrequent(minimum: Int, version: Int64, _ db: Database) throws -> Int {
    try db.execute(
      sql: """
        DELETE FROM search_posting;
        CREATE VIRTUAL TABLE IF NOT EXISTS temp.product_search_rows
          USING fts5vocab(main, product_search, row);
        """)
    let words = try String.fetchAll(
      db, sql: "SELECT term FROM temp.product_search_rows WHERE doc >= ?", arguments: [minimum])
    for word in words {
      try db.execute(
        sql: "INSERT INTO search_posting (term, version, data) VALUES (?, ?, ?)",
        arguments: [word, version, try read(word, db).encoded()])
    }
    return words.count
  }

  /// The saved postings of `term` when they were saved for `version`.
  static func saved(_ term: String, version: Int64, _ db: Database) throws -> Postings? {
    var found: Postings?
    try RawRows.each(
      db, sql: "SELECT data FROM search_posting WHERE term = ? AND version = ?",
      arguments: [term, version]
    ) { row in found = Postings(encoded: row.blob(0)) }
    return found
  }

  /// Each posting as two varints: the distance from the previous document, then the weight.
  func encoded() -> Data {
    var bytes: [UInt8] = []
    bytes.reserveCapacity(docs.count * 3)
    func put(_ value: UInt32) {
      var value = value
      while value >= 0x80 {
        bytes.append(UInt8(value & 0x7f) | 0x80)
        value >>= 7
      }
      bytes.append(UInt8(value))
    }
    var previous: Int32 = 0
    for (doc, weight) in zip(docs, weights) {
      put(UInt32(bitPattern: doc &- previous))
      put(UInt32(weight))
      previous = doc
    }
    return Data(bytes)
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
}
