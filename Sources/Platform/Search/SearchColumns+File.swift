import Foundation
import MktCore

extension SearchColumns {
  /// The file beside a database that holds its saved entries and shipping sets, mapped into
  /// memory by each new process instead of copied out of the database (see ``PlainArray``).
  ///
  /// It is a copy of what `search_column` holds: missing, stale or damaged, search reads the
  /// database's copy instead, and the next save writes it again.
  static func sideFile(of database: String) -> String { database + "-search" }

  /// The header: eight 64-bit numbers, then the entries, then the shipping sets.
  private enum Header {
    static let magic: Int64 = 0x6863_7273_2d74_6b6d  // "mkt-srch" in little-endian bytes
    static let size = 8 * MemoryLayout<Int64>.size
  }

  /// Writes the entries and shipping sets beside `database`, as those of catalog stamp `stamp`.
  ///
  /// A new file is written whole, then renamed over the old one: a process still reading the
  /// old one keeps it. Best effort: when the directory cannot be written, searches read the
  /// database's copy.
  ///
  /// - Returns: whether the file was written.
  @discardableResult
  func writeSideFile(database: String, stamp: Int64) -> Bool {
    let path = Self.sideFile(of: database)
    let temporary = path + "-new"
    let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return false }
    let header: [Int64] = [
      Header.magic, Self.format, version, stamp, Int64(entries.count), Int64(shipping.count), 0, 0,
    ]
    let written =
      header.withUnsafeBytes { Descriptor.writeAll(descriptor, $0) } == 0
      && entries.withUnsafeBytes { Descriptor.writeAll(descriptor, $0) } == 0
      && shipping.withUnsafeBytes { Descriptor.writeAll(descriptor, $0) } == 0
    guard close(descriptor) == 0, written, rename(temporary, path) == 0 else {
      unlink(temporary)
      return false
    }
    return true
  }

  /// The entries and shipping sets beside `database` when they are those of catalog `version`
  /// and stamp `stamp` in this mkt's layout, mapped; `nil` otherwise.
  static func mappedSideFile(database: String, version: Int64, stamp: Int64)
    -> (entries: PlainArray<Entry>, shipping: PlainArray<Int32>)?
  {
    guard let file = MappedFile(path: sideFile(of: database)), file.size >= Header.size
    else { return nil }
    let header = (0..<8).map {
      file.bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<Int64>.size, as: Int64.self)
    }
    let (entries, shipping) = (header[4], header[5])
    let entryBytes = MemoryLayout<Entry>.stride
    guard header[0] == Header.magic, header[1] == format, header[2] == version,
      header[3] == stamp, (0...Int64(Int32.max)).contains(entries),
      (0...Int64(Int32.max)).contains(shipping),
      Int64(Header.size) + entries * Int64(entryBytes) + shipping * 4 == Int64(file.size)
    else { return nil }
    return (
      PlainArray(mapping: file, offset: Header.size, count: Int(entries)),
      PlainArray(
        mapping: file, offset: Header.size + Int(entries) * entryBytes, count: Int(shipping))
    )
  }
}
