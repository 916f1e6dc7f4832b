public import MktCore

/// A merchant command was given something it cannot act on.
public enum MerchantError: MktError, Equatable {
  case invalidField(RowIssue)
  case alreadyExists(id: String)
  case notFound(id: String)
  /// The CSV header lacks a required column, repeats one, or names one mkt does not know.
  case badHeader(InputLocation, reason: String)
  /// Merchants that have orders cannot be removed: orders are kept for accounting.
  case hasOrders([Dependents])

  /// What depends on a merchant.
  public struct Dependents: Sendable, Equatable {
    public var id: String
    public var orders: Int
    public var products: Int
    public var warehouses: Int

    public init(id: String, orders: Int, products: Int, warehouses: Int) {
      self.id = id
      self.orders = orders
      self.products = products
      self.warehouses = warehouses
    }
  }

  public var exitStatus: SysExit { .dataError }

  public var location: InputLocation? {
    switch self {
    case .invalidField(let issue): issue.location
    case .alreadyExists(let id), .notFound(let id): InputLocation(id: id)
    case .badHeader(let location, _): location
    case .hasOrders(let blocked): InputLocation(id: blocked.first?.id)
    }
  }

  public var description: String {
    switch self {
    case .invalidField(let issue): issue.message
    case .alreadyExists(let id): "merchant \(id) already exists"
    case .notFound(let id): "no merchant \(id)"
    case .badHeader(_, let reason): reason
    case .hasOrders(let blocked):
      blocked.prefix(5).map {
        "merchant \($0.id) has \($0.orders) order(s) (and \($0.products) product(s), "
          + "\($0.warehouses) warehouse(s)): orders are kept for accounting, so it cannot be removed"
      }.joined(separator: "; ") + (blocked.count > 5 ? "; and \(blocked.count - 5) more" : "")
    }
  }

  public var hint: String? {
    switch self {
    case .invalidField(let issue): MerchantFields.hint(forRule: issue.rule)
    case .alreadyExists: "change it with `mkt merchant import`, or remove it first"
    case .notFound: "list merchants with `mkt merchant list`"
    case .hasOrders:
      "nothing was removed; keep the merchant (empty its catalog with `mkt import EMPTY.csv "
        + "--merchant ID --mode replace`), or leave it out of a replace import's scope"
    case .badHeader:
      "the header names the columns: \(MerchantFields.columns.joined(separator: ",")) "
        + "(id and name required)"
    }
  }
}
