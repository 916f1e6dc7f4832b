import Importers
import MktCore

/// Reads event files: JSON lines (one object per line) or CSV with a header of the same names,
/// plain or gzip; the format is told by the first byte (`{` is JSON lines).
final class EventReader {
  private enum Backend {
    case jsonLines(LineReader)
    case csv(CSVReader, fields: [EventField?])
  }

  private let backend: Backend
  /// The name of the input, for locations.
  let name: String

  /// Opens `source`.
  ///
  /// - Throws: ``SourceError``; ``CSVError`` for a CSV without a header.
  init(source: ByteSource) throws {
    name = source.name
    let head = try source.peek(4096)
    let first = head.drop { [0x20, 0x09, 0x0A, 0x0D, 0xEF, 0xBB, 0xBF].contains($0) }.first
    if first == UInt8(ascii: "{") || first == nil {
      backend = .jsonLines(LineReader(source: source, maxLineBytes: 1 << 20))
    } else {
      let reader = CSVReader(source: source, delimiter: nil, encoding: .utf8)
      guard let header = try reader.next() else { throw CSVError.emptyFile(file: source.name) }
      backend = .csv(
        reader, fields: header.fields.map { EventField(rawValue: CSVHeader.normalize($0)) })
    }
  }

  /// Calls `body` with each event as read, or the reason its line cannot be read.
  ///
  /// - Throws: what `body` throws; ``LineError`` and ``SourceError`` (the file cannot be read
  ///   on).
  func read(_ body: (Result<EventDraft, RowIssue>) throws -> Void) throws {
    switch backend {
    case .jsonLines(let reader):
      var done = false
      while !done {
        var blank = false
        var outcome: Result<EventDraft, RowIssue>?
        done = try !reader.next { bytes in
          let line = InputLocation(file: name, line: reader.line)
          guard bytes.contains(where: { ![0x20, 0x09, 0x0D].contains($0) }) else {
            blank = true
            return
          }
          outcome = Self.draft(bytes, line: line)
        }
        if !done, !blank, let outcome { try body(outcome) }
      }
    case .csv(let reader, let fields):
      while let record = try reader.next() {
        if record.fields.allSatisfy(\.isEmpty) { continue }
        var draft = EventDraft(line: InputLocation(file: name, line: record.line))
        for (index, field) in fields.enumerated() where index < record.fields.count {
          guard let field else { continue }
          let value = record.fields[index]
          if !value.isEmpty {
            draft[field] = value
            draft.columns[EventDraft.index(field)] = Int32(index + 1)
          }
        }
        try body(.success(draft))
      }
    }
  }

  /// One JSON line as a draft.
  static func draft(_ bytes: UnsafeBufferPointer<UInt8>, line: InputLocation)
    -> Result<EventDraft, RowIssue>
  {
    var draft = EventDraft(line: line)
    do throws(FlatJSON.Failure) {
      try FlatJSON.scan(bytes) { key, value, column throws(FlatJSON.Failure) in
        guard let field = EventField.named(key) else { return }
        let text: String?
        switch value {
        case .text(let raw, false) where field == .ts:
          // The time is read from the bytes: no string for the most common field.
          if let seconds = EventDraft.isoSeconds(raw) {
            draft.seconds = seconds
            draft.columns[EventDraft.index(field)] = Int32(column)
            return
          }
          text = String(decoding: raw, as: UTF8.self)
        case .text(let raw, let escaped):
          guard let decoded = FlatJSON.text(raw, escaped: escaped) else {
            throw FlatJSON.Failure(column: column, message: "a broken \\u escape")
          }
          text = decoded
        case .number(let raw): text = String(decoding: raw, as: UTF8.self)
        case .null: text = nil
        case .bool:
          throw FlatJSON.Failure(
            column: column, message: "\(field.rawValue) must be text or a number, not true/false")
        }
        draft[field] = text
        draft.columns[EventDraft.index(field)] = Int32(column)
      }
    } catch {
      var location = line
      location.column = error.column
      return .failure(RowIssue(location: location, rule: "invalid-json", message: error.message))
    }
    return .success(draft)
  }
}
