/// Plain text from a feed's HTML-bearing text: what search indexes and terminals show.
///
/// Merchant Center allows basic HTML in `description`, and Shopify's `Body (HTML)` is HTML.
/// Tags are dropped (a tag separates words), character references are decoded (`&amp;`,
/// `&eacute;`, `&#233;`, `&#xE9;`), and every run of white space becomes one space. Text
/// inside `<script>` and `<style>` is dropped too. Unknown references are kept as written.
public enum PlainText {
  /// `html` as plain text; returns the input itself when it holds no `<` or `&`.
  public static func from(html: String) -> String {
    let bytes = html.utf8
    if !bytes.contains(where: { $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: "&") }) {
      return collapsingSpace(html)
    }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var index = bytes.startIndex
    var pendingSpace = false
    func append(_ byte: UInt8) {
      if pendingSpace && !out.isEmpty { out.append(UInt8(ascii: " ")) }
      pendingSpace = false
      out.append(byte)
    }
    while index < bytes.endIndex {
      let byte = bytes[index]
      switch byte {
      case UInt8(ascii: "<"):
        guard let close = bytes[index...].firstIndex(of: UInt8(ascii: ">")) else {
          append(byte)
          index = bytes.index(after: index)
          continue
        }
        let name = tagName(bytes[bytes.index(after: index)..<close])
        index = bytes.index(after: close)
        pendingSpace = true
        if name == "script" || name == "style" {
          // Skip to the closing tag, whatever is inside.
          let closing = Array("</\(name)".utf8)
          var search = index
          while search < bytes.endIndex {
            if bytes[search] == UInt8(ascii: "<"),
              bytes[search...].prefix(closing.count).map(lowercase).elementsEqual(closing)
            {
              break
            }
            search = bytes.index(after: search)
          }
          index =
            bytes[search...].firstIndex(of: UInt8(ascii: ">")).map(bytes.index(after:))
            ?? bytes.endIndex
        }
      case UInt8(ascii: "&"):
        let rest = bytes[bytes.index(after: index)...].prefix(12)
        if let semicolon = rest.firstIndex(of: UInt8(ascii: ";")),
          let scalar = reference(bytes[bytes.index(after: index)..<semicolon])
        {
          if scalar.properties.isWhitespace {
            pendingSpace = true
          } else {
            for unit in String(scalar).utf8 { append(unit) }
          }
          index = bytes.index(after: semicolon)
        } else {
          append(byte)
          index = bytes.index(after: index)
        }
      case UInt8(ascii: " "), UInt8(ascii: "\t"), UInt8(ascii: "\n"), UInt8(ascii: "\r"):
        pendingSpace = true
        index = bytes.index(after: index)
      default:
        append(byte)
        index = bytes.index(after: index)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// `text` with runs of ASCII white space as one space and no space at either end.
  static func collapsingSpace(_ text: String) -> String {
    let utf8 = text.utf8
    func isSpace(_ byte: UInt8) -> Bool {
      byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n")
        || byte == UInt8(ascii: "\r")
    }
    var previousSpace = true
    var clean = true
    for byte in utf8 {
      let space = isSpace(byte)
      if space && (previousSpace || byte != UInt8(ascii: " ")) {
        clean = false
        break
      }
      previousSpace = space
    }
    if clean && !previousSpace || text.isEmpty { return text }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count)
    var pending = false
    for byte in utf8 {
      if isSpace(byte) {
        pending = true
      } else {
        if pending && !out.isEmpty { out.append(UInt8(ascii: " ")) }
        pending = false
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  private static func lowercase(_ byte: UInt8) -> UInt8 {
    byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte + 32 : byte
  }

  private static func tagName(_ tag: String.UTF8View.SubSequence) -> String {
    let name = tag.drop { $0 == UInt8(ascii: "/") }.prefix {
      (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(lowercase($0))
    }
    return String(decoding: name.map(lowercase), as: UTF8.self)
  }

  private static func reference(_ name: String.UTF8View.SubSequence) -> Unicode.Scalar? {
    guard let first = name.first else { return nil }
    if first == UInt8(ascii: "#") {
      var digits = name.dropFirst()
      var radix = 10
      if let marker = digits.first, marker == UInt8(ascii: "x") || marker == UInt8(ascii: "X") {
        digits = digits.dropFirst()
        radix = 16
      }
      guard let value = UInt32(String(decoding: digits, as: UTF8.self), radix: radix),
        value != 0
      else { return nil }
      return Unicode.Scalar(value)
    }
    return named[String(decoding: name, as: UTF8.self)]
  }

  /// The named references seen in merchants' feeds: markup, punctuation and Latin letters.
  static let named: [String: Unicode.Scalar] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": " ",
    "ndash": "\u{2013}", "mdash": "\u{2014}", "hellip": "\u{2026}", "bull": "\u{2022}",
    "lsquo": "\u{2018}", "rsquo": "\u{2019}", "ldquo": "\u{201C}", "rdquo": "\u{201D}",
    "laquo": "\u{AB}", "raquo": "\u{BB}", "euro": "\u{20AC}", "pound": "\u{A3}",
    "copy": "\u{A9}", "reg": "\u{AE}", "trade": "\u{2122}", "deg": "\u{B0}", "times": "\u{D7}",
    "middot": "\u{B7}", "szlig": "\u{DF}", "auml": "\u{E4}", "ouml": "\u{F6}", "uuml": "\u{FC}",
    "Auml": "\u{C4}", "Ouml": "\u{D6}", "Uuml": "\u{DC}", "eacute": "\u{E9}", "egrave": "\u{E8}",
    "ecirc": "\u{EA}", "euml": "\u{EB}", "Eacute": "\u{C9}", "aacute": "\u{E1}",
    "agrave": "\u{E0}", "acirc": "\u{E2}", "aring": "\u{E5}", "Aring": "\u{C5}",
    "aelig": "\u{E6}", "AElig": "\u{C6}", "oslash": "\u{F8}", "Oslash": "\u{D8}",
    "ccedil": "\u{E7}", "Ccedil": "\u{C7}", "iacute": "\u{ED}", "icirc": "\u{EE}",
    "iuml": "\u{EF}", "oacute": "\u{F3}", "ocirc": "\u{F4}", "otilde": "\u{F5}",
    "uacute": "\u{FA}", "ugrave": "\u{F9}", "ucirc": "\u{FB}", "ntilde": "\u{F1}",
    "Ntilde": "\u{D1}", "atilde": "\u{E3}", "yacute": "\u{FD}",
  ]
}
