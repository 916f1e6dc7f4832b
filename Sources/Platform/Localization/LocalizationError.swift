public import MktCore

/// A locale, country, currency or rate that mkt does not have.
public enum LocalizationError: MktError, Equatable {
  case unknownLocale(String)
  case unknownCountry(String)
  case unknownCurrency(String)
  /// No rate for the currency on the day or any day before it.
  case noRate(currency: String, day: String)
  case badDay(String)

  public var exitStatus: SysExit {
    switch self {
    case .unknownLocale, .unknownCountry, .unknownCurrency, .badDay: .usage
    case .noRate: .dataError
    }
  }

  public var description: String {
    switch self {
    case .unknownLocale(let id): "unknown locale '\(id)'"
    case .unknownCountry(let code): "unknown country '\(code)'"
    case .unknownCurrency(let code): "unknown currency '\(code)'"
    case .noRate(let currency, let day):
      "no ECB rate for \(currency) on \(day) or any earlier day"
    case .badDay(let text): "'\(text)' is not a day (write YYYY-MM-DD)"
    }
  }

  public var hint: String? {
    switch self {
    case .unknownLocale: "valid locales: " + LocaleFormat.all.joined(separator: ", ")
    case .unknownCountry: "valid countries: " + CountryCode.validList
    case .unknownCurrency: "valid currencies: " + CurrencyCode.validList
    case .noRate: "import rates first: mkt currency import eurofxref-hist.xml"
    case .badDay: nil
    }
  }
}
