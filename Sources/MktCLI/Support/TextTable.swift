import Foundation

/// Renders rows as an aligned table (terminal), tab-separated values (pipe, `--tsv`) or CSV.
enum TextTable {
  static func render(header: [String], rows: [[String]], format: OutputFormat, aligned: Bool)
    -> String
  {
    switch format {
    case .csv:
      return ([header] + rows).map { $0.map(csvCell).joined(separator: ",") + "\n" }.joined()
    case .tsv, .json, .jsonl:
      return ([header] + rows).map { $0.map(tsvCell).joined(separator: "\t") + "\n" }.joined()
    case .text:
      guard aligned else {
        return ([header] + rows).map { $0.map(tsvCell).joined(separator: "\t") + "\n" }.joined()
      }
      var widths = header.map(\.count)
      for row in rows {
        for (index, cell) in row.enumerated() where index < widths.count {
          widths[index] = max(widths[index], cell.count)
        }
      }
      return ([header.map { $0.uppercased() }] + rows).map { row in
        var line = ""
        for (index, cell) in row.enumerated() {
          let last = index == row.count - 1
          line += last ? cell : cell + String(repeating: " ", count: widths[index] - cell.count + 2)
        }
        return line + "\n"
      }.joined()
    }
  }

  /// RFC 4180 quoting; a cell starting with `=`, `+`, `-` or `@` gets a leading `'` so that a
  /// spreadsheet does not run it as a formula.
  static func csvCell(_ cell: String) -> String {
    var cell = cell
    if let first = cell.first, "=+-@".contains(first) { cell = "'" + cell }
    guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return cell
    }
    return "\"" + cell.replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }

  /// Tabs and line breaks inside a cell become spaces: one row, one line.
  static func tsvCell(_ cell: String) -> String {
    String(cell.map { $0 == "\t" || $0 == "\n" || $0 == "\r" || $0 == "\r\n" ? " " : $0 })
  }
}
