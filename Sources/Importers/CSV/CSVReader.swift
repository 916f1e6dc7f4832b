import MktCore

/// A streaming RFC 4180 reader over bytes: quoted fields with delimiters, doubled quotes and line
/// breaks; LF, CRLF and CR line ends; a UTF-8 byte-order mark; `,` `;` tab or `|`, sniffed from
/// the header line unless given.
///
/// Memory holds one read chunk and one record, whatever the file's size. A quote inside an
/// unquoted field is kept as written (`15" laptop`), as feeds do; text after a closing quote is an
/// error. Lines made only of a line break are skipped.
public final class CSVReader {
  /// The longest field accepted; a longer one is almost always a quote that never closes.
  public static let fieldLimit = 32 << 20

  /// The delimiter in use.
  public private(set) var delimiter: UInt8
  /// The encoding fields are decoded with.
  public let encoding: TextEncoding
  /// The source's name, for error locations.
  public var name: String { source.name }
  /// Bytes consumed from the source so far, for progress.
  public var bytesRead: Int { source.bytesRead }

  private let source: ByteSource
  private var chunk: [UInt8]
  private var position = 0
  private var end = 0
  private var atEnd = false
  private var started = false
  private let sniff: Bool

  private var line = 1
  private var lastWasCR = false
  private var offset = 0  // bytes consumed before `position` in the file, for error offsets
  private var recordLine = 1
  private var field: [UInt8] = []
  private var fields: [String] = []

  /// Reads from `source`; `delimiter` `nil` sniffs it from the first line.
  public init(
    source: ByteSource, delimiter: UInt8? = nil, encoding: TextEncoding = .utf8,
    chunkSize: Int = 1 << 18
  ) {
    self.source = source
    self.delimiter = delimiter ?? UInt8(ascii: ",")
    self.sniff = delimiter == nil
    self.encoding = encoding
    chunk = [UInt8](repeating: 0, count: max(chunkSize, 16))
  }

  /// The next record, or `nil` at the end of the input.
  public func next() throws -> CSVRecord? {
    if !started { try start() }
    fields.removeAll(keepingCapacity: true)
    field.removeAll(keepingCapacity: true)
    let quote = UInt8(ascii: "\"")
    let lf = UInt8(ascii: "\n")
    let cr = UInt8(ascii: "\r")
    var state = State.fieldStart
    recordLine = line
    var quoteLine = line
    var quoteColumn = 1
    var sawAnything = false

    while true {
      if position == end {
        if try atEnd || refill() == 0 {
          atEnd = true
          switch state {
          case .quoted:
            throw CSVError.unterminatedQuote(
              InputLocation(file: name, line: quoteLine, column: quoteColumn))
          case .fieldStart where !sawAnything:
            return nil
          default:
            try endField()
            return CSVRecord(fields: fields, line: recordLine)
          }
        }
      }
      let byte = chunk[position]
      position += 1

      if byte == lf {
        if lastWasCR {
          lastWasCR = false
          if state == .fieldStart && !sawAnything { continue }  // the LF of a CRLF record end
        } else {
          line += 1
        }
      } else if byte == cr {
        line += 1
        lastWasCR = true
      } else {
        lastWasCR = false
      }

      switch state {
      case .fieldStart, .unquoted:
        if byte == delimiter {
          sawAnything = true
          try endField()
          state = .fieldStart
        } else if byte == lf || byte == cr {
          if !sawAnything {  // a blank line: skip it
            recordLine = line
            continue
          }
          try endField()
          return CSVRecord(fields: fields, line: recordLine)
        } else if byte == quote && state == .fieldStart {
          sawAnything = true
          state = .quoted
          quoteLine = line
          quoteColumn = fields.count + 1
        } else {
          sawAnything = true
          state = .unquoted
          try append(byte)
        }
      case .quoted:
        if byte == quote {
          state = .quoteInQuoted
        } else {
          try append(byte)
        }
      case .quoteInQuoted:
        if byte == quote {
          try append(quote)
          state = .quoted
        } else if byte == delimiter {
          try endField()
          state = .fieldStart
        } else if byte == lf || byte == cr {
          try endField()
          return CSVRecord(fields: fields, line: recordLine)
        } else {
          throw CSVError.textAfterClosingQuote(
            InputLocation(file: name, line: line, column: fields.count + 1),
            found: Self.describe(byte))
        }
      }
    }
  }

  private enum State { case fieldStart, unquoted, quoted, quoteInQuoted }

  @inline(__always)
  private func append(_ byte: UInt8) throws(CSVError) {
    if field.count >= Self.fieldLimit {
      throw .fieldTooLong(
        InputLocation(file: name, line: line, column: fields.count + 1), limit: Self.fieldLimit)
    }
    field.append(byte)
  }

  private func endField() throws(CSVError) {
    guard let text = encoding.decode(field[...]) else {
      let inField = firstInvalidUTF8Offset(field[...]) ?? 0
      // The field's bytes end just before the byte that ended it (position - 1), or at `position`
      // at the end of the input; quoting bytes make the offset approximate by at most one.
      let fieldEnd = offset + position - (atEnd ? 0 : 1)
      throw .invalidUTF8(
        InputLocation(file: name, line: recordLine, column: fields.count + 1),
        byteOffset: max(0, fieldEnd - field.count + inField))
    }
    fields.append(text)
    field.removeAll(keepingCapacity: true)
  }

  private func refill() throws -> Int {
    offset += end
    let count = try source.read(into: &chunk)
    position = 0
    end = count
    return count
  }

  private func start() throws {
    started = true
    // Fill the first chunk fully enough to see a BOM and the header line.
    _ = try refill()
    if end >= 2
      && ((chunk[0] == 0xFF && chunk[1] == 0xFE) || (chunk[0] == 0xFE && chunk[1] == 0xFF))
    {
      throw CSVError.utf16(file: name)
    }
    if end >= 3 && chunk[0] == 0xEF && chunk[1] == 0xBB && chunk[2] == 0xBF { position = 3 }
    if sniff { delimiter = Self.sniffDelimiter(chunk[position..<end]) }
  }

  /// The candidate delimiter seen most often outside quotes on the first line; `,` on a tie.
  static func sniffDelimiter(_ bytes: ArraySlice<UInt8>) -> UInt8 {
    let candidates: [UInt8] = [UInt8(ascii: ","), UInt8(ascii: ";"), 9, UInt8(ascii: "|")]
    var counts = [Int](repeating: 0, count: candidates.count)
    var quoted = false
    for byte in bytes {
      if byte == UInt8(ascii: "\"") {
        quoted.toggle()
      } else if !quoted {
        if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") { break }
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
