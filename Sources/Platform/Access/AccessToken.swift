public import Foundation

/// A token as listed: everything but its secret, which is shown once at creation and never kept.
public struct AccessToken: Sendable, Equatable, Encodable {
  /// The public part, `tok_` and 12 hex digits: what `mkt token revoke` takes.
  public var id: String
  public var name: String
  /// The merchant the token acts for; `nil` for an operator token (every merchant).
  public var merchant: String?
  public var scopes: [Scope]
  public var createdAt: String
  public var expiresAt: String?
  public var revokedAt: String?

  enum CodingKeys: String, CodingKey {
    case id, name, merchant, scopes
    case createdAt = "created_at"
    case expiresAt = "expires_at"
    case revokedAt = "revoked_at"
  }

  /// Whether the token can be used at `now`.
  public func isActive(at now: Date) -> Bool {
    revokedAt == nil && (expiresAt.map { $0 > AccessService.timestamp(now) } ?? true)
  }
}

/// A token just made: its listing and the bearer text, which only this value ever holds.
public struct IssuedToken: Sendable, Encodable {
  public var token: AccessToken
  /// `mkt_` + id + `_` + secret: what a client sends as `Authorization: Bearer …`.
  public var bearer: String
}

/// What an authenticated request may do: the token's merchant (or all) and its scopes.
public struct Grant: Sendable, Equatable {
  public var tokenID: String
  /// `nil` for an operator token.
  public var merchant: String?
  public var scopes: Set<Scope>

  public init(tokenID: String, merchant: String?, scopes: Set<Scope>) {
    self.tokenID = tokenID
    self.merchant = merchant
    self.scopes = scopes.union(scopes.compactMap(\.implied))
  }

  /// Whether this is an operator token, which may act for every merchant.
  public var isOperator: Bool { merchant == nil }

  /// Fails unless the token holds `scope`.
  ///
  /// - Throws: ``AccessError/missingScope(_:)``.
  public func require(_ scope: Scope) throws(AccessError) {
    guard scopes.contains(scope) else { throw .missingScope(scope) }
  }

  /// Whether the token may see or change `merchant`'s data.
  public func owns(_ merchant: String) -> Bool { self.merchant == nil || self.merchant == merchant }
}
