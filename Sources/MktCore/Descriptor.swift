#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Raw file-descriptor output and input, for the code that bypasses `FileHandle` (standard
/// output under a pipe, exports, database copies to a device, search's side file and spools).
public enum Descriptor {
  /// Writes all of `bytes` to `descriptor` with `write(2)`, or at `offset` with `pwrite(2)`,
  /// retrying short writes and `EINTR`.
  ///
  /// - Returns: 0 once every byte is written; else the `errno` of the write that failed
  ///   (`EPIPE`: the reader went away), `EIO` for a write that wrote nothing.
  public static func writeAll(
    _ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int? = nil
  ) -> Int32 {
    guard let base = bytes.baseAddress else { return 0 }
    var done = 0
    while done < bytes.count {
      let written =
        if let offset {
          pwrite(descriptor, base + done, bytes.count - done, off_t(offset + done))
        } else {
          write(descriptor, base + done, bytes.count - done)
        }
      if written < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if written == 0 { return EIO }
      done += written
    }
    return 0
  }

  /// Reads exactly `bytes.count` bytes at `offset` (`pread(2)`), retrying short reads and
  /// `EINTR`.
  ///
  /// - Returns: 0 once every byte is read; else the `errno` of the read that failed, `EIO`
  ///   when the file ends first.
  public static func readAll(
    _ descriptor: Int32, into bytes: UnsafeMutableRawBufferPointer, at offset: Int
  ) -> Int32 {
    guard let base = bytes.baseAddress else { return 0 }
    var done = 0
    while done < bytes.count {
      let read = pread(descriptor, base + done, bytes.count - done, off_t(offset + done))
      if read < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if read == 0 { return EIO }
      done += read
    }
    return 0
  }
}
