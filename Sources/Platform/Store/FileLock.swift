import Foundation
public import MktCore

/// An exclusive lock on a file beside the database, for jobs that must not run twice at once.
///
/// For a cron stock sync. `flock(2)`, so the kernel releases it when the holder dies, SIGKILL
/// included, and it interoperates with util-linux `flock`. Held until released or deinit.
public final class FileLock: @unchecked Sendable {
  // SAFETY: `descriptor` is set once in init and closed once in release, never concurrently.
  private var descriptor: Int32
  /// The pid that held the lock before, if it died holding it (a killed run): the caller may
  /// say it took over.
  public let staleHolder: Int32?

  /// Takes the lock at `path`, or fails at once if another process holds it.
  ///
  /// - Throws: ``LockError/held(path:pid:)`` (75) naming the holder's pid when it wrote one;
  ///   ``LockError/cannotOpen(path:reason:)`` (73).
  public init(path: String) throws(LockError) {
    // O_CLOEXEC: without it the lock leaks into child processes (RELIABILITY.md §6).
    let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard fd >= 0 else {
      throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
    }
    let previous = Self.pid(in: fd)
    guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
      let error = errno
      close(fd)
      if error == EWOULDBLOCK { throw .held(path: path, pid: previous) }
      throw .cannotOpen(path: path, reason: String(cString: strerror(error)))
    }
    descriptor = fd
    // The file still names the last holder: it died without releasing (the kernel did).
    staleHolder = previous.flatMap { $0 != getpid() && kill($0, 0) != 0 ? $0 : nil }
    let text = "\(getpid())\n"
    _ = ftruncate(fd, 0)
    _ = text.withCString { pwrite(fd, $0, strlen($0), 0) }
  }

  deinit { release() }

  /// Releases the lock and clears the pid, so the next holder sees a clean hand-over.
  public func release() {
    guard descriptor >= 0 else { return }
    _ = ftruncate(descriptor, 0)
    // Unlocked before the close: a child forked by another thread of this process holds a
    // copy of the descriptor until it execs, and the lock would outlive the close until then.
    _ = flock(descriptor, LOCK_UN)
    close(descriptor)
    descriptor = -1
  }

  private static func pid(in fd: Int32) -> Int32? {
    var buffer = [UInt8](repeating: 0, count: 32)
    let count = pread(fd, &buffer, buffer.count, 0)
    guard count > 0 else { return nil }
    let text = String(decoding: buffer[..<count], as: UTF8.self)
    return Int32(text.trimmingCharacters(in: .whitespacesAndNewlines))
  }
}

/// A job lock that could not be taken.
public enum LockError: MktError, Equatable {
  case held(path: String, pid: Int32?)
  case cannotOpen(path: String, reason: String)

  public var exitStatus: SysExit {
    switch self {
    case .held: .tempFail
    case .cannotOpen: .cantCreate
    }
  }

  public var description: String {
    switch self {
    case .held(_, let pid):
      "a sync is already running" + (pid.map { ", pid \($0)" } ?? "")
    case .cannotOpen(let path, let reason): "cannot open the lock file \(path): \(reason)"
    }
  }

  public var hint: String? {
    switch self {
    case .held(let path, _):
      "try again when it has finished; the lock (\(path)) is released when its holder exits"
    case .cannotOpen: "the lock file sits beside the database: that folder must be writable"
    }
  }
}
