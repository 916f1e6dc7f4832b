import Foundation
import MktCore

#if canImport(Glibc)
import Glibc
#endif

/// Buffered output to standard output or to a file.
///
/// A file is written beside its final name and
/// renamed into place by ``finish()``, so a failed or interrupted run never leaves half a file.
final class OutputFile {
  private let path: String?
  private let temporary: String?
  private let descriptor: Int32
  /// The device or FIFO written in place, if that is where the output goes.
  private var device: String?
  private var buffer = ""

  /// Standard output for `nil` or `-`, else the file at `path`.
  ///
  /// The path is checked first (``OutputPath``): the database or its companions are refused, a
  /// device or FIFO is written in place, and a missing directory is named.
  init(path: String?, protecting databases: [String] = GlobalOptions.knownDatabases) throws {
    guard let path, path != "-" else {
      self.path = nil
      temporary = nil
      descriptor = 1
      return
    }
    switch try OutputPath.check(path, protecting: databases) {
    case .inPlace(let device):
      let fd = open(device, O_WRONLY | O_CLOEXEC)
      guard fd >= 0 else {
        throw OutputError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
      }
      self.path = nil
      temporary = nil
      descriptor = fd
      self.device = path
    case .replace(let target):
      let temporary = OutputPath.temporary(for: target, tag: "partial-\(getpid())")
      let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
      guard fd >= 0 else {
        throw OutputError.cannotCreate(path: path, reason: String(cString: strerror(errno)))
      }
      self.path = target
      self.temporary = temporary
      descriptor = fd
    }
    buffer.reserveCapacity(1 << 20)
  }

  func write(_ text: String) throws {
    buffer += text
    if buffer.utf8.count >= 1 << 20 { try flush() }
  }

  /// Writes what is buffered and, for a file, moves it into place.
  func finish() throws {
    try flush()
    if device != nil {
      close(descriptor)
      return
    }
    guard let path, let temporary else { return }
    close(descriptor)
    guard rename(temporary, path) == 0 else {
      let reason = String(cString: strerror(errno))
      unlink(temporary)
      throw OutputError.cannotCreate(path: path, reason: reason)
    }
  }

  /// Removes a half-written file after a failure.
  func abandon() {
    if device != nil { close(descriptor) }
    guard let temporary else { return }
    close(descriptor)
    unlink(temporary)
  }

  private func flush() throws {
    guard !buffer.isEmpty else { return }
    do {
      try RawWriter.write(buffer, to: descriptor)
    } catch {
      guard descriptor != 1, case .writeFailed(_, let reason) = error else { throw error }
      throw OutputError.writeFailed(stream: device ?? path ?? "the output", reason: reason)
    }
    buffer.removeAll(keepingCapacity: true)
  }
}

extension OutputFile {
  /// Standard output as a sink for a database reader closure.
  static func standardOutputSink() throws -> OutputSink { OutputSink(try OutputFile(path: nil)) }
}

/// An output file handed to a database reader closure (exports stream rows from one snapshot).
final class OutputSink: @unchecked Sendable {
  // SAFETY: used by one closure at a time (GRDB runs a read on one thread), under a lock.
  private let lock = NSLock()
  private let file: OutputFile

  init(_ file: OutputFile) { self.file = file }

  func write(_ text: String) throws {
    lock.lock()
    defer { lock.unlock() }
    try file.write(text)
  }

  func finish() throws {
    lock.lock()
    defer { lock.unlock() }
    try file.finish()
  }
}
