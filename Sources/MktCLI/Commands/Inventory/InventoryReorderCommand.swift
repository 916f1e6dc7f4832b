import Analytics
import ArgumentParser
import Foundation
import MktCore
import Store

/// `mkt inventory reorder`.
struct InventoryReorderCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reorder",
    abstract:
      "What to reorder: sales velocity, days of cover and a quantity per SKU and warehouse.",
    discussion: """
      Velocity is units sold per day over the 28 days up to the last day with sales: from \
      order lines (by the warehouse that shipped them; cancelled and rejected orders left out), \
      else from purchase events, shared among the warehouses holding the SKU. The forecast \
      weights each day of the horizon by how its weekday sold; the suggested quantity covers \
      the horizon plus safety stock (1.65 standard deviations of daily sales: 95 % service) \
      less what is available. Rows run out first, then low (less cover than the horizon), then \
      ok. Exit status 1 when something is out or low, for cron.

      Example: mkt inventory reorder --merchant acme-de --horizon 14d --csv
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's stock.") var merchant: String?
  @Option(help: ArgumentHelp("The days the stock must last.", valueName: "days")) var horizon =
    "14d"
  @Flag(help: "Only SKUs out of stock or low.") var low = false

  func run() async throws {
    guard let days = EventsIngestCommand.days(horizon) else {
      throw ValidationError("--horizon takes days, such as 14d, not '\(horizon)'")
    }
    var rows = try await AnalyticsService(store: global.openStore(.reading))
      .reorder(merchant: merchant, horizonDays: days)
    if low { rows = rows.filter { $0.status != "ok" } }
    let out = Output(global, output)
    if rows.isEmpty {
      out.note(low ? "nothing is out or low" : "no stock stored (mkt inventory sync)")
    }
    try out.rows(
      rows,
      columns: [
        ("merchant", \.merchant), ("sku", \.sku), ("warehouse", \.warehouse),
        ("available", { String($0.available) }), ("daily", { String(format: "%.2f", $0.daily) }),
        ("cover_days", { $0.coverDays.map { String(format: "%.1f", $0) } ?? "-" }),
        ("horizon_demand", { String(format: "%.1f", $0.horizonDemand) }),
        ("reorder", { String($0.reorder) }), ("status", \.status), ("source", \.source),
      ])
    if rows.contains(where: { $0.status != "ok" }) {
      throw Reported(.problemsFound, "some skus need reordering")
    }
  }
}
