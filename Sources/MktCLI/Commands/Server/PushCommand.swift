import ArgumentParser
import Foundation
import MktCore
import Remote
import Store

/// `mkt push`.
struct PushCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "push",
    abstract: "Send local catalog, stock, translation and rule changes to a remote mkt serve.",
    discussion: """
      Every change of a product, a stock level, a translation or a pricing rule is journaled \
      in the transaction that makes it. A push \
      sends the changes since the position the remote last acknowledged, in batches, each \
      under an idempotency key made from its content and place; the position moves only \
      after the remote answered 2xx to all of them. A push killed at any moment and run again \
      sends the rest, and the remote applies nothing twice. Products and rules changed on the \
      remote since the last push are conflicts: listed, not overwritten, unless --force. \
      Deletions of products and rules are sent only with --allow-deletes (otherwise listed); \
      stock rows are never deleted remotely. Prices travel with the catalog (a product's price \
      and sale price are columns of its row). Rules scoped to one merchant go with that \
      merchant's changes (--merchant); rules of several merchants need a push without \
      --merchant and an operator token. The remote must have the merchants and warehouses.

      Exit status: 0 pushed; 65 rows rejected by the remote or conflicts (listed); 69 the \
      remote is unreachable, timed out or answered garbage; 75 another push is running; 77 \
      the token was refused. The position is unchanged after a failure.

      Examples:
        MKT_TOKEN=mkt_tok_… mkt push --to https://mkt.example --merchant acme --dry-run
        mkt push --to http://127.0.0.1:8080 --token "$TOKEN" --what catalog
        mkt push status
      """,
    subcommands: [PushStatusCommand.self])

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The remote's base URL.") var to: String?
  @Option(help: "The remote's token (default: $MKT_TOKEN).") var token: String?
  @Option(help: "Only this merchant's changes.") var merchant: String?
  @Option(
    help: ArgumentHelp(
      "What to send: catalog, stock, translations, rules (comma-separated).", valueName: "list"))
  var what = "catalog,stock,translations,rules"
  @Flag(help: "Print what would be sent (counts, the first rows); send nothing.") var dryRun = false
  @Flag(help: "Send deletions of products.") var allowDeletes = false
  @Flag(help: "Overwrite rows the remote changed since the last push.") var force = false
  @Option(help: "Rows per request.") var batchSize = 20_000
  @Option(help: "Seconds per request.") var timeout = 120.0
  @Option(
    help: ArgumentHelp(
      "Trust these PEM certificates for an https remote (a private CA) instead of the system's.",
      valueName: "file"))
  var cacert: String?

  func run() async throws {
    guard let to else { throw ValidationError("give --to URL (the remote mkt serve)") }
    guard let token = token ?? ProcessInfo.processInfo.environment["MKT_TOKEN"] else {
      throw ValidationError("give --token T or set MKT_TOKEN")
    }
    var options = PushOptions(url: to, token: token)
    options.merchant = merchant
    options.kinds = Set(
      try what.split(separator: ",").map { item in
        let name = item.trimmingCharacters(in: .whitespaces)
        if name == "prices" {
          throw ValidationError(
            "prices travel with the catalog (price and sale price are columns of a product): "
              + "--what catalog")
        }
        guard let kind = PushKind(rawValue: name) else {
          throw ValidationError(
            "--what takes catalog, stock, translations and rules, not '\(item)'")
        }
        return kind
      })
    options.dryRun = dryRun
    if let cacert, !FileManager.default.isReadableFile(atPath: cacert) {
      throw ValidationError("--cacert \(cacert): cannot be read")
    }
    options.trusted = cacert
    options.allowDeletes = allowDeletes
    options.force = force
    options.batchSize = max(1, batchSize)
    options.timeout = .milliseconds(Int64(max(0.1, timeout) * 1000))
    let report = try await PushService(store: global.openStore()).push(options)
    let out = Output(global, output)
    for row in report.skippedDeletions.prefix(20) { out.warn("not deleted remotely: \(row)") }
    try out.result(report) { report in
      func count(_ value: Int, _ noun: String) -> String {
        "\(value) \(noun)\(value == 1 ? "" : "s")"
      }
      var text =
        (report.dryRun ? "would send " : "sent ")
        + [
          count(report.products, "product"), count(report.deletions, "deletion"),
          count(report.stockLevels, "stock level"), count(report.translations, "translation"),
          count(report.rules, "rule"),
        ].joined(separator: ", ")
      if !report.dryRun {
        text += " in \(count(report.batches, "batch"))"
          .replacingOccurrences(of: "batchs", with: "batches")
        text += "; \(report.unchanged) already equal on the remote"
      }
      text += "; position \(report.from) → \(report.to)"
      for (kind, changed) in report.pending.sorted(by: { $0.key < $1.key }) {
        text += "\n  \(kind): \(changed) changed"
      }
      for row in report.sample { text += "\n  " + row }
      return text
    }
  }
}

/// `mkt push status`.
struct PushStatusCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "status", abstract: "Show each remote's position, pending changes and last error.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions

  func run() async throws {
    let statuses = try await PushService(store: global.openStore(.reading)).status()
    try Output(global, output).rows(
      statuses,
      columns: [
        ("target", \.url), ("position", { String($0.position) }),
        ("pending", { String($0.pending) }), ("pushed", { String($0.pushed) }),
        ("last error", { $0.lastError ?? "" }), ("updated", { $0.updatedAt ?? "" }),
      ])
  }
}
