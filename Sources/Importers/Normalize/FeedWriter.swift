/// Writes records back out as Merchant Center CSV, TSV or RSS 2.0 XML, in canonical values, so
/// that `feed convert` output normalizes to the same lines as its input.
public struct FeedWriter: Sendable {
  /// The output format.
  public enum Format: String, Sendable, CaseIterable {
    case csv, tsv, xml, jsonl
  }

  public let format: Format
  /// The attributes written, in canonical order (CSV and TSV columns).
  public let attributes: [Attribute]
  /// The custom attributes written after them.
  public let custom: [String]

  public init(format: Format, attributes: [Attribute], custom: [String]) {
    self.format = format
    self.attributes = attributes.sorted()
    self.custom = custom.sorted()
  }

  /// What comes before the first record.
  public var header: String {
    switch format {
    case .csv, .tsv:
      row(attributes.map(\.name) + custom)
    case .xml:
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <rss version="2.0" xmlns:g="http://base.google.com/ns/1.0">
      <channel>
      <title>Products</title>

      """
    case .jsonl: ""
    }
  }

  /// What comes after the last record.
  public var footer: String { format == .xml ? "</channel>\n</rss>\n" : "" }

  /// One record: a row, an `<item>`, or a canonical JSON line.
  public func record(_ record: ProductRecord) -> String {
    switch format {
    case .jsonl:
      return FeedNormalizer().line(for: record) + "\n"
    case .csv, .tsv:
      var cells: [String] = []
      for attribute in attributes {
        let values = record.all(attribute)
        cells.append(
          attribute.isList || attribute.subattributes != nil
            ? values.map(FeedNormalizer.text).joined(separator: ",")
            : values.first.map { FeedNormalizer.canonical(attribute, $0) } ?? "")
      }
      for name in custom { cells.append(record.custom[name].map(FeedNormalizer.text) ?? "") }
      return row(cells)
    case .xml:
      var xml = "<item>\n"
      for attribute in Attribute.allCases {
        for value in record.all(attribute) {
          if let parts = attribute.subattributes {
            xml += "<g:\(attribute.name)>"
            for (name, part) in FeedNormalizer.split(value, into: parts) {
              xml += "<g:\(name)>\(Self.escape(part))</g:\(name)>"
            }
            xml += "</g:\(attribute.name)>\n"
          } else {
            let text =
              attribute.isList
              ? FeedNormalizer.text(value) : FeedNormalizer.canonical(attribute, value)
            xml += "<g:\(attribute.name)>\(Self.escape(text))</g:\(attribute.name)>\n"
          }
        }
      }
      for (name, value) in record.custom.sorted(by: { $0.key < $1.key }) {
        let element = Self.elementName(name)
        xml += "<g:\(element)>\(Self.escape(FeedNormalizer.text(value)))</g:\(element)>\n"
      }
      return xml + "</item>\n"
    }
  }

  private func row(_ cells: [String]) -> String {
    if format == .tsv {
      return cells.map { String($0.map { $0 == "\t" || $0 == "\n" || $0 == "\r" ? " " : $0 }) }
        .joined(separator: "\t") + "\n"
    }
    return cells.map(Self.csvCell).joined(separator: ",") + "\n"
  }

  /// `cell` as a CSV field: quoted, with quotes doubled, when it holds a comma, a quote or a
  /// line break (RFC 4180).
  public static func csvCell(_ cell: String) -> String {
    guard cell.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else {
      return cell
    }
    return "\""
      + cell.split(separator: "\"", omittingEmptySubsequences: false).joined(separator: "\"\"")
      + "\""
  }

  /// Text with `&`, `<`, `>` escaped, and characters XML 1.0 cannot carry dropped.
  static func escape(_ text: String) -> String {
    var result = ""
    result.reserveCapacity(text.utf8.count)
    for scalar in text.unicodeScalars {
      switch scalar {
      case "&": result += "&amp;"
      case "<": result += "&lt;"
      case ">": result += "&gt;"
      case "\t", "\n", "\r": result.unicodeScalars.append(scalar)
      case let control where control.value < 0x20 || (0xFFFE...0xFFFF).contains(control.value):
        continue
      default: result.unicodeScalars.append(scalar)
      }
    }
    return result
  }

  /// A custom attribute's name as an XML element name: letters, digits, `_`, `-`, `.`.
  static func elementName(_ name: String) -> String {
    var element = String(
      name.map { $0.isLetter || $0.isNumber || $0 == "_" || $0 == "-" || $0 == "." ? $0 : "_" })
    if let first = element.first, !(first.isLetter || first == "_") { element = "_" + element }
    return element.isEmpty ? "_" : element
  }
}
