public import Foundation
package import GRDB
import MktCore
public import Store

/// The fraud module's settings in the store: the rules in force, the merchants' thresholds and
/// the trained models.
public struct FraudService: Sendable {
  let store: Store

  public init(store: Store) { self.store = store }

  // MARK: - Rules

  /// Reads a rules file and, unless `dryRun`, puts it in force in place of the previous one.
  ///
  /// - Throws: ``FraudError/invalidRules(_:message:)`` (65): nothing changes then.
  public func loadRules(_ text: String, file: String, dryRun: Bool = false, now: Date? = nil)
    async throws -> (rules: FraudRuleSet, warnings: [String])
  {
    let now = now ?? store.clock.now()
    let read = try FraudRuleFile.read(text, file: file)
    if !dryRun {
      try await store.write { db in
        try db.execute(
          sql: """
            INSERT INTO fraud_rule_set (id, file, source, loaded_at) VALUES (1, ?, ?, ?)
            ON CONFLICT (id) DO UPDATE SET file = excluded.file, source = excluded.source,
              loaded_at = excluded.loaded_at
            """, arguments: [file, text, UTCSeconds.iso(Int64(now.timeIntervalSince1970))])
      }
    }
    return read
  }

  /// The rules in force (none until a file is loaded).
  public func rules() async throws -> FraudRuleSet {
    try await store.read { db in try Self.rules(db) }
  }

  // MARK: - Policies

  /// Sets `merchant`'s thresholds.
  ///
  /// - Throws: ``FraudError/invalidRequest(_:)`` for an unknown merchant or thresholds outside
  ///   0–1 or in the wrong order.
  public func setPolicy(_ merchant: String, _ policy: FraudPolicy) async throws {
    guard (0...1_000).contains(policy.reviewAt),
      policy.blockAt.map({ (0...1_000).contains($0) && $0 >= policy.reviewAt }) ?? true
    else {
      throw FraudError.invalidRequest(
        "thresholds must be from 0 to 1, the block threshold at or above the review one")
    }
    try await store.write { db in
      guard
        try Bool.fetchOne(
          db, sql: "SELECT 1 FROM merchant WHERE id = ?", arguments: [merchant]) != nil
      else { throw FraudError.invalidRequest("unknown merchant '\(merchant)'") }
      try db.execute(
        sql: """
          INSERT INTO fraud_policy (merchant_id, review_at, block_at) VALUES (?, ?, ?)
          ON CONFLICT (merchant_id) DO UPDATE SET review_at = excluded.review_at,
            block_at = excluded.block_at
          """, arguments: [merchant, policy.reviewAt, policy.blockAt])
    }
  }

  /// The merchants with thresholds of their own.
  public func policies() async throws -> [String: FraudPolicy] {
    try await store.read { db in try Self.policies(db) }
  }

  // MARK: - Models

  /// Saves `model`, which is then in force (in one transaction: a crash leaves the previous).
  public func saveModel(_ model: FraudModel) async throws {
    let body = String(decoding: try JSONEncoder().encode(model), as: UTF8.self)
    try await store.write { db in
      try db.execute(
        sql: "INSERT INTO fraud_model (trained_at, body) VALUES (?, ?)",
        arguments: [model.trainedAt, body])
    }
  }

  /// The model in force (`nil`: none trained; the built-in weights apply).
  public func model() async throws -> FraudModel? {
    try await store.read { db in try Self.model(db) }
  }

  /// The engine as stored: rules, thresholds and the model in force (or `scorer` when given).
  public func engine(scorer: (any FraudScorer)? = nil) async throws -> FraudEngine {
    try await store.read { db in try Self.engine(db, scorer: scorer) }
  }

  // MARK: - Reads inside other modules' transactions

  package static func engine(_ db: Database, scorer: (any FraudScorer)? = nil) throws
    -> FraudEngine
  {
    let model = try model(db)
    return FraudEngine(
      rules: try rules(db),
      scorer: scorer ?? model.map { LearnedFraudScorer(model: $0) } ?? BuiltInFraudScorer(),
      policies: try policies(db), model: model)
  }

  static func rules(_ db: Database) throws -> FraudRuleSet {
    guard
      let row = try Row.fetchOne(db, sql: "SELECT file, source FROM fraud_rule_set WHERE id = 1")
    else { return FraudRuleSet() }
    return try FraudRuleFile.read(row["source"], file: row["file"]).rules
  }

  static func policies(_ db: Database) throws -> [String: FraudPolicy] {
    var policies: [String: FraudPolicy] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT merchant_id, review_at, block_at FROM fraud_policy")
    {
      policies[row["merchant_id"]] = FraudPolicy(
        reviewAt: row["review_at"], blockAt: row["block_at"])
    }
    return policies
  }

  static func model(_ db: Database) throws -> FraudModel? {
    guard
      let body = try String.fetchOne(
        db, sql: "SELECT body FROM fraud_model ORDER BY id DESC LIMIT 1")
    else { return nil }
    do {
      return try JSONDecoder().decode(FraudModel.self, from: Data(body.utf8))
    } catch {
      throw FraudError.invalidModel("the stored fraud model cannot be read: \(error)")
    }
  }

  /// Labels order `id` as fraud or not, replacing an earlier label.
  package static func label(
    _ id: Int64, fraud: Bool, source: String, note: String, at: String, _ db: Database
  ) throws {
    try db.cachedStatement(
      sql: """
        INSERT INTO fraud_label (order_id, fraud, source, note, at) VALUES (?, ?, ?, ?, ?)
        ON CONFLICT (order_id) DO UPDATE SET fraud = excluded.fraud, source = excluded.source,
          note = excluded.note, at = excluded.at
        """
    ).execute(arguments: [id, fraud, source, note, at])
  }
}
