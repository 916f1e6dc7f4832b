/// GTIN checks as Merchant Center applies them.
///
/// Digits only (spaces and dashes ignored), 8, 12, 13 or 14 of them, a valid GS1 mod-10 check
/// digit, and not from a prefix range Merchant Center refuses: restricted circulation, coupons,
/// bulk GTIN-14s.
public enum GTIN {
  /// Why a GTIN is refused.
  public enum Problem: Error, Sendable, Equatable {
    case notDigits
    case length(Int)
    case checkDigit(expected: Int)
    case reservedPrefix(String)

    /// The problem in words, for a finding's message.
    public var message: String {
      switch self {
      case .notDigits: "a GTIN has digits only"
      case .length(let count): "a GTIN has 8, 12, 13 or 14 digits, not \(count)"
      case .checkDigit(let expected): "the check digit is wrong (expected \(expected))"
      case .reservedPrefix(let prefix):
        "GTINs starting \(prefix) are refused by Merchant Center (restricted, coupon or bulk range)"
      }
    }
  }

  /// Checks `text`; `nil` means valid.
  ///
  /// Spaces and dashes are ignored, as Merchant Center does.
  public static func problem(_ text: String) -> Problem? {
    var text = text
    return text.withUTF8(problem)
  }

  /// Checks the UTF-8 bytes of a GTIN without allocating.
  static func problem(_ bytes: UnsafeBufferPointer<UInt8>) -> Problem? {
    // Up to 14 digits on the stack; spaces and dashes skipped.
    var digits: (UInt64, UInt64) = (0, 0)  // 16 nibbles each: digit i in nibble i
    var count = 0
    for byte in bytes {
      if byte == 0x20 || byte == UInt8(ascii: "-") { continue }
      guard byte >= 48, byte <= 57 else { return .notDigits }
      count += 1
      if count > 14 { continue }
      let digit = UInt64(byte - 48)
      if count <= 8 {
        digits.0 |= digit << (UInt64(count - 1) * 4)
      } else {
        digits.1 |= digit << (UInt64(count - 9) * 4)
      }
    }
    guard count == 8 || count == 12 || count == 13 || count == 14 else { return .length(count) }
    func digit(_ index: Int) -> Int {
      index < 8
        ? Int((digits.0 >> (UInt64(index) * 4)) & 0xF)
        : Int((digits.1 >> (UInt64(index - 8) * 4)) & 0xF)
    }
    var sum = 0
    for offset in 0..<(count - 1) {
      sum += digit(count - 2 - offset) * (offset % 2 == 0 ? 3 : 1)
    }
    let expected = (10 - sum % 10) % 10
    guard digit(count - 1) == expected else { return .checkDigit(expected: expected) }
    // A GTIN-14 with indicator digit 9 is a variable-measure (bulk) code.
    if count == 14 && digit(0) == 9 { return .reservedPrefix("9 (bulk GTIN-14)") }
    // GTIN-8 has its own number space; Merchant Center names no ranges for it.
    guard count != 8 else { return nil }
    // The prefix is read on the 13 digits after the GTIN-14 indicator digit ("the first digit of
    // a 14-digit GTIN is not considered a part of a prefix"): pad to 14, drop the first.
    let padding = 14 - count
    func thirteen(_ index: Int) -> Int {  // index into the 13-digit form
      let position = index + 1 - padding
      return position < 0 ? 0 : digit(position)
    }
    for prefix in reservedPrefixes {
      var matches = true
      for (index, character) in prefix.utf8.enumerated()
      where thirteen(index) != Int(character) - 48 {
        matches = false
        break
      }
      if matches { return .reservedPrefix(prefix) }
    }
    return nil
  }

  /// The GS1 mod-10 check digit of the digits before it.
  static func checkDigit(_ body: ArraySlice<Int>) -> Int {
    var sum = 0
    for (offset, digit) in body.reversed().enumerated() {
      sum += digit * (offset % 2 == 0 ? 3 : 1)
    }
    return (10 - sum % 10) % 10
  }

  /// The prefixes Merchant Center refuses (docs/merchant-center-rules.md §4): the restricted
  /// range (02, 04, 2) and coupons (05, 981–984, 99).
  static let reservedPrefixes = ["02", "04", "2", "05", "981", "982", "983", "984", "99"]
}
