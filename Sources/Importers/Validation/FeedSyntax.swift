import MktCore

/// Small, allocation-free checks of the text formats feeds use: ISO 8601 dates and URLs.
package enum FeedSyntax {
  /// Seconds since 1970 (UTC) of an ISO 8601 date or date-time (``UTCTime/seconds(_:requireZone:)``).
  package static func instant(_ text: Substring, requireZone: Bool) -> Int64? {
    UTCTime.seconds(text, requireZone: requireZone)
  }

  /// An instant as canonical UTC text (``UTCTime/text(_:)``).
  package static func utcText(_ seconds: Int64) -> String { UTCTime.text(seconds) }

  /// Whether `text` is an absolute http or https URL with a plausible host and no spaces.
  static func isWebURL(_ text: String) -> Bool {
    var copy = text
    return copy.withUTF8(isWebURL)
  }

  static func isWebURL(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
    // "http://" or "https://", in lower case as browsers write them.
    guard bytes.count >= 7, bytes[0] == 0x68, bytes[1] == 0x74, bytes[2] == 0x74, bytes[3] == 0x70
    else { return false }
    let start: Int
    if bytes[4] == UInt8(ascii: "s") && bytes.count >= 8 && bytes[5] == 0x3A && bytes[6] == 0x2F
      && bytes[7] == 0x2F
    {
      start = 8
    } else if bytes[4] == 0x3A && bytes[5] == 0x2F && bytes[6] == 0x2F {
      start = 7
    } else {
      return false
    }
    var hostEnd = start
    var hasDot = false
    var hostStart = start
    for index in start..<bytes.count {
      let byte = bytes[index]
      if byte <= 0x20 || byte == 0x7F { return false }
    }
    while hostEnd < bytes.count {
      let byte = bytes[hostEnd]
      if byte == UInt8(ascii: "/") || byte == UInt8(ascii: "?") || byte == UInt8(ascii: "#") {
        break
      }
      if byte == UInt8(ascii: "@") { hostStart = hostEnd + 1 }
      hostEnd += 1
    }
    var nameEnd = hostStart
    while nameEnd < hostEnd, bytes[nameEnd] != UInt8(ascii: ":") { nameEnd += 1 }
    guard nameEnd > hostStart, bytes[hostStart] != UInt8(ascii: "."),
      bytes[nameEnd - 1] != UInt8(ascii: ".")
    else { return false }
    for index in hostStart..<nameEnd {
      let byte = bytes[index]
      if byte == UInt8(ascii: ".") {
        hasDot = true
      } else if !(byte >= 0x80 || (byte >= 48 && byte <= 57)
        || (byte | 0x20 >= 97 && byte | 0x20 <= 122)
        || byte == UInt8(ascii: "-"))
      {
        return false
      }
    }
    let localhost = bytes[hostStart..<nameEnd].elementsEqual("localhost".utf8)
    return hasDot || localhost
  }

  /// Whether a sale with the feed's `sale_price_effective_date` (`start/end`, ISO 8601) is in
  /// force at `seconds` since 1970; a sale without dates always is.
  package static func saleInForce(_ window: String?, at seconds: Int64) -> Bool {
    guard let window, let slash = window.firstIndex(of: "/") else { return true }
    guard let start = instant(window[..<slash], requireZone: false),
      let end = instant(window[window.index(after: slash)...], requireZone: false)
    else { return true }
    return start <= seconds && seconds < end
  }
}
