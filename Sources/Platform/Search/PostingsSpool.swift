import Foundation
import GRDB
import MktCore
import Store

/// The encoded postings of some words, written to a temporary file by a reader connection as
/// the index yields them, and read back by the writer a piece at a time: at five million
/// products one word's postings take tens of megabytes, which neither side holds at once.
///
/// The file has no name once opened (it is unlinked at once): a killed process leaves nothing
/// behind. Each record is the word's length (4 bytes, little-endian), its UTF-8 bytes, the length
/// of its encoded postings and those bytes.
final class PostingsSpool: @unchecked Sendable {
  // SAFETY: written by `init` only, then only read by one caller at a time (the save).
  private let file: FileHandle
  /// Bytes not written to the file yet (while spooling).
  private var buffer: [UInt8] = []
  /// Bytes in the file.
  private var written = 0
  private var failure: Int32 = 0

  /// Bytes per write and per piece read back.
  private let piece: Int
  /// Where the postings are read (an `fts5vocab` instance table, or one shaped like it).
  private let table: String

  /// Spools the postings of `words`, read from the index in `db`.
  ///
  /// - Parameters:
  ///   - words: The words, in the order they are handed back.
  ///   - db: A connection in a read transaction.
  ///   - table: The index's `fts5vocab` instance table unless told.
  ///   - piece: Bytes per write and per piece read back (1 MiB unless told).
  /// - Throws: the database's errors, and the errno of a write of the file that failed.
  init(
    _ words: [String], _ db: Database, from table: String = "product_search_instance",
    piece: Int = 1 << 20
  ) throws {
    file = try FileHandle.unnamedTemporaryFile()
    self.piece = piece
    self.table = table
    buffer.reserveCapacity(piece + 64)
    for word in words {
      append(UInt32(word.utf8.count))
      buffer.append(contentsOf: word.utf8)
      // The length first, set once the postings are spooled after it.
      let lengthAt = written + buffer.count
      append(UInt32(0))
      let start = written + buffer.count
      if try !spoolPostings(of: word, db) {
        // Not in document order (never seen): read them whole, sorted, instead.
        discard(from: start)
        try Postings.read(word, db, from: table).encode(into: &buffer)
      }
      setLength(UInt32(written + buffer.count - start), at: lengthAt)
      if buffer.count >= piece { flush() }
    }
    flush()
    buffer = []
    guard failure == 0 else { throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO) }
  }

  deinit { try? file.close() }

  /// Encodes `word`'s postings as the index yields them; `false` if they came out of order.
  private func spoolPostings(of word: String, _ db: Database) throws -> Bool {
    var encoder = Postings.Encoder()
    try Postings.each(word, db, from: table) { doc, weight in
      encoder.add(doc, weight, into: &buffer)
      if buffer.count >= piece { flush() }
    }
    encoder.finish(into: &buffer)
    return encoder.inOrder
  }

  private func append(_ value: UInt32) {
    withUnsafeBytes(of: value.littleEndian) { buffer.append(contentsOf: $0) }
  }

  private func flush() {
    if failure == 0 {
      failure = buffer.withUnsafeBytes { Descriptor.writeAll(file.fileDescriptor, $0, at: written) }
    }
    written += buffer.count
    buffer.removeAll(keepingCapacity: true)
  }

  /// Drops what was spooled from byte `offset` on.
  private func discard(from offset: Int) {
    if offset >= written {
      buffer.removeSubrange((offset - written)...)
    } else {
      buffer.removeAll(keepingCapacity: true)
      written = offset
    }
  }

  private func setLength(_ length: UInt32, at offset: Int) {
    withUnsafeBytes(of: length.littleEndian) { bytes in
      if offset >= written {
        buffer.replaceSubrange(offset - written..<offset - written + 4, with: bytes)
      } else if failure == 0 {
        failure = Descriptor.writeAll(file.fileDescriptor, bytes, at: offset)
      }
    }
  }

  /// Calls `body` with each word and its encoded postings (handed over a piece at a time), in
  /// the order they were spooled.
  func each(_ body: (String, SearchColumns.Pieces) throws -> Void) throws {
    var offset = 0
    func read(_ count: Int, into bytes: UnsafeMutableRawBufferPointer) throws {
      let part = UnsafeMutableRawBufferPointer(rebasing: bytes[..<count])
      guard Descriptor.readAll(file.fileDescriptor, into: part, at: offset) == 0 else {
        throw CocoaError(.fileReadCorruptFile)
      }
      offset += count
    }
    func length() throws -> Int {
      var value: UInt32 = 0
      try withUnsafeMutableBytes(of: &value) { try read(4, into: $0) }
      return Int(UInt32(littleEndian: value))
    }
    var piece = [UInt8](repeating: 0, count: self.piece)
    while offset < written {
      var word = [UInt8](repeating: 0, count: try length())
      try word.withUnsafeMutableBytes { try read($0.count, into: $0) }
      let count = try length()
      guard offset + count <= written else { throw CocoaError(.fileReadCorruptFile) }
      let pieces = SearchColumns.Pieces(count: count) { each in
        var left = count
        while left > 0 {
          let size = min(left, piece.count)
          try piece.withUnsafeMutableBytes { try read(size, into: $0) }
          try piece.withUnsafeBytes { try each(UnsafeRawBufferPointer(rebasing: $0[..<size])) }
          left -= size
        }
      }
      let start = offset
      try body(String(decoding: word, as: UTF8.self), pieces)
      // The body may have skipped the postings: the next record comes after them.
      offset = start + count
    }
  }
}
