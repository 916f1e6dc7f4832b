/// A scanner for one flat JSON object per line, as event trackers write them: keys with text,
/// number, boolean or null values, read straight from the bytes without building a document.
///
/// Nested objects and arrays are refused (an event's fields are scalars); everything else that
/// is not JSON is an error with its 1-based column.
enum FlatJSON {
  /// A value as it appears in the line.
  enum Value {
    /// Text, still escaped when `escaped` is true.
    case text(UnsafeBufferPointer<UInt8>, escaped: Bool)
    case number(UnsafeBufferPointer<UInt8>)
    case bool(Bool)
    case null
  }

  /// Why a line is not a flat JSON object, and where.
  struct Failure: Error {
    var column: Int
    var message: String
  }

  /// Calls `visit` with every key (its bytes), value and the value's 1-based column.
  static func scan(
    _ line: UnsafeBufferPointer<UInt8>,
    _ visit: (UnsafeBufferPointer<UInt8>, Value, Int) throws(Failure) -> Void
  ) throws(Failure) {
    var scanner = Scanner(line: line)
    try scanner.object(visit)
  }

  /// A position in one line.
  private struct Scanner {
    let line: UnsafeBufferPointer<UInt8>
    var index = 0
    var count: Int { line.count }

    init(line: UnsafeBufferPointer<UInt8>) { self.line = line }

    func fail(_ message: String) -> Failure { Failure(column: index + 1, message: message) }

    /// The object, from its optional byte-order mark to its closing brace.
    mutating func object(
      _ visit: (UnsafeBufferPointer<UInt8>, Value, Int) throws(Failure) -> Void
    ) throws(Failure) {
      if index < count - 2, line[0] == 0xEF, line[1] == 0xBB, line[2] == 0xBF { index = 3 }
      skipSpace()
      guard index < count, line[index] == UInt8(ascii: "{") else {
        throw fail("an event is a JSON object: { \"ts\": …, \"type\": … }")
      }
      index += 1
      skipSpace()
      if index < count, line[index] == UInt8(ascii: "}") {
        index += 1
      } else {
        while true {
          try member(visit)
          skipSpace()
          guard index < count else { throw fail("'}' or ',' after a value") }
          if line[index] == UInt8(ascii: ",") {
            index += 1
            continue
          }
          guard line[index] == UInt8(ascii: "}") else { throw fail("'}' or ',' after a value") }
          index += 1
          break
        }
      }
      skipSpace()
      guard index == count else { throw fail("text after the object's closing '}'") }
    }

    /// One `"key": value`, handed to `visit`.
    mutating func member(
      _ visit: (UnsafeBufferPointer<UInt8>, Value, Int) throws(Failure) -> Void
    ) throws(Failure) {
      skipSpace()
      guard index < count, line[index] == 0x22 else { throw fail("a key in double quotes") }
      let (key, _) = try string()
      skipSpace()
      guard index < count, line[index] == UInt8(ascii: ":") else { throw fail("':' after a key") }
      index += 1
      skipSpace()
      guard index < count else { throw fail("a value after ':'") }
      let column = index + 1
      try visit(key, try value(of: key), column)
    }

    /// The value under `index`, of the member named `key`.
    mutating func value(of key: UnsafeBufferPointer<UInt8>) throws(Failure) -> Value {
      switch line[index] {
      case 0x22:
        let (text, escaped) = try string()
        return .text(text, escaped: escaped)
      case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
        let start = index
        while index < count, Self.isNumberByte(line[index]) { index += 1 }
        return .number(UnsafeBufferPointer(rebasing: line[start..<index]))
      case UInt8(ascii: "t") where matches("true"):
        index += 4
        return .bool(true)
      case UInt8(ascii: "f") where matches("false"):
        index += 5
        return .bool(false)
      case UInt8(ascii: "n") where matches("null"):
        index += 4
        return .null
      case UInt8(ascii: "{"), UInt8(ascii: "["):
        throw fail(
          "\(String(decoding: key, as: UTF8.self)) must be text or a number, not "
            + (line[index] == UInt8(ascii: "{") ? "an object" : "a list"))
      default:
        throw fail("a value: text in double quotes, a number, true, false or null")
      }
    }

    /// Whether `byte` may be part of a number: a digit, a sign, a point or an exponent.
    static func isNumberByte(_ byte: UInt8) -> Bool {
      (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
        || [
          UInt8(ascii: "-"), UInt8(ascii: "+"), UInt8(ascii: "."), UInt8(ascii: "e"),
          UInt8(ascii: "E"),
        ].contains(byte)
    }

    mutating func skipSpace() {
      while index < count, line[index] == 0x20 || line[index] == 0x09 || line[index] == 0x0D {
        index += 1
      }
    }

    /// A string starting at the quote under `index`; leaves `index` after its closing quote.
    mutating func string() throws(Failure) -> (UnsafeBufferPointer<UInt8>, Bool) {
      index += 1
      let start = index
      var escaped = false
      while index < count {
        let byte = line[index]
        if byte == 0x22 {
          let text = UnsafeBufferPointer(rebasing: line[start..<index])
          index += 1
          return (text, escaped)
        }
        if byte == 0x5C {
          escaped = true
          index += 2
          continue
        }
        if byte < 0x20 { throw fail("a control character inside a string") }
        index += 1
      }
      throw fail("a string is not closed")
    }

    func matches(_ word: StaticString) -> Bool {
      let length = word.utf8CodeUnitCount
      guard index + length <= count else { return false }
      return word.withUTF8Buffer { expected in
        (0..<length).allSatisfy { line[index + $0] == expected[$0] }
      }
    }
  }

  /// The text of a string value, its escapes decoded (`\n`, `\"`, `\u00e9`, surrogate pairs).
  static func text(_ bytes: UnsafeBufferPointer<UInt8>, escaped: Bool) -> String? {
    guard escaped else { return String(decoding: bytes, as: UTF8.self) }
    var output: [UInt8] = []
    output.reserveCapacity(bytes.count)
    var index = 0
    func hex(_ at: Int) -> UInt32? {
      guard at + 4 <= bytes.count else { return nil }
      return UInt32(
        String(decoding: UnsafeBufferPointer(rebasing: bytes[at..<at + 4]), as: UTF8.self),
        radix: 16)
    }
    while index < bytes.count {
      let byte = bytes[index]
      guard byte == 0x5C, index + 1 < bytes.count else {
        output.append(byte)
        index += 1
        continue
      }
      let next = bytes[index + 1]
      index += 2
      switch next {
      case UInt8(ascii: "n"): output.append(0x0A)
      case UInt8(ascii: "t"): output.append(0x09)
      case UInt8(ascii: "r"): output.append(0x0D)
      case UInt8(ascii: "b"): output.append(0x08)
      case UInt8(ascii: "f"): output.append(0x0C)
      case UInt8(ascii: "u"):
        guard var scalar = hex(index) else { return nil }
        index += 4
        if (0xD800..<0xDC00).contains(scalar), index + 6 <= bytes.count,
          bytes[index] == 0x5C, bytes[index + 1] == UInt8(ascii: "u"),
          let low = hex(index + 2), (0xDC00..<0xE000).contains(low)
        {
          scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
          index += 6
        }
        guard let decoded = Unicode.Scalar(scalar) else { return nil }
        output += Array(String(Character(decoded)).utf8)
      default: output.append(next)
      }
    }
    return String(decoding: output, as: UTF8.self)
  }
}
