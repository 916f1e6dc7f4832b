import ArgumentParser

/// `mkt feed`: read, check, normalize and convert product feeds, without a database.
struct FeedCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "feed",
    abstract: "Check, normalize and convert product feeds (CSV, TSV, Merchant XML, Shopify).",
    subcommands: [FeedCheckCommand.self, FeedNormalizeCommand.self, FeedConvertCommand.self])
}
