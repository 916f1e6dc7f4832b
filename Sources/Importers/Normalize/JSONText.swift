/// Writes JSON text by hand: deterministic, compact, and fast enough for millions of lines.
///
/// Strings are escaped per RFC 8259 (quotes, backslashes, control characters); other
/// characters, `/` and non-ASCII included, are written as themselves in UTF-8.
struct JSONText {
  private(set) var text = ""

  init(capacity: Int = 1024) { text.reserveCapacity(capacity) }

  mutating func raw(_ fragment: String) { text += fragment }

  mutating func string(_ value: String) {
    text.append("\"")
    var needsEscape = false
    for byte in value.utf8 where byte < 0x20 || byte == 0x22 || byte == 0x5C {
      needsEscape = true
      break
    }
    if !needsEscape {
      text += value
    } else {
      for scalar in value.unicodeScalars {
        switch scalar {
        case "\"": text += "\\\""
        case "\\": text += "\\\\"
        case "\n": text += "\\n"
        case "\r": text += "\\r"
        case "\t": text += "\\t"
        case let control where control.value < 0x20:
          let hex = String(control.value, radix: 16)
          text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
        default: text.unicodeScalars.append(scalar)
        }
      }
    }
    text.append("\"")
  }

  mutating func key(_ name: String, first: inout Bool) {
    if !first { text.append(",") }
    first = false
    string(name)
    text.append(":")
  }
}
