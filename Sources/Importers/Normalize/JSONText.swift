/// Writes JSON text by hand into bytes: deterministic, compact, and fast enough for millions of
/// lines.
///
/// Strings are escaped per RFC 8259 (quotes, backslashes, control characters); other
/// characters, `/` and non-ASCII included, are written as themselves in UTF-8. Every character
/// that needs escaping is ASCII, so the escaping works on bytes.
struct JSONText {
  private(set) var bytes: [UInt8] = []

  init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

  /// The text written so far.
  var text: String { String(decoding: bytes, as: UTF8.self) }

  mutating func raw(_ byte: UInt8) { bytes.append(byte) }

  mutating func string(_ value: String) {
    bytes.append(UInt8(ascii: "\""))
    let done: Void? = value.utf8.withContiguousStorageIfAvailable { append(escaping: $0) }
    if done == nil { append(escaping: Array(value.utf8)) }
    bytes.append(UInt8(ascii: "\""))
  }

  mutating func key(_ name: String, first: inout Bool) {
    if !first { bytes.append(UInt8(ascii: ",")) }
    first = false
    string(name)
    bytes.append(UInt8(ascii: ":"))
  }

  /// `[…]`: each of `items` written by `write`, separated by commas.
  mutating func array<Item>(_ items: [Item], _ write: (inout JSONText, Item) -> Void) {
    bytes.append(UInt8(ascii: "["))
    for (index, item) in items.enumerated() {
      if index > 0 { bytes.append(UInt8(ascii: ",")) }
      write(&self, item)
    }
    bytes.append(UInt8(ascii: "]"))
  }

  /// `{…}`: the pairs as keys and string values, in the order given.
  mutating func object(_ pairs: [(String, String)]) {
    bytes.append(UInt8(ascii: "{"))
    var first = true
    for (key, value) in pairs {
      self.key(key, first: &first)
      string(value)
    }
    bytes.append(UInt8(ascii: "}"))
  }

  private mutating func append<Bytes: Collection<UInt8>>(escaping value: Bytes) {
    guard value.contains(where: { $0 < 0x20 || $0 == 0x22 || $0 == 0x5C }) else {
      bytes.append(contentsOf: value)
      return
    }
    for byte in value {
      switch byte {
      case 0x22: bytes.append(contentsOf: [0x5C, 0x22])  // \"
      case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])  // \\
      case 0x0A: bytes.append(contentsOf: [0x5C, UInt8(ascii: "n")])
      case 0x0D: bytes.append(contentsOf: [0x5C, UInt8(ascii: "r")])
      case 0x09: bytes.append(contentsOf: [0x5C, UInt8(ascii: "t")])
      case ..<0x20:
        let hex = Array("0123456789abcdef".utf8)
        bytes.append(contentsOf: [0x5C, UInt8(ascii: "u"), 0x30, 0x30])
        bytes.append(hex[Int(byte >> 4)])
        bytes.append(hex[Int(byte & 0x0F)])
      default: bytes.append(byte)
      }
    }
  }
}
