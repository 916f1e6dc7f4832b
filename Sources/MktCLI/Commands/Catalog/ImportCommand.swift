import ArgumentParser
import Catalog
import Foundation
import Importers
import MktCore
import Store

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

      An http(s) feed is downloaded beside the database first, only if it changed since the \
      last import. --timeout is a deadline for the whole fetch, retries included; --max-bytes \
      caps its size; redirects are followed to http(s) only (docs/limits.md).

      Example: mkt import feed.xml --merchant acme-de --dry-run --json
      """,
    subcommands: [ImportHistoryCommand.self])

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup(title: "Import") var contract: ImportContractOptions
  @OptionGroup(title: "Reading") var reading: FeedReadOptions
  @Option(
    help: ArgumentHelp(
      "Import the feeds a CSV lists (merchant_id,source[,format,mode,language]), each merchant in its own transaction.",
      valueName: "file"), completion: .file())
  var manifest: String?
  @Option(help: "With --manifest: feeds read and parsed ahead of the writer, in parallel (1-64).")
  var jobs = max(1, ProcessInfo.processInfo.activeProcessorCount)
  @Flag(
    help: "With --manifest: allow absolute feed paths (relative ones stay inside its folder).")
  var allowAbsolute = false
  @Flag(
    help: "Create the merchants that items name but the catalog lacks (see --merchant-country).")
  var createMerchants = false
  @Option(help: "The country of merchants created by --create-merchants.")
  var merchantCountry: String?
  @OptionGroup(title: "Fetching http(s) feeds") var fetch: FetchOptions<FeedFetch>
  @Argument(
    help:
      "The feeds: files, '-' for standard input, http(s):// URLs (fetched only if changed); .gz is read as such.",
    completion: .file())
  var sources: [String] = []

  func validate() throws {
    guard (1...64).contains(jobs) else {
      throw ValidationError("--jobs must be from 1 to 64 (got \(jobs))")
    }
    if manifest != nil {
      guard sources.isEmpty else {
        throw ValidationError("give feeds or --manifest, not both")
      }
    } else {
      guard !sources.isEmpty else {
        throw ValidationError("name at least one feed to import, or pass --manifest FILE")
      }
    }
    guard jobs >= 1 else { throw ValidationError("--jobs must be 1 or more") }
    if createMerchants && merchantCountry == nil {
      throw ValidationError("--create-merchants needs --merchant-country, such as DE")
    }
  }

  func run() async throws {
    let out = Output(global, output)
    let store = try global.openStore()
    let catalog = CatalogService(store: store, fetch: fetch.limits)
    if manifest != nil || sources.contains(where: RemoteFile.isURL) { FetchSignals.install() }
    let country = createMerchants ? merchantCountry?.uppercased() : nil
    if let manifest {
      try await runManifest(manifest, catalog: catalog, country: country, out: out)
      return
    }
    let summaries = try await catalog.importFeeds(sources) { source in
      let size = (try? FileManager.default.attributesOfItem(atPath: source)[.size] as? NSNumber)??
        .int64Value
      let progress = out.progress(label: source, totalBytes: size)
      defer { progress?.finish() }
      let options = contract.options
      let summary = try await contract.run {
        try await catalog.importFeed(
          path: source, feed: reading.options, options: options, createMerchants: country,
          progress: { progress?.update(Int64($0), note: "\($1) rows") }, searchReady: false)
      }
      progress?.finish()
      for issue in summary.issues.prefix(Output.detailLimit) { out.warn("\(issue)") }
      return summary
    }
    if output.format == .json {
      try out.write(
        Output.json(summaries.count == 1 ? [summaries[0]] : summaries, pretty: true) + "\n")
    } else if !global.quiet {
      try out.write(summaries.map { "\($0.source): \($0.line)\n" }.joined())
    }
  }

  /// `--manifest`: every merchant's feed in its own transaction; 65 if any failed.
  private func runManifest(
    _ path: String, catalog: CatalogService, country: String?, out: Output
  ) async throws {
    let entries = try ManifestEntry.read(path: path, allowAbsolute: allowAbsolute)
    let started = ContinuousClock.now
    let progress = out.progress(label: path, totalBytes: Int64(entries.count), unit: "merchants")
    let counter = Counter()
    let results = await catalog.importManifest(
      entries, feed: reading.options, options: contract.options, createMerchants: country,
      jobs: jobs
    ) { _ in progress?.update(counter.increment()) }
    progress?.finish()
    let seconds = Double((ContinuousClock.now - started) / .milliseconds(1)) / 1000
    let failed = results.filter { $0.error != nil }
    try contract.writeErrors(results.flatMap(\.summary.issues))
    var shown = 0
    for result in failed where shown < Output.detailLimit {
      out.warn("\(result.merchant): \(result.error ?? "")")
      for issue in result.summary.issues.prefix(Output.detailLimit - shown) {
        out.warn("  \(issue)")
        shown += 1
      }
      shown += 1
    }
    let rows = results.reduce(0) { $0 + $1.summary.rows }
    let totals =
      "\(results.count) merchant\(results.count == 1 ? "" : "s"): "
      + "\(results.count - failed.count) imported, \(failed.count) failed; "
      + "\(rows) rows in \(String(format: "%.1f", seconds)) s"
      + " (\(seconds > 0 ? Int(Double(rows) / seconds) : rows) rows/s)"
    if output.format == .json {
      try out.write(
        Output.json(
          ManifestReport(
            merchants: results, imported: results.count - failed.count, failed: failed.count,
            rows: rows, durationMilliseconds: Int(seconds * 1000)), pretty: true) + "\n")
    } else if !global.quiet {
      try out.write(
        results.map { result in
          "\(result.merchant)\t\(result.source)\t"
            + (result.error.map { "failed: \($0)" } ?? result.summary.line) + "\n"
        }.joined() + totals + "\n")
    }
    if !failed.isEmpty {
      throw ManifestFailure(failed: failed.count, total: results.count)
    }
  }
}

/// The JSON of `mkt import --manifest`.
struct ManifestReport: Encodable {
  var merchants: [ManifestResult]
  var imported: Int
  var failed: Int
  var rows: Int
  var durationMilliseconds: Int

  enum CodingKeys: String, CodingKey {
    case merchants, imported, failed, rows
    case durationMilliseconds = "duration_ms"
  }
}

/// Some merchants of a manifest failed; the others were imported.
struct ManifestFailure: MktError {
  var failed: Int
  var total: Int
  var exitStatus: SysExit { .dataError }
  var description: String {
    failed == total
      ? "the \(total == 1 ? "merchant" : "\(total) merchants") of the manifest failed"
      : "\(failed) of \(total) merchants failed; the others were imported"
  }
  var hint: String? { "see each failure above, or run with --json for all of them" }
}

/// A thread-safe count, for progress from concurrent callbacks.
final class Counter: @unchecked Sendable {
  private let lock = NSLock()
  private var value: Int64 = 0

  func increment() -> Int64 {
    lock.lock()
    defer { lock.unlock() }
    value += 1
    return value
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
    let runs = try await CatalogService(store: global.openStore(.reading)).history(
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
