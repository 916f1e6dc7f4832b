import Access
import ArgumentParser
import Foundation
import MktCore
import Store

/// `mkt token`.
struct TokenCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "token",
    abstract: "API tokens for mkt serve: create (printed once), list, revoke.",
    discussion: """
      A token acts for one merchant, or for every merchant with --all-merchants (an operator \
      token), within its scopes: \(Scope.allCases.map(\.rawValue).joined(separator: ", ")). \
      A write scope includes its read. Only a hash of each token is stored: a lost token \
      cannot be shown again, only revoked and replaced.
      """,
    subcommands: [TokenCreateCommand.self, TokenListCommand.self, TokenRevokeCommand.self])
}

/// `mkt token create`.
struct TokenCreateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create", abstract: "Create a token and print it (once).",
    discussion: """
      Examples:
        mkt token create --merchant M001 --scopes catalog:write,orders:read --expires 90d --name ci
        mkt token create --all-merchants --scopes catalog:read,reports:read --name storefront
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The merchant the token acts for.") var merchant: String?
  @Flag(help: "An operator token: every merchant's data.") var allMerchants = false
  @Option(help: ArgumentHelp("Comma-separated scopes, or all.", valueName: "list"))
  var scopes: String
  @Option(help: "Expire after this long: 90d, 12h, 30m (default: never).") var expires: String?
  @Option(help: "A name to recognise it by in mkt token list.") var name = "token"

  func validate() throws {
    guard (merchant == nil) == allMerchants else {
      throw ValidationError("give --merchant M or --all-merchants (one of them)")
    }
  }

  func run() async throws {
    let scopes = try Scope.parse(scopes)
    let now = Date()
    let until = try expires.map { try Self.expiry($0, from: now) }
    let issued = try await AccessService(store: global.openStore()).create(
      merchant: merchant, scopes: scopes, name: name, expires: until, now: now)
    let out = Output(global, output)
    try out.result(issued) { $0.bearer }
    out.note("token \(issued.token.id) created; it is shown this once, store it now")
  }

  /// `90d` → `now` + 90 days.
  static func expiry(_ text: String, from now: Date) throws -> Date {
    let units: [Character: Double] = ["d": 86_400, "h": 3_600, "m": 60]
    guard let unit = text.last.flatMap({ units[$0] }), let count = Double(text.dropLast()),
      count > 0
    else { throw AccessError.badExpiry(text) }
    return now.addingTimeInterval(count * unit)
  }
}

/// `mkt token list`.
struct TokenListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List tokens (never their secrets), newest first.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's tokens.") var merchant: String?

  func run() async throws {
    let tokens = try await AccessService(store: global.openStore(.reading)).list(
      merchant: merchant)
    let now = Date()
    try Output(global, output).rows(
      tokens,
      columns: [
        ("id", \.id), ("name", \.name), ("merchant", { $0.merchant ?? "(all)" }),
        ("scopes", { $0.scopes.map(\.rawValue).joined(separator: ",") }),
        ("created", \.createdAt), ("expires", { $0.expiresAt ?? "" }),
        (
          "state", { $0.revokedAt != nil ? "revoked" : $0.isActive(at: now) ? "active" : "expired" }
        ),
      ])
  }
}

/// `mkt token revoke ID`.
struct TokenRevokeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "revoke", abstract: "Revoke a token: its next request is refused (401).",
    discussion: "Example: mkt token revoke tok_3f9a0c1d2e4b")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The token's id (mkt token list).") var id: String

  func run() async throws {
    let token = try await AccessService(store: global.openStore()).revoke(id)
    if !global.quiet {
      try RawWriter.write(
        "mkt: revoked \(token.id) (\(token.name))\n", to: RawWriter.messageDescriptor)
    }
  }
}
