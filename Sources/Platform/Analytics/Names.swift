import GRDB
import Store

/// The kinds of text `analytics_name` keeps.
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

/// The ids events are stored with: a stable hash of a text's kind and the text.
///
/// Interning needs no look-up; each id's text is written to `analytics_name` by the ingest that
/// meets it first. `""` is id 0 in every kind.
enum Names {
  /// The id of `name` of `kind`.
  static func id(_ kind: NameKind, _ name: String) -> Int64 {
    guard !name.isEmpty else { return 0 }
    var hash = StableHash()
    hash.add(kind.rawValue)
    hash.add(name)
    let value = hash.value
    return value == 0 ? 1 : value
  }

  /// The id of the segment of a merchant, country and channel (ids).
  static func segment(merchant: Int64, country: Int64, channel: Int64) -> Int64 {
    var hash = StableHash()
    hash.add(merchant)
    hash.add(country)
    hash.add(channel)
    return hash.value
  }

  /// The texts of `ids`, looked up 500 at a time.
  static func texts(_ ids: [Int64], _ db: Database) throws -> [Int64: String] {
    var names: [Int64: String] = [:]
    try SQLInList.chunks(ids) { placeholders, arguments in
      let rows = try Row.fetchAll(
        db, sql: "SELECT id, name FROM analytics_name WHERE id IN (\(placeholders))",
        arguments: arguments)
      for row in rows { names[row["id"]] = row["name"] }
    }
    return names
  }

  /// Stores the texts and segment an event met first.
  static func store(_ event: PreparedEvent, _ db: Database) throws {
    for (kind, id, name) in event.names {
      try db.cachedStatement(
        sql: "INSERT OR IGNORE INTO analytics_name (id, kind, name) VALUES (?, ?, ?)"
      ).execute(arguments: [id, kind.rawValue, name])
    }
    if let segment = event.segment {
      try db.cachedStatement(
        sql: """
          INSERT OR IGNORE INTO analytics_segment (id, merchant, country, channel)
          VALUES (?, ?, ?, ?)
          """
      ).execute(arguments: [segment.id, segment.merchant, segment.country, segment.channel])
    }
  }
}
