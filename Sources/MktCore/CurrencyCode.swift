/// An ISO 4217 code of one of the ten currencies used in the 25 countries.
public struct CurrencyCode: ValidatedCode {
  /// The upper-case three-letter code.
  public let rawValue: String

  /// Accepts any of the ten codes, in either case, with surrounding spaces trimmed.
  public init?<Text: StringProtocol>(_ text: Text) {
    let code = text.trimmingSpaces.uppercased()
    guard Self.minorDigits[code] != nil else { return nil }
    rawValue = code
  }

  private init(known code: String) { rawValue = code }

  /// The euro.
  public static let eur = CurrencyCode(known: "EUR")

  /// Digits after the decimal separator in the ISO 4217 minor unit (2 for all ten).
  public var minorUnitDigits: Int { Self.minorDigits[rawValue] ?? 2 }

  /// The ten currencies, alphabetically.
  public static let all: [CurrencyCode] = minorDigits.keys.sorted().map(CurrencyCode.init(known:))

  /// The valid codes as one comma-separated line, for error messages.
  public static var validList: String { all.map(\.rawValue).joined(separator: ", ") }

  // ISO 4217 minor units. HUF and CZK have 2 in ISO 4217 even though cash has no fillér/haléř.
  private static let minorDigits: [String: Int] = [
    "EUR": 2, "CHF": 2, "GBP": 2, "DKK": 2, "SEK": 2, "NOK": 2, "PLN": 2, "CZK": 2, "HUF": 2,
    "RON": 2,
  ]
}
