#if canImport(Glibc)
import Glibc
#endif

/// The character encoding of a delimited feed.
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
  case utf8 = "utf-8"
  case latin1
  case windows1252 = "windows-1252"

  /// Decodes one field's bytes; `nil` means invalid UTF-8 (Latin-1 and Windows-1252 never fail).
  func decode(_ bytes: UnsafeBufferPointer<UInt8>) -> String? {
    switch self {
    case .utf8:
      // String(decoding:) validates as it copies (ASCII fast path included) and repairs bad
      // sequences with U+FFFD. A repair shows as a changed length, or as an EF BF BD the input
      // did not have; only then is the input checked by hand. (String(validating:) is not
      // specialised for buffers and cost a generic-metadata lookup per field.)
      var text = String(decoding: bytes, as: UTF8.self)
      if text.utf8.count != bytes.count { return nil }
      let hasReplacement = text.withUTF8 { utf8 in
        guard let base = utf8.baseAddress else { return false }
        return memchr(base, 0xEF, utf8.count) != nil
      }
      if hasReplacement && firstInvalidUTF8Offset(bytes) != nil { return nil }
      return text
    case .latin1:
      if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
      var text = String.UnicodeScalarView()
      for byte in bytes { text.append(Unicode.Scalar(byte)) }
      return String(text)
    case .windows1252:
      if bytes.allSatisfy({ $0 < 0x80 }) { return String(decoding: bytes, as: UTF8.self) }
      var text = String.UnicodeScalarView()
      for byte in bytes {
        if byte >= 0x80, byte < 0xA0, let scalar = Unicode.Scalar(Self.cp1252High[Int(byte) - 0x80])
        {
          text.append(scalar)
        } else {
          text.append(Unicode.Scalar(byte))
        }
      }
      return String(text)
    }
  }

  /// Windows-1252 0x80–0x9F; the five undefined bytes map to the C1 controls as WHATWG does.
  private static let cp1252High: [UInt32] = [
    0x20AC, 0x81, 0x201A, 0x0192, 0x201E, 0x2026, 0x2020, 0x2021,
    0x02C6, 0x2030, 0x0160, 0x2039, 0x0152, 0x8D, 0x017D, 0x8F,
    0x90, 0x2018, 0x2019, 0x201C, 0x201D, 0x2022, 0x2013, 0x2014,
    0x02DC, 0x2122, 0x0161, 0x203A, 0x0153, 0x9D, 0x017E, 0x0178,
  ]
}

/// The byte offset of the first invalid UTF-8 sequence in `bytes`, or `nil` if all is valid
/// (RFC 3629: no overlongs, no surrogates, nothing above U+10FFFF).
func firstInvalidUTF8Offset(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
  var index = 0
  let count = bytes.count
  while index < count {
    // ASCII runs, eight bytes at a time where aligned reads allow.
    while index + 8 <= count {
      let word = UnsafeRawPointer(bytes.baseAddress.unsafelyUnwrapped + index).loadUnaligned(
        as: UInt64.self)
      if word & 0x8080_8080_8080_8080 != 0 { break }
      index += 8
    }
    guard index < count else { return nil }
    let lead = bytes[index]
    if lead < 0x80 {
      index += 1
      continue
    }
    let length: Int
    var low: UInt8 = 0x80
    var high: UInt8 = 0xBF
    switch lead {
    case 0xC2...0xDF: length = 2
    case 0xE0:
      length = 3
      low = 0xA0
    case 0xE1...0xEC, 0xEE...0xEF: length = 3
    case 0xED:
      length = 3
      high = 0x9F
    case 0xF0:
      length = 4
      low = 0x90
    case 0xF1...0xF3: length = 4
    case 0xF4:
      length = 4
      high = 0x8F
    default: return index
    }
    guard index + length <= count else { return index }
    let second = bytes[index + 1]
    guard second >= low && second <= high else { return index }
    for offset in 2..<length where bytes[index + offset] & 0xC0 != 0x80 { return index }
    index += length
  }
  return nil
}
