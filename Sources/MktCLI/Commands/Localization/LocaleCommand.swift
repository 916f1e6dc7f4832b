import ArgumentParser
import Foundation
import Localization
import MktCore
import Store

/// `mkt locale`: the 25 countries and how each writes money.
struct LocaleCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "locale",
    abstract: "Countries, VAT rates, locales, and amounts formatted the way a locale writes them.",
    discussion: """
      Formatting uses a pinned CLDR subset shipped inside mkt (not the system's locale data), \
      so output is byte-identical on every machine.
      """,
    subcommands: [
      LocaleCountriesCommand.self, LocaleShowCommand.self, LocaleFormatCommand.self,
      LocaleImportCommand.self,
    ])
}

/// `mkt locale countries`.
struct LocaleCountriesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "countries", abstract: "List the 25 countries with currency, VAT and locale.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "VAT rates in force on this day (default: today).") var date: String?

  func run() async throws {
    let countries = try await LocaleService(store: global.openStore(.reading)).countries()
    let day = date ?? UTCTime.day(Date())
    try Output(global, output).rows(
      countries,
      columns: [
        ("code", \.code.rawValue), ("name", \.name), ("currency", \.currency.rawValue),
        ("vat", { $0.vat(on: day).standard.description }),
        ("reduced", { $0.vat(on: day).reduced.map(\.description).joined(separator: " ") }),
        ("locale", \.defaultLocale), ("languages", { $0.languages.joined(separator: " ") }),
      ])
  }
}

/// `mkt locale show CC`.
struct LocaleShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show one country: names, currency, VAT periods, locales.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The ISO 3166 code, such as DE.") var code: String

  func run() async throws {
    let country = try await LocaleService(store: global.openStore(.reading)).country(code)
    try Output(global, output).result(country) { country in
      let format = try? LocaleFormat(country.defaultLocale)
      let sample = format?.format(Money(minorUnits: 123_450, currency: country.currency)) ?? ""
      var lines = [
        "\(country.code.rawValue)  \(country.name) (\(country.nativeName))",
        "currency        \(country.currency.rawValue)  e.g. \(sample)",
        "locale          \(country.defaultLocale) (also \(country.locales.joined(separator: " ")))",
        "languages       \(country.languages.joined(separator: " "))",
        "translations    \(country.translationFallback.joined(separator: " → "))",
        "prices shown    \(country.priceDisplay)"
          + (country.cashRounding > 1
            ? ", cash totals rounded to "
              + Money(minorUnits: Int64(country.cashRounding), currency: country.currency)
              .decimalString
              + " \(country.currency)" : ""),
        "VAT",
      ]
      for period in country.vat.reversed() {
        lines.append(
          "  from \(period.validFrom)  standard \(period.standard)%"
            + (period.reduced.isEmpty
              ? "" : "  reduced " + period.reduced.map { "\($0)%" }.joined(separator: " ")))
      }
      return lines.joined(separator: "\n")
    }
  }
}

/// `mkt locale format AMOUNT CURRENCY --locale L`.
struct LocaleFormatCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "format",
    abstract: "Print an amount exactly as a locale writes it (nothing else: fit for scripts).",
    discussion: """
      Rounds half-even to the currency's CLDR digits. --cash uses cash digits and rounding \
      (CHF to 0.05, HUF and CZK to whole units).

      Example: mkt locale format 1234.5 EUR --locale fr_FR   →   1 234,50 €
      """)

  @Option(help: "The CLDR locale, such as de_DE, fr_BE, de_CH.") var locale: String
  @Flag(help: "Cash digits and rounding.") var cash = false
  @Flag(help: "Format a plain number instead of money (CURRENCY omitted).") var number = false
  @Argument(help: "The amount, digits with a point: 1234.5, -0.99.") var amount: String
  @Argument(help: "The ISO 4217 currency, such as EUR.") var currency: String?

  func run() async throws {
    let format = try LocaleFormat(locale)
    guard let value = ExactDecimal(amount) else { throw MoneyError.notANumber(amount) }
    if number {
      print(try format.format(value))
      return
    }
    guard let currency else {
      throw ValidationError("give a currency (\(CurrencyCode.validList)) or --number")
    }
    guard let code = CurrencyCode(currency) else {
      throw LocalizationError.unknownCurrency(currency)
    }
    print(try format.format(value, currency: code, cash: cash))
  }
}

/// `mkt locale import FILE`.
struct LocaleImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Override the shipped country table (a VAT change, a default locale): all or none.",
    discussion: """
      CSV with a code column and any of: \
      \(LocaleService.overrideColumns.joined(separator: ", ")). Lists are space-separated; a \
      blank cell keeps the value. vat_valid_from + vat_standard [+ vat_reduced] add a VAT \
      period from that day.

      Example: printf 'code,vat_valid_from,vat_standard\\nFR,2027-01-01,21\\n' | mkt locale import -
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Flag(help: "Validate and show what would change; write nothing.") var dryRun = false
  @Argument(help: "The CSV file, '-' for standard input.", completion: .file()) var file: String

  func run() async throws {
    let bytes = try await InputFile.bytes(file, limit: InputFile.smallFileLimit)
    let summary = try await LocaleService(store: global.openStore()).importOverrides(
      bytes: bytes, source: file, dryRun: dryRun)
    try Output(global, output).result(summary) { global.quiet ? "" : "\(file): \($0.line)" }
  }
}
