import ArgumentParser
import Foundation
import MktCore

/// A self-contained HTML report: tables and inline SVG charts, no script, no network; readable
/// on a phone (the charts scale with the page) and printable.
struct HTMLReport {
  var title: String
  private var body = ""

  init(title: String) { self.title = title }

  /// Escapes text for HTML.
  static func escape(_ text: String) -> String {
    var escaped = ""
    for character in text {
      switch character {
      case "&": escaped += "&amp;"
      case "<": escaped += "&lt;"
      case ">": escaped += "&gt;"
      case "\"": escaped += "&quot;"
      default: escaped.append(character)
      }
    }
    return escaped
  }

  mutating func note(_ text: String) {
    body += "<p class=\"note\">\(Self.escape(text))</p>\n"
  }

  mutating func heading(_ text: String) {
    body += "<h2>\(Self.escape(text))</h2>\n"
  }

  /// A table; cells that read as numbers are aligned right.
  mutating func table(header: [String], rows: [[String]]) {
    body += "<div class=\"scroll\"><table>\n<thead><tr>"
    for name in header { body += "<th>\(Self.escape(name))</th>" }
    body += "</tr></thead>\n<tbody>\n"
    for row in rows {
      body += "<tr>"
      for cell in row {
        let numeric = Double(cell.replacingOccurrences(of: "%", with: "")) != nil
        body += numeric ? "<td class=\"n\">" : "<td>"
        body += Self.escape(cell) + "</td>"
      }
      body += "</tr>\n"
    }
    body += "</tbody></table></div>\n"
  }

  /// A line chart of one or more daily series over the same labels.
  mutating func lineChart(title: String, labels: [String], series: [(String, [Double])]) {
    guard labels.count > 1, !series.isEmpty else { return }
    let (width, height, left, bottom, top) = (640.0, 240.0, 56.0, 28.0, 12.0)
    let maximum = max(series.flatMap(\.1).max() ?? 1, 1e-9)
    let plotWidth = width - left - 12
    let plotHeight = height - bottom - top
    func x(_ index: Int) -> Double { left + plotWidth * Double(index) / Double(labels.count - 1) }
    func y(_ value: Double) -> Double { top + plotHeight * (1 - value / maximum) }
    var svg =
      "<figure><figcaption>\(Self.escape(title))</figcaption>"
      + "<svg class=\"chart line\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
      + "aria-label=\"\(Self.escape(title))\">"
    for step in 0...4 {
      let value = maximum * Double(step) / 4
      let position = y(value)
      svg +=
        "<line class=\"grid\" x1=\"\(left)\" x2=\"\(width - 12)\" y1=\"\(position)\" y2=\"\(position)\"/>"
        + "<text class=\"axis\" x=\"\(left - 6)\" y=\"\(position + 4)\" text-anchor=\"end\">"
        + Self.short(value) + "</text>"
    }
    for (index, anchor) in [(0, "start"), (labels.count / 2, "middle"), (labels.count - 1, "end")] {
      svg +=
        "<text class=\"axis\" x=\"\(x(index))\" y=\"\(height - 8)\" text-anchor=\"\(anchor)\">"
        + Self.escape(labels[index]) + "</text>"
    }
    for (number, (name, values)) in series.enumerated() {
      let points = values.enumerated().map { "\(x($0.offset)),\(y($0.element))" }
        .joined(separator: " ")
      svg +=
        "<polyline class=\"series s\(number % 4)\" points=\"\(points)\"><title>"
        + Self.escape(name) + "</title></polyline>"
    }
    svg += "</svg>"
    if series.count > 1 {
      svg += "<div class=\"legend\">"
      for (number, (name, _)) in series.enumerated() {
        svg += "<span class=\"key s\(number % 4)\">\(Self.escape(name))</span>"
      }
      svg += "</div>"
    }
    body += svg + "</figure>\n"
  }

  /// Horizontal bars, largest first as given.
  mutating func barChart(title: String, bars: [(String, Double)]) {
    guard !bars.isEmpty else { return }
    let maximum = max(bars.map(\.1).max() ?? 1, 1e-9)
    let rowHeight = 22.0
    let (width, labelWidth) = (640.0, 200.0)
    let height = rowHeight * Double(bars.count) + 8
    var svg =
      "<figure><figcaption>\(Self.escape(title))</figcaption>"
      + "<svg class=\"chart bars\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
      + "aria-label=\"\(Self.escape(title))\">"
    for (index, (label, value)) in bars.enumerated() {
      let top = 4 + rowHeight * Double(index)
      let length = max(1, (width - labelWidth - 70) * value / maximum)
      svg +=
        "<text class=\"label\" x=\"\(labelWidth - 6)\" y=\"\(top + 15)\" text-anchor=\"end\">"
        + Self.escape(String(label.prefix(28))) + "</text>"
        + "<rect class=\"bar\" x=\"\(labelWidth)\" y=\"\(top + 3)\" width=\"\(length)\" "
        + "height=\"\(rowHeight - 6)\"><title>\(Self.escape(label)): \(Self.short(value))"
        + "</title></rect>"
        + "<text class=\"value\" x=\"\(labelWidth + length + 6)\" y=\"\(top + 15)\">"
        + Self.short(value) + "</text>"
    }
    body += svg + "</svg></figure>\n"
  }

  /// A funnel: one centred band per step, as wide as its share of the first.
  mutating func funnelChart(title: String, steps: [(String, Double)]) {
    guard let first = steps.first?.1, first > 0 else { return }
    let (width, rowHeight) = (640.0, 44.0)
    let height = rowHeight * Double(steps.count) + 4
    var svg =
      "<figure><figcaption>\(Self.escape(title))</figcaption>"
      + "<svg class=\"chart funnel\" viewBox=\"0 0 \(Int(width)) \(Int(height))\" role=\"img\" "
      + "aria-label=\"\(Self.escape(title))\">"
    for (index, (name, value)) in steps.enumerated() {
      let share = value / first
      let band = max(2, (width - 40) * share)
      let top = 2 + rowHeight * Double(index)
      svg +=
        "<rect class=\"step\" x=\"\((width - band) / 2)\" y=\"\(top)\" width=\"\(band)\" "
        + "height=\"\(rowHeight - 6)\" rx=\"4\"><title>\(Self.escape(name))</title></rect>"
        + "<text class=\"inside\" x=\"\(width / 2)\" y=\"\(top + 24)\" text-anchor=\"middle\">"
        + Self.escape(name) + " · " + Self.short(value)
        + String(format: " · %.1f%%", share * 100) + "</text>"
    }
    body += svg + "</svg></figure>\n"
  }

  /// `12.3k`, `4.5M`, `0.0412`.
  static func short(_ value: Double) -> String {
    let magnitude = abs(value)
    if magnitude >= 1e6 { return String(format: "%.1fM", value / 1e6) }
    if magnitude >= 1e4 { return String(format: "%.1fk", value / 1e3) }
    if magnitude >= 100 || value.rounded() == value { return String(format: "%.0f", value) }
    if magnitude >= 1 { return String(format: "%.2f", value) }
    return String(format: "%.4f", value)
  }

  /// The whole document.
  var document: String {
    """
    <!DOCTYPE html>
    <html lang="en">
    <head>
    <meta charset="utf-8">
    <meta name="viewport" content="width=device-width, initial-scale=1">
    <meta name="generator" content="mkt \(Self.escape(MktVersion.full))">
    <title>\(Self.escape(title))</title>
    <style>
    \(Self.style)
    </style>
    </head>
    <body>
    <h1>\(Self.escape(title))</h1>
    \(body)<footer>mkt \(Self.escape(MktVersion.full))</footer>
    </body>
    </html>

    """
  }

  static let style = """
    :root { color-scheme: light; --ink: #1d2330; --muted: #5b6475; --line: #d9dde5;
      --a: #2f6fde; --b: #d9622b; --c: #2a9d6f; --d: #8a4fc8; }
    body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; color: var(--ink);
      margin: 0 auto; padding: 16px; max-width: 980px; }
    h1 { font-size: 1.4rem; margin: 0 0 12px; } h2 { font-size: 1.1rem; margin: 24px 0 8px; }
    .note { color: var(--muted); margin: 4px 0; }
    .scroll { overflow-x: auto; }
    table { border-collapse: collapse; width: 100%; font-variant-numeric: tabular-nums; }
    th, td { padding: 4px 8px; border-bottom: 1px solid var(--line); text-align: left;
      white-space: nowrap; }
    td.n { text-align: right; }
    figure { margin: 16px 0; } figcaption { font-weight: 600; margin-bottom: 4px; }
    svg.chart { width: 100%; height: auto; display: block; }
    .grid { stroke: var(--line); stroke-width: 1; }
    .axis, .label, .value { font-size: 11px; fill: var(--muted); }
    .series { fill: none; stroke-width: 2.5; }
    .s0 { stroke: var(--a); color: var(--a); } .s1 { stroke: var(--b); color: var(--b); }
    .s2 { stroke: var(--c); color: var(--c); } .s3 { stroke: var(--d); color: var(--d); }
    .legend { font-size: 12px; } .key::before { content: "■ "; } .key { margin-right: 12px; }
    .bar { fill: var(--a); } .step { fill: var(--a); opacity: 0.85; }
    .inside { font-size: 13px; fill: #fff; font-weight: 600; }
    footer { color: var(--muted); font-size: 12px; margin-top: 24px; }
    @media (max-width: 600px) { body { padding: 8px; font-size: 14px; } }
    @media print { body { max-width: none; } figure, table { break-inside: avoid; }
      .scroll { overflow: visible; } }
    """
}

/// `--html FILE`: the report also as a self-contained HTML file with charts.
struct HTMLOption: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Also write the report to this file as one self-contained HTML page with charts.",
      valueName: "file"))
  var html: String?

  /// Refuses a path that may not be written, before the report runs.
  func check() throws {
    if let html, html != "-" {
      _ = try OutputPath.check(html, protecting: GlobalOptions.knownDatabases)
    }
  }

  /// Writes the page: `charts` first, then the notes and the table of `rows`.
  func write<Row>(
    title: String, rows: [Row], columns: [(String, (Row) -> String)], notes: [String],
    charts: (inout HTMLReport) -> Void = { _ in }
  ) throws {
    guard let html else { return }
    var page = HTMLReport(title: title)
    for note in notes { page.note(note) }
    if rows.isEmpty { page.note("No events in that period.") }
    charts(&page)
    page.table(
      header: columns.map(\.0).filter { !$0.isEmpty },
      rows: rows.map { row in columns.filter { !$0.0.isEmpty }.map { $0.1(row) } })
    let file = try OutputFile(path: html)
    do {
      try file.write(page.document)
      try file.finish()
    } catch {
      file.abandon()
      throw error
    }
  }
}
