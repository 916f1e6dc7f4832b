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
    let bytes = Array(text.utf8.filter { $0 != UInt8(ascii: " ") && $0 != UInt8(ascii: "-") })
    guard bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
      return .notDigits
    }
    guard [8, 12, 13, 14].contains(bytes.count) else { return .length(bytes.count) }
    let digits = bytes.map { Int($0 - UInt8(ascii: "0")) }
    let expected = checkDigit(digits.dropLast())
    guard digits[digits.count - 1] == expected else { return .checkDigit(expected: expected) }
    // A GTIN-14 with indicator digit 9 is a variable-measure (bulk) code.
    if bytes.count == 14 && digits[0] == 9 { return .reservedPrefix("9 (bulk GTIN-14)") }
    // GTIN-8 has its own number space; Merchant Center names no ranges for it.
    guard bytes.count != 8 else { return nil }
    // Pad to 14 digits and drop the indicator digit: the prefix is read on the 13 that remain
    // ("the first digit of a 14-digit GTIN is not considered a part of a prefix").
    let padded =
      String(repeating: "0", count: 14 - bytes.count) + String(decoding: bytes, as: UTF8.self)
    let thirteen = padded.dropFirst()
    for prefix in reservedPrefixes where thirteen.hasPrefix(prefix) {
      return .reservedPrefix(prefix)
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
