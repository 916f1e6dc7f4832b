public import MktCore

/// A product as the catalog holds it: the typed columns mkt lists and filters by, and the
/// canonical JSON line that is the whole truth.
public struct Product: Sendable, Equatable, Encodable {
  public var merchantID: String
  public var id: String
  public var title: String
  public var brand: String?
  public var availability: String?
  /// The price as Merchant Center writes it, `78.99 EUR`.
  public var price: String?
  public var salePrice: String?
  public var updatedAt: String
  /// The canonical JSON line (`mkt feed normalize`'s form).
  public var attributes: String

  enum CodingKeys: String, CodingKey {
    case id, title, brand, availability, price
    case merchantID = "merchant_id"
    case salePrice = "sale_price"
    case updatedAt = "updated_at"
  }
}

/// Products per merchant, for `mkt catalog stats`.
public struct CatalogStats: Sendable, Equatable, Encodable {
  /// One merchant's count.
  public struct Merchant: Sendable, Equatable, Encodable {
    public var merchantID: String
    public var products: Int

    enum CodingKeys: String, CodingKey {
      case products
      case merchantID = "merchant_id"
    }
  }

  public var products: Int
  public var merchants: [Merchant]
}

/// One recorded import run, for `mkt import history`.
public struct ImportRun: Sendable, Equatable, Encodable {
  public var id: Int64
  public var merchantID: String?
  public var source: String
  public var checksum: String?
  public var mode: String
  public var dryRun: Bool
  public var outcome: String
  public var message: String?
  public var rows: Int
  public var inserted: Int
  public var updated: Int
  public var unchanged: Int
  public var removed: Int
  public var rejected: Int
  public var durationMilliseconds: Int
  public var startedAt: String

  enum CodingKeys: String, CodingKey {
    case id, source, checksum, mode, outcome, message, rows, inserted, updated, unchanged
    case removed, rejected
    case merchantID = "merchant_id"
    case dryRun = "dry_run"
    case durationMilliseconds = "duration_ms"
    case startedAt = "started_at"
  }
}

/// A catalog query named something that is not there.
public enum CatalogError: MktError, Equatable {
  case productNotFound(merchant: String?, id: String)
  case ambiguousProduct(id: String, merchants: [String])

  public var exitStatus: SysExit { .dataError }

  public var location: InputLocation? {
    switch self {
    case .productNotFound(_, let id), .ambiguousProduct(let id, _): InputLocation(id: id)
    }
  }

  public var description: String {
    switch self {
    case .productNotFound(let merchant, let id):
      merchant.map { "merchant \($0) has no product \(id)" } ?? "no product \(id)"
    case .ambiguousProduct(let id, let merchants):
      "several merchants have a product \(id): \(merchants.joined(separator: ", "))"
    }
  }

  public var hint: String? {
    switch self {
    case .productNotFound: "list products with `mkt catalog list --merchant ID`"
    case .ambiguousProduct: "name the merchant with --merchant"
    }
  }
}
