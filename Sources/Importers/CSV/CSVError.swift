public import MktCore

/// A delimited file is malformed in a way that stops reading it.
public enum CSVError: MktError, Equatable {
  /// A quoted field is not closed before the end of the file.
  case unterminatedQuote(InputLocation)
  /// A closing quote is followed by something other than a delimiter or a line break.
  case textAfterClosingQuote(InputLocation, found: String)
  /// A field is not valid UTF-8; `byteOffset` counts from the start of the file.
  case invalidUTF8(InputLocation, byteOffset: Int)
  /// The file starts with a UTF-16 byte-order mark.
  case utf16(file: String)
  /// The file starts with NUL bytes: UTF-16 without a byte-order mark, or not text.
  case nulBytes(file: String)
  /// A field is longer than the reader accepts.
  case fieldTooLong(InputLocation, limit: Int)
  /// A record's fields add up to more than ``CSVReader/recordLimit`` bytes.
  case recordTooLong(InputLocation, limit: Int)
  /// The file has no header row.
  case emptyFile(file: String)

  public var exitStatus: SysExit { .dataError }

  public var location: InputLocation? {
    switch self {
    case .unterminatedQuote(let location), .textAfterClosingQuote(let location, _),
      .invalidUTF8(let location, _), .fieldTooLong(let location, _),
      .recordTooLong(let location, _):
      location
    case .utf16(let file), .emptyFile(let file): InputLocation(file: file)
    case .nulBytes(let file): InputLocation(file: file, line: 1)
    }
  }

  public var description: String {
    switch self {
    case .unterminatedQuote: "a quoted field is never closed (the quote opens here)"
    case .textAfterClosingQuote(_, let found):
      "unexpected \(found) after a closing quote; a quote inside a quoted field is written \"\""
    case .invalidUTF8(_, let offset): "invalid UTF-8 at byte offset \(offset)"
    case .utf16: "the file is UTF-16; mkt reads UTF-8, Latin-1 and Windows-1252"
    case .nulBytes:
      "the file has NUL bytes: it is UTF-16 without a byte-order mark, or not text; mkt reads "
        + "UTF-8, Latin-1 and Windows-1252"
    case .fieldTooLong(_, let limit): "a field is longer than \(limit / (1 << 20)) MiB"
    case .recordTooLong(_, let limit):
      "the row is longer than \(limit / (1 << 20)) MiB, the most a row may hold in all its columns"
    case .emptyFile: "the file is empty: no header row"
    }
  }

  public var hint: String? {
    switch self {
    case .unterminatedQuote, .textAfterClosingQuote:
      "close the quote, or double quotes that belong to the value (\"\")"
    case .invalidUTF8: "pass --encoding latin1 or --encoding windows-1252 if the file is not UTF-8"
    case .utf16: "convert it first, e.g. iconv -f UTF-16 -t UTF-8"
    case .nulBytes: "convert it first, e.g. iconv -f UTF-16LE -t UTF-8"
    case .fieldTooLong: "check for a missing closing quote before this point"
    case .recordTooLong: "check for missing line breaks or quotes; docs/limits.md lists the limits"
    case .emptyFile: "the first row must name the columns"
    }
  }
}
