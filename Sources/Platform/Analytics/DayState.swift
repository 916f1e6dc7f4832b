import Foundation
import GRDB

/// An event with its texts as ids: what the rollups count and the raw blocks keep, the same
/// whether it was just read or is replayed.
struct EncodedEvent: Equatable {
  var day: Int64
  var ts: Int64
  var type: EventType
  var user: Int64
  var session: Int64
  var segment: Int64
  var country: Int64
  var product: Int64
  var query: Int64
  var priceMinor: Int64?
  var currency: Int64
  var results: Int64?
  var experiment: Int64 = 0
  var variant: Int64 = 0
}

/// Raw events as `analytics_block` keeps them: fixed 96-byte little-endian records.
enum EventBlock {
  static let recordSize = 96
  private static let none = Int64.min

  /// Appends `event` to `bytes`.
  static func append(_ event: EncodedEvent, to bytes: inout [UInt8]) {
    let start = bytes.count
    bytes.append(contentsOf: repeatElement(0, count: recordSize))
    bytes.withUnsafeMutableBytes { raw in
      func put(_ index: Int, _ field: Int64) {
        raw.storeBytes(of: field.littleEndian, toByteOffset: start + index * 8, as: Int64.self)
      }
      put(0, event.ts)
      put(1, event.user)
      put(2, event.session)
      put(3, event.segment)
      put(4, event.product)
      put(5, event.query)
      put(6, event.priceMinor ?? none)
      put(7, event.currency)
      put(8, event.experiment)
      put(9, event.variant)
      put(10, event.country)
      put(11, (event.results ?? -1) << 8 | Int64(event.type.rawValue))
    }
  }

  /// Calls `body` with every event of a block, in order.
  static func forEach(_ data: Data, day: Int64, _ body: (EncodedEvent) throws -> Void) rethrows {
    try data.withUnsafeBytes { raw in try forEach(raw, day: day, body) }
  }

  /// Calls `body` with every event of a block's bytes, in order.
  static func forEach(
    _ raw: UnsafeRawBufferPointer, day: Int64, _ body: (EncodedEvent) throws -> Void
  ) rethrows {
    var offset = 0
    while offset + recordSize <= raw.count {
      func field(_ index: Int) -> Int64 {
        Int64(littleEndian: raw.loadUnaligned(fromByteOffset: offset + index * 8, as: Int64.self))
      }
      let packed = field(11)
      if let type = EventType(rawValue: Int(packed & 0xFF)) {
        let results = packed >> 8
        try body(
          EncodedEvent(
            day: day, ts: field(0), type: type, user: field(1), session: field(2),
            segment: field(3), country: field(10), product: field(4), query: field(5),
            priceMinor: field(6) == none ? nil : field(6), currency: field(7),
            results: results < 0 ? nil : results, experiment: field(8), variant: field(9)))
      }
      offset += recordSize
    }
  }
}

/// What ingest remembers about one day to count its later events exactly: the keys of the
/// events stored, its sessions and its visitors; loaded from `analytics_state` when first met,
/// saved by ``save(_:)``.
final class DayState {
  /// A session's segment (of its first event that day), flags and pending search.
  struct Session: Equatable {
    var segment: Int64
    var flags: Int64
    var query: Int64
    var queryTS: Int64
  }

  enum Part: Int64 {
    case keys = 1
    case sessions = 2
    case visitors = 3
  }

  let day: Int64
  /// Event keys stored that day, with the digests of their content.
  var keys = Int64Map<Int64>()
  var sessions = Int64Map<Session>()
  /// Users seen that day, with the segment of their first event.
  var visitors = Int64Map<Int64>()
  /// Events of the day added since the state was loaded, as a block to store.
  var block: [UInt8] = []
  var blockCount = 0
  /// The parts changed since the last save, as bits (1 << part).
  private var changed = 0

  /// Loads the day's stored state (the keys only with `keys`).
  init(day: Int64, _ db: Database, keys loadKeys: Bool = true) throws {
    self.day = day
    var keys = Int64Map<Int64>()
    var sessions = Int64Map<Session>()
    var visitors = Int64Map<Int64>()
    for row in try Row.fetchAll(
      db.cachedStatement(sql: "SELECT part, data FROM analytics_state WHERE day = ?"),
      arguments: [day])
    {
      let data: Data = row["data"]
      switch Part(rawValue: row["part"]) {
      case .keys where loadKeys:
        keys = Int64Map(capacity: data.count / 16)
        Self.read(data, width: 2) { keys[$0[0]] = $0[1] }
      case .sessions:
        Self.read(data, width: 5) {
          sessions[$0[0]] = Session(segment: $0[1], flags: $0[2], query: $0[3], queryTS: $0[4])
        }
      case .visitors: Self.read(data, width: 2) { visitors[$0[0]] = $0[1] }
      default: break
      }
    }
    (self.keys, self.sessions, self.visitors) = (keys, sessions, visitors)
  }

  func touch(_ part: Part) { changed |= 1 << Int(part.rawValue) }

  /// Writes the parts that changed and the new events' block.
  func save(_ db: Database) throws {
    try saveBlock(db)
    let put = try db.cachedStatement(
      sql: "INSERT OR REPLACE INTO analytics_state (day, part, data) VALUES (?, ?, ?)")
    for part in [Part.keys, .sessions, .visitors] where changed & (1 << Int(part.rawValue)) != 0 {
      var packer = Packer()
      switch part {
      case .keys: keys.each { packer.add($0, $1) }
      case .sessions:
        sessions.each { packer.add($0, $1.segment, $1.flags, $1.query, $1.queryTS) }
      case .visitors: visitors.each { packer.add($0, $1) }
      }
      try put.execute(arguments: [day, part.rawValue, Data(packer.bytes)])
    }
    changed = 0
  }

  /// Writes the events added since the last block as a block of their own (the state stays in
  /// memory, to be saved once at the end).
  func saveBlock(_ db: Database) throws {
    guard blockCount > 0 else { return }
    try db.cachedStatement(
      sql: "INSERT INTO analytics_block (day, count, events) VALUES (?, ?, ?)"
    ).execute(arguments: [day, blockCount, Data(block)])
    block.removeAll(keepingCapacity: true)
    blockCount = 0
  }

  /// Reads packed little-endian rows of `width` Int64s.
  static func read(_ data: Data, width: Int, _ body: ([Int64]) -> Void) {
    data.withUnsafeBytes { raw in
      var row = [Int64](repeating: 0, count: width)
      var offset = 0
      while offset + width * 8 <= raw.count {
        for index in 0..<width {
          row[index] = Int64(
            littleEndian: raw.loadUnaligned(fromByteOffset: offset + index * 8, as: Int64.self))
        }
        body(row)
        offset += width * 8
      }
    }
  }
}

/// Packs Int64s little-endian, for the state's arrays.
struct Packer {
  private(set) var bytes: [UInt8] = []

  mutating func add(_ values: Int64...) {
    for value in values {
      withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
    }
  }
}
