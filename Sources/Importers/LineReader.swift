public import MktCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a source line by line (JSON lines), in large chunks, holding at most one line of at most
/// `maxLineBytes` beyond the chunk: a longer line is an error as soon as its bytes exceed the
/// limit, whatever the file's size.
public final class LineReader {
  private let source: ByteSource
  private var buffer: [UInt8]
  private var start = 0
  private var end = 0
  private var finished = false
  /// The 1-based number of the line last returned.
  public private(set) var line = 0
  /// The most bytes a line may have.
  public let maxLineBytes: Int

  /// Reads `source`.
  ///
  /// - Parameters:
  ///   - source: The bytes (gzip is decoded by the source).
  ///   - maxLineBytes: The most bytes one line may have.
  public init(source: ByteSource, maxLineBytes: Int = 1 << 20) {
    self.source = source
    self.maxLineBytes = maxLineBytes
    buffer = Array(repeating: 0, count: max(1 << 16, min(maxLineBytes + 1, 1 << 20)))
  }

  /// The name of the source, for messages.
  public var name: String { source.name }
  /// Bytes read so far.
  public var bytesRead: Int { source.bytesRead }

  /// Calls `body` with the next line (without its `\n` or `\r\n`); `false` at the end.
  ///
  /// - Throws: ``LineError/tooLong(_:limit:)`` for a line over the limit; ``SourceError``.
  public func next(_ body: (UnsafeBufferPointer<UInt8>) throws -> Void) throws -> Bool {
    while true {
      let (from, to) = (start, end)
      let found = buffer.withUnsafeBufferPointer { bytes -> Int? in
        guard let base = bytes.baseAddress, to > from,
          let hit = memchr(base + from, 0x0A, to - from)
        else { return nil }
        return UnsafeRawPointer(base).distance(to: UnsafeRawPointer(hit))
      }
      if let newline = found {
        line += 1
        var stop = newline
        if stop > start && buffer[stop - 1] == 0x0D { stop -= 1 }
        let from = start
        start = newline + 1
        try buffer.withUnsafeBufferPointer {
          try body(UnsafeBufferPointer(rebasing: $0[from..<stop]))
        }
        return true
      }
      if finished {
        guard start < end else { return false }
        line += 1
        let (from, stop) = (start, end)
        start = end
        try buffer.withUnsafeBufferPointer {
          try body(UnsafeBufferPointer(rebasing: $0[from..<stop]))
        }
        return true
      }
      if end - start > maxLineBytes {
        throw LineError.tooLong(
          InputLocation(file: source.name, line: line + 1), limit: maxLineBytes)
      }
      if start > 0 {
        buffer.withUnsafeMutableBufferPointer {
          guard let base = $0.baseAddress else { return }
          base.update(from: base + start, count: end - start)
        }
        end -= start
        start = 0
      }
      if end == buffer.count {
        buffer += Array(repeating: 0, count: min(buffer.count, maxLineBytes + 1))
      }
      let offset = end
      let count = try buffer.withUnsafeMutableBytes { bytes throws(SourceError) -> Int in
        guard let base = bytes.baseAddress else { return 0 }
        return try source.read(into: base + offset, capacity: bytes.count - offset)
      }
      if count == 0 { finished = true } else { end += count }
    }
  }
}

/// A line that cannot be read.
public enum LineError: MktError, Equatable {
  /// A line longer than the reader's limit.
  case tooLong(InputLocation, limit: Int)

  public var exitStatus: SysExit { .dataError }

  public var location: InputLocation? {
    switch self {
    case .tooLong(let location, _): location
    }
  }

  public var description: String {
    switch self {
    case .tooLong(_, let limit):
      "the line is longer than \(SourceError.size(limit)); an event is a short JSON object"
    }
  }

  public var hint: String? {
    "check that the file is JSON lines (one event per line), not one large JSON document"
  }
}
