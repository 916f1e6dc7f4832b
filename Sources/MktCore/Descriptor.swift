#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Raw file-descriptor output, for the writers that bypass `FileHandle` (standard output under
/// a pipe, exports, database copies to a device, search's side file).
public enum Descriptor {
  /// Writes all of `bytes` to `descriptor` with `write(2)`, or at `offset` with `pwrite(2)`,
  /// retrying short writes and `EINTR`.
  ///
  /// - Returns: 0 once every byte is written; else the `errno` of the write that failed
  ///   (`EPIPE`: the reader went away), `EIO` for a write that wrote nothing.
  public static func writeAll(
    _ descriptor: Int32, _ bytes: UnsafeRawBufferPointer, at offset: Int? = nil
  ) -> Int32 {
    guard var pointer = bytes.baseAddress else { return 0 }
    var remaining = bytes.count
    var done = 0
    while remaining > 0 {
      let written =
        if let offset {
          pwrite(descriptor, pointer, remaining, off_t(offset + done))
        } else {
          write(descriptor, pointer, remaining)
        }
      if written < 0 {
        if errno == EINTR { continue }
        return errno
      }
      if written == 0 { return EIO }
      remaining -= written
      pointer += written
      done += written
    }
    return 0
  }
}
