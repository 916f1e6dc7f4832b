import Foundation
import MktCore

/// The one place a command writes: data to standard output, messages to standard error.
///
/// Data goes out in the chosen ``OutputFormat``; JSON keys are sorted snake_case. Messages are
/// silenced by `--quiet`, except errors. Progress shows only on a terminal.
struct Output: Sendable {
  var format: OutputFormat
  var quiet: Bool
  var terminal: Terminal

  init(format: OutputFormat = .text, quiet: Bool = false, terminal: Terminal = .current) {
    self.format = format
    self.quiet = quiet
    self.terminal = terminal
  }

  init(_ global: GlobalOptions, _ output: OutputOptions) {
    self.init(format: output.format, quiet: global.quiet)
  }

  init(_ global: GlobalOptions, _ output: TableOutputOptions) {
    self.init(format: output.format, quiet: global.quiet)
  }

  init(_ global: GlobalOptions, _ output: FindingsOutputOptions) {
    self.init(format: output.outputFormat, quiet: global.quiet)
  }

  // MARK: Data

  /// Prints one result: `text` renders it for people, the JSON formats encode it.
  func result<T: Encodable>(_ value: T, text: (T) -> String) throws {
    switch format {
    case .json: try write(Self.json(value, pretty: true) + "\n")
    case .jsonl: try write(Self.json(value, pretty: false) + "\n")
    case .text, .csv, .tsv:
      let rendered = text(value)
      if !rendered.isEmpty { try write(rendered.hasSuffix("\n") ? rendered : rendered + "\n") }
    }
  }

  /// Prints rows: a table for people or CSV/TSV, an array in JSON, one object a line in JSONL.
  func rows<T: Encodable>(_ items: [T], columns: [(String, (T) -> String)]) throws {
    switch format {
    case .json: try write(Self.json(items, pretty: true) + "\n")
    case .jsonl:
      var text = ""
      for item in items { text += try Self.json(item, pretty: false) + "\n" }
      try write(text)
    case .text, .csv, .tsv:
      let header = columns.map(\.0)
      let cells = items.map { item in columns.map { $0.1(item) } }
      try write(
        TextTable.render(header: header, rows: cells, format: format, aligned: terminal.stdoutIsTTY)
      )
    }
  }

  /// Writes text to standard output as it is.
  func write(_ text: String) throws {
    try RawWriter.write(text, to: 1)
  }

  // MARK: Messages

  /// A note for people on standard error (what a command did), unless `--quiet`.
  func note(_ message: String) {
    guard !quiet else { return }
    try? RawWriter.write("mkt: " + message + "\n", to: RawWriter.messageDescriptor)
  }

  /// A warning on standard error, unless `--quiet`.
  func warn(_ message: String) {
    guard !quiet else { return }
    try? RawWriter.write(
      paint("mkt: warning: ", .yellow) + message + "\n", to: RawWriter.messageDescriptor)
  }

  /// One error line on standard error, even under `--quiet`: a part of the run that failed
  /// while the rest went on (the exit status says so at the end).
  func error(_ message: String) {
    try? RawWriter.write(
      paint("mkt: error: ", .red) + message + "\n", to: RawWriter.messageDescriptor)
  }

  /// Reports an error on standard error: the details, then what, where and what to do.
  func report(_ error: any MktError) {
    var text = ""
    let details = error.details
    for line in details.prefix(Self.detailLimit) { text += "  " + line + "\n" }
    if details.count > Self.detailLimit {
      text += "  … and \(details.count - Self.detailLimit) more\n"
    }
    text += paint("mkt: error: ", .red) + error.description + "\n"
    if let location = error.location, !location.description.isEmpty {
      text += "  at \(location)\n"
    }
    if let hint = error.hint { text += "  " + paint("hint: ", .bold) + hint + "\n" }
    try? RawWriter.write(text, to: RawWriter.messageDescriptor)
  }

  /// A progress line on standard error, or `nil` where none should show: not a terminal,
  /// `--quiet`, or a machine-readable format.
  func progress(label: String, totalBytes: Int64?, unit: String? = nil) -> Progress? {
    guard terminal.stderrIsTTY, !quiet, format == .text else { return nil }
    return Progress(label: label, total: totalBytes, unit: unit)
  }

  static let detailLimit = 20

  // MARK: Helpers

  enum Style: String {
    case red = "31"
    case yellow = "33"
    case bold = "1"
  }

  func paint(_ text: String, _ style: Style) -> String {
    terminal.color ? "\u{1B}[\(style.rawValue)m\(text)\u{1B}[0m" : text
  }

  static func json<T: Encodable>(_ value: T, pretty: Bool) throws -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting =
      pretty
      ? [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes]
      : [.sortedKeys, .withoutEscapingSlashes]
    return String(decoding: try encoder.encode(value), as: UTF8.self)
  }
}
