import Foundation
import GRDB
import Store

extension SearchColumns {
  /// A rebuild's columns on their way to a save: the entries and shipping sets go to temporary
  /// files as they are read (36 MB at a million products), the value tables stay in memory.
  struct Spooled: Sendable {
    /// The version, counts and value tables; its own entries and shipping sets are empty.
    var columns: SearchColumns
    let entries: ValueSpool<Entry>
    let shipping: ValueSpool<Int32>

    var version: Int64 { columns.version }

    /// Saves them as ``SearchColumns/save(_:)`` saves columns held in memory.
    func save(_ db: Database) throws {
      try columns.save(
        db, entries: Pieces(count: entries.byteCount, each: entries.eachPiece),
        shipping: Pieces(count: shipping.byteCount, each: shipping.eachPiece))
    }
  }

  /// Reads the arrays from the catalog and the index, in `db`'s transaction, as
  /// ``build(_:)`` does, into temporary files.
  static func buildSpooled(_ db: Database) throws -> Spooled {
    var columns = SearchColumns(version: try currentVersion(db))
    let lengths = try columns.readLengths(db)
    let entries = try ValueSpool<Entry>()
    let shipping = try ValueSpool<Int32>()
    /// Documents without a product up to `doc`.
    func gap(upTo doc: Int) {
      while entries.count < min(doc, lengths.count) {
        entries.append(Entry(length: lengths[entries.count]))
        shipping.append(none)
      }
    }
    try columns.eachProduct(db, where: "1 ORDER BY doc") { doc, entry, shipsTo in
      // The largest product was read first, in the same transaction: none lies past it.
      guard doc < lengths.count else { return }
      gap(upTo: doc)
      var entry = entry
      entry.length = lengths[doc]
      entries.append(entry)
      shipping.append(shipsTo)
    }
    gap(upTo: lengths.count)
    return Spooled(columns: columns, entries: entries, shipping: shipping)
  }

  /// Bytes to save, handed over a piece at a time.
  struct Pieces {
    /// All of them, in bytes.
    let count: Int
    let each: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void

    /// Bytes in memory, in one piece.
    init(_ bytes: UnsafeRawBufferPointer) {
      count = bytes.count
      each = { body in try body(bytes) }
    }

    init(count: Int, each: @escaping ((UnsafeRawBufferPointer) throws -> Void) throws -> Void) {
      self.count = count
      self.each = each
    }
  }
}
