public import MktCore

/// A merchant's warehouse and the countries it ships to.
public struct Warehouse: Sendable, Equatable, Encodable {
  public var merchantID: String
  public var id: String
  public var name: String
  /// Where it is.
  public var country: CountryCode
  /// The countries it ships to.
  public var serves: [CountryCode]

  public init(
    merchantID: String, id: String, name: String, country: CountryCode, serves: [CountryCode]
  ) {
    self.merchantID = merchantID
    self.id = id
    self.name = name
    self.country = country
    self.serves = serves
  }

  enum CodingKeys: String, CodingKey {
    case id, name, country, serves
    case merchantID = "merchant_id"
  }
}

/// Stock of one sku in one warehouse.
public struct StockLevel: Sendable, Equatable, Encodable {
  public var merchantID: String
  public var sku: String
  public var warehouseID: String
  public var onHand: Int
  /// On hand minus open reservations (none until orders land).
  public var available: Int
  /// The ERP's time of the last applied change, if it gave one.
  public var sourceUpdatedAt: String?
  public var updatedAt: String

  enum CodingKeys: String, CodingKey {
    case sku, available
    case merchantID = "merchant_id"
    case warehouseID = "warehouse_id"
    case onHand = "on_hand"
    case sourceUpdatedAt = "source_updated_at"
    case updatedAt = "updated_at"
  }
}

/// How a stock row changes the quantity.
public enum StockMode: String, Sendable, CaseIterable, Codable {
  /// The row's quantity is the new on-hand quantity.
  case set
  /// The row's quantity is added (negative: removed; never below zero).
  case delta
}

/// What a stock sync did.
public struct StockSyncSummary: Sendable, Encodable {
  public var source: String
  /// The file's checksum, or `--sync-id`.
  public var syncID: String
  /// The same sync was applied before (at this time): nothing was changed.
  public var alreadyAppliedAt: String?
  public var dryRun: Bool
  public var rows = 0
  public var changed = 0
  public var unchanged = 0
  /// Rows older than what is stored (their `updated_at` before the stored one).
  public var skipped = 0
  public var rejected = 0
  public var durationMilliseconds = 0
  public var issues: [RowIssue] = []

  enum CodingKeys: String, CodingKey {
    case source, rows, changed, unchanged, skipped, rejected, issues
    case syncID = "sync_id"
    case alreadyAppliedAt = "already_applied_at"
    case dryRun = "dry_run"
    case durationMilliseconds = "duration_ms"
  }

  /// One line for people.
  public var line: String {
    if let alreadyAppliedAt {
      return "sync \(syncID) was applied at \(alreadyAppliedAt): nothing changed"
    }
    let verb = dryRun ? "would be " : ""
    return "\(rows) rows: \(changed) \(verb)changed, \(unchanged) unchanged, \(skipped) skipped "
      + "(older than stored), \(rejected) rejected in \(durationMilliseconds) ms"
      + (dryRun ? " (dry run, nothing written)" : "")
  }
}

/// An inventory command that cannot act (64/65/66).
public enum InventoryError: MktError, Equatable {
  case invalidField(RowIssue)
  case unknownMerchant(String)
  case warehouseExists(merchant: String, id: String)
  case notFound(sku: String)
  case badHeader(InputLocation, String)

  public var exitStatus: SysExit {
    switch self {
    case .notFound: .noInput
    default: .dataError
    }
  }

  public var location: InputLocation? {
    switch self {
    case .invalidField(let issue): issue.location
    case .badHeader(let location, _): location
    default: nil
    }
  }

  public var description: String {
    switch self {
    case .invalidField(let issue): issue.message
    case .unknownMerchant(let id): "no merchant \(id)"
    case .warehouseExists(let merchant, let id): "merchant \(merchant) already has warehouse \(id)"
    case .notFound(let sku): "no stock recorded for sku \(sku)"
    case .badHeader(_, let reason): reason
    }
  }
}
