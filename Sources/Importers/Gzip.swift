internal import CZlib

/// Streaming gzip decompression for ``ByteSource``: a fixed input buffer, output straight into
/// the reader's buffer, several gzip members in a row read as one stream (as `zcat` does).
final class Gzip {
  private var stream = z_stream()
  private let input: UnsafeMutableRawBufferPointer
  private var inputEnd = false
  private var finished = false

  init() throws(SourceError) {
    input = .allocate(byteCount: 1 << 16, alignment: 16)
    guard mkt_inflate_init_gzip(&stream) == Z_OK else {
      input.deallocate()
      throw .readFailed(path: "", reason: "zlib could not start")
    }
  }

  deinit {
    inflateEnd(&stream)
    input.deallocate()
  }

  /// Inflates into `destination`, pulling compressed bytes with `fill` as needed; 0 at the end.
  func read(
    into destination: UnsafeMutableRawPointer, capacity: Int, name: String,
    fill: (UnsafeMutableRawPointer, Int) throws(SourceError) -> Int
  ) throws(SourceError) -> Int {
    guard !finished, capacity > 0 else { return 0 }
    stream.next_out = destination.assumingMemoryBound(to: Bytef.self)
    stream.avail_out = UInt32(min(capacity, Int(UInt32.max)))
    while stream.avail_out > 0 {
      if stream.avail_in == 0 && !inputEnd { try refillInput(fill) }
      let status = inflate(&stream, Z_NO_FLUSH)
      if status == Z_STREAM_END {
        // Another gzip member may follow (as `cat a.gz b.gz` makes); nothing more ends it.
        if stream.avail_in == 0 && !inputEnd { try refillInput(fill) }
        if stream.avail_in == 0 {
          finished = true
          break
        }
        inflateReset(&stream)
        continue
      }
      if status == Z_BUF_ERROR && inputEnd {
        if stream.avail_out == UInt32(min(capacity, Int(UInt32.max))) {
          throw .corrupt(path: name, reason: "the gzip data ends early (truncated file)")
        }
        break
      }
      guard status == Z_OK || status == Z_BUF_ERROR else {
        let message = stream.msg.map { String(cString: $0) } ?? "error \(status)"
        throw .corrupt(path: name, reason: "not valid gzip data: \(message)")
      }
    }
    return min(capacity, Int(UInt32.max)) - Int(stream.avail_out)
  }

  /// Reads the next compressed bytes into the input buffer, or notes the end of them.
  private func refillInput(
    _ fill: (UnsafeMutableRawPointer, Int) throws(SourceError) -> Int
  ) throws(SourceError) {
    guard let base = input.baseAddress else { return }
    let count = try fill(base, input.count)
    if count == 0 {
      inputEnd = true
    } else {
      stream.next_in = base.assumingMemoryBound(to: Bytef.self)
      stream.avail_in = UInt32(count)
    }
  }
}
