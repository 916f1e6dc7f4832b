import Analytics
import ArgumentParser
import Foundation
import Localization
import MktCore
import Store

/// The options every events report takes: the days, the segment, the currency.
struct AnalyticsReportOptions: ParsableArguments {
  @Option(help: "First day, YYYY-MM-DD (default: the first with events).") var from: String?
  @Option(help: "Last day, YYYY-MM-DD, inclusive (default: the last with events).") var to: String?
  @Option(help: "Only this merchant's events.") var merchant: String?
  @Option(help: "Only events from this country (ISO 3166-1, such as DE).") var country: String?
  @Option(help: "Only events of this channel (direct, search, social, referral, …).")
  var channel: String?
  @Option(
    help: "Convert money into this currency at each day's ECB rate (default: amounts as given).")
  var currency: String?

  var filter: ReportFilter {
    get throws {
      var currencyCode: CurrencyCode?
      if let currency {
        guard let code = CurrencyCode(currency) else {
          throw LocalizationError.unknownCurrency(currency)
        }
        currencyCode = code
      }
      return ReportFilter(
        from: from, to: to, merchant: merchant, country: country, channel: channel,
        currency: currencyCode)
    }
  }
}

/// `--by day|week|month`.
struct PeriodOption: ParsableArguments {
  @Option(help: "day, week (from Monday) or month.") var by = "day"

  var period: ReportPeriod {
    get throws {
      guard let period = ReportPeriod(rawValue: by) else {
        throw ValidationError("--by must be day, week or month, not '\(by)'")
      }
      return period
    }
  }
}

/// Prints a report's notes, or says that it is empty.
func printNotes(_ notes: [String], empty: Bool, _ out: Output) {
  for note in notes { out.note(note) }
  if empty { out.note("no events in that period (mkt events stats shows what is stored)") }
}

/// `mkt report overview`.
struct OverviewReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "overview",
    abstract: "Page views, product views, carts, purchases, revenue, conversion and visitors.",
    discussion: """
      Read from the rollups events ingest keeps: answers in milliseconds however many events \
      are stored. Conversion is sessions with a purchase ÷ sessions (sessions are counted per \
      day). Visitors of a day are exact; of a week or month, a HyperLogLog estimate (standard \
      error 0.81 %) unless --merchant or --channel asks for an exact count. Revenue adds the \
      prices of purchases as given, whatever their currency, unless --currency converts them.

      Example: mkt report overview --from 2025-01-01 --to 2025-01-30 --by day --csv
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @OptionGroup var period: PeriodOption
  @OptionGroup var options: AnalyticsReportOptions

  func run() async throws {
    let service = AnalyticsService(store: try global.openStore(.reading))
    let report = try await service.overview(options.filter, by: period.period)
    let out = Output(global, output)
    printNotes(report.notes, empty: report.rows.isEmpty, out)
    try out.rows(
      report.rows,
      columns: [
        (period.by, \.period), ("page_views", { String($0.pageViews) }),
        ("product_views", { String($0.productViews) }), ("add_to_cart", { String($0.addToCart) }),
        ("purchases", { String($0.purchases) }), ("revenue", { Self.money($0.revenue) }),
        ("conversion_rate", { Self.fraction($0.conversionRate) }),
        ("visitors", { String($0.visitors) }), ("sessions", { String($0.sessions) }),
      ])
  }

  /// Money with two decimals.
  static func money(_ value: Double) -> String { String(format: "%.2f", value) }
  /// A rate with four decimals.
  static func fraction(_ value: Double) -> String { String(format: "%.4f", value) }
}
