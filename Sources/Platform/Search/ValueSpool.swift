import Foundation
import MktCore

/// Plain values written to an unnamed temporary file as they come, then read back in pieces:
/// a rebuild's 36 MB of per-product columns at a million products need not sit in memory
/// until they are saved.
///
/// The file is unlinked as soon as it is opened, so a killed process leaves nothing behind.
final class ValueSpool<Element: BitwiseCopyable>: @unchecked Sendable {
  // SAFETY: filled by one caller, then only read (by the save), never both at once.
  private let file: FileHandle
  private var buffer: [Element] = []
  /// The values appended so far.
  private(set) var count = 0
  private var failure: Int32 = 0

  /// Values per write and per piece read back (1 MiB).
  private static var piece: Int { max(1, (1 << 20) / MemoryLayout<Element>.stride) }

  init() throws {
    file = try FileHandle.unnamedTemporaryFile()
    buffer.reserveCapacity(Self.piece)
  }

  deinit { try? file.close() }

  func append(_ value: Element) {
    buffer.append(value)
    count += 1
    if buffer.count == Self.piece { flush() }
  }

  private func flush() {
    if failure == 0 {
      failure = buffer.withUnsafeBytes { Descriptor.writeAll(file.fileDescriptor, $0) }
    }
    buffer.removeAll(keepingCapacity: true)
  }

  /// The size of the values in bytes.
  var byteCount: Int { count * MemoryLayout<Element>.stride }

  /// Calls `body` with the values' bytes, in order, a piece at a time.
  ///
  /// - Throws: the error of a write or read of the file that failed.
  func eachPiece(_ body: (UnsafeRawBufferPointer) throws -> Void) throws {
    flush()
    guard failure == 0 else { throw POSIXError(POSIXErrorCode(rawValue: failure) ?? .EIO) }
    var piece = [UInt8](repeating: 0, count: Self.piece * MemoryLayout<Element>.stride)
    var offset = 0
    while offset < byteCount {
      let wanted = min(piece.count, byteCount - offset)
      let failed = piece.withUnsafeMutableBytes {
        Descriptor.readAll(
          file.fileDescriptor, into: UnsafeMutableRawBufferPointer(rebasing: $0[..<wanted]),
          at: offset)
      }
      guard failed == 0 else { throw POSIXError(POSIXErrorCode(rawValue: failed) ?? .EIO) }
      try piece.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<wanted])) }
      offset += wanted
    }
  }
}

extension FileHandle {
  /// An open file in the temporary directory, already unlinked: it goes when it is closed.
  static func unnamedTemporaryFile() throws -> FileHandle {
    let path =
      FileManager.default.temporaryDirectory
      .appendingPathComponent("mkt-spool-\(UUID().uuidString)").path
    guard FileManager.default.createFile(atPath: path, contents: nil),
      let file = FileHandle(forUpdatingAtPath: path)
    else {
      throw CocoaError(.fileWriteNoPermission, userInfo: [NSFilePathErrorKey: path])
    }
    unlink(path)
    return file
  }
}
