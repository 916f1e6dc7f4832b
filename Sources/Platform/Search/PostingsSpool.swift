import Foundation
import GRDB

/// The encoded postings of some words, written to a temporary file by a reader connection and
/// read back by the writer: at a million products the frequent words' postings take 73 MB,
/// which a save need not hold in memory at once.
///
/// The file has no name once opened (it is unlinked at once): a killed process leaves nothing
/// behind. Each record is the word's length (4 bytes, little-endian), its UTF-8 bytes, the length
/// of its encoded postings and those bytes.
final class PostingsSpool: @unchecked Sendable {
  // SAFETY: written once by `init`, then only read by one caller at a time (the save).
  private let file: FileHandle

  /// Spools the postings of `words`, read from the index in `db`.
  init(_ words: [String], _ db: Database) throws {
    let file = try FileHandle.unnamedTemporaryFile()
    self.file = file
    var buffer: [UInt8] = []
    buffer.reserveCapacity(1 << 20)
    for word in words {
      Self.append(Array(word.utf8), to: &buffer)
      // The length first, filled in once the postings are encoded after it.
      let start = buffer.count
      buffer += [0, 0, 0, 0]
      try Postings.read(word, db).encode(into: &buffer)
      withUnsafeBytes(of: UInt32(buffer.count - start - 4).littleEndian) { length in
        buffer.replaceSubrange(start..<start + 4, with: length)
      }
      if buffer.count >= 1 << 20 {
        try file.write(contentsOf: buffer)
        buffer.removeAll(keepingCapacity: true)
      }
    }
    try file.write(contentsOf: buffer)
  }

  deinit { try? file.close() }

  private static func append(_ bytes: [UInt8], to buffer: inout [UInt8]) {
    withUnsafeBytes(of: UInt32(bytes.count).littleEndian) { buffer.append(contentsOf: $0) }
    buffer.append(contentsOf: bytes)
  }

  /// Calls `body` with each word and its encoded postings, in the order they were spooled.
  func each(_ body: (String, Data) throws -> Void) throws {
    try file.seek(toOffset: 0)
    var pending = Data()
    var start = 0
    /// The next `count` bytes, reading more of the file as needed; `nil` at its end.
    func take(_ count: Int) throws -> Data? {
      while pending.count - start < count {
        guard let more = try file.read(upToCount: max(1 << 20, count)), !more.isEmpty else {
          return nil
        }
        pending = pending.subdata(in: start..<pending.count) + more
        start = 0
      }
      defer { start += count }
      return pending.subdata(in: start..<start + count)
    }
    func length() throws -> Int? {
      try take(4).map { bytes in
        Int(UInt32(littleEndian: bytes.withUnsafeBytes { $0.loadUnaligned(as: UInt32.self) }))
      }
    }
    while let wordLength = try length() {
      guard let word = try take(wordLength), let count = try length(),
        let postings = try take(count)
      else { throw CocoaError(.fileReadCorruptFile) }
      try body(String(decoding: word, as: UTF8.self), postings)
    }
  }
}
