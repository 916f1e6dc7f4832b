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

  /// What the filter covers, for a page's title: ` — 2025-01-01 to 2025-01-30, DE`.
  var titleSuffix: String {
    let days = [from, to].compactMap { $0 }.joined(separator: " to ")
    let parts = [days, merchant, country, channel, currency].compactMap { $0 }.filter {
      !$0.isEmpty
    }
    return parts.isEmpty ? "" : " — " + parts.joined(separator: ", ")
  }

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

/// Prints a report's notes, or says that it is empty (`what`: what there is none of).
func printNotes(
  _ notes: [String], empty: Bool, _ out: Output, what: String = "no events in that period"
) {
  for note in notes where !empty { out.note(note) }
  if empty { out.note(what + " (mkt events stats shows what is stored)") }
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
  @OptionGroup var html: HTMLOption

  func run() async throws {
    try html.check()
    let service = AnalyticsService(store: try global.openStore(.reading))
    let report = try await service.overview(options.filter, by: period.period)
    let out = Output(global, output)
    printNotes(report.notes, empty: report.rows.isEmpty, out)
    let columns: [(String, (OverviewRow) -> String)] = [
      (period.by, \.period), ("page_views", { String($0.pageViews) }),
      ("product_views", { String($0.productViews) }), ("add_to_cart", { String($0.addToCart) }),
      ("purchases", { String($0.purchases) }), ("revenue", { Self.money($0.revenue) }),
      ("conversion_rate", { Self.fraction($0.conversionRate) }),
      ("visitors", { String($0.visitors) }), ("sessions", { String($0.sessions) }),
    ]
    try out.rows(report.rows, columns: columns)
    let rows = report.rows
    try html.write(
      title: "Overview by \(period.by)" + options.titleSuffix, rows: rows, columns: columns,
      notes: report.notes
    ) { page in
      let labels = rows.map(\.period)
      page.lineChart(
        title: "Sessions and visitors", labels: labels,
        series: [
          ("sessions", rows.map { Double($0.sessions) }),
          ("visitors", rows.map { Double($0.visitors) }),
        ])
      page.lineChart(
        title: "Conversion rate (sessions with a purchase ÷ sessions)", labels: labels,
        series: [("conversion", rows.map(\.conversionRate))])
      page.lineChart(title: "Revenue", labels: labels, series: [("revenue", rows.map(\.revenue))])
    }
  }

  /// Money with two decimals.
  static func money(_ value: Double) -> String { String(format: "%.2f", value) }
  /// A rate with four decimals.
  static func fraction(_ value: Double) -> String { String(format: "%.4f", value) }
}

/// `mkt report funnel`.
struct FunnelReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "funnel",
    abstract: "Sessions → product view → cart → purchase, with the drop-off at each step.",
    discussion: """
      Counts sessions (per day) that reached each step; of_previous is the share of the step \
      before, of_sessions the share of all sessions.

      Example: mkt report funnel --from 2025-01-01 --to 2025-01-30 --country DE
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @OptionGroup var options: AnalyticsReportOptions
  @OptionGroup var html: HTMLOption

  func run() async throws {
    try html.check()
    let report = try await AnalyticsService(store: global.openStore(.reading))
      .funnel(options.filter)
    let out = Output(global, output)
    printNotes(output.format == .text ? [] : report.notes, empty: report.rows.isEmpty, out)
    var columns: [(String, (FunnelStep) -> String)] = [
      ("step", \.step), ("sessions", { String($0.sessions) }),
      ("of_previous", { Self.percent($0.ofPrevious) }),
      ("of_sessions", { Self.percent($0.ofSessions) }), ("drop_off", { String($0.dropOff) }),
    ]
    try html.write(
      title: "Funnel" + options.titleSuffix, rows: report.rows, columns: columns,
      notes: report.notes
    ) { page in
      page.funnelChart(
        title: "Sessions reaching each step",
        steps: report.rows.map { ($0.step, Double($0.sessions)) })
    }
    if output.format == .text { columns.append(("", { Self.bar($0.ofSessions) })) }
    try out.rows(report.rows, columns: columns)
  }

  static func percent(_ value: Double) -> String { String(format: "%.1f%%", value * 100) }

  /// A bar of up to 40 blocks, for people reading the text table.
  static func bar(_ share: Double) -> String {
    String(repeating: "█", count: max(share > 0 ? 1 : 0, Int((share * 40).rounded())))
  }
}

/// `mkt report traffic` and `mkt report conversion`: one table, two emphases.
struct TrafficReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "traffic",
    abstract: "Visitors, sessions and page views by day, week, month, channel or country.",
    discussion: """
      Example: mkt report traffic --by channel --from 2025-01-01 --to 2025-01-30
      """)

  @OptionGroup var arguments: TrafficArguments

  func run() async throws { try await arguments.run(conversion: false) }
}

/// `mkt report conversion`.
struct ConversionReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "conversion",
    abstract:
      "Conversion (sessions with a purchase ÷ sessions) and cart rate by period or segment.",
    discussion: """
      Example: mkt report conversion --by country --from 2025-01-01 --to 2025-01-30
      """)

  @OptionGroup var arguments: TrafficArguments

  func run() async throws { try await arguments.run(conversion: true) }
}

/// The arguments `report traffic` and `report conversion` share.
struct TrafficArguments: ParsableArguments {
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "day, week, month, channel, country or merchant.") var by = "day"
  @OptionGroup var options: AnalyticsReportOptions

  /// Prints `report traffic` (conversion: false) or `report conversion`.
  func run(conversion: Bool) async throws {
    try await runTraffic(global, output, by: by, options, conversion: conversion)
  }
}

/// Prints `report traffic` (conversion: false) or `report conversion`.
private func runTraffic(
  _ global: GlobalOptions, _ output: TableOutputOptions, by: String,
  _ options: AnalyticsReportOptions, conversion: Bool
) async throws {
  guard let group = TrafficGroup(rawValue: by) else {
    throw ValidationError(
      "--by must be " + TrafficGroup.allCases.map(\.rawValue).joined(separator: ", ")
        + ", not '\(by)'")
  }
  let report = try await AnalyticsService(store: global.openStore(.reading))
    .traffic(options.filter, by: group)
  let out = Output(global, output)
  printNotes(report.notes, empty: report.rows.isEmpty, out)
  typealias Column = (String, (TrafficRow) -> String)
  let rate: Column = ("conversion_rate", { OverviewReportCommand.fraction($0.conversionRate) })
  let sessions: Column = ("sessions", { String($0.sessions) })
  let counts: [Column]
  if conversion {
    counts = [
      sessions, ("purchase_sessions", { String($0.purchaseSessions) }), rate,
      ("cart_rate", { OverviewReportCommand.fraction($0.cartRate) }),
    ]
  } else {
    counts = [
      ("visitors", { String($0.visitors) }), sessions, ("page_views", { String($0.pageViews) }),
      ("product_views", { String($0.productViews) }), rate,
    ]
  }
  try out.rows(report.rows, columns: [(by, \.group)] + counts)
}

/// `mkt report revenue`.
struct RevenueReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revenue",
    abstract: "Revenue, orders, average order and revenue per visitor, beside the orders placed.",
    discussion: """
      From the events: revenue (purchase prices), orders (sessions with a purchase), average \
      order and revenue per visitor; beside them, the orders placed through mkt the same days \
      (not cancelled or rejected) and their gross totals. --currency converts both at each \
      day's ECB rate.

      Example: mkt report revenue --by week --currency EUR
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @OptionGroup var period: PeriodOption
  @OptionGroup var options: AnalyticsReportOptions
  @OptionGroup var html: HTMLOption

  func run() async throws {
    try html.check()
    let report = try await AnalyticsService(store: global.openStore(.reading))
      .revenue(options.filter, by: period.period)
    let out = Output(global, output)
    printNotes(report.notes, empty: report.rows.isEmpty, out)
    let money = OverviewReportCommand.money
    let columns: [(String, (RevenueRow) -> String)] = [
      (period.by, \.period), ("revenue", { money($0.revenue) }), ("orders", { String($0.orders) }),
      ("average_order", { money($0.averageOrder) }),
      ("revenue_per_visitor", { String(format: "%.4f", $0.revenuePerVisitor) }),
      ("visitors", { String($0.visitors) }), ("placed_orders", { String($0.placedOrders) }),
      ("placed_revenue", { money($0.placedRevenue) }),
    ]
    try out.rows(report.rows, columns: columns)
    let rows = report.rows
    try html.write(
      title: "Revenue by \(period.by)" + options.titleSuffix, rows: rows, columns: columns,
      notes: report.notes
    ) { page in
      page.lineChart(
        title: "Revenue", labels: rows.map(\.period), series: [("revenue", rows.map(\.revenue))])
      page.lineChart(
        title: "Average order", labels: rows.map(\.period),
        series: [("average order", rows.map(\.averageOrder))])
    }
  }
}
