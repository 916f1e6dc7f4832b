import Analytics
import ArgumentParser
import Catalog
import Foundation
import MktCore
import Store

/// `mkt events`: shopper events and their rollups.
struct EventsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "events", abstract: "Shopper events: ingest them, keep their rollups.",
    subcommands: [EventsIngestCommand.self, EventsStatsCommand.self, EventsRollupCommand.self])
}

/// `mkt events ingest FILE…`.
struct EventsIngestCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ingest",
    abstract: "Ingest event files: validated, once, with the rollups in the same transaction.",
    discussion: """
      A file is JSON lines (one object per line) or CSV with a header, plain or gzip, or an \
      http(s) URL, or '-' for standard input. Fields: ts (ISO 8601 with its zone, or seconds \
      since 1970), type (page_view, product_view, add_to_cart, purchase, search), user_id, \
      session_id (default: one session per user and day), product_id (views, carts, \
      purchases), query (searches), price and currency (purchases need both), country, and \
      optionally event_id, merchant_id, channel or referrer, experiment and variant, results \
      (a search's result count: 0 counts a search with no result). Other fields are ignored.

      An event is stored once: by its event_id, else by its content, so the same file twice \
      adds nothing; an event_id seen before with other content is rejected. Late events count \
      in their own day. Each file is one transaction: all its events and their rollups, or \
      nothing. Events more than 15 minutes in the future are rejected.

      --follow DIR ingests the files of DIR not taken yet (.jsonl, .ndjson, .json, .csv, maybe \
      .gz; hidden files are skipped, so write .name.tmp and rename), in name order, each once: \
      fit for cron.

      Example: */10 * * * * mkt events ingest --follow /var/spool/events -q
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Flag(help: "Read, validate and show what would be ingested; write nothing.") var dryRun = false
  @Option(help: "Skip and report up to N bad events per file; one more aborts that file.")
  var maxErrors = 0
  @Option(
    help: ArgumentHelp("Write every rejected event to this file as NDJSON.", valueName: "file"))
  var errors: String?
  @Option(
    help: ArgumentHelp(
      "Keep raw events this long, such as 90d (kept as the setting for later ingests; rollups "
        + "are kept for ever). Older events are then refused: they could not be told from "
        + "duplicates.", valueName: "days"))
  var keepRaw: String?
  @Option(
    help: ArgumentHelp("Ingest the files of this folder not taken yet.", valueName: "dir"),
    completion: .directory)
  var follow: String?
  @OptionGroup(title: "Fetching an http(s) URL") var fetch: FetchOptions<EventFetch>
  @Argument(help: "Event files, http(s) URLs, or '-' for standard input.", completion: .file())
  var files: [String] = []

  func validate() throws {
    guard maxErrors >= 0 else { throw ValidationError("--max-errors must be 0 or more") }
    if let keepRaw, Self.days(keepRaw) == nil {
      throw ValidationError("--keep-raw takes days, such as 90d or 90, not '\(keepRaw)'")
    }
    guard !files.isEmpty || follow != nil else {
      throw ValidationError("name the event files to ingest, or --follow DIR")
    }
  }

  /// `90d` or `90` as days (1 to 36,500).
  static func days(_ text: String) -> Int? {
    let digits = text.hasSuffix("d") ? String(text.dropLast()) : text
    guard let days = Int(digits), (1...36_500).contains(days) else { return nil }
    return days
  }

  func run() async throws {
    try ImportContractOptions.checkErrorsPath(errors)
    let out = Output(global, output)
    let service = AnalyticsService(store: try global.openStore())
    var options = AnalyticsService.IngestOptions(
      dryRun: dryRun, maxErrors: maxErrors, keepRawDays: keepRaw.flatMap(Self.days))
    var inputs: [(path: String, followed: AnalyticsService.FollowedFile?)] = files.map {
      ($0, nil)
    }
    if let follow {
      inputs += try await service.newFiles(in: follow).map { ($0.path, $0) }
    }
    var summaries: [EventIngestSummary] = []
    var issues: [RowIssue] = []
    defer { try? ImportContractOptions.writeErrors(issues, to: errors) }
    for input in inputs {
      options.followed = input.followed
      options.bytes =
        RemoteFile.isURL(input.path)
        ? try await InputFile.bytes(input.path, fetch: fetch.limits) : nil
      let summary: EventIngestSummary
      do {
        summary = try await service.ingest(path: input.path, options: options)
      } catch let error as ImportError {
        if case .tooManyErrors(_, _, _, let rejected) = error { issues += rejected }
        throw error
      }
      issues += summary.issues
      for issue in summary.issues.prefix(Output.detailLimit) { out.warn("\(issue)") }
      if summary.issues.count > Output.detailLimit {
        out.warn(
          "… \(summary.issues.count - Output.detailLimit) more rejected events (--errors FILE "
            + "lists them all)")
      }
      if output.format != .json && !global.quiet {
        try out.write("\(summary.source): \(summary.line)\n")
      }
      summaries.append(summary)
    }
    if output.format == .json {
      try out.write(Output.json(summaries, pretty: true) + "\n")
    } else if inputs.isEmpty && !global.quiet {
      try out.write("\(follow ?? ""): no new event files\n")
    }
  }
}

/// Event files: `mkt events ingest URL`.
enum EventFetch: FetchKind {
  static let limits = FetchLimits.events
  static let noun = "event file"
}

/// `mkt events stats`.
struct EventsStatsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "stats", abstract: "What the event tables hold: events by type, days, retention.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions

  func run() async throws {
    let stats = try await AnalyticsService(store: global.openStore(.reading)).stats()
    let out = Output(global, output)
    if output.format == .json {
      try out.write(Output.json(stats, pretty: true) + "\n")
      return
    }
    var text = "raw events     \(stats.events)"
    if let first = stats.firstDay, let last = stats.lastDay { text += " (\(first) to \(last))" }
    text += "\n"
    for type in EventType.allCases {
      text +=
        "  \(type.name.padding(toLength: 13, withPad: " ", startingAt: 0))"
        + "\(stats.byType[type.name] ?? 0)\n"
    }
    text += "rollup days    \(stats.rollupDays)\n"
    text += "products       \(stats.products)\n"
    text += "search terms   \(stats.queries)\n"
    text +=
      "raw kept       "
      + (stats.keepRawDays.map { "\($0) days (rollups for ever)" } ?? "for ever") + "\n"
    try out.write(text)
  }
}

/// `mkt events rollup --rebuild --from DAY`.
struct EventsRollupCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "rollup",
    abstract: "Recompute the rollups from the raw events.",
    discussion: """
      The rollups of --from and every day after are deleted and counted again from the raw \
      events, in the order they were ingested: the same numbers ingest kept. Days whose raw \
      events the retention setting deleted cannot be rebuilt.

      Example: mkt events rollup --rebuild --from 2025-01-01
      """)

  @OptionGroup var global: GlobalOptions
  @Flag(help: "Delete and recompute the rollups (required: the only action).") var rebuild = false
  @Option(help: "The first day to rebuild, YYYY-MM-DD.") var from: String

  func validate() throws {
    guard rebuild else { throw ValidationError("say --rebuild: the rollups are recomputed") }
  }

  func run() async throws {
    let replayed = try await AnalyticsService(store: global.openStore()).rebuild(from: from)
    Output(quiet: global.quiet).note("rebuilt the rollups from \(from): \(replayed) events")
  }
}
