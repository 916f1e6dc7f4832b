import Foundation
import GRDB
import MktCore
import Store

#if canImport(Glibc)
import Glibc
#endif

extension OrderService {
  /// What an export wrote.
  public struct ExportResult: Sendable, Equatable, Encodable {
    public var orders: Int
    public var lines: Int
    /// Order ids written: after `after`, up to and including `through`.
    public var after: Int64
    public var through: Int64
    public var watermark: String?
    /// Orders of an export killed after its file was in place, counted now.
    public var recovered: Int

    enum CodingKeys: String, CodingKey {
      case orders, lines, after, through, watermark, recovered
    }
  }

  /// Writes orders to `path` (or to `write` when `path` is nil).
  ///
  /// With a `watermark` name, only orders after the last export of that name are written, and
  /// the watermark moves only once the file is complete, flushed to disk and renamed into place.
  /// A run killed at any point neither skips nor repeats an order: a pending export is recorded
  /// before its file is written, and the next run finishes it (the file was renamed into place)
  /// or discards it (it was not).
  public func export(
    _ export: OrderExport, to path: String?, watermark: String? = nil,
    write: @escaping @Sendable (String) throws -> Void = { _ in }
  ) async throws -> ExportResult {
    var start: Int64 = 0
    var recovered = 0
    if let watermark {
      guard let path, path != "-" else {
        throw OrderError.invalidRequest(
          "an export with a watermark writes to a file (-o FILE), so that it can be made durable first"
        )
      }
      (start, recovered) = try await Self.recover(watermark, store)
    }
    let after = start
    let through = try await store.read { db in
      try Int64.fetchOne(db, sql: "SELECT coalesce(max(id), 0) FROM orders") ?? 0
    }
    guard let path, path != "-" else {
      let counts = try await store.read { db in
        try export.write(after: after, through: through, db, write)
      }
      return ExportResult(
        orders: counts.orders, lines: counts.lines, after: after, through: through,
        watermark: nil, recovered: 0)
    }
    // The pending export is recorded in two steps around the creation of its partial file:
    // first the file alone (a run killed then left at most a partial file to delete), then the
    // orders it holds (a run killed after that either renamed the file into place or not).
    if let watermark {
      try await store.write(.full) { db in
        try db.execute(
          sql: """
            INSERT INTO export_watermark (name, last_order_id, exported, pending_to, pending_file)
            VALUES (?1, 0, 0, NULL, ?2)
            ON CONFLICT (name) DO UPDATE SET pending_to = NULL, pending_file = ?2
            """, arguments: [watermark, path])
      }
    }
    let file = try DurableFile(path: path, protecting: store.path)
    if let watermark {
      try await store.write(.full) { db in
        try db.execute(
          sql: "UPDATE export_watermark SET pending_to = ?2 WHERE name = ?1",
          arguments: [watermark, through])
      }
    }
    let counts: (orders: Int, lines: Int)
    do {
      counts = try await store.read { db in
        try export.write(after: after, through: through, db) { try file.write($0) }
      }
      try file.commit()
    } catch {
      // The partial file tells the next run this export never appeared: it is deleted only
      // once the watermark no longer counts on it (see ``recover(_:_:)``).
      if let watermark {
        let forgotten =
          (try? await store.write(.full) { db in
            try db.execute(
              sql: "UPDATE export_watermark SET pending_to = NULL WHERE name = ?",
              arguments: [watermark])
          }) != nil
        if forgotten { file.abandon() } else { file.release() }
      } else {
        file.abandon()
      }
      throw error
    }
    if let watermark {
      try await store.write(.full) { db in
        try db.execute(
          sql: """
            UPDATE export_watermark SET last_order_id = pending_to,
              exported = exported + ?2, pending_to = NULL, pending_file = NULL,
              updated_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now')
            WHERE name = ?1
            """, arguments: [watermark, counts.orders])
      }
    }
    return ExportResult(
      orders: counts.orders, lines: counts.lines, after: after, through: through,
      watermark: watermark, recovered: recovered)
  }

  /// The watermark of `name` after settling an export that a killed run left pending.
  ///
  /// A pending export whose partial file is gone was renamed into place: it counts as done.
  /// One whose partial file is still there never appeared: the orders it was to hold are
  /// forgotten first (committed), and only then is its partial file deleted, so that a run
  /// killed in between never leaves "pending, no partial file" for one that was not renamed
  /// (which the next run would count as done, skipping its orders).
  static func recover(_ name: String, _ store: Store) async throws -> (Int64, Int) {
    let (last, recovered, leftover) = try await store.write(.full) {
      db -> (Int64, Int, String?) in
      guard
        let row = try Row.fetchOne(
          db,
          sql:
            "SELECT last_order_id, pending_to, pending_file FROM export_watermark WHERE name = ?",
          arguments: [name])
      else { return (0, 0, nil) }
      let last: Int64 = row["last_order_id"]
      guard let file = row["pending_file"] as String? else { return (last, 0, nil) }
      let partial = OutputPath.temporary(for: file, tag: "partial")
      if let to = row["pending_to"] as Int64?, !FileManager.default.fileExists(atPath: partial) {
        // Killed after the rename: the file is in place; count it as done.
        let count =
          try Int.fetchOne(
            db, sql: "SELECT count(*) FROM orders WHERE id > ? AND id <= ?",
            arguments: [last, to]) ?? 0
        try db.execute(
          sql: """
            UPDATE export_watermark SET last_order_id = pending_to, exported = exported + ?,
              pending_to = NULL, pending_file = NULL WHERE name = ?
            """, arguments: [count, name])
        return (to, count, nil)
      }
      // Killed before the rename, or while opening its file: it never appeared.
      try db.execute(
        sql: "UPDATE export_watermark SET pending_to = NULL WHERE name = ?", arguments: [name])
      return (last, 0, partial)
    }
    if let leftover {
      if FileManager.default.fileExists(atPath: leftover) { unlink(leftover) }
      try await store.write(.full) { db in
        try db.execute(
          sql: "UPDATE export_watermark SET pending_file = NULL WHERE name = ?", arguments: [name])
      }
    }
    return (last, recovered)
  }
}

/// A file written under a temporary name, flushed to disk, then renamed into place (and the
/// directory flushed), so it appears whole or not at all.
final class DurableFile: @unchecked Sendable {
  // SAFETY: written by one export closure at a time; GRDB runs a read on one thread.
  private let temporary: String?
  private let final: String
  private let descriptor: Int32

  /// Opens `path` for an export.
  ///
  /// A regular file is written as `path.partial` and renamed on ``commit()``; a device or FIFO
  /// is written in place (``OutputPath``). The database and its companions are refused.
  init(path: String, protecting database: String) throws {
    switch try OutputPath.check(path, protecting: [database]) {
    case .inPlace(let device):
      temporary = nil
      final = device
      descriptor = open(device, O_WRONLY | O_CLOEXEC)
    case .replace(let target):
      let partial = OutputPath.temporary(for: target, tag: "partial")
      temporary = partial
      final = target
      descriptor = open(partial, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    }
    guard descriptor >= 0 else {
      throw OrderError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
    }
    // The temporary file must exist on disk before an export is recorded as pending.
    if let temporary { Self.syncDirectory(of: temporary) }
  }

  func write(_ text: String) throws {
    var text = text
    let failure = text.withUTF8 { Descriptor.writeAll(descriptor, UnsafeRawBufferPointer($0)) }
    if failure != 0 {
      throw OrderError.writeFailed(path: final, reason: String(cString: strerror(failure)))
    }
  }

  func commit() throws {
    guard let temporary else {
      close(descriptor)
      return
    }
    guard fsync(descriptor) == 0 else {
      throw OrderError.writeFailed(path: final, reason: String(cString: strerror(errno)))
    }
    close(descriptor)
    guard rename(temporary, final) == 0 else {
      throw OrderError.cannotCreate(path: final, reason: String(cString: strerror(errno)))
    }
    Self.syncDirectory(of: final)
  }

  func abandon() {
    close(descriptor)
    if let temporary { unlink(temporary) }
  }

  /// Closes the file and leaves it where it is.
  func release() {
    close(descriptor)
  }

  static func syncDirectory(of path: String) {
    let directory = (path as NSString).deletingLastPathComponent
    let fd = open(directory.isEmpty ? "." : directory, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { return }
    fsync(fd)
    close(fd)
  }
}
