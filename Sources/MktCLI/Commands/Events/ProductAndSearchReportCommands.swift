import Analytics
import ArgumentParser
import Foundation
import MktCore
import Store

/// `mkt report products`.
struct ProductsReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "products",
    abstract: "The top products by revenue, views, purchases or conversion.",
    discussion: """
      Conversion is purchases ÷ views. --worst lists the lowest converting of the 10 × N most \
      viewed products: where shoppers look and do not buy.

      Example: mkt report products --top 20 --by revenue --currency EUR --from 2025-01-01
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "How many products.") var top = 10
  @Option(help: "revenue, views, purchases or conversion.") var by = "revenue"
  @Flag(help: "The lowest converting among the most viewed.") var worst = false
  @OptionGroup var options: AnalyticsReportOptions
  @OptionGroup var html: HTMLOption

  func validate() throws {
    guard (1...10_000).contains(top) else { throw ValidationError("--top is 1 to 10000") }
  }

  func run() async throws {
    guard let ranking = ProductRanking(rawValue: by) else {
      throw ValidationError("--by must be revenue, views, purchases or conversion, not '\(by)'")
    }
    try html.check()
    let report = try await AnalyticsService(store: global.openStore(.reading))
      .products(options.filter, by: ranking, limit: top, worst: worst)
    let out = Output(global, output)
    printNotes(report.notes, empty: report.rows.isEmpty, out)
    let columns: [(String, (ProductRow) -> String)] = [
      ("product", \.product), ("views", { String($0.views) }), ("carts", { String($0.carts) }),
      ("purchases", { String($0.purchases) }),
      ("revenue", { OverviewReportCommand.money($0.revenue) }),
      ("conversion_rate", { OverviewReportCommand.fraction($0.conversionRate) }),
    ]
    try out.rows(report.rows, columns: columns)
    try html.write(
      title: (worst ? "Worst converting of the most viewed" : "Top products by \(by)")
        + options.titleSuffix, rows: report.rows, columns: columns, notes: report.notes
    ) { page in
      page.barChart(
        title: worst ? "Views" : by.capitalized,
        bars: report.rows.map { row in
          let value: Double =
            switch ranking {
            case .revenue: row.revenue
            case .views: Double(row.views)
            case .purchases: Double(row.purchases)
            case .conversion: row.conversionRate
            }
          return (row.product, worst ? Double(row.views) : value)
        })
    }
  }
}

/// `mkt report search`.
struct SearchReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "search",
    abstract: "What shoppers search for: top terms, terms without results, click-through.",
    discussion: """
      Terms are lowercased with spaces collapsed. A search without a result is one whose event \
      says results: 0; click-through counts a product view in the same session after the \
      search.

      Example: mkt report search --zero-results --country DE --top 20
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "How many terms.") var top = 20
  @Flag(help: "Only terms searched without a result, most such searches first.")
  var zeroResults = false
  @OptionGroup var options: AnalyticsReportOptions
  @OptionGroup var html: HTMLOption

  func validate() throws {
    guard (1...10_000).contains(top) else { throw ValidationError("--top is 1 to 10000") }
  }

  func run() async throws {
    try html.check()
    let report = try await AnalyticsService(store: global.openStore(.reading))
      .searchTerms(options.filter, limit: top, zeroResults: zeroResults)
    let out = Output(global, output)
    printNotes(
      report.notes, empty: report.rows.isEmpty, out,
      what: zeroResults
        ? "no search without a result in that period (events say results: 0 for those)"
        : "no searches in that period")
    let columns: [(String, (SearchTermRow) -> String)] = [
      ("query", \.query), ("searches", { String($0.searches) }),
      ("zero_results", { String($0.zeroResults) }), ("clicks", { String($0.clicks) }),
      ("click_through", { OverviewReportCommand.fraction($0.clickThrough) }),
    ]
    try out.rows(report.rows, columns: columns)
    try html.write(
      title: "Search terms" + options.titleSuffix, rows: report.rows, columns: columns,
      notes: report.notes
    ) { page in
      page.barChart(
        title: zeroResults ? "Searches without a result" : "Searches",
        bars: report.rows.map { ($0.query, Double(zeroResults ? $0.zeroResults : $0.searches)) })
    }
  }
}

/// `mkt report anomalies`.
struct AnomaliesReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "anomalies",
    abstract:
      "Days whose conversion, revenue, traffic or searches without results left their usual level.",
    discussion: """
      Each day of --since is compared with the same weekday over up to 8 weeks before (3 at \
      least): the score is (value − median) ÷ noise, where the noise is 1.4826 × the median \
      absolute deviation of those weeks but never less than the sampling noise of the day's \
      volume (binomial for conversion, Poisson for counts). Days at --threshold or more are \
      listed, overall (scope all) and per country, channel and merchant, strongest first; an \
      anomaly of the whole names the segments that moved with it. Exit status 1 when any is \
      found, for cron and CI.

      Example: mkt report anomalies --metric conversion --since 14d
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "conversion, revenue, traffic or zero-results.") var metric = "conversion"
  @Option(
    help: ArgumentHelp("The days to check, back from the last with events.", valueName: "days"))
  var since = "14d"
  @Option(help: "The score from which a day is an anomaly.") var threshold = 4.5
  @OptionGroup var options: AnalyticsReportOptions
  @OptionGroup var html: HTMLOption

  func run() async throws {
    guard let chosen = AnomalyMetric(rawValue: metric) else {
      throw ValidationError(
        "--metric must be " + AnomalyMetric.allCases.map(\.rawValue).joined(separator: ", ")
          + ", not '\(metric)'")
    }
    guard let days = EventsIngestCommand.days(since) else {
      throw ValidationError("--since takes days, such as 14d, not '\(since)'")
    }
    try html.check()
    let report = try await AnalyticsService(store: global.openStore(.reading))
      .anomalies(metric: chosen, sinceDays: days, threshold: threshold, filter: options.filter)
    let out = Output(global, output)
    for note in report.notes { out.note(note) }
    if report.rows.isEmpty && report.notes.allSatisfy({ !$0.hasPrefix("no day") }) {
      out.note("no anomaly of \(metric) in the last \(days) days")
    }
    let columns: [(String, (Anomaly) -> String)] = [
      ("day", \.day), ("scope", \.scope), ("value", { Self.number($0.value) }),
      ("baseline", { Self.number($0.baseline) }), ("score", { String(format: "%+.1f", $0.score) }),
      ("explained_by", { $0.explainedBy.joined(separator: " ") }),
    ]
    try out.rows(report.rows, columns: columns)
    try html.write(
      title: "Anomalies of \(metric), last \(days) days" + options.titleSuffix, rows: report.rows,
      columns: columns, notes: report.notes)
    if !report.rows.isEmpty {
      throw Reported(.problemsFound, "\(report.rows.count) anomalies found")
    }
  }

  static func number(_ value: Double) -> String {
    value.rounded() == value && abs(value) >= 1
      ? String(format: "%.0f", value) : String(format: "%.4f", value)
  }
}

/// `mkt report insights`.
struct InsightsReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "insights",
    abstract: "For a person: what moved most, what stood out, and what to do about it.",
    discussion: """
      The last --since days against the same number of days before: the five numbers that \
      moved most (sessions, views, carts, purchases, revenue as given, searches, conversion), \
      the strongest anomalies of conversion, traffic and revenue, and suggestions with their \
      evidence: searches without results, products viewed and never bought, products out of \
      stock that shoppers still look at.

      Example: mkt report insights --since 7d
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(
    help: ArgumentHelp("The days to look at, back from the last with events.", valueName: "days"))
  var since = "7d"

  func run() async throws {
    guard let days = EventsIngestCommand.days(since) else {
      throw ValidationError("--since takes days, such as 7d, not '\(since)'")
    }
    let out = Output(global, output)
    guard
      let insights = try await AnalyticsService(store: global.openStore(.reading))
        .insights(days: days)
    else {
      out.note("no events yet (mkt events ingest FILE)")
      return
    }
    if output.format == .json {
      try out.write(Output.json(insights, pretty: true) + "\n")
      return
    }
    var text = "\(insights.from) to \(insights.to), against \(insights.comparedWith)\n\n"
    text += "What moved most:\n"
    for movement in insights.movements {
      let change = movement.change.map { String(format: "%+.1f%%", $0 * 100) } ?? "new"
      text +=
        "  \(movement.metric): \(Self.number(movement.now)) (was \(Self.number(movement.before)), "
        + "\(change))\n"
    }
    text += "\nWhat stood out:\n"
    if insights.anomalies.isEmpty { text += "  nothing: every day within its usual range\n" }
    for anomaly in insights.anomalies {
      text +=
        "  \(anomaly.day) \(anomaly.metric) \(anomaly.scope): "
        + "\(Self.number(anomaly.value)) against a usual \(Self.number(anomaly.baseline))"
        + String(format: " (score %+.1f)", anomaly.score) + "\n"
    }
    text += "\nWhat to do:\n"
    if insights.suggestions.isEmpty { text += "  nothing stands out\n" }
    for suggestion in insights.suggestions { text += "  - \(suggestion)\n" }
    try out.write(text)
  }

  static func number(_ value: Double) -> String {
    abs(value) < 1 && value != 0 ? String(format: "%.4f", value) : String(format: "%.0f", value)
  }
}
