import Foundation
import GRDB

/// Little-endian packing of the model's arrays into blobs.
///
/// Bytes go into an array, one `Data` made at the end: appending to a `Data` value by value
/// took a tenth of a training that adds a day.
struct Packer {
  var bytes: [UInt8] = []

  var data: Data { Data(bytes) }

  mutating func put<T: FixedWidthInteger>(_ value: T) {
    var value = value  // least significant byte first: little-endian on any machine
    for _ in 0..<MemoryLayout<T>.size {
      bytes.append(UInt8(truncatingIfNeeded: value))
      value >>= 8
    }
  }

  mutating func put(_ value: Float) { put(value.bitPattern) }

  mutating func put(_ head: Model.Head) {
    put(UInt32(head.count))
    for (item, score) in head {
      put(item)
      put(score)
    }
  }
}

/// Reads what ``Packer`` wrote; a short or damaged blob reads as zeros and empty lists.
struct Unpacker {
  let data: Data
  var offset = 0

  init(_ data: Data) { self.data = data }

  mutating func get<T: FixedWidthInteger>(_: T.Type = T.self) -> T {
    let size = MemoryLayout<T>.size
    guard offset + size <= data.count else {
      offset = data.count
      return 0
    }
    let value = data.withUnsafeBytes {
      T(littleEndian: $0.loadUnaligned(fromByteOffset: offset, as: T.self))
    }
    offset += size
    return value
  }

  mutating func float() -> Float { Float(bitPattern: get(UInt32.self)) }

  /// A count, bounded by what is left of the blob at `width` bytes an entry.
  mutating func count(width: Int) -> Int {
    min(Int(get(UInt32.self)), (data.count - offset) / max(width, 1))
  }

  mutating func head() -> Model.Head {
    (0..<count(width: 8)).map { _ in (item: get(Int32.self), score: float()) }
  }
}

/// What a stored model was trained on (`recs_model` `meta`).
public struct ModelInfo: Sendable, Equatable, Codable {
  public var trainedAt: String
  /// The last event time learned from (ISO 8601).
  public var until: String
  public var events: Int
  public var users: Int
  public var products: Int
  public var categories: Int
  /// Categories found to be re-bought, with their cycle in days.
  public var consumables: [String: Double]
  /// The events the last training added to the model before it (`nil`: it trained in full).
  public var added: Int?
  /// Why the last training could not add to the model before it and trained in full.
  public var fullBecause: String?

  enum CodingKeys: String, CodingKey {
    case events, users, products, categories, consumables, until, added
    case trainedAt = "trained_at"
    case fullBecause = "full_because"
  }
}

extension ModelInfo {
  /// The categories found to be re-bought, with their cycle in days (to a tenth).
  static func consumables(_ categories: [CategoryFacts]) -> [String: Double] {
    var consumables: [String: Double] = [:]
    for facts in categories where facts.rebuyDays > 0 {
      consumables[facts.name] = (Double(facts.rebuyDays) * 10).rounded() / 10
    }
    return consumables
  }
}

extension Model {
  /// Replaces the stored model with this one, inside the caller's transaction.
  func save(_ db: Database, info: ModelInfo, names: [String], keys: [Int64]) throws {
    try db.execute(sql: "DELETE FROM recs_item")
    try db.execute(sql: "DELETE FROM recs_user")
    try saveShared(db, info: info)
    try saveItems(db, keys.indices.map { (Int32($0), keys[$0], names[$0]) })
    try saveProfiles(db, userIndex.map { ($0.key, profiles[Int($0.value)]) })
  }

  /// Replaces the stored model's shared part (all but the items' lists and the profiles) and
  /// its state, keeping the weights set or tuned.
  func saveShared(_ db: Database, info: ModelInfo) throws {
    try db.execute(
      sql: "DELETE FROM recs_model WHERE name != 'weights' AND name NOT LIKE 'weights:%'")
    func put(_ name: String, _ data: Data) throws {
      try db.execute(
        sql: "INSERT INTO recs_model (name, value) VALUES (?, ?)", arguments: [name, data])
    }
    try put("format", Data(Self.format.utf8))
    // What tells a process holding the model that another was trained (``ModelCache``).
    try put("id", Data(UUID().uuidString.utf8))
    try put("meta", try JSONEncoder().encode(info))
    try put("end", Self.packed { $0.put(end) })
    if let state { try put("state", state.packed()) }
    try put("categories", try JSONEncoder().encode(categories))
    try put("category", Self.packed { packer in for kind in category { packer.put(kind) } })
    try put("brand", Self.packed { packer in for name in brand { packer.put(name) } })
    try put(
      "bestsellers", Self.packed { packer in for item in bestsellers.sorted() { packer.put(item) } }
    )
    try put(
      "heads",
      Self.packed { packer in
        packer.put(popular)
        packer.put(trending)
        packer.put(seasonal)
        packer.put(UInt32(categoryHeads.count))
        for head in categoryHeads { packer.put(head) }
      })
  }

  /// Writes the rows of `items`, new to the stored model, with their lists in this model.
  func saveItems(_ db: Database, _ items: [(item: Int32, key: Int64, product: String)]) throws {
    let statement = try db.makeStatement(
      sql: """
        INSERT INTO recs_item (item, key, product, similar, complements) VALUES (?, ?, ?, ?, ?)
        """)
    for (item, key, product) in items {
      try statement.execute(arguments: [
        item, key, product, packedList(similar, item), packedList(complements, item),
      ])
    }
  }

  /// Replaces the stored lists of `items` with theirs in this model (an update that leaves the
  /// rows' indexed columns alone).
  func updateLists(_ db: Database, _ items: [Int32]) throws {
    let statement = try db.makeStatement(
      sql: "UPDATE recs_item SET similar = ?, complements = ? WHERE item = ?")
    for item in items {
      try statement.execute(arguments: [
        packedList(similar, item), packedList(complements, item), item,
      ])
    }
  }

  private func packedList(_ lists: Lists, _ item: Int32) -> Data {
    Self.packed { packer in
      packer.put(lists.of(item).map { (item: lists.targets[$0], score: lists.scores[$0]) })
    }
  }

  /// Writes (or replaces) the profiles of `users`.
  func saveProfiles(_ db: Database, _ users: [(key: Int64, profile: Profile)]) throws {
    let statement = try db.makeStatement(
      sql: "INSERT OR REPLACE INTO recs_user (user, profile) VALUES (?, ?)")
    for (key, profile) in users { try statement.execute(arguments: [key, Self.pack(profile)]) }
  }

  /// The layout of the stored model; a model stored in another is trained again, never read.
  static let format = "mkt-recs-4"

  static func packed(_ body: (inout Packer) -> Void) -> Data {
    var packer = Packer()
    body(&packer)
    return packer.data
  }

  static func pack(_ profile: Profile) -> Data {
    packed { packer in
      packer.put(profile.country)
      packer.put(profile.asOf)
      packer.put(profile.recent.map { (item: $0.item, score: $0.weight) })
      packer.put(profile.baskets.map { (item: $0.item, score: $0.weight) })
      packer.put(profile.categories.map { (item: $0.category, score: $0.weight) })
      packer.put(profile.categoryTotal)
      packer.put(profile.brands.map { (item: $0.brand, score: $0.weight) })
      packer.put(UInt32(profile.purchases.count))
      for purchase in profile.purchases {
        packer.put(purchase.item)
        packer.put(purchase.last)
        packer.put(purchase.count)
      }
    }
  }

  static func unpack(_ data: Data) -> Profile {
    var reader = Unpacker(data)
    var profile = Profile()
    profile.country = reader.get()
    profile.asOf = reader.get()
    profile.recent = reader.head().map { (item: $0.item, weight: $0.score) }
    profile.baskets = reader.head().map { (item: $0.item, weight: $0.score) }
    profile.categories = reader.head().map { (category: $0.item, weight: $0.score) }
    profile.categoryTotal = reader.float()
    profile.brands = reader.head().map { (brand: $0.item, weight: $0.score) }
    profile.purchases = (0..<reader.count(width: 16)).map { _ in
      (item: reader.get(Int32.self), last: reader.get(Int64.self), count: reader.get(Int32.self))
    }
    return profile
  }

  /// The stored model's bestsellers alone (empty before the first training).
  ///
  /// - Throws: ``RecommendationError/staleModel`` for a model of another layout.
  static func storedBestsellers(_ db: Database) throws -> Set<Int32> {
    var parts: [String: Data] = [:]
    for row in try Row.fetchAll(
      db, sql: "SELECT name, value FROM recs_model WHERE name IN ('format', 'bestsellers')")
    {
      parts[row["name"]] = row["value"]
    }
    guard let format = parts["format"] else { return [] }
    guard String(decoding: format, as: UTF8.self) == Self.format else {
      throw RecommendationError.staleModel
    }
    return Set(Self.int32s(parts["bestsellers"]))
  }

  /// A packed array of `Int32`s.
  ///
  /// Read in one pass over the bytes: a million products' categories are read by every
  /// process that recommends.
  static func int32s(_ data: Data?) -> [Int32] {
    guard let data else { return [] }
    let count = data.count / 4
    return data.withUnsafeBytes { raw in
      [Int32](unsafeUninitializedCapacity: count) { buffer, initialized in
        for index in 0..<count {
          buffer[index] = Int32(
            littleEndian: raw.loadUnaligned(fromByteOffset: index * 4, as: Int32.self))
        }
        initialized = count
      }
    }
  }
}
