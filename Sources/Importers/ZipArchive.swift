internal import CZlib

/// The one file inside a ZIP archive, as the ECB ships its rates (`eurofxref.zip` holds
/// `eurofxref.csv`): found through the archive's central directory, stored or deflated.
///
/// Not a general ZIP library: one entry is read whole, up to a size limit, and anything else
/// (encryption, ZIP64, several entries of which none is wanted) is refused by name.
public enum ZipArchive {
  /// Whether `bytes` start like a ZIP archive (`PK\3\4`).
  public static func isZip(_ bytes: [UInt8]) -> Bool {
    bytes.count >= 4 && bytes[0] == 0x50 && bytes[1] == 0x4B && bytes[2] == 3 && bytes[3] == 4
  }

  /// The name and bytes of the first entry whose name ends with `suffix` (else the first).
  ///
  /// - Throws: ``SourceError/corrupt(path:reason:)`` for a damaged or unsupported archive,
  ///   ``SourceError/tooLarge(path:limit:)`` when the entry inflates past `limit`.
  public static func entry(
    in bytes: [UInt8], named suffix: String, file: String, limit: Int
  ) throws(SourceError) -> (name: String, bytes: [UInt8]) {
    func corrupt(_ reason: String) -> SourceError {
      .corrupt(path: file, reason: "the ZIP archive \(reason)")
    }
    func u16(_ at: Int) -> Int { Int(bytes[at]) | Int(bytes[at + 1]) << 8 }
    func u32(_ at: Int) -> Int { u16(at) | u16(at + 2) << 16 }
    // The end-of-central-directory record: 22 bytes plus a comment of up to 64 KiB.
    var end = -1
    var index = bytes.count - 22
    while index >= max(0, bytes.count - 22 - 65_535) {
      if bytes[index] == 0x50, bytes[index + 1] == 0x4B, bytes[index + 2] == 5,
        bytes[index + 3] == 6
      {
        end = index
        break
      }
      index -= 1
    }
    guard end >= 0 else { throw corrupt("has no central directory (truncated?)") }
    let count = u16(end + 10)
    var entry = u32(end + 16)
    var chosen: (name: String, method: Int, size: Int, local: Int, flags: Int)?
    for _ in 0..<count {
      guard entry + 46 <= bytes.count, u32(entry) == 0x0201_4B50 else {
        throw corrupt("has a damaged central directory")
      }
      let nameLength = u16(entry + 28)
      guard entry + 46 + nameLength <= bytes.count else { throw corrupt("is truncated") }
      let name = String(decoding: bytes[(entry + 46)..<(entry + 46 + nameLength)], as: UTF8.self)
      let candidate = (
        name: name, method: u16(entry + 10), size: u32(entry + 20), local: u32(entry + 42),
        flags: u16(entry + 8)
      )
      if chosen == nil
        || (name.lowercased().hasSuffix(suffix)
          && !(chosen?.name.lowercased().hasSuffix(suffix) ?? false))
      {
        chosen = candidate
      }
      entry += 46 + nameLength + u16(entry + 30) + u16(entry + 32)
    }
    guard let chosen else { throw corrupt("is empty") }
    guard chosen.flags & 1 == 0 else { throw corrupt("entry \(chosen.name) is encrypted") }
    guard chosen.size != 0xFFFF_FFFF, chosen.local != 0xFFFF_FFFF else {
      throw corrupt("uses ZIP64, which mkt does not read")
    }
    let local = chosen.local
    guard local + 30 <= bytes.count, u32(local) == 0x0403_4B50 else {
      throw corrupt("has a damaged entry header")
    }
    let start = local + 30 + u16(local + 26) + u16(local + 28)
    guard start + chosen.size <= bytes.count else { throw corrupt("is truncated") }
    let data = Array(bytes[start..<(start + chosen.size)])
    switch chosen.method {
    case 0:
      guard data.count <= limit else { throw .tooLarge(path: file, limit: limit) }
      return (chosen.name, data)
    case 8: return (chosen.name, try inflateRaw(data, file: file, limit: limit))
    default: throw corrupt("entry \(chosen.name) uses compression method \(chosen.method)")
    }
  }

  private static func inflateRaw(_ data: [UInt8], file: String, limit: Int) throws(SourceError)
    -> [UInt8]
  {
    var stream = z_stream()
    guard mkt_inflate_init_raw(&stream) == Z_OK else {
      throw .readFailed(path: file, reason: "zlib could not start")
    }
    defer { inflateEnd(&stream) }
    var output: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var input = data
    var status = Z_OK
    input.withUnsafeMutableBufferPointer { source in
      stream.next_in = source.baseAddress
      stream.avail_in = UInt32(source.count)
      while status == Z_OK {
        chunk.withUnsafeMutableBufferPointer { target in
          stream.next_out = target.baseAddress
          stream.avail_out = UInt32(target.count)
          status = inflate(&stream, Z_NO_FLUSH)
          output += target[0..<(target.count - Int(stream.avail_out))]
        }
        if output.count > limit { return }
      }
    }
    guard output.count <= limit else { throw .tooLarge(path: file, limit: limit) }
    guard status == Z_STREAM_END else {
      throw .corrupt(path: file, reason: "the ZIP archive's data is damaged (zlib \(status))")
    }
    return output
  }
}
