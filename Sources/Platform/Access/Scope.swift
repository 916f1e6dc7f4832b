import Foundation

/// What a token may do: a resource and read or write.
///
/// Writing implies reading the same resource (`orders:write` reads orders too).
public enum Scope: String, Sendable, CaseIterable, Codable, Comparable {
  case catalogRead = "catalog:read"
  case catalogWrite = "catalog:write"
  case stockRead = "stock:read"
  case stockWrite = "stock:write"
  case pricingRead = "pricing:read"
  case pricingWrite = "pricing:write"
  case ordersRead = "orders:read"
  case ordersWrite = "orders:write"
  case eventsWrite = "events:write"
  case reportsRead = "reports:read"

  public static func < (lhs: Scope, rhs: Scope) -> Bool { lhs.rawValue < rhs.rawValue }

  /// The scope `self` implies besides itself: the read of a write.
  var implied: Scope? {
    switch self {
    case .catalogWrite: .catalogRead
    case .stockWrite: .stockRead
    case .pricingWrite: .pricingRead
    case .ordersWrite: .ordersRead
    default: nil
    }
  }

  /// Parses `catalog:write,orders:read` (or `all`) into scopes.
  ///
  /// - Throws: ``AccessError/unknownScope(_:)`` naming the valid ones.
  public static func parse(_ list: String) throws(AccessError) -> Set<Scope> {
    var scopes = Set<Scope>()
    for item in list.split(separator: ",") {
      let name = item.trimmingCharacters(in: .whitespaces).lowercased()
      if name == "all" {
        scopes.formUnion(allCases)
        continue
      }
      guard let scope = Scope(rawValue: name) else { throw .unknownScope(name) }
      scopes.insert(scope)
    }
    guard !scopes.isEmpty else { throw .unknownScope(list) }
    return scopes
  }
}
