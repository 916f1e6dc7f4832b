import ArgumentParser
import Catalog
import Foundation
import Importers
import MktCore

/// `mkt import SOURCE…`: feeds into the catalog, each in one transaction.
struct ImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Import product feeds into the catalog, each all or nothing.",
    discussion: """
      Each feed is read, validated against the Merchant Center rules, merged with what the \
      catalog holds (an empty cell keeps the stored value, __EMPTY__ clears it) and written in \
      one transaction; unchanged products are not written. A feed's items belong to \
      --merchant, or to the merchant each names in merchant_id.

      Example: mkt import feed.xml --merchant acme-de --dry-run --json
      """,
    subcommands: [ImportHistoryCommand.self])

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup(title: "Import") var contract: ImportContractOptions
  @OptionGroup(title: "Reading") var reading: FeedReadOptions
  @Argument(
    help: "The feeds: files, '-' for standard input; .gz is read as such.", completion: .file())
  var sources: [String]

  func validate() throws {
    guard !sources.isEmpty else { throw ValidationError("name at least one feed to import") }
  }

  func run() async throws {
    let out = Output(global, output)
    let catalog = CatalogService(store: try global.openStore())
    var summaries: [ImportSummary] = []
    for source in sources {
      let size = (try? FileManager.default.attributesOfItem(atPath: source)[.size] as? NSNumber)??
        .int64Value
      let progress = out.progress(label: source, totalBytes: size)
      defer { progress?.finish() }
      let options = contract.options
      let summary = try await contract.run {
        try await catalog.importFeed(path: source, feed: reading.options, options: options) {
          progress?.update(Int64($0))
        }
      }
      progress?.finish()
      for issue in summary.issues.prefix(Output.detailLimit) { out.warn("\(issue)") }
      summaries.append(summary)
    }
    if output.format == .json {
      try out.write(
        Output.json(summaries.count == 1 ? [summaries[0]] : summaries, pretty: true) + "\n")
    } else if !global.quiet {
      try out.write(summaries.map { "\($0.source): \($0.line)\n" }.joined())
    }
  }
}

/// `mkt import history`.
struct ImportHistoryCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "List recorded import runs, newest first.",
    discussion: "Example: mkt import history --merchant acme-de --json")

  @OptionGroup var options: ImportHistoryOptions

  func run() async throws { try await options.run() }
}

/// `mkt import-history`: where `mkt import history` is routed (ArgumentParser gives `import`'s
/// positional feeds precedence over its subcommands).
struct ImportHistoryRoute: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import-history",
    abstract: "List recorded import runs, newest first (also: mkt import history).",
    shouldDisplay: false)

  @OptionGroup var options: ImportHistoryOptions

  func run() async throws { try await options.run() }
}

/// The options and work of `mkt import history`.
struct ImportHistoryOptions: ParsableArguments {
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's runs.") var merchant: String?
  @Option(help: "At most this many runs.") var limit = 50

  func run() async throws {
    let runs = try await CatalogService(store: global.openStore()).history(
      merchant: merchant, limit: limit)
    try Output(global, output).rows(
      runs,
      columns: [
        ("id", { String($0.id) }), ("started", \.startedAt), ("merchant", { $0.merchantID ?? "" }),
        ("source", \.source), ("mode", \.mode), ("outcome", \.outcome),
        ("rows", { String($0.rows) }), ("inserted", { String($0.inserted) }),
        ("updated", { String($0.updated) }), ("unchanged", { String($0.unchanged) }),
        ("removed", { String($0.removed) }), ("rejected", { String($0.rejected) }),
        ("ms", { String($0.durationMilliseconds) }),
      ])
  }
}
