public import MktCore

/// A feed cannot be read at all (as opposed to a finding about one item).
public enum FeedError: MktError, Equatable {
  /// Two header columns map to the same attribute.
  case duplicateColumn(InputLocation, firstColumn: Int)
  /// The header has no column for `id`.
  case missingIDColumn(InputLocation, header: [String])
  /// The XML is not well-formed, or libxml2 refused it.
  case malformedXML(InputLocation, message: String)
  /// The XML declares a DOCTYPE or uses an entity reference: refused, never expanded.
  case forbiddenXML(InputLocation, construct: String)
  /// The XML root is neither RSS 2.0 `<rss>` nor Atom `<feed>`.
  case notAMerchantFeed(InputLocation, root: String)
  /// A rates file is something else altogether (an HTML page, a PDF), named as such.
  case notRates(InputLocation, found: String)
  /// An ECB CSV file's row or cell is not what the ECB writes.
  case badRatesCSV(InputLocation, message: String)
  /// A product ratings file is something else (another XML root, a CSV without its columns).
  case notRatings(InputLocation, found: String)

  public var exitStatus: SysExit { .dataError }

  public var location: InputLocation? {
    switch self {
    case .duplicateColumn(let location, _), .missingIDColumn(let location, _),
      .malformedXML(let location, _), .forbiddenXML(let location, _),
      .notAMerchantFeed(let location, _), .notRates(let location, _),
      .badRatesCSV(let location, _), .notRatings(let location, _):
      location
    }
  }

  public var description: String {
    switch self {
    case .duplicateColumn(let location, let first):
      "the column '\(location.field ?? "")' names the same attribute as column \(first)"
    case .missingIDColumn(_, let header) where header.isEmpty:
      "this does not look like a product feed: its first line names no product attribute "
        + "(id, title, price, …)"
    case .missingIDColumn(_, let header):
      "the header has no id column (it has: \(header.prefix(8).joined(separator: ", "))"
        + (header.count > 8 ? ", …)" : ")")
    case .malformedXML(_, let message): "malformed XML: \(message)"
    case .forbiddenXML(_, let construct):
      "the feed uses \(construct), which mkt refuses in untrusted XML (never expanded)"
    case .notAMerchantFeed(_, let root):
      "the XML root is <\(root)>, not an RSS 2.0 <rss> or Atom <feed>"
    case .notRates(_, let found):
      "this is \(found), not ECB reference rates (XML, CSV, or the ZIP archive holding the CSV)"
    case .badRatesCSV(_, let message): message
    case .notRatings(_, let found): "this is \(found), not a product ratings feed"
    }
  }

  public var hint: String? {
    switch self {
    case .duplicateColumn: "remove one of the columns, or rename it with --map"
    case .missingIDColumn:
      "name the id column in the header, or map yours: --map \"Artikelnummer=id\""
    case .malformedXML: "fix the XML at that position; an XML validator shows the same error"
    case .forbiddenXML:
      "Merchant Center feeds need no DOCTYPE or custom entities: remove them, "
        + "write characters as themselves or as &#233;"
    case .notAMerchantFeed: "Merchant Center XML is <rss><channel><item> or <feed><entry>"
    case .notRates:
      "download eurofxref-daily.xml, eurofxref-hist.xml, eurofxref.zip or eurofxref-hist.zip "
        + "from the ECB's euro reference rates page"
    case .badRatesCSV: "the ECB's CSV starts Date, USD, JPY, … with one day per row"
    case .notRatings:
      "Merchant Center's product review feed is <feed><reviews><review>; a CSV needs "
        + "review_id, rating and product_id or gtin"
    }
  }
}
