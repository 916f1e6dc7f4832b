import Foundation

/// Where fetches keep the bodies they download: files beside the database, named
/// `<database>.fetch-<pid>-<random>.partial`.
///
/// Beside the database rather than in `$TMPDIR`: that disk is the one the import fills anyway,
/// and a leftover is found where the user looks. Every exit path removes the file: the fetcher
/// on its errors and cancellation, the import when it is done with it, the command's signal
/// handler on SIGINT, SIGTERM or SIGHUP (``removeAll()``). Only SIGKILL (or a crash) can leave
/// one behind, and the next fetch against the same database sweeps the files of processes
/// that no longer run.
package struct FetchSpool: Sendable {
  /// The folder of the files.
  let folder: String
  /// The start of their names: the database's file name.
  let prefix: String
  /// Whether `folder` is `$TMPDIR` already: there is no other place to try.
  let isTemporary: Bool

  /// The spool of the database at `path`; `$TMPDIR` for an in-memory database.
  package init(beside path: String) {
    if path.isEmpty || path == ":memory:" {
      let temporary = NSTemporaryDirectory()
      folder = temporary.hasSuffix("/") ? String(temporary.dropLast()) : temporary
      prefix = "mkt"
      isTemporary = true
    } else {
      let url = URL(fileURLWithPath: path)
      folder = url.deletingLastPathComponent().path
      prefix = url.lastPathComponent
      isTemporary = false
    }
  }

  /// A new, empty file for one download, after sweeping the files of dead processes.
  ///
  /// A database in a folder mkt may not write (a dry run on someone else's database) has its
  /// downloads in `$TMPDIR` instead.
  ///
  /// - Throws: ``FetchError/spool(path:reason:)`` when it cannot be created.
  func create() throws(FetchError) -> FetchSpoolFile {
    sweep()
    let name = prefix + ".fetch-\(getpid())-" + Self.hex(UInt32.random(in: .min ... .max))
    let path = folder + "/" + name + ".partial"
    Self.live.insert(path)
    let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard descriptor >= 0 else {
      let code = errno
      Self.live.remove(path)
      if [EACCES, EPERM, EROFS].contains(code), !isTemporary {
        return try FetchSpool(beside: ":memory:").create()
      }
      throw .spool(path: path, reason: String(cString: strerror(code)))
    }
    return FetchSpoolFile(path: path, descriptor: descriptor)
  }

  /// Removes the files of this database's spool whose process no longer runs.
  ///
  /// A process that still runs keeps its file, even if its pid was reused by another: such a
  /// file goes at a later sweep.
  func sweep() {
    guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return }
    for name in names {
      guard let pid = Self.owner(of: name, prefix: prefix), pid != getpid(),
        kill(pid, 0) != 0, errno == ESRCH
      else { continue }
      unlink(folder + "/" + name)
    }
  }

  /// The pid in a spool file's name, or `nil` when `name` is not one of `prefix`'s.
  static func owner(of name: String, prefix: String) -> pid_t? {
    let start = prefix + ".fetch-"
    let end = ".partial"
    guard name.hasPrefix(start), name.hasSuffix(end),
      name.count > start.count + end.count
    else { return nil }
    let middle = name.dropFirst(start.count).dropLast(end.count).split(
      separator: "-", omittingEmptySubsequences: false)
    guard middle.count == 2, middle[1].count == 8,
      middle[1].allSatisfy(\.isHexDigit), let pid = pid_t(middle[0]), pid > 0
    else { return nil }
    return pid
  }

  /// Removes a file that ``create()`` made, and forgets it.
  package static func remove(_ path: String) {
    unlink(path)
    live.remove(path)
  }

  /// Removes every spool file this process still has: for a signal handler, before the
  /// process ends.
  package static func removeAll() {
    for path in live.removeAll() { unlink(path) }
  }

  /// `0000beef`.
  static func hex(_ value: UInt32) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: 8 - digits.count) + digits
  }

  /// The spool files of this process that exist now.
  static let live = LivePaths()
}

/// A set of paths shared by every task of the process.
final class LivePaths: @unchecked Sendable {
  // SAFETY: `paths` is read and written under `lock` only.
  private let lock = NSLock()
  private var paths: Set<String> = []

  func insert(_ path: String) {
    lock.lock()
    defer { lock.unlock() }
    paths.insert(path)
  }

  func remove(_ path: String) {
    lock.lock()
    defer { lock.unlock() }
    paths.remove(path)
  }

  func contains(_ path: String) -> Bool {
    lock.lock()
    defer { lock.unlock() }
    return paths.contains(path)
  }

  /// Empties the set, returning what it held.
  func removeAll() -> Set<String> {
    lock.lock()
    defer { lock.unlock() }
    let all = paths
    paths = []
    return all
  }
}

/// One download's file, open for writing; written by one transfer at a time.
final class FetchSpoolFile: @unchecked Sendable {
  // SAFETY: `handle` is used under `lock` only.
  let path: String
  private let lock = NSLock()
  private var handle: FileHandle?

  init(path: String, descriptor: Int32) {
    self.path = path
    handle = FileHandle(fileDescriptor: descriptor, closeOnDealloc: true)
  }

  /// Appends `data`.
  ///
  /// - Throws: ``FetchError/spool(path:reason:)`` on a write error (disk full).
  func write(_ data: Data) throws(FetchError) {
    lock.lock()
    defer { lock.unlock() }
    do {
      try handle?.write(contentsOf: data)
    } catch {
      throw .spool(path: path, reason: Self.reason(error))
    }
  }

  /// Empties the file, for another attempt or the next hop of a redirect.
  func reset() throws(FetchError) {
    lock.lock()
    defer { lock.unlock() }
    do {
      try handle?.truncate(atOffset: 0)
    } catch {
      throw .spool(path: path, reason: Self.reason(error))
    }
  }

  /// Closes the file, keeping it for the reader.
  func close() {
    lock.lock()
    defer { lock.unlock() }
    try? handle?.close()
    handle = nil
  }

  /// Closes and removes the file.
  func remove() {
    close()
    FetchSpool.remove(path)
  }

  /// The system's words for a write error ("No space left on device").
  private static func reason(_ error: any Error) -> String {
    let nsError = error as NSError
    if nsError.domain == NSPOSIXErrorDomain, let code = Int32(exactly: nsError.code) {
      return String(cString: strerror(code))
    }
    if let underlying = nsError.userInfo[NSUnderlyingErrorKey] as? NSError,
      underlying.domain == NSPOSIXErrorDomain, let code = Int32(exactly: underlying.code)
    {
      return String(cString: strerror(code))
    }
    return nsError.localizedDescription
  }
}
