import Foundation
import GRDB
internal import GRDBSQLite
import MktCore
import Store

extension OrderExport {
  /// The standard CSV layout with plain amounts, written as bytes: each order's columns are
  /// rendered once and repeated for its lines, and text goes from SQLite's buffer to the output
  /// without becoming a `String`.
  func writeStandardCSV(
    after: Int64, through: Int64, _ db: Database, _ write: (String) throws -> Void
  ) throws -> (orders: Int, lines: Int) {
    var out = CSVBytes()
    out.bytes.reserveCapacity(1 << 18)
    for (index, column) in Self.standardColumns.enumerated() {
      if index > 0 { out.bytes.append(UInt8(ascii: ",")) }
      out.text(column)
    }
    out.bytes.append(UInt8(ascii: "\n"))
    var prefix = CSVBytes()
    var currentOrder: Int64 = -1
    var digits = 2
    var orders = 0
    var lines = 0
    // Stepped by hand: text goes from SQLite's buffer straight into the output, with no Data or
    // String per cell (GRDB's row accessors make one each).
    try RawRows.each(db, sql: Self.query, arguments: [after, through, merchant, since]) { row in
      let handle = row.handle
      func text(_ column: Int32, into csv: inout CSVBytes) {
        guard !row.isNull(column) else { return }
        csv.cell(row.blob(column))
      }
      let id = sqlite3_column_int64(handle, 0)
      if id != currentOrder {
        currentOrder = id
        orders += 1
        prefix.bytes.removeAll(keepingCapacity: true)
        prefix.integer(id)
        for column in Int32(1)...7 {
          prefix.bytes.append(UInt8(ascii: ","))
          text(column, into: &prefix)
        }
        let code = sqlite3_column_text(handle, 7).map { String(cString: $0) } ?? "EUR"
        digits = CurrencyCode(code)?.minorUnitDigits ?? 2
        for column in Int32(8)...13 {
          prefix.bytes.append(UInt8(ascii: ","))
          prefix.amount(sqlite3_column_int64(handle, column), digits: digits)
        }
        for column in Int32(14)...15 {
          prefix.bytes.append(UInt8(ascii: ","))
          text(column, into: &prefix)
        }
        prefix.bytes.append(UInt8(ascii: ","))
      }
      lines += 1
      out.bytes += prefix.bytes
      out.integer(sqlite3_column_int64(handle, 16))
      for column in Int32(17)...19 {
        out.bytes.append(UInt8(ascii: ","))
        text(column, into: &out)
      }
      out.bytes.append(UInt8(ascii: ","))
      out.integer(sqlite3_column_int64(handle, 20))
      for column in Int32(21)...23 {
        out.bytes.append(UInt8(ascii: ","))
        out.amount(sqlite3_column_int64(handle, column), digits: digits)
      }
      out.bytes.append(UInt8(ascii: ","))
      text(24, into: &out)
      out.bytes.append(UInt8(ascii: ","))
      out.integer(sqlite3_column_int64(handle, 25))
      out.bytes.append(UInt8(ascii: "\n"))
      if out.bytes.count >= 1 << 18 {
        try write(String(decoding: out.bytes, as: UTF8.self))
        out.bytes.removeAll(keepingCapacity: true)
      }
    }
    try write(String(decoding: out.bytes, as: UTF8.self))
    return (orders, lines)
  }
}

/// CSV written as bytes.
struct CSVBytes {
  var bytes: [UInt8] = []

  /// Whether a spreadsheet takes a cell starting with `byte` for a formula: = + - @ tab CR.
  static func isFormulaStart(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x3D, 0x2B, 0x2D, 0x40, 0x09, 0x0D: true
    default: false
    }
  }

  /// Whether `byte` makes a cell need quotes: comma, quote, line feed, carriage return.
  static func isSpecial(_ byte: UInt8) -> Bool {
    switch byte {
    case 0x2C, 0x22, 0x0A, 0x0D: true
    default: false
    }
  }

  /// A cell from text: prefixed with `'` when a spreadsheet would run it as a formula, quoted
  /// when it holds a comma, quote or line break.
  mutating func cell(_ data: Data?) {
    guard let data, !data.isEmpty else { return }
    data.withUnsafeBytes { cell($0) }
  }

  mutating func cell(_ raw: UnsafeRawBufferPointer) {
    guard !raw.isEmpty else { return }
    do {
      let formula = CSVBytes.isFormulaStart(raw[0])
      var quoted = false
      for byte in raw where CSVBytes.isSpecial(byte) {
        quoted = true
        break
      }
      if quoted { bytes.append(UInt8(ascii: "\"")) }
      if formula { bytes.append(UInt8(ascii: "'")) }
      if quoted {
        for byte in raw {
          if byte == UInt8(ascii: "\"") { bytes.append(byte) }
          bytes.append(byte)
        }
        bytes.append(UInt8(ascii: "\""))
      } else {
        bytes.append(contentsOf: raw)
      }
    }
  }

  mutating func text(_ text: String) { cell(Data(text.utf8)) }

  mutating func integer(_ value: Int64) {
    if value < 0 { bytes.append(UInt8(ascii: "-")) }
    var magnitude = value.magnitude
    var digits:
      (
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8,
        UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8, UInt8
      ) = (
        0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0
      )
    var count = 0
    withUnsafeMutableBytes(of: &digits) { buffer in
      repeat {
        buffer[count] = UInt8(ascii: "0") + UInt8(magnitude % 10)
        magnitude /= 10
        count += 1
      } while magnitude > 0
      for index in stride(from: count - 1, through: 0, by: -1) { bytes.append(buffer[index]) }
    }
  }

  /// Minor units as a plain decimal with `digits` decimals: `1234.50`.
  mutating func amount(_ minor: Int64, digits: Int) {
    guard digits > 0 else { return integer(minor) }
    var scale: Int64 = 1
    for _ in 0..<digits { scale *= 10 }
    if minor < 0 { bytes.append(UInt8(ascii: "-")) }
    let magnitude = minor.magnitude
    integer(Int64(magnitude / UInt64(scale)))
    bytes.append(UInt8(ascii: "."))
    var fraction = magnitude % UInt64(scale)
    var divisor = UInt64(scale) / 10
    while divisor > 0 {
      bytes.append(UInt8(ascii: "0") + UInt8(fraction / divisor))
      fraction %= divisor
      divisor /= 10
    }
  }
}
