import Foundation
public import MktCore

/// What `mkt push` sends.
public enum PushKind: String, Sendable, CaseIterable, Codable {
  case catalog
  case stock
  /// Products' titles and descriptions in other languages than their feed's.
  case translations
  /// Pricing rules (a merchant's token sends those scoped to its merchant alone).
  case rules

  /// The journal's name for a change of this kind.
  var journal: String {
    switch self {
    case .catalog: "product"
    case .stock: "stock"
    case .translations: "translation"
    case .rules: "rule"
    }
  }
}

/// How a push runs.
public struct PushOptions: Sendable {
  /// The remote instance's base URL, `https://mkt.example`.
  public var url: String
  public var token: String
  public var merchant: String?
  public var kinds: Set<PushKind> = Set(PushKind.allCases)
  public var dryRun = false
  /// Send deletions (otherwise they are listed and skipped).
  public var allowDeletes = false
  /// Overwrite rows the remote changed since the last push.
  public var force = false
  /// Rows per request.
  public var batchSize = 20_000
  /// Seconds per request.
  public var timeout: Duration = .seconds(120)
  /// Attempts per batch when the remote times out or answers 5xx or 429.
  public var attempts = 5
  /// PEM certificates to trust for an https remote instead of the system's.
  public var trusted: String?

  public init(url: String, token: String) {
    self.url = url
    self.token = token
  }
}

/// What a push sent, skipped and found.
public struct PushReport: Sendable, Encodable {
  public var url: String
  public var dryRun: Bool
  /// The journal position before and after (after = before when nothing was acknowledged).
  public var from: Int64
  public var to: Int64
  public var products = 0
  public var deletions = 0
  public var stockLevels = 0
  public var translations = 0
  public var rules = 0
  /// Products and rules already equal on the remote.
  public var unchanged = 0
  public var batches = 0
  /// Deletions not sent (without --allow-deletes): `merchant/id`.
  public var skippedDeletions: [String] = []
  /// Rows the remote changed since the last push, not overwritten (without --force).
  public var conflicts: [String] = []
  /// Counts per kind and merchant (`catalog acme`: 12).
  public var pending: [String: Int] = [:]
  /// The first rows that would be sent, with --dry-run.
  public var sample: [String] = []

  enum CodingKeys: String, CodingKey {
    case url, from, to, products, deletions, unchanged, batches, conflicts, pending, sample
    case translations, rules
    case dryRun = "dry_run"
    case stockLevels = "stock_levels"
    case skippedDeletions = "skipped_deletions"
  }
}

/// A push target's state (`mkt push status`).
public struct PushStatus: Sendable, Encodable {
  public var url: String
  public var position: Int64
  /// Journal entries written since the position.
  public var pending: Int
  public var pushed: Int64
  public var lastError: String?
  public var updatedAt: String?

  enum CodingKeys: String, CodingKey {
    case url, position, pending, pushed
    case lastError = "last_error"
    case updatedAt = "updated_at"
  }
}

/// Why a push stopped; the position is unchanged.
public enum PushError: MktError, Equatable {
  case unreachable(url: String, reason: String)
  case refused(url: String, status: Int, detail: String)
  case rejected(url: String, detail: String, rows: [String])
  case running(pid: Int32?)
  case conflicts([String])
  case badURL(String)

  public var exitStatus: SysExit {
    switch self {
    case .unreachable: .unavailable
    case .refused: .noPermission
    case .rejected, .conflicts: .dataError
    case .running: .tempFail
    case .badURL: .usage
    }
  }

  public var description: String {
    switch self {
    case .unreachable(let url, let reason): "\(url) cannot be reached: \(reason)"
    case .refused(let url, let status, let detail):
      "\(url) refused the token (\(status)): \(detail)"
    case .rejected(let url, let detail, _): "\(url) rejected rows: \(detail)"
    case .running(let pid): "another push is running" + (pid.map { " (pid \($0))" } ?? "")
    case .conflicts(let rows):
      "\(rows.count) row\(rows.count == 1 ? "" : "s") changed on the remote since the last push"
    case .badURL(let url): "not an http(s) URL: \(url)"
    }
  }

  public var details: [String] {
    switch self {
    case .rejected(_, _, let rows): rows
    case .conflicts(let rows): rows
    default: []
    }
  }

  public var hint: String? {
    switch self {
    case .unreachable: "check --to and that mkt serve runs there; run mkt push again to resume"
    case .refused:
      "the token needs catalog:write, stock:write and pricing:write for the merchant (rules of "
        + "several merchants: an operator token; mkt token create)"
    case .rejected: "fix the rows locally and push again; nothing past them was acknowledged"
    case .running: "wait for it, or check that no other mkt push runs on this database"
    case .conflicts: "pull the remote's changes first, or push with --force to overwrite them"
    case .badURL: "the remote's base URL, https://mkt.example"
    }
  }
}
