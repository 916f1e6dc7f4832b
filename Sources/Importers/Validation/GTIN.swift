/// GTIN checks as Merchant Center applies them: digits only, 8, 12, 13 or 14 of them, a valid
/// GS1 mod-10 check digit, and not from a prefix range GS1 reserves for restricted circulation,
/// coupons or serial publications.
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
        "GTINs starting \(prefix) are reserved (restricted circulation, coupons or ISSN)"
      }
    }
  }

  /// Checks `text`; `nil` means valid.
  public static func problem(_ text: String) -> Problem? {
    let bytes = Array(text.utf8)
    guard bytes.allSatisfy({ $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }) else {
      return .notDigits
    }
    guard [8, 12, 13, 14].contains(bytes.count) else { return .length(bytes.count) }
    let digits = bytes.map { Int($0 - UInt8(ascii: "0")) }
    let expected = checkDigit(digits.dropLast())
    guard digits[digits.count - 1] == expected else { return .checkDigit(expected: expected) }
    // The GS1 company prefix, read on the 13-digit form (GTIN-8 has its own, unrestricted space).
    guard bytes.count != 8 else { return nil }
    let padded = String(repeating: "0", count: 14 - bytes.count) + text
    let thirteen = padded.dropFirst()
    guard padded.first == "0" else { return nil }
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

  /// GS1 prefixes (on the GTIN-13 form) for restricted circulation within a company or region
  /// (020–029, 040–049, 200–299), coupons (981–984, 99) and ISSN serials (977).
  static let reservedPrefixes = ["02", "04", "2", "977", "981", "982", "983", "984", "99"]
}
