import ArgumentParser
import Foundation
import Localization
import MktCore
import Store

/// `mkt currency`: ECB reference rates and conversions.
struct CurrencyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "currency",
    abstract: "Import ECB reference rates; list them; convert amounts between currencies.",
    subcommands: [
      CurrencyImportCommand.self, CurrencyRatesCommand.self, CurrencyConvertCommand.self,
    ])
}

/// `mkt currency import FILE|URL`.
struct CurrencyImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Store the rates of an ECB eurofxref file (daily or historical), all or none.",
    discussion: """
      Reads what the ECB publishes: the XML (gesmes:Envelope, Cube time=… / currency=… \
      rate=…), the CSV (Date, USD, JPY, …; N/A cells skipped) and the ZIP archives that hold \
      it (eurofxref.zip, eurofxref-hist.zip). An HTML page or anything else is named as such. \
      Importing the same file again changes nothing.

      Example: mkt currency import https://www.ecb.europa.eu/stats/eurofxref/eurofxref-daily.xml
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup(title: "Fetching an http(s) URL") var fetch: FetchOptions<RatesFetch>
  @Flag(help: "Read and validate; write nothing.") var dryRun = false
  @Argument(help: "The file, an http(s) URL, or '-' for standard input.", completion: .file())
  var source: String

  func run() async throws {
    let bytes = try await InputFile.bytes(
      source, fetch: fetch.limits, limit: InputFile.ratesFileLimit)
    let summary = try await CurrencyService(store: global.openStore()).importRates(
      bytes: bytes, source: source, dryRun: dryRun)
    try Output(global, output).result(summary) { global.quiet ? "" : "\(source): \($0.line)" }
  }
}

/// `mkt currency rates`.
struct CurrencyRatesCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rates", abstract: "Show the rates (units per euro) in force on a day.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The day, YYYY-MM-DD (default: the latest imported).") var date: String?

  func run() async throws {
    let out = Output(global, output)
    let rates = try await CurrencyService(store: global.openStore(.reading)).rates(on: date)
    if rates.carriedForward {
      out.warn("no ECB rates on \(rates.requested); showing \(rates.day), the business day before")
    }
    try out.result(rates) { rates in
      rates.rates.sorted { $0.key < $1.key }.map { "\($0.key)\t\($0.value)" }.joined(
        separator: "\n")
    }
  }
}

/// `mkt currency convert AMOUNT FROM TO`.
struct CurrencyConvertCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert an amount with the ECB rates of a day, rounded half-even.",
    discussion: """
      Cross rates go through EUR. A day without rates (weekend, holiday) uses the business day \
      before and says so on standard error.

      Example: mkt currency convert 100 EUR PLN --date 2025-02-22
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The day, YYYY-MM-DD (default: the latest imported).") var date: String?
  @Argument(help: "The amount, such as 100 or 19.99.") var amount: String
  @Argument(help: "The currency it is in.") var from: String
  @Argument(help: "The currency to convert to.") var to: String

  func run() async throws {
    guard let source = CurrencyCode(from) else { throw LocalizationError.unknownCurrency(from) }
    guard let target = CurrencyCode(to) else { throw LocalizationError.unknownCurrency(to) }
    let money = try Money(amount, currency: source)
    let out = Output(global, output)
    let result = try await CurrencyService(store: global.openStore(.reading)).convert(
      money, to: target, on: date)
    if result.carriedForward {
      out.warn(
        "no ECB rates on \(result.requested); used \(result.rateDay), the business day before")
    }
    try out.result(result) { "\($0.result.decimalString) \($0.result.currency)" }
  }
}
