import Foundation
import GRDB
import Importers
import Store

extension PricingService {
  /// A stored rule as `mkt push` sends it: its JSON (what `mkt pricing load` reads back) and the
  /// hash of that JSON, for the remote's conflict check.
  package struct StoredRule: Sendable, Equatable {
    package var json: String
    package var hash: Int64
    /// The merchant its scope names alone; `nil` for a rule of several merchants or all.
    package var merchant: String?
  }

  /// The stored rules among `ids`; ids without a rule are absent.
  package func storedRules(ids: [String]) async throws -> [String: StoredRule] {
    try await store.read { db in
      var found: [String: StoredRule] = [:]
      try SQLInList.chunks(ids) { placeholders, arguments in
        let rows = try Row.fetchCursor(
          db, sql: "SELECT id, rule, merchant_id FROM pricing_rule WHERE id IN (\(placeholders))",
          arguments: arguments)
        while let row = try rows.next() {
          let json: String = row["rule"]
          found[row["id"]] = StoredRule(
            json: json, hash: try Self.hash(json), merchant: row["merchant_id"])
        }
      }
      return found
    }
  }

  /// The hash of a stored rule's JSON without its `source` (where it was loaded from differs
  /// between two instances holding the same rule).
  static func hash(_ json: String) throws -> Int64 {
    var rule = try JSONDecoder().decode(PricingRule.self, from: Data(json.utf8))
    rule.source = nil
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    return ContentHash.of(String(decoding: try encoder.encode(rule), as: UTF8.self))
  }

  /// The hashes of the rules among `ids` that `owner` may see (all with `nil`: an operator).
  package func ruleHashes(ids: [String], owner: String?) async throws -> [String: Int64] {
    try await storedRules(ids: ids).filter { owner == nil || $0.value.merchant == owner }
      .mapValues(\.hash)
  }

  /// Removes a stored rule, one that `owner` may change (any with `nil`: the command line).
  ///
  /// - Throws: ``PricingError/unknownRule(_:)`` for a missing rule or another merchant's, alike.
  public func remove(_ id: String, owner: String? = nil) async throws {
    let removed = try await store.write { db in
      try db.execute(
        sql: "DELETE FROM pricing_rule WHERE id = ? AND (?2 IS NULL OR merchant_id = ?2)",
        arguments: [id, owner])
      return db.changesCount
    }
    if removed == 0 { throw PricingError.unknownRule(id) }
  }

  /// Refuses rules a merchant's token may not load: scoped to anyone but `owner` alone, or
  /// replacing a rule that is not `owner`'s.
  static func check(_ incoming: [PricingRule], stored: [PricingRule], owner: String) throws {
    let others = Set(stored.filter { $0.scope.merchants != [owner] }.map(\.id))
    for rule in incoming {
      guard rule.scope.merchants == [owner] else {
        throw PricingError.notOwnRule(rule.id, merchant: owner)
      }
      if others.contains(rule.id) { throw PricingError.ruleIDTaken(rule.id) }
    }
  }
}
