/// The character encoding of a delimited feed.
public enum TextEncoding: String, Sendable, CaseIterable, Codable {
  case utf8 = "utf-8"
  case latin1
  case windows1252 = "windows-1252"

  /// Decodes one field's bytes; `nil` means invalid UTF-8 (Latin-1 and Windows-1252 never fail).
  func decode(_ bytes: ArraySlice<UInt8>) -> String? {
    switch self {
    case .utf8:
      return String(validating: bytes, as: UTF8.self)
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

/// The byte offset of the first invalid UTF-8 sequence in `bytes`, or `nil` if all is valid.
func firstInvalidUTF8Offset(_ bytes: ArraySlice<UInt8>) -> Int? {
  var iterator = bytes.makeIterator()
  var decoder = UTF8()
  var offset = 0
  while true {
    switch decoder.decode(&iterator) {
    case .scalarValue(let scalar): offset += UTF8.width(scalar)
    case .emptyInput: return nil
    case .error: return offset
    }
  }
}
