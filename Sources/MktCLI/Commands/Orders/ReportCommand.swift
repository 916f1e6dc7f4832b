import ArgumentParser
import Foundation
import Localization
import MktCore
import Orders
import Store

/// `mkt report`: reports on orders.
struct ReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report", abstract: "Reports on orders and shopper events.",
    subcommands: [
      SalesReportCommand.self, OverviewReportCommand.self, TrafficReportCommand.self,
      FunnelReportCommand.self, ConversionReportCommand.self, RevenueReportCommand.self,
      ProductsReportCommand.self,
      SearchReportCommand.self, AnomaliesReportCommand.self, InsightsReportCommand.self,
    ])
}

/// `mkt report sales`.
struct SalesReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sales",
    abstract: "Sales by day, merchant, country or product (orders not cancelled or rejected).",
    discussion: """
      With --currency, every order's amounts are converted at the ECB rate of its day (the \
      business day before on weekends and holidays); without, each currency has its own rows.

      Example: mkt report sales --by country --from 2026-11-01 --to 2026-11-30 --currency EUR --csv
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "day, merchant, country or product.") var by = "day"
  @Option(help: "First day, YYYY-MM-DD.") var from: String?
  @Option(help: "Last day, YYYY-MM-DD (inclusive).") var to: String?
  @Option(help: "Convert into this currency.") var currency: String?
  @Option(help: "Only this merchant's orders.") var merchant: String?

  func run() async throws {
    guard let dimension = SalesReport.Dimension(rawValue: by) else {
      throw ValidationError(
        "--by must be one of \(SalesReport.Dimension.allCases.map(\.rawValue).joined(separator: ", "))"
      )
    }
    var report = SalesReport(by: dimension)
    for (name, day) in [("from", from), ("to", to)] {
      if let day, day.count != 10 || QuoteOptions.instant(day) == nil {
        throw ValidationError("--\(name) '\(day)' is not a day (YYYY-MM-DD)")
      }
    }
    report.from = from
    report.to = to
    report.merchant = merchant
    if let currency {
      guard let code = CurrencyCode(currency) else {
        throw LocalizationError.unknownCurrency(currency)
      }
      report.currency = code
    }
    let result = try await report.run(global.openStore(.reading))
    let out = Output(global, output)
    for warning in result.warnings { out.warn(warning) }
    try out.rows(
      result.rows,
      columns: [
        (by, \.key), ("currency", \.currency), ("orders", { String($0.orders) }),
        ("units", { String($0.units) }), ("gross", \.gross), ("vat", \.vat), ("net", \.net),
      ])
  }
}
