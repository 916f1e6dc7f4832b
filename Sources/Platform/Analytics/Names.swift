import GRDB

/// The kinds of text `analytics_name` interns.
enum NameKind: Int64, CaseIterable {
  case product = 1
  case query = 2
  case merchant = 3
  case country = 4
  case channel = 5
  case currency = 6
  case experiment = 7
  case variant = 8
}

/// Interned names and segments, cached for one transaction.
///
/// A name costs one look-up the first time it is met, none after. `""` is id 0 in every kind.
final class Names {
  private var ids: [[String: Int64]] = Array(repeating: [:], count: NameKind.allCases.count + 1)
  private var segments: [Segment: Int64] = [:]
  private let db: Database

  /// What a rollup row is kept per: interned merchant, country and channel.
  struct Segment: Hashable {
    var merchant: Int64
    var country: Int64
    var channel: Int64
  }

  init(_ db: Database) { self.db = db }

  /// The id of `name`, interned if new (with `create`), else `nil` when unknown.
  func id(_ kind: NameKind, _ name: String, create: Bool = true) throws -> Int64? {
    guard !name.isEmpty else { return 0 }
    if let id = ids[Int(kind.rawValue)][name] { return id }
    if let id = try Int64.fetchOne(
      db.cachedStatement(sql: "SELECT id FROM analytics_name WHERE kind = ? AND name = ?"),
      arguments: [kind.rawValue, name])
    {
      ids[Int(kind.rawValue)][name] = id
      return id
    }
    guard create else { return nil }
    try db.cachedStatement(sql: "INSERT INTO analytics_name (kind, name) VALUES (?, ?)")
      .execute(arguments: [kind.rawValue, name])
    let id = db.lastInsertedRowID
    ids[Int(kind.rawValue)][name] = id
    return id
  }

  /// The id of a segment, numbered if new.
  func segment(_ segment: Segment) throws -> Int64 {
    if let id = segments[segment] { return id }
    let arguments: StatementArguments = [segment.merchant, segment.country, segment.channel]
    if let id = try Int64.fetchOne(
      db.cachedStatement(
        sql: "SELECT id FROM analytics_segment WHERE merchant = ? AND country = ? AND channel = ?"),
      arguments: arguments)
    {
      segments[segment] = id
      return id
    }
    try db.cachedStatement(
      sql: "INSERT INTO analytics_segment (merchant, country, channel) VALUES (?, ?, ?)"
    ).execute(arguments: arguments)
    segments[segment] = db.lastInsertedRowID
    return db.lastInsertedRowID
  }

  /// The country of every segment, by segment id.
  static func segmentCountries(_ db: Database) throws -> [Int64: Int64] {
    var countries: [Int64: Int64] = [:]
    for row in try Row.fetchAll(db, sql: "SELECT id, country FROM analytics_segment") {
      countries[row["id"]] = row["country"]
    }
    return countries
  }
}
