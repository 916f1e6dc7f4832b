/// An ISO 3166-1 alpha-2 code of one of the 25 countries the marketplace sells in (DESIGN.md §4).
///
/// Construction validates: `CountryCode("de")` is `DE`, `CountryCode("US")` is `nil`.
public struct CountryCode: ValidatedCode {
  /// The upper-case two-letter code.
  public let rawValue: String
  /// The country's position in DESIGN.md's order (0 for NL … 24 for EE): an index for tables
  /// and bit sets that need no hashing.
  public let ordinal: Int

  /// Accepts any of the 25 codes, in either case, with surrounding spaces trimmed.
  public init?<Text: StringProtocol>(_ text: Text) {
    let code = text.trimmingSpaces.uppercased()
    guard Self.table[code] != nil, let ordinal = Self.ordinals[code] else { return nil }
    rawValue = code
    self.ordinal = ordinal
  }

  private static let ordinals: [String: Int] = Dictionary(
    uniqueKeysWithValues: order.enumerated().map { ($0.element, $0.offset) })

  /// The English short name, such as `Germany`.
  public var name: String { Self.table[rawValue]?.name ?? rawValue }

  /// The currency the country's consumers pay in.
  public var currency: CurrencyCode {
    // safe: every table entry names one of the ten currencies.
    Self.table[rawValue].flatMap { CurrencyCode($0.currency) } ?? .eur
  }

  /// All 25 countries, in the order DESIGN.md lists them.
  public static let all: [CountryCode] = order.compactMap { CountryCode($0) }

  /// The valid codes as one comma-separated line, for error messages.
  public static var validList: String { order.joined(separator: ", ") }

  private static let order = [
    "NL", "BE", "LU", "DE", "AT", "CH", "FR", "IT", "ES", "PT", "IE", "GB", "DK", "SE", "NO", "FI",
    "PL", "CZ", "SK", "HU", "RO", "GR", "SI", "HR", "EE",
  ]

  private static let table: [String: (name: String, currency: String)] = [
    "NL": ("Netherlands", "EUR"), "BE": ("Belgium", "EUR"), "LU": ("Luxembourg", "EUR"),
    "DE": ("Germany", "EUR"), "AT": ("Austria", "EUR"), "CH": ("Switzerland", "CHF"),
    "FR": ("France", "EUR"), "IT": ("Italy", "EUR"), "ES": ("Spain", "EUR"),
    "PT": ("Portugal", "EUR"), "IE": ("Ireland", "EUR"), "GB": ("United Kingdom", "GBP"),
    "DK": ("Denmark", "DKK"), "SE": ("Sweden", "SEK"), "NO": ("Norway", "NOK"),
    "FI": ("Finland", "EUR"), "PL": ("Poland", "PLN"), "CZ": ("Czechia", "CZK"),
    "SK": ("Slovakia", "EUR"), "HU": ("Hungary", "HUF"), "RO": ("Romania", "RON"),
    "GR": ("Greece", "EUR"), "SI": ("Slovenia", "EUR"), "HR": ("Croatia", "EUR"),
    "EE": ("Estonia", "EUR"),
  ]
}

extension StringProtocol {
  /// The text without leading and trailing spaces, tabs and line breaks.
  public var trimmingSpaces: Substring {
    let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
    let text = Substring(self)
    guard let start = text.firstIndex(where: { !isSpace($0) }),
      let end = text.lastIndex(where: { !isSpace($0) })
    else { return "" }
    return text[start...end]
  }
}
