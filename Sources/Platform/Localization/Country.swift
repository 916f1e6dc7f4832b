import Foundation
public import MktCore

/// One of the 25 countries: its currency, VAT rates over time, languages, locales and display
/// conventions, from the shipped `Resources/countries.json` (sources cited in the file) or a
/// stored override (`mkt locale import`).
public struct Country: Sendable, Equatable, Codable {
  /// VAT rates from a day on.
  public struct VATPeriod: Sendable, Equatable, Codable {
    /// The first day the rates apply, `YYYY-MM-DD`.
    public var validFrom: String
    /// The standard rate.
    public var standard: Percentage
    /// The reduced rates, highest first.
    public var reduced: [Percentage]

    public init(validFrom: String, standard: Percentage, reduced: [Percentage]) {
      self.validFrom = validFrom
      self.standard = standard
      self.reduced = reduced
    }

    enum CodingKeys: String, CodingKey {
      case standard, reduced
      case validFrom = "valid_from"
    }
  }

  public var code: CountryCode
  public var name: String
  public var nativeName: String
  public var currency: CurrencyCode
  public var languages: [String]
  public var defaultLocale: String
  public var locales: [String]
  /// Languages to try, in order, for translated product text; ends in `en`.
  public var translationFallback: [String]
  /// VAT periods, oldest first.
  public var vat: [VATPeriod]
  /// The increment, in minor units, consumer prices are displayed rounded to (5 for CHF 0.05).
  public var cashRounding: Int
  /// `gross`: consumer prices are shown with VAT.
  public var priceDisplay: String

  enum CodingKeys: String, CodingKey {
    case code, name, currency, languages, locales, vat
    case nativeName = "native_name"
    case defaultLocale = "default_locale"
    case translationFallback = "translation_fallback"
    case cashRounding = "cash_rounding"
    case priceDisplay = "price_display"
  }

  /// The VAT period in force on `day` (`YYYY-MM-DD`); the earliest known when `day` precedes all.
  public func vat(on day: String) -> VATPeriod {
    // safe: the shipped table and overrides are validated to hold at least one period.
    vat.last { $0.validFrom <= day } ?? vat[0]
  }
}

/// The 25 countries as shipped.
public enum CountryTable {
  private struct File: Decodable {
    var asOf: String
    var sources: [String]
    var countries: [Country]

    enum CodingKeys: String, CodingKey {
      case sources, countries
      case asOf = "as_of"
    }
  }

  private static let file: File = {
    do {
      return try JSONDecoder().decode(File.self, from: Data(PackageResources.countries_json))
    } catch {
      // The bytes are compiled into the binary (never user input) and CountryTableTests decodes
      // them, so a failure here is a build defect, caught before release.
      fatalError("Resources/countries.json does not decode: \(error)")  // safe: compiled-in

    }
  }()

  /// The shipped countries, in DESIGN.md's order.
  public static var shipped: [Country] { file.countries }

  /// The day the shipped rates were checked.
  public static var asOf: String { file.asOf }

  /// The sources the shipped table cites.
  public static var sources: [String] { file.sources }

  /// The shipped entry for `code`.
  public static func shipped(_ code: CountryCode) -> Country {
    guard let country = file.countries.first(where: { $0.code == code }) else {
      // A CountryCode is one of the 25 codes, and CountryTableTests checks the compiled-in table
      // holds exactly those 25.
      fatalError("Resources/countries.json lacks \(code)")  // safe: tested table of 25

    }
    return country
  }
}
