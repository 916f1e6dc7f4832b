import Foundation
import Importers
import MktCore

/// What a shopper did.
public enum EventType: Int, Sendable, CaseIterable, Codable {
  case pageView = 1
  case productView = 2
  case addToCart = 3
  case purchase = 4
  case search = 5

  /// The name events use: `page_view`, `product_view`, `add_to_cart`, `purchase`, `search`.
  public var name: String {
    switch self {
    case .pageView: "page_view"
    case .productView: "product_view"
    case .addToCart: "add_to_cart"
    case .purchase: "purchase"
    case .search: "search"
    }
  }

  init?(name: String) {
    switch name {
    case "page_view": self = .pageView
    case "product_view": self = .productView
    case "add_to_cart": self = .addToCart
    case "purchase": self = .purchase
    case "search": self = .search
    default: return nil
    }
  }
}

/// One event, validated: what the rollups and the raw table need.
struct Event: Equatable {
  var ts: Int64
  var type: EventType
  var user: String
  var session: String
  var product = ""
  var query = ""
  var priceMinor: Int64?
  var currency = ""
  var country = ""
  var merchant = ""
  var channel = ""
  var eventID = ""
  var experiment = ""
  var variant = ""
  var results: Int64?

  /// Seconds in a day.
  static let daySeconds: Int64 = 86_400

  /// The UTC day, as days since 1970-01-01.
  var day: Int64 { ts >= 0 ? ts / Self.daySeconds : (ts - Self.daySeconds + 1) / Self.daySeconds }
}

/// The fields an event may have, by the names files use.
enum EventField: String, CaseIterable {
  case ts, type, query, price, currency, country, channel, referrer, experiment, variant, results
  case userID = "user_id"
  case sessionID = "session_id"
  case productID = "product_id"
  case eventID = "event_id"
  case merchantID = "merchant_id"

  /// The field a JSON key names, matched on its bytes (no string is built for a key).
  static func named(_ key: UnsafeBufferPointer<UInt8>) -> EventField? {
    guard let keyBase = key.baseAddress else { return nil }
    for (field, name) in byteNames where name.count == key.count {
      let same = name.withUnsafeBufferPointer { bytes in
        bytes.baseAddress.map { memcmp($0, keyBase, key.count) == 0 } ?? false
      }
      if same { return field }
    }
    return nil
  }

  private static let byteNames: [(EventField, [UInt8])] = allCases.map {
    ($0, Array($0.rawValue.utf8))
  }
}

/// An event as read, before validation: each field's text and where it was.
struct EventDraft {
  // Inline: a draft per event allocates nothing of its own.
  var values = InlineArray<16, String?>(repeating: nil)
  var columns = InlineArray<16, Int32>(repeating: 0)
  var line: InputLocation
  /// The time, when the reader parsed it straight from the bytes (`ts` is then not kept).
  var seconds: Int64?

  init(line: InputLocation) { self.line = line }

  /// Seconds since 1970 of `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, read from the bytes
  /// without building a string; `nil` for anything else (the text is then judged in full).
  static func isoSeconds(_ bytes: UnsafeBufferPointer<UInt8>) -> Int64? {
    guard bytes.count >= 20 else { return nil }
    func digits(_ from: Int, _ count: Int) -> Int64? {
      var value: Int64 = 0
      for index in from..<from + count {
        let byte = bytes[index]
        guard byte >= 0x30 && byte <= 0x39 else { return nil }
        value = value * 10 + Int64(byte - 0x30)
      }
      return value
    }
    guard bytes[4] == 0x2D, bytes[7] == 0x2D, bytes[10] == 0x54 || bytes[10] == 0x20,
      bytes[13] == 0x3A, bytes[16] == 0x3A, let year = digits(0, 4), let month = digits(5, 2),
      let day = digits(8, 2), let hour = digits(11, 2), let minute = digits(14, 2),
      let second = digits(17, 2), (1...12).contains(month), hour < 24, minute < 60, second < 60
    else { return nil }
    let leap = year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)
    let lengths: [Int64] = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    guard day >= 1, day <= lengths[Int(month - 1)] else { return nil }
    var index = 19
    if bytes[index] == 0x2E {
      index += 1
      while index < bytes.count, bytes[index] >= 0x30 && bytes[index] <= 0x39 { index += 1 }
    }
    var offset: Int64 = 0
    if index == bytes.count - 1, bytes[index] == 0x5A {
      offset = 0
    } else if index == bytes.count - 6, bytes[index] == 0x2B || bytes[index] == 0x2D,
      bytes[index + 3] == 0x3A, let hours = digits(index + 1, 2),
      let minutes = digits(index + 4, 2),
      hours < 24, minutes < 60
    {
      offset = (hours * 60 + minutes) * 60 * (bytes[index] == 0x2B ? 1 : -1)
    } else {
      return nil
    }
    // Days from the civil date (Howard Hinnant's algorithm).
    let y = month <= 2 ? year - 1 : year
    let era = y / 400
    let yearOfEra = y - era * 400
    let dayOfYear = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1
    let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
    let days = era * 146_097 + dayOfEra - 719_468
    return days * 86_400 + hour * 3600 + minute * 60 + second - offset
  }

  subscript(field: EventField) -> String? {
    get { values[Self.index(field)] }
    set { values[Self.index(field)] = newValue }
  }

  @inline(__always)
  static func index(_ field: EventField) -> Int {
    switch field {
    case .ts: 0
    case .type: 1
    case .query: 2
    case .price: 3
    case .currency: 4
    case .country: 5
    case .channel: 6
    case .referrer: 7
    case .experiment: 8
    case .variant: 9
    case .results: 10
    case .userID: 11
    case .sessionID: 12
    case .productID: 13
    case .eventID: 14
    case .merchantID: 15
    }
  }

  func location(_ field: EventField) -> InputLocation {
    var location = line
    location.field = field.rawValue
    let column = Int(columns[Self.index(field)])
    if column > 0 { location.column = column }
    return location
  }

  /// A channel as given, else one told by the referrer's host: `search` (Google, Bing, …),
  /// `social` (Facebook, Instagram, …), `referral` (any other site), `direct` (an empty
  /// referrer); `""` when the event says neither.
  static func channel(_ given: String, referrer: String?) -> String {
    if !given.isEmpty {
      return given.utf8.contains(where: { $0 >= 0x41 && $0 <= 0x5A }) ? given.lowercased() : given
    }
    guard let referrer else { return "" }
    guard !referrer.isEmpty else { return "direct" }
    let host =
      referrer.lowercased().split(separator: "/").dropFirst(referrer.contains("//") ? 1 : 0)
      .first.map(String.init) ?? ""
    let engines = ["google.", "bing.", "duckduckgo.", "yahoo.", "ecosia.", "qwant.", "yandex."]
    if engines.contains(where: host.contains) { return "search" }
    let social = ["facebook.", "instagram.", "tiktok.", "pinterest.", "t.co", "x.com", "linkedin."]
    if social.contains(where: host.contains) { return "social" }
    return "referral"
  }

  /// `42.19` in minor units of a currency with `digits` decimals.
  ///
  /// More decimals round half away from zero (JSON numbers such as `42.190000000000005`). `nil`
  /// for anything else or a negative amount.
  static func minorUnits(_ text: String, digits: Int) -> Int64? {
    var whole: Int64 = 0
    var wholeDigits = 0
    var fraction: [Int64] = []
    var dot = false
    for byte in text.utf8 {
      if byte == UInt8(ascii: ".") {
        guard !dot else { return nil }
        dot = true
      } else if byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") {
        let digit = Int64(byte - UInt8(ascii: "0"))
        if dot {
          if fraction.count <= digits { fraction.append(digit) }
        } else {
          guard wholeDigits < 15 else { return nil }
          whole = whole * 10 + digit
          wholeDigits += 1
        }
      } else {
        return nil
      }
    }
    guard wholeDigits > 0, !dot || !fraction.isEmpty else { return nil }
    var minor = whole
    for index in 0..<digits { minor = minor * 10 + (index < fraction.count ? fraction[index] : 0) }
    if fraction.count > digits, fraction[digits] >= 5 { minor += 1 }
    return minor
  }
}

/// A 64-bit hash that is the same in every process and on every machine (Swift's `Hasher` is
/// seeded per process): FNV-1a over the bytes, finished with a SplitMix64 mix.
struct StableHash {
  private var state: UInt64 = 0xCBF2_9CE4_8422_2325

  mutating func add(_ text: String) {
    for byte in text.utf8 { state = (state ^ UInt64(byte)) &* 0x100_0000_01B3 }
    state = (state ^ 0xFF) &* 0x100_0000_01B3  // a separator: ("ab", "c") is not ("a", "bc")
  }

  mutating func add(_ number: Int64) {
    var value = UInt64(bitPattern: number)
    for _ in 0..<8 {
      state = (state ^ (value & 0xFF)) &* 0x100_0000_01B3
      value >>= 8
    }
  }

  var value: Int64 {
    var z = state &+ 0x9E37_79B9_7F4A_7C15
    z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
    z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
    return Int64(bitPattern: z ^ (z >> 31))
  }

  /// The hash of one text alone.
  static func of(_ text: String) -> Int64 {
    var hash = StableHash()
    hash.add(text)
    return hash.value
  }
}

/// Search terms as the rollups keep them.
enum SearchTerms {
  /// Lowercased, white space collapsed and trimmed: `  Rain  Jacket` is `rain jacket`.
  static func normalize(_ query: String) -> String {
    let simple = query.utf8.allSatisfy {
      ($0 >= 0x61 && $0 <= 0x7A) || ($0 >= 0x30 && $0 <= 0x39) || $0 == 0x2D
    }
    if simple { return query }  // one lowercase ASCII word: as it is
    return query.lowercased().split(whereSeparator: { $0.isWhitespace }).joined(separator: " ")
  }
}
