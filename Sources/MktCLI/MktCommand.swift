public import ArgumentParser
import Foundation
import Importers
import MktCore
import Store

/// The `mkt` command: parses the command line, runs a subcommand, maps errors to exit statuses.
///
/// ``main()`` is the process's entry point (`Sources/mkt/main.swift`); ``run(_:)`` runs one
/// command line and returns its exit status, for tests and embedders.
public struct MktCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "mkt",
    abstract: "Back-office work of a European marketplace, from the shell.",
    discussion: """
      Imports merchants' catalog feeds, keeps stock, prices and orders in one SQLite file, \
      and reports on them. Data goes to standard output; progress, warnings and errors to \
      standard error. The database is --db PATH, else $MKT_DB, else ./mkt.db.

      Example:
        mkt init && mkt merchant import examples/merchants.csv && mkt db info

      EXIT STATUS
      \(SysExit.table)
      """,
    version: MktVersion.full,
    subcommands: [
      InitCommand.self, DBCommand.self, MerchantCommand.self, FeedCommand.self,
      ImportCommand.self, ImportHistoryRoute.self, CatalogCommand.self, SearchCommand.self,
      SuggestCommand.self, SearchReindexRoute.self, SearchSynonymsRoute.self,
      InventoryCommand.self, LocaleCommand.self, CurrencyCommand.self, PricingCommand.self,
      OrdersCommand.self, FraudCommand.self, PaymentCommand.self, ReportCommand.self,
      EventsCommand.self, ABCommand.self, RecsCommand.self, RatingsCommand.self,
      ServeCommand.self, TokenCommand.self, WebhooksCommand.self, PushCommand.self,
    ])

  public init() {}

  public static func main() async {
    signal(SIGPIPE, SIG_IGN)
    let status = await run(CommandLine.arguments.dropFirst().map { $0 })
    Foundation.exit(status)
  }

  /// Subcommands of commands that also take positional words (`mkt import FEED…`,
  /// `mkt search WORDS…`): ArgumentParser gives the positionals precedence, so these are
  /// dispatched to hidden top-level commands here.
  static let routes: [(prefix: [String], command: String)] = [
    (["import", "history"], "import-history"),
    (["search", "reindex"], "search-reindex"),
    (["search", "synonyms"], "search-synonyms"),
  ]

  /// The most command-line arguments mkt parses.
  static let maximumArguments = 4_096

  static func routed(_ arguments: [String]) -> [String] {
    for route in routes where arguments.starts(with: route.prefix) {
      return [route.command] + arguments.dropFirst(route.prefix.count)
    }
    return arguments
  }

  /// Commands a script or a search box runs once per query, parsed on their own.
  ///
  /// ArgumentParser's root parse first looks at `mkt` itself, the completion-script request
  /// and the built-in flags across the command tree: about 2 ms of runtime type lookups in
  /// every new process, for a search that takes about as long.
  static let parsedAlone: [String: any ParsableCommand.Type] = [
    "search": SearchCommand.self, "suggest": SuggestCommand.self,
  ]

  /// The command `arguments` name, parsed.
  ///
  /// A command of ``parsedAlone`` that parses on its own is returned as it is; anything else —
  /// help, a usage error — goes through the root parse, which words it as always.
  static func parse(_ arguments: [String]) throws -> any ParsableCommand {
    // Asked for help, a command parsed alone answers with a help command of its own, which
    // would name it without `mkt`: only the command itself is taken.
    if let name = arguments.first, let alone = parsedAlone[name],
      let command = try? alone.parseAsRoot(Array(arguments.dropFirst())), type(of: command) == alone
    {
      return command
    }
    return try parseAsRoot(arguments)
  }

  /// Parses and runs one command line; returns the exit status.
  ///
  /// Errors are reported here only.
  public static func run(_ arguments: [String]) async -> Int32 {
    // ArgumentParser's cost grows with the square of the argument count (a 20,000-word search
    // took 96 s before it ran): more than this many is refused before parsing.
    guard arguments.count <= maximumArguments else {
      try? RawWriter.write(
        "mkt: error: \(arguments.count) arguments; mkt takes at most \(maximumArguments) "
          + "(use a manifest, a file, or xargs -n)\n", to: RawWriter.messageDescriptor)
      return SysExit.usage.rawValue
    }
    do {
      let arguments = GlobalOptions.hoisted(arguments)
      var command = try parse(Self.routed(arguments))
      if var command = command as? any AsyncParsableCommand {
        try await command.run()
      } else {
        try command.run()
      }
      return SysExit.ok.rawValue
    } catch let reported as Reported {
      return reported.exitStatus.rawValue  // what was found is already written
    } catch let error as any MktError {
      Output().report(error)
      return error.exitStatus.rawValue
    } catch {
      return reportParserOrInternal(error, arguments: arguments)
    }
  }

  /// ArgumentParser's own outcomes (help, version, usage errors, `ExitCode`) keep their meaning,
  /// with usage errors mapped to 64; anything else is a bug: 70.
  static func reportParserOrInternal(_ error: any Error, arguments: [String]) -> Int32 {
    if let code = error as? ExitCode { return code.rawValue }
    let code = exitCode(for: error)
    if code == .success {
      try? RawWriter.write(fullMessage(for: error) + "\n", to: 1)
      return 0
    }
    if code == .validationFailure || error is ValidationError {
      // A mistyped subcommand is the mistake to name, not the options after it that the
      // parser then could not place (`mkt serach x --db d.db` is not about --db).
      let message =
        SubcommandSuggestion.message(for: arguments, root: MktCommand.self)
        ?? fullMessage(for: error)
      try? RawWriter.write(message + "\n", to: RawWriter.messageDescriptor)
      return SysExit.usage.rawValue
    }
    if error is CleanExit { return 0 }
    Output().report(InternalError(underlying: "\(error)"))
    return SysExit.software.rawValue
  }
}

/// The version line: mkt's own and the libraries it runs on.
enum MktVersion {
  static let number = "0.1.0"
  static var full: String {
    "mkt \(number) (SQLite \(Store.sqliteVersion), libxml2 \(XMLLibrary.version), "
      + "schema \(Store.schemaVersion))"
  }
}
