public import MktCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a reader's bytes come from: a file descriptor read in large chunks, or bytes in memory.
///
/// Reading never holds more than one chunk of a file, so memory stays flat in the input's size.
public final class ByteSource {
  /// The name used in error messages: the path as given, or `-` for standard input.
  public let name: String
  private var descriptor: Int32
  private let ownsDescriptor: Bool
  private var memory: [UInt8]
  private var memoryOffset = 0
  private var pending: [UInt8] = []  // decoded bytes pushed back by peek
  private var rawPending: [UInt8] = []  // stored bytes pushed back by gzip detection
  private var gzip: Gzip?
  private var started = false
  /// Total bytes handed out so far.
  public private(set) var bytesRead: Int = 0

  /// Opens a file for reading; `-` reads standard input.
  ///
  /// - Throws: ``SourceError`` with exit status 66 when the file is missing, a directory or
  ///   unreadable.
  public init(path: String, name: String? = nil) throws(SourceError) {
    self.name = name ?? path
    memory = []
    if path == "-" {
      descriptor = 0
      ownsDescriptor = false
      return
    }
    var info = stat()
    if stat(path, &info) != 0 {
      throw .cannotOpen(path: path, reason: Self.errnoText(errno))
    }
    if (info.st_mode & S_IFMT) == S_IFDIR { throw .isDirectory(path: path) }
    let fd = open(path, O_RDONLY | O_CLOEXEC)
    guard fd >= 0 else { throw .cannotOpen(path: path, reason: Self.errnoText(errno)) }
    descriptor = fd
    ownsDescriptor = true
  }

  /// Serves bytes already in memory (tests, fuzzers, decompressed input).
  public init(bytes: [UInt8], name: String) {
    self.name = name
    memory = bytes
    descriptor = -1
    ownsDescriptor = false
  }

  deinit {
    if ownsDescriptor { close(descriptor) }
  }

  /// Every remaining byte (decompressed, for gzip): for small inputs read whole, such as a
  /// synonyms file or a stock file that is checksummed before it is applied.
  ///
  /// - Throws: ``SourceError`` (74 for a failed read, 65 for broken gzip data).
  public func readAll(limit: Int = ByteSource.defaultLimit) throws(SourceError) -> [UInt8] {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    while true {
      let count = try read(into: &chunk)
      if count == 0 { return bytes }
      // Checked as the bytes arrive (after decompression): a gzip bomb or an endless pipe
      // stops at the limit, not after filling memory.
      guard bytes.count + count <= limit else { throw .tooLarge(path: name, limit: limit) }
      bytes += chunk[..<count]
    }
  }

  /// The most a command reads whole into memory when it names no other limit: 1 GiB.
  public static let defaultLimit = 1 << 30

  /// Fills `buffer` from its start with up to `buffer.count` bytes; returns 0 at the end.
  ///
  /// - Throws: ``SourceError/readFailed(path:reason:)`` (exit status 74).
  public func read(into buffer: inout [UInt8]) throws(SourceError) -> Int {
    let capacity = buffer.count
    var result: Result<Int, SourceError> = .success(0)
    buffer.withUnsafeMutableBytes { bytes in
      guard let base = bytes.baseAddress else { return }
      do throws(SourceError) {
        result = .success(try read(into: base, capacity: capacity))
      } catch {
        result = .failure(error)
      }
    }
    return try result.get()
  }

  /// Copies up to `capacity` bytes to `destination`; returns 0 at the end.
  ///
  /// A gzip stream (found by its magic bytes, whatever the file's name) is decompressed on the fly.
  ///
  /// - Throws: ``SourceError/readFailed(path:reason:)`` (exit status 74),
  ///   ``SourceError/corrupt(path:reason:)`` for broken gzip data (65).
  public func read(into destination: UnsafeMutableRawPointer, capacity: Int) throws(SourceError)
    -> Int
  {
    if !pending.isEmpty { return Self.drain(&pending, into: destination, capacity: capacity) }
    if !started {
      started = true
      let head = UnsafeMutableRawBufferPointer.allocate(byteCount: 2, alignment: 1)
      defer { head.deallocate() }
      var count = 0
      while count < 2, let base = head.baseAddress {
        let read = try readRaw(into: base + count, capacity: 2 - count)
        if read == 0 { break }
        count += read
      }
      let magic = Array(head[0..<count])
      rawPending = magic
      if count == 2 && magic[0] == 0x1F && magic[1] == 0x8B { gzip = try Gzip() }
    }
    if let gzip {
      return try gzip.read(into: destination, capacity: capacity, name: name) {
        (buffer, size) throws(SourceError) -> Int in try readRaw(into: buffer, capacity: size)
      }
    }
    return try readRaw(into: destination, capacity: capacity)
  }

  /// The bytes as stored, without decompression.
  private func readRaw(into destination: UnsafeMutableRawPointer, capacity: Int) throws(SourceError)
    -> Int
  {
    if !rawPending.isEmpty {
      // The bytes read to look for a gzip header, then as much more as fits: a reader that looks
      // at its first chunk (a byte-order mark, the header line) sees a full one.
      let count = Self.drain(&rawPending, into: destination, capacity: capacity)
      guard count < capacity else { return count }
      return count + (try readRaw(into: destination + count, capacity: capacity - count))
    }
    if descriptor < 0 {
      let count = min(capacity, memory.count - memoryOffset)
      guard count > 0 else { return 0 }
      UnsafeMutableRawBufferPointer(start: destination, count: count).copyBytes(
        from: memory[memoryOffset..<memoryOffset + count])
      memoryOffset += count
      bytesRead += count
      return count
    }
    while true {
      let count = Glibc.read(descriptor, destination, capacity)
      if count >= 0 {
        bytesRead += count
        return count
      }
      if errno == EINTR { continue }
      throw .readFailed(path: name, reason: Self.errnoText(errno))
    }
  }

  /// Moves up to `capacity` bytes from the front of `bytes` to `destination`.
  private static func drain(
    _ bytes: inout [UInt8], into destination: UnsafeMutableRawPointer, capacity: Int
  ) -> Int {
    let count = min(capacity, bytes.count)
    UnsafeMutableRawBufferPointer(start: destination, count: count).copyBytes(
      from: bytes[0..<count])
    bytes.removeFirst(count)
    return count
  }

  /// The first `count` bytes (fewer at the end of input), without consuming them.
  public func peek(_ count: Int) throws(SourceError) -> [UInt8] {
    var head: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: count)
    while head.count < count {
      let read = try self.read(into: &chunk)
      if read == 0 { break }
      head += chunk[0..<read]
    }
    // Whatever was read goes back in front, ahead of anything still pending.
    pending = head + pending
    return Array(head.prefix(count))
  }

  static func errnoText(_ code: Int32) -> String { String(cString: strerror(code)) }
}

/// An input file could not be opened or read.
public enum SourceError: MktError, Equatable {
  case cannotOpen(path: String, reason: String)
  case isDirectory(path: String)
  case readFailed(path: String, reason: String)
  case corrupt(path: String, reason: String)
  /// The input is larger than what the command reads whole (docs/limits.md).
  case tooLarge(path: String, limit: Int)

  public var exitStatus: SysExit {
    switch self {
    case .cannotOpen, .isDirectory: .noInput
    case .readFailed: .ioError
    case .corrupt, .tooLarge: .dataError
    }
  }

  public var location: InputLocation? {
    switch self {
    case .cannotOpen(let path, _), .isDirectory(let path), .readFailed(let path, _),
      .corrupt(let path, _), .tooLarge(let path, _):
      InputLocation(file: path)
    }
  }

  public var description: String {
    switch self {
    case .cannotOpen(let path, let reason): "cannot open \(path): \(reason.lowercased())"
    case .isDirectory(let path): "\(path) is a directory, not a file"
    case .readFailed(let path, let reason): "reading \(path) failed: \(reason.lowercased())"
    case .corrupt(_, let reason): reason
    case .tooLarge(_, let limit):
      "the input is larger than \(Self.size(limit)), the most this command reads"
    }
  }

  public var hint: String? {
    switch self {
    case .cannotOpen, .isDirectory: "check the path, or pass '-' to read standard input"
    case .readFailed: "check the disk and the file, then run the command again"
    case .corrupt: "the compressed file is damaged or incomplete; fetch or export it again"
    case .tooLarge: "split the file, or see docs/limits.md for the limits and how to raise them"
    }
  }

  /// `16 MiB`, `1 GiB`.
  static func size(_ bytes: Int) -> String {
    bytes >= 1 << 30 && bytes % (1 << 30) == 0
      ? "\(bytes >> 30) GiB" : bytes >= 1 << 20 ? "\(bytes >> 20) MiB" : "\(bytes) bytes"
  }
}
