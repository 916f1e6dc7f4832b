public import Foundation
import GRDB
import MktCore
public import Store

/// API tokens: made, listed, revoked, and checked for each request of `mkt serve`.
///
/// A bearer is `mkt_<id>_<secret>`: the id finds the row, and the SHA-256 of the secret is
/// compared in constant time with the stored hash. The secret itself is never stored.
public struct AccessService: Sendable {
  let store: Store

  public init(store: Store) {
    self.store = store
  }

  /// Bytes of randomness in a secret (256 bits) and in an id (48 bits).
  static let secretBytes = 32
  static let idBytes = 6

  /// Makes a token for `merchant` (`nil`: an operator token) with `scopes`, valid until
  /// `expires` (`nil`: until revoked).
  ///
  /// - Throws: ``AccessError/unknownMerchant(_:)``, ``StoreError``.
  public func create(
    merchant: String?, scopes: Set<Scope>, name: String, expires: Date? = nil, now: Date? = nil
  ) async throws -> IssuedToken {
    let now = now ?? store.clock.now()
    let id = "tok_" + Digest.hex(Digest.randomBytes(Self.idBytes))
    let secret = Digest.hex(Digest.randomBytes(Self.secretBytes))
    let token = AccessToken(
      id: id, name: name, merchant: merchant, scopes: scopes.sorted(),
      createdAt: Self.timestamp(now), expiresAt: expires.map(Self.timestamp), revokedAt: nil)
    let hash = Data(Digest.sha256(Array(secret.utf8)))
    try await store.write { db in
      if let merchant,
        try Bool.fetchOne(db, sql: "SELECT 1 FROM merchant WHERE id = ?", arguments: [merchant])
          == nil
      {
        throw AccessError.unknownMerchant(merchant)
      }
      try db.execute(
        sql: """
          INSERT INTO api_token
            (id, name, merchant_id, scopes, secret_hash, created_at, expires_at)
          VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          id, name, merchant, token.scopes.map(\.rawValue).joined(separator: " "), hash,
          token.createdAt, token.expiresAt,
        ])
    }
    return IssuedToken(token: token, bearer: "mkt_" + id + "_" + secret)
  }

  /// The tokens, newest first; only `merchant`'s when given.
  public func list(merchant: String? = nil) async throws -> [AccessToken] {
    try await store.read { db in
      try Row.fetchAll(
        db,
        sql: """
          SELECT id, name, merchant_id, scopes, created_at, expires_at, revoked_at
          FROM api_token WHERE ?1 IS NULL OR merchant_id = ?1
          ORDER BY created_at DESC, id
          """, arguments: [merchant]
      ).map(Self.token)
    }
  }

  /// Revokes the token `id` at `now`; revoking twice keeps the first time.
  ///
  /// - Throws: ``AccessError/unknownToken(_:)``.
  public func revoke(_ id: String, now: Date? = nil) async throws -> AccessToken {
    let now = now ?? store.clock.now()
    return try await store.write { db in
      try db.execute(
        sql: "UPDATE api_token SET revoked_at = coalesce(revoked_at, ?) WHERE id = ?",
        arguments: [Self.timestamp(now), id])
      guard db.changesCount > 0,
        let row = try Row.fetchOne(
          db,
          sql: """
            SELECT id, name, merchant_id, scopes, created_at, expires_at, revoked_at
            FROM api_token WHERE id = ?
            """, arguments: [id])
      else { throw AccessError.unknownToken(id) }
      return Self.token(row)
    }
  }

  /// What `bearer` may do at `now`.
  ///
  /// - Throws: ``AccessError/unauthenticated`` for a malformed, unknown, expired or revoked
  ///   token alike.
  public func authenticate(_ bearer: String, now: Date? = nil) async throws -> Grant {
    let now = now ?? store.clock.now()
    let parts = bearer.split(separator: "_", omittingEmptySubsequences: false)
    guard parts.count == 4, parts[0] == "mkt", parts[1] == "tok" else {
      throw AccessError.unauthenticated
    }
    let id = "tok_" + parts[2]
    let presented = Digest.sha256(Array(parts[3].utf8))
    let stored = try await store.read { db in
      try Row.fetchOne(
        db,
        sql: """
          SELECT merchant_id, scopes, secret_hash, expires_at, revoked_at
          FROM api_token WHERE id = ?
          """, arguments: [id]
      ).map(Stored.init(row:))
    }
    // An unknown id still pays for one comparison, so timing does not tell ids apart.
    let matches = Digest.constantTimeEqual(presented, stored?.hash ?? Self.decoy)
    guard let stored, matches, stored.revokedAt == nil else { throw AccessError.unauthenticated }
    if let expires = stored.expiresAt, expires <= Self.timestamp(now) {
      throw AccessError.unauthenticated
    }
    return Grant(tokenID: id, merchant: stored.merchant, scopes: stored.scopes)
  }

  /// The columns ``authenticate(_:now:)`` reads.
  struct Stored: Sendable {
    var merchant: String?
    var scopes: Set<Scope>
    var hash: [UInt8]
    var expiresAt: String?
    var revokedAt: String?

    init(row: Row) {
      merchant = row["merchant_id"]
      scopes = Set(AccessService.scopes(row["scopes"]))
      hash = [UInt8](row["secret_hash"] as Data)
      expiresAt = row["expires_at"]
      revokedAt = row["revoked_at"]
    }
  }

  static func scopes(_ text: String) -> [Scope] {
    text.split(separator: " ").compactMap { Scope(rawValue: String($0)) }
  }

  /// A hash no secret has, compared against when the id is unknown.
  static let decoy = [UInt8](repeating: 0, count: 32)

  /// `2026-12-06T07:00:00Z`: sortable as text, so expiry is a string comparison.
  public static func timestamp(_ date: Date) -> String {
    date.formatted(.iso8601)
  }

  static func token(_ row: Row) -> AccessToken {
    AccessToken(
      id: row["id"], name: row["name"], merchant: row["merchant_id"],
      scopes: scopes(row["scopes"]), createdAt: row["created_at"], expiresAt: row["expires_at"],
      revokedAt: row["revoked_at"])
  }
}
