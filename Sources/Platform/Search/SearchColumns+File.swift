import Foundation
import MktCore

extension SearchColumns {
  /// The file beside a database that holds its saved entries and shipping sets, mapped into
  /// memory by each new process instead of copied out of the database (see ``PlainArray``).
  ///
  /// It is a copy of what `search_column` holds: missing, stale or damaged, search reads the
  /// database's copy instead, and the next save writes it again (see ``SideFileWriter``).
  static func sideFile(of database: String) -> String { database + "-search" }

  /// The header: eight 64-bit numbers, then the entries, then the shipping sets.
  private enum Header {
    static let magic: Int64 = 0x6863_7273_2d74_6b6d  // "mkt-srch" in little-endian bytes
    static let size = 8 * MemoryLayout<Int64>.size
  }

  /// Writes the entries and shipping sets (``Pieces`` of those arrays' bytes) beside
  /// `database`, as those of catalog stamp `stamp` (see ``SideFileWriter``).
  ///
  /// - Returns: whether the file was written.
  @discardableResult
  func writeSideFile(database: String, stamp: Int64, entries: Pieces, shipping: Pieces) -> Bool {
    guard var file = SideFileWriter(path: Self.sideFile(of: database)) else { return false }
    let counts = (
      Int64(entries.count / MemoryLayout<Entry>.stride),
      Int64(shipping.count / MemoryLayout<Int32>.stride)
    )
    file.append([Header.magic, Self.format, version, stamp, counts.0, counts.1, 0, 0])
    do {
      try entries.each { file.append($0) }
      try shipping.each { file.append($0) }
    } catch {
      file.fail()
    }
    return file.finish()
  }

  /// The entries and shipping sets beside `database` when they are those of catalog `version`
  /// and stamp `stamp` in this mkt's layout, mapped; `nil` otherwise.
  static func mappedSideFile(database: String, version: Int64, stamp: Int64)
    -> (entries: PlainArray<Entry>, shipping: PlainArray<Int32>)?
  {
    guard let file = MappedFile(path: sideFile(of: database)), let header = file.header(8)
    else { return nil }
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
