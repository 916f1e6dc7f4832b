import Foundation
import MktCore

/// Writes a file beside the database that new processes map instead of reading the database's
/// copy (the per-product columns, the vocabulary): a new file is written whole under another
/// name, then renamed over the old one, so that a process still mapping the old one keeps it.
///
/// Best effort: when the directory cannot be written, searches read the database's copy.
struct SideFileWriter: ~Copyable {
  private let path: String
  private let temporary: String
  private let descriptor: Int32
  private var failed = false

  /// A writer of a new `path`, or `nil` when its temporary file cannot be created.
  init?(path: String) {
    self.path = path
    temporary = path + "-new"
    descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else { return nil }
  }

  /// Appends `bytes`; a failed write fails ``finish()``.
  mutating func append(_ bytes: UnsafeRawBufferPointer) {
    if !failed { failed = Descriptor.writeAll(descriptor, bytes) != 0 }
  }

  /// Marks the file as failed: ``finish()`` removes it.
  mutating func fail() { failed = true }

  /// Appends the bytes of `values`.
  mutating func append<T: BitwiseCopyable>(_ values: [T]) {
    values.withUnsafeBytes { append($0) }
  }

  /// Puts the file in place; whether it was.
  consuming func finish() -> Bool {
    guard close(descriptor) == 0, !failed, rename(temporary, path) == 0 else {
      unlink(temporary)
      return false
    }
    return true
  }
}

extension MappedFile {
  /// The first `count` 64-bit numbers of the file (a side file's header); `nil` when it is
  /// shorter.
  func header(_ count: Int) -> [Int64]? {
    guard size >= count * MemoryLayout<Int64>.size else { return nil }
    return (0..<count).map {
      bytes.loadUnaligned(fromByteOffset: $0 * MemoryLayout<Int64>.size, as: Int64.self)
    }
  }
}
