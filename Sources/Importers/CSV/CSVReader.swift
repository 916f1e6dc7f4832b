import MktCore

/// A streaming RFC 4180 reader over bytes: quoted fields with delimiters, doubled quotes and line
/// breaks; LF, CRLF and CR line ends; a UTF-8 byte-order mark; `,` `;` tab or `|`, sniffed from
/// the header line unless given.
///
/// Memory holds one read chunk and one record, whatever the file's size. A quote inside an
/// unquoted field is kept as written (`15" laptop`), as feeds do; text after a closing quote is an
/// error. Lines made only of a line break are skipped.
///
/// The scanner works on a raw chunk with local indices, and builds each field's `String` straight
/// from the chunk when the field lies within it: no per-byte copies, no per-byte exclusivity
/// checks. (yaslab/CSV.swift and SwiftCSV were measured against the 150 MB/s target; see
/// BENCHMARKS.md.)
public final class CSVReader {
  /// The longest field accepted; a longer one is almost always a quote that never closes.
  public static let fieldLimit = 32 << 20
  /// The most bytes one record may hold in all its fields: many long unknown columns would
  /// otherwise hold a gigabyte in memory before the row is even validated.
  public static let recordLimit = 64 << 20

  /// The delimiter in use.
  public private(set) var delimiter: UInt8
  /// The encoding fields are decoded with.
  public let encoding: TextEncoding
  /// The source's name, for error locations.
  public var name: String { source.name }
  /// Bytes consumed from the source so far, for progress.
  public var bytesRead: Int { source.bytesRead }

  private let source: ByteSource
  private let buffer: UnsafeMutableRawBufferPointer
  private var position = 0
  /// Bytes of the fields of the record being read, against ``recordLimit``.
  private var recordBytes = 0
  private var end = 0
  private var fileOffset = 0  // bytes of the file before the buffer's first byte
  private var started = false
  private let sniff: Bool

  private var line = 1
  private var pendingLF = false  // a CR ended the last line; an LF right after it belongs to it
  private var scratch: [UInt8] = []
  private var fields: [String] = []

  private static let quote = UInt8(ascii: "\"")
  private static let lf = UInt8(ascii: "\n")
  private static let cr = UInt8(ascii: "\r")

  /// Reads from `source`; `delimiter` `nil` sniffs it from the first line.
  public init(
    source: ByteSource, delimiter: UInt8? = nil, encoding: TextEncoding = .utf8,
    chunkSize: Int = 1 << 18
  ) {
    self.source = source
    self.delimiter = delimiter ?? UInt8(ascii: ",")
    self.sniff = delimiter == nil
    self.encoding = encoding
    buffer = .allocate(byteCount: max(chunkSize, 16), alignment: 16)
  }

  deinit { buffer.deallocate() }

  /// The next record, or `nil` at the end of the input.
  public func next() throws -> CSVRecord? {
    if !started { try start() }
    fields.removeAll(keepingCapacity: true)
    // Skip the LF of a CRLF that ended the previous record, and blank lines.
    while true {
      guard try available() else { return nil }
      let byte = buffer[position]
      if byte == Self.lf {
        position += 1
        if !pendingLF { line += 1 }
        pendingLF = false
      } else if byte == Self.cr {
        position += 1
        line += 1
        pendingLF = true
      } else {
        pendingLF = false
        break
      }
    }
    let recordLine = line
    recordBytes = 0
    while true {
      let ending =
        try available() && buffer[position] == Self.quote
        ? try quotedField(recordLine: recordLine) : try unquotedField(recordLine: recordLine)
      switch ending {
      case .delimiter:
        if try !available() {  // a delimiter right before the end: one more, empty field
          fields.append("")
          return CSVRecord(fields: fields, line: recordLine)
        }
      case .lineEnd, .end:
        return CSVRecord(fields: fields, line: recordLine)
      }
    }
  }

  private enum Ending { case delimiter, lineEnd, end }

  /// Whether a byte is at `position`, refilling the buffer if needed.
  @inline(__always)
  private func available() throws -> Bool {
    if position < end { return true }
    return try refill()
  }

  /// Consumes the delimiter or line break at `position` (if any) and says which it was.
  private func consumeTerminator() throws -> Ending {
    guard try available() else { return .end }
    let byte = buffer[position]
    position += 1
    if byte == delimiter { return .delimiter }
    line += 1
    pendingLF = byte == Self.cr
    return .lineEnd
  }

  private func unquotedField(recordLine: Int) throws -> Ending {
    let delimiter = self.delimiter
    let base = buffer.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
    let fieldStart = fileOffset + position
    scratch.removeAll(keepingCapacity: true)
    while true {
      var index = position
      let limit = end
      while index < limit {
        let byte = base[index]
        if byte == delimiter || byte == Self.lf || byte == Self.cr { break }
        index += 1
      }
      if index < limit {
        let bytes = UnsafeBufferPointer(start: base + position, count: index - position)
        if scratch.isEmpty {
          try append(bytes, recordLine: recordLine, fileOffset: fieldStart)
        } else {
          scratch.append(contentsOf: bytes)
          try appendScratch(recordLine: recordLine, fileOffset: fieldStart)
        }
        position = index
        return try consumeTerminator()
      }
      scratch.append(
        contentsOf: UnsafeBufferPointer(start: base + position, count: index - position))
      position = index
      try checkLimit(recordLine: recordLine)
      guard try refill() else {
        try appendScratch(recordLine: recordLine, fileOffset: fieldStart)
        return .end
      }
    }
  }

  private func quotedField(recordLine: Int) throws -> Ending {
    let base = buffer.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self)
    let quoteLine = line
    let column = fields.count + 1
    let fieldStart = fileOffset + position + 1
    position += 1  // the opening quote
    scratch.removeAll(keepingCapacity: true)
    var lastWasCR = false
    while true {
      let (index, lines) = scanToQuote(base, &lastWasCR)
      let limit = end
      line += lines
      let segment = UnsafeBufferPointer(start: base + position, count: index - position)
      if index == limit {  // the chunk ended inside the field
        scratch.append(contentsOf: segment)
        position = index
        try checkLimit(recordLine: recordLine)
        guard try refill() else {
          throw CSVError.unterminatedQuote(
            InputLocation(file: name, line: quoteLine, column: column))
        }
        continue
      }
      // A quote at `index`: doubled, or the closing one. Look at the byte after it.
      lastWasCR = false
      if index + 1 < limit {
        let next = base[index + 1]
        if next == Self.quote {
          scratch.append(contentsOf: segment)
          scratch.append(Self.quote)
          position = index + 2
          continue
        }
        guard next == delimiter || next == Self.lf || next == Self.cr else {
          throw CSVError.textAfterClosingQuote(
            InputLocation(file: name, line: line, column: column), found: Self.describe(next))
        }
        if scratch.isEmpty {
          try append(segment, recordLine: recordLine, fileOffset: fieldStart)
        } else {
          scratch.append(contentsOf: segment)
          try appendScratch(recordLine: recordLine, fileOffset: fieldStart)
        }
        position = index + 1
        return try consumeTerminator()
      }
      // The quote is the chunk's last byte: keep the field, then see what follows.
      scratch.append(contentsOf: segment)
      position = index + 1
      guard try refill() else {
        try appendScratch(recordLine: recordLine, fileOffset: fieldStart)
        return .end
      }
      let next = base[position]
      if next == Self.quote {
        scratch.append(Self.quote)
        position += 1
        continue
      }
      guard next == delimiter || next == Self.lf || next == Self.cr else {
        throw CSVError.textAfterClosingQuote(
          InputLocation(file: name, line: line, column: column), found: Self.describe(next))
      }
      try appendScratch(recordLine: recordLine, fileOffset: fieldStart)
      return try consumeTerminator()
    }
  }

  /// The next quote in the chunk from `position` (or the chunk's end), and the line breaks
  /// before it; `lastWasCR` carries a CR LF pair from one chunk to the next.
  @inline(__always)
  private func scanToQuote(_ base: UnsafePointer<UInt8>, _ lastWasCR: inout Bool)
    -> (index: Int, lines: Int)
  {
    var index = position
    let limit = end
    var lines = 0
    while index < limit {
      let byte = base[index]
      if byte == Self.quote { break }
      if byte == Self.lf {
        if !lastWasCR { lines += 1 }
        lastWasCR = false
      } else if byte == Self.cr {
        lines += 1
        lastWasCR = true
      } else {
        lastWasCR = false
      }
      index += 1
    }
    return (index, lines)
  }

  private func checkLimit(recordLine: Int) throws {
    if scratch.count > Self.fieldLimit {
      throw CSVError.fieldTooLong(
        InputLocation(file: name, line: recordLine, column: fields.count + 1),
        limit: Self.fieldLimit)
    }
  }

  private func appendScratch(recordLine: Int, fileOffset: Int) throws {
    try checkLimit(recordLine: recordLine)
    try scratch.withUnsafeBufferPointer {
      try append($0, recordLine: recordLine, fileOffset: fileOffset)
    }
  }

  private func append(_ bytes: UnsafeBufferPointer<UInt8>, recordLine: Int, fileOffset: Int) throws
  {
    recordBytes += bytes.count
    if recordBytes > Self.recordLimit {
      throw CSVError.recordTooLong(
        InputLocation(file: name, line: recordLine, column: fields.count + 1),
        limit: Self.recordLimit)
    }
    guard let text = encoding.decode(bytes) else {
      let inField = firstInvalidUTF8Offset(bytes) ?? 0
      throw CSVError.invalidUTF8(
        InputLocation(file: name, line: recordLine, column: fields.count + 1),
        byteOffset: fileOffset + inField)
    }
    fields.append(text)
  }

  private func refill() throws -> Bool {
    fileOffset += end
    position = 0
    end = 0
    guard let base = buffer.baseAddress else { return false }
    end = try source.read(into: base, capacity: buffer.count)
    return end > 0
  }

  private func start() throws {
    started = true
    guard try refill() else { return }
    let head = UnsafeBufferPointer(
      start: buffer.baseAddress.unsafelyUnwrapped.assumingMemoryBound(to: UInt8.self), count: end)
    if end >= 2 && ((head[0] == 0xFF && head[1] == 0xFE) || (head[0] == 0xFE && head[1] == 0xFF)) {
      throw CSVError.utf16(file: name)
    }
    // UTF-16 without a byte-order mark (or not text at all): every other byte of ASCII text is
    // NUL. Said plainly here, never echoed as `i\0d\0` in a header message. A stray NUL in a
    // cell stays a finding of its row.
    let sample = head.prefix(512)
    if sample.count(where: { $0 == 0 }) * 4 >= sample.count, sample.contains(0) {
      throw CSVError.nulBytes(file: name)
    }
    if end >= 3 && head[0] == 0xEF && head[1] == 0xBB && head[2] == 0xBF { position = 3 }
    if sniff { delimiter = Self.sniffDelimiter(head[position..<end]) }
  }

  /// The candidate delimiter seen most often outside quotes on the first line; `,` on a tie.
  static func sniffDelimiter(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> UInt8 {
    let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 9, UInt8(ascii: "|")]
    var counts = [Int](repeating: 0, count: candidates.count)
    var quoted = false
    for byte in bytes {
      if byte == quote {
        quoted.toggle()
      } else if !quoted {
        if byte == lf || byte == cr { break }
        if let index = candidates.firstIndex(of: byte) { counts[index] += 1 }
      }
    }
    var best = 0
    for index in counts.indices where counts[index] > counts[best] { best = index }
    return candidates[best]
  }

  static func describe(_ byte: UInt8) -> String {
    byte >= 0x20 && byte < 0x7F
      ? "'\(Character(Unicode.Scalar(byte)))'" : "byte 0x\(String(byte, radix: 16))"
  }
}
