import Foundation
import GRDB
internal import GRDBSQLite
import Store

extension SearchColumns {
  /// The layout of ``Entry`` as saved: a copy saved in another layout (by another version of
  /// mkt) is not read, and the next save replaces it.
  static let format: Int64 = 3
  /// The layout number of the mark saved for a catalog whose values do not fit an entry.
  static let notKept: Int64 = -1

  /// Writes the arrays to `search_column`, replacing any older copy (in `db`'s transaction).
  func save(_ db: Database) throws {
    try entries.withUnsafeBytes { entries in
      try shipping.withUnsafeBytes { shipping in
        try save(db, entries: Pieces(entries), shipping: Pieces(shipping))
      }
    }
  }

  /// Writes the counts and value tables, with `entries` and `shipping` as the bytes of those
  /// arrays (held elsewhere), to `search_column` and the file beside the database.
  func save(_ db: Database, entries: Pieces, shipping: Pieces) throws {
    // The `postings` row stamps `search_posting` (see `Postings.saveFrequent`).
    try db.execute(sql: "DELETE FROM search_column WHERE name != 'postings'")
    func put(_ name: String, _ data: Data) throws {
      try db.execute(
        sql: "INSERT INTO search_column (name, version, data) VALUES (?, ?, ?)",
        arguments: [name, version, data])
    }
    try put("counts", Self.bytes([Int64(rows), Int64(tokens), Self.format]))
    try Self.put("entries", entries, version: version, db)
    try Self.put("shipping", shipping, version: version, db)
    let encoder = JSONEncoder()
    try put("merchants", try encoder.encode(merchants))
    try put("brands", try encoder.encode(brands))
    try put("categories", try encoder.encode(categories))
    try put("currencies", try encoder.encode(currencies))
    try put("availabilities", try encoder.encode(availabilities))
    try put("languages", try encoder.encode(languages))
    try put("shippings", try encoder.encode(shippings))
    let (file, stamp) = try SearchColumnsCache.identity(db)
    if !file.isEmpty {
      writeSideFile(database: file, stamp: stamp, entries: entries, shipping: shipping)
    }
  }

  /// The copy in `search_column` when it was built from `version`; `nil` otherwise.
  static func load(_ db: Database, version: Int64) throws -> SearchColumns? {
    var blobs: [String: Data] = [:]
    let rows = try Row.fetchCursor(
      db,
      sql: """
        SELECT name, data FROM search_column
        WHERE version = ? AND name NOT IN ('entries', 'shipping')
        """,
      arguments: [version])
    while let row = try rows.next() { blobs[row["name"]] = row["data"] }
    func array<T: BitwiseCopyable>(_ name: String, _: T.Type) -> [T]? {
      guard let data = blobs[name], data.count % MemoryLayout<T>.stride == 0 else { return nil }
      return data.withUnsafeBytes { Array($0.bindMemory(to: T.self)) }
    }
    let decoder = JSONDecoder()
    func strings(_ name: String) -> [String]? {
      blobs[name].flatMap { try? decoder.decode([String].self, from: $0) }
    }
    guard let counts = array("counts", Int64.self), counts.count == 3, counts[2] == Self.format,
      let (entries, shipping) = try entriesAndShipping(version: version, db),
      shipping.count == entries.count,
      let merchants = strings("merchants"), let brands = strings("brands"),
      let categories = strings("categories"), let currencies = strings("currencies"),
      let availabilities = strings("availabilities"), let languages = strings("languages"),
      let shippings = strings("shippings")
    else { return nil }
    let columns = SearchColumns(
      version: version, rows: Int(counts[0]), tokens: Int(counts[1]), entries: entries,
      shipping: shipping, merchants: merchants, brands: brands, categories: categories,
      currencies: currencies,
      availabilities: availabilities, languages: languages, shippings: shippings)
    // A damaged copy is rebuilt rather than trusted: every number must name a value. A mapped
    // copy is not read through for this (that would cost what mapping saves): its header must
    // match the stamps and its size, and search checks each entry it reads (``Limits``).
    return columns.entries.isMapped || columns.isConsistent ? columns : nil
  }

  /// The saved entries and shipping sets of catalog `version`: mapped from the file beside the
  /// database when it holds them, else copied out of `search_column`.
  static func entriesAndShipping(version: Int64, _ db: Database) throws
    -> (PlainArray<Entry>, PlainArray<Int32>)?
  {
    let (file, stamp) = try SearchColumnsCache.identity(db)
    if !file.isEmpty,
      let mapped = mappedSideFile(database: file, version: version, stamp: stamp)
    {
      return mapped
    }
    guard let entries = try read("entries", Entry.self, version: version, db),
      let shipping = try read("shipping", Int32.self, version: version, db)
    else { return nil }
    return (PlainArray(entries), PlainArray(shipping))
  }

  /// The sizes of the value tables, to check entries against in a loop: an entry with a number
  /// naming no value (only a damaged file's could) is read as no product.
  struct Limits {
    private let bounds: SIMD8<UInt32>

    init(_ columns: SearchColumns) {
      bounds = SIMD8(
        UInt32(columns.merchants.count), UInt32(columns.brands.count),
        UInt32(columns.categories.count), UInt32(columns.categories.count),
        UInt32(columns.currencies.count), UInt32(columns.availabilities.count),
        UInt32(columns.languages.count), 0)
    }

    /// Whether every number of `entry` names a value: each number plus one, unsigned, is at
    /// most its table's size (-1, none, becomes 0; anything below -1 wraps past every size).
    @inline(__always)
    func names(_ entry: Entry) -> Bool {
      let fields = SIMD8<UInt32>(
        UInt32(bitPattern: entry.merchant &+ 1), UInt32(bitPattern: entry.brand &+ 1),
        UInt32(bitPattern: entry.googleCategory &+ 1), UInt32(bitPattern: entry.productType &+ 1),
        UInt32(bitPattern: Int32(entry.currency) &+ 1),
        UInt32(bitPattern: Int32(entry.availability) &+ 1),
        UInt32(bitPattern: Int32(entry.language) &+ 1), 0)
      return all(fields .<= bounds)
    }
  }

  /// Whether every entry's numbers fall within the value tables.
  var isConsistent: Bool {
    let limits = Limits(self)
    return entries.withUnsafeBufferPointer { $0.allSatisfy(limits.names) }
      && shipping.allSatisfy { $0 >= -1 && Int($0) < shippings.count }
  }

  /// A large array, copied once from the database pages (a `Data` in between would copy it
  /// twice more: 32 MB of entries at a million products).
  static func read<T: BitwiseCopyable>(
    _ name: String, _: T.Type, version: Int64, _ db: Database
  ) throws -> [T]? {
    guard
      let rowid = try Int64.fetchOne(
        db, sql: "SELECT rowid FROM search_column WHERE name = ? AND version = ?",
        arguments: [name, version])
    else { return nil }
    var blob: OpaquePointer?
    guard
      sqlite3_blob_open(db.sqliteConnection, "main", "search_column", "data", rowid, 0, &blob)
        == SQLITE_OK, let blob
    else {
      sqlite3_blob_close(blob)
      return nil
    }
    defer { sqlite3_blob_close(blob) }
    let bytes = Int(sqlite3_blob_bytes(blob))
    let stride = MemoryLayout<T>.stride
    guard bytes % stride == 0 else { return nil }
    var failed = false
    let values = [T](unsafeUninitializedCapacity: bytes / stride) { buffer, count in
      failed = sqlite3_blob_read(blob, buffer.baseAddress, Int32(bytes), 0) != SQLITE_OK
      // Bitwise values: any bytes are a valid (if wrong) value, and a failure is not used.
      count = bytes / stride
    }
    return failed ? nil : values
  }

  static func bytes<T: BitwiseCopyable>(_ values: [T]) -> Data {
    values.withUnsafeBytes { Data($0) }
  }

  /// Saves a large value in pieces as they come: bound as one value, SQLite would first copy
  /// all 32 MB of a million products' entries.
  static func put(_ name: String, _ bytes: Pieces, version: Int64, _ db: Database) throws {
    try insert(
      bytes, into: "search_column", db,
      sql: "INSERT INTO search_column (name, version, data) VALUES (?, ?, zeroblob(?))",
      arguments: [name, version, bytes.count])
  }

  /// Inserts a row with `sql`, which gives its `data` column `bytes.count` zero bytes
  /// (`zeroblob`), then writes `bytes` into it a piece at a time.
  static func insert(
    _ bytes: Pieces, into table: String, _ db: Database, sql: String,
    arguments: StatementArguments
  ) throws {
    try db.execute(sql: sql, arguments: arguments)
    guard bytes.count > 0 else { return }
    var blob: OpaquePointer?
    let opened = sqlite3_blob_open(
      db.sqliteConnection, "main", table, "data", db.lastInsertedRowID, 1, &blob)
    defer { sqlite3_blob_close(blob) }
    guard opened == SQLITE_OK else { throw DatabaseError(resultCode: ResultCode(rawValue: opened)) }
    var offset = 0
    try bytes.each { piece in
      guard let base = piece.baseAddress else { return }
      for start in stride(from: 0, to: piece.count, by: 1 << 20) {
        let count = min(1 << 20, piece.count - start, bytes.count - offset)
        let written = sqlite3_blob_write(blob, base + start, Int32(count), Int32(offset))
        guard written == SQLITE_OK else {
          throw DatabaseError(resultCode: ResultCode(rawValue: written))
        }
        offset += count
      }
    }
  }
}

/// The columns per database file, kept while the catalog's version stays the same.
final class SearchColumnsCache: @unchecked Sendable {
  // SAFETY: `entries` is read and written under `lock` only.
  private let lock = NSLock()
  private var entries: [String: (stamp: Int64, columns: SearchColumns)] = [:]

  /// The current columns of `db`'s catalog: from memory, else from `search_column`, else
  /// built from the catalog (all in the caller's transaction, so they match what it reads);
  /// `identity` is ``identity(_:)`` of `db`, which the caller reads once for both caches.
  func columns(_ db: Database, identity: (file: String, stamp: Int64)) throws -> SearchColumns {
    let version = try SearchColumns.currentVersion(db)
    let (file, stamp) = identity
    // A database in memory has no name to remember it by.
    guard !file.isEmpty else {
      return try SearchColumns.load(db, version: version) ?? Self.build(db, version)
    }
    lock.lock()
    let cached = entries[file]
    lock.unlock()
    if let cached, cached.stamp == stamp, cached.columns.version == version {
      return cached.columns
    }
    let columns = try SearchColumns.load(db, version: version) ?? Self.build(db, version)
    lock.lock()
    entries[file] = (stamp, columns)  // one copy per file: the older one goes
    lock.unlock()
    return columns
  }

  /// Builds the columns, unless a save found that this catalog's values do not fit them.
  static func build(_ db: Database, _ version: Int64) throws -> SearchColumns {
    let marked = try Int.fetchOne(
      db, sql: "SELECT 1 FROM search_column WHERE name = 'counts' AND version = ? AND data = ?",
      arguments: [version, SearchColumns.bytes([0, 0, SearchColumns.notKept])])
    if marked != nil { throw TooManyValues() }
    return try SearchColumns.build(db)
  }

  /// The file of `db` (empty in memory) and the random stamp every write to `product`
  /// changes: the version alone could meet again in a file restored under the same name.
  static func identity(_ db: Database) throws -> (file: String, stamp: Int64) {
    let file =
      try String.fetchOne(db, sql: "SELECT file FROM pragma_database_list WHERE name = 'main'")
      ?? ""
    let stamp = try Int64.fetchOne(db, sql: "SELECT stamp FROM search_state") ?? 0
    return (file, stamp)
  }
}
