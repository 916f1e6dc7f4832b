public import MktCore

/// A locale, country, currency or rate that mkt does not have.
public enum LocalizationError: MktError, Equatable {
  case unknownLocale(String)
  case unknownCountry(String)
  case unknownCurrency(String)
  /// No rate for the currency on the day or any day before it.
  case noRate(currency: String, day: String)
  case badDay(String)
  /// A country override file with bad rows; nothing was stored.
  case invalidRows([RowIssue])

  public var exitStatus: SysExit {
    switch self {
    case .unknownLocale, .unknownCountry, .unknownCurrency, .badDay: .usage
    case .noRate, .invalidRows: .dataError
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
    case .invalidRows(let issues):
      "\(issues.count) bad value\(issues.count == 1 ? "" : "s") in the country file; nothing was "
        + "stored"
    }
  }

  public var location: InputLocation? {
    if case .invalidRows(let issues) = self { return issues.first?.location }
    return nil
  }

  public var details: [String] {
    if case .invalidRows(let issues) = self { return issues.map(\.description) }
    return []
  }

  public var hint: String? {
    switch self {
    case .unknownLocale: "valid locales: " + LocaleFormat.all.joined(separator: ", ")
    case .unknownCountry: "valid countries: " + CountryCode.validList
    case .unknownCurrency: "valid currencies: " + CurrencyCode.validList
    case .noRate: "import rates first: mkt currency import eurofxref-hist.xml"
    case .badDay, .invalidRows: nil
    }
  }
}
