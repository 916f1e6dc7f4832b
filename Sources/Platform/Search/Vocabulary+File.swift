import Foundation
import GRDB

extension Vocabulary {
  /// The file beside a database that holds its vocabulary as it is kept in memory, mapped by
  /// each new process instead of read out of `search_vocab` (55,000 rows at a million
  /// products: most of what a fresh process correcting a typo spent before searching).
  ///
  /// It is a copy of `search_vocab` written when that is refreshed, stamped with
  /// `search_state.built_at`: missing, stale or damaged, the table is read instead.
  static func sideFile(of database: String) -> String { database + "-words" }

  /// The header: eight 64-bit numbers, then the stamp's bytes padded to eight, then the
  /// letters, starts, counts and lengths, then the words' bytes.
  private enum Header {
    static let magic: Int64 = 0x6472_6f77_2d74_6b6d  // "mkt-word" in little-endian bytes
    static let format: Int64 = 1
    static let size = 8 * MemoryLayout<Int64>.size
  }

  /// Writes `db`'s vocabulary beside its file, stamped with the `built_at` of the same
  /// transaction (nothing for a database in memory); with `onlyIfMissing`, only when the file
  /// there is not that vocabulary's (one built by an earlier mkt, or a database copied alone).
  ///
  /// One snapshot gives the words and their stamp: a vocabulary written meanwhile has another
  /// stamp, and whichever file is renamed last, a stale one is never read.
  static func saveSideFile(_ db: Database, onlyIfMissing: Bool = false) throws {
    let (file, _) = try SearchColumnsCache.identity(db)
    guard !file.isEmpty,
      let stamp = try String.fetchOne(db, sql: "SELECT built_at FROM search_state")
    else { return }
    if onlyIfMissing, mappedSideFile(database: file, stamp: stamp) != nil { return }
    try load(db).writeSideFile(database: file, stamp: stamp)
  }

  /// Writes the vocabulary beside `database` as the one built at `stamp`.
  ///
  /// - Returns: whether the file was written.
  @discardableResult
  func writeSideFile(database: String, stamp: String) -> Bool {
    guard var file = SideFileWriter(path: Self.sideFile(of: database)) else { return false }
    let stampBytes = Array(stamp.utf8)
    file.append([
      Header.magic, Header.format, Int64(count), Int64(bytes.count), Int64(stampBytes.count),
      0, 0, 0,
    ])
    file.append(stampBytes + Array(repeating: 0, count: Self.padding(stampBytes.count)))
    letters.withUnsafeBytes { file.append($0) }
    starts.withUnsafeBytes { file.append($0) }
    counts.withUnsafeBytes { file.append($0) }
    lengths.withUnsafeBytes { file.append($0) }
    bytes.withUnsafeBytes { file.append($0) }
    return file.finish()
  }

  /// The vocabulary beside `database` when it is the one built at `stamp` in this mkt's
  /// layout, mapped; `nil` otherwise.
  static func mappedSideFile(database: String, stamp: String) -> Vocabulary? {
    guard let file = MappedFile(path: sideFile(of: database)), let header = file.header(8),
      header[0] == Header.magic, header[1] == Header.format,
      (0...Int64(Int32.max)).contains(header[2]), (0...Int64(Int32.max)).contains(header[3]),
      header[4] == stamp.utf8.count
    else { return nil }
    let (words, byteCount, stampCount) = (Int(header[2]), Int(header[3]), Int(header[4]))
    let stampBytes = UnsafeRawBufferPointer(start: file.bytes + Header.size, count: stampCount)
    var offset = Header.size + stampCount + padding(stampCount)
    let size = offset + words * (8 + 4 + 4 + 4) + 4 + byteCount
    guard size == file.size, stampBytes.elementsEqual(stamp.utf8) else { return nil }
    func next<T: BitwiseCopyable>(_: T.Type, _ count: Int) -> PlainArray<T> {
      defer { offset += count * MemoryLayout<T>.stride }
      return PlainArray(mapping: file, offset: offset, count: count)
    }
    let vocabulary = Vocabulary(
      letters: next(UInt64.self, words), starts: next(Int32.self, words + 1),
      counts: next(Int32.self, words), lengths: next(Int32.self, words),
      bytes: next(UInt8.self, byteCount))
    return vocabulary.hasBounds ? vocabulary : nil
  }

  /// The zero bytes that bring `count` to a multiple of eight.
  private static func padding(_ count: Int) -> Int { (8 - count % 8) % 8 }

  /// Whether every word lies within the bytes, after the one before it: a damaged file's
  /// words are never read past their end (one pass over 55,000 numbers).
  private var hasBounds: Bool {
    starts.withUnsafeBufferPointer { starts in
      guard starts.first == 0, Int(starts.last ?? -1) == bytes.count else { return false }
      return zip(starts, starts.dropFirst()).allSatisfy { $0 <= $1 }
    }
  }
}
