import ArgumentParser
import Foundation
import Localization
import MktCore
import Orders

/// `mkt orders export`.
struct OrdersExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Write orders as CSV (a row per line item), JSON or NDJSON; incrementally with a watermark.",
    discussion: """
      --since-last NAME writes only the orders placed since the last export of that name, and \
      moves the watermark only once the file is complete, flushed and renamed into place: a \
      cron export killed at any point never skips or repeats an order. CSV cells that start \
      with = + - @ (or a tab or carriage return) are prefixed with ' against formula injection.

      Example: mkt orders export --since-last accounting --format csv -o /exports/orders-$(date +%s).csv -q
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "csv, json or ndjson.") var format = "csv"
  @Option(help: "CSV columns: standard, or shopify (Shopify's order-export layout).") var layout =
    "standard"
  @Option(help: "Only orders placed at or after this time (ISO 8601).") var since: String?
  @Option(help: "Only orders after the last export of this name; then move its watermark.")
  var sinceLast: String?
  @Option(help: "Only this merchant's orders.") var merchant: String?
  @Option(help: "Write amounts as this locale does (default: plain 1234.50).") var locale: String?
  @Option(name: .shortAndLong, help: "The output file (default: standard output).") var output:
    String?

  func validate() throws {
    guard OrderExport.Format(rawValue: format) != nil else {
      throw ValidationError("--format must be csv, json or ndjson, not '\(format)'")
    }
    guard OrderExport.Layout(rawValue: layout) != nil else {
      throw ValidationError("--layout must be standard or shopify, not '\(layout)'")
    }
    if since != nil, sinceLast != nil {
      throw ValidationError("give --since or --since-last, not both")
    }
    if sinceLast != nil, output == nil || output == "-" {
      throw ValidationError("--since-last writes to a file: give -o FILE")
    }
  }

  func run() async throws {
    var export = OrderExport(
      format: OrderExport.Format(rawValue: format) ?? .csv,
      layout: OrderExport.Layout(rawValue: layout) ?? .standard)
    export.merchant = merchant
    if let since {
      guard let date = QuoteOptions.instant(since) else {
        throw ValidationError("--since '\(since)' is not ISO 8601, such as 2026-11-25T00:00:00Z")
      }
      export.since = UTCTime.iso(date)
    }
    if let locale { export.locale = try LocaleFormat(locale) }
    let service = try await OrderService.open(store: global.openStore())
    let stdout = try OutputFile.standardOutputSink()
    let result = try await service.export(
      export, to: output, watermark: sinceLast, write: { try stdout.write($0) })
    try stdout.finish()
    if !global.quiet {
      Output(quiet: global.quiet).note(
        "exported \(result.orders) order(s), \(result.lines) line(s)"
          + (result.recovered > 0
            ? " (and settled \(result.recovered) from an interrupted run)" : "")
          + (output.map { " to \($0)" } ?? ""))
    }
  }
}
