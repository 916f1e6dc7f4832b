package import GRDB
import Store

/// Promo code redemptions: the ledger that code use limits are counted against.
extension PricingService {
  /// Records a promo code's use by a customer for an order (idempotent by `reference`).
  public func redeem(code: String, customer: String, reference: String) async throws {
    try await store.write { db in
      try db.execute(
        sql: """
          INSERT INTO promo_redemption (code, customer, reference) VALUES (?, ?, ?)
          ON CONFLICT DO NOTHING
          """, arguments: [code.uppercased(), customer, reference])
    }
  }

  /// Records one use of a code by a customer inside the caller's transaction, if the code's
  /// limits (`uses` in all, `perCustomer` per customer; `nil`: none) leave one; `false` when
  /// they do not (another order took the last use meanwhile).
  package static func redeem(
    _ code: String, customer: String, reference: String, uses: Int?, perCustomer: Int?,
    _ db: Database
  ) throws -> Bool {
    try db.cachedStatement(
      sql: """
        INSERT INTO promo_redemption (code, customer, reference)
        SELECT ?1, ?2, ?3
        WHERE (?4 IS NULL OR (SELECT count(*) FROM promo_redemption WHERE code = ?1) < ?4)
          AND (?5 IS NULL OR (SELECT count(*) FROM promo_redemption
                              WHERE code = ?1 AND customer = ?2) < ?5)
        """
    ).execute(arguments: [code, customer, reference, uses, perCustomer])
    return db.changesCount == 1
  }
}
