import Foundation
public import MktCore

/// A product ratings feed: Google Merchant Center's product review feed (XML, schema 2.x:
/// `feed/reviews/review` with `review_id`, `reviewer/name`, `review_timestamp`,
/// `ratings/overall min max`, and `products/product/product_ids` with `gtins/gtin`,
/// `mpns/mpn`, `skus/sku`, `brands/brand`), or a CSV with the header
/// `review_id,product_id,rating[,min,max,gtin,reviewer,timestamp]`.
///
/// XML is read with libxml2's streaming reader under the same hardening as product feeds (no
/// network, no entity substitution, DOCTYPE and entity references refused: RELIABILITY.md §3).
/// A bad review is a ``RowIssue`` at its line; the file as a whole fails only when it is not a
/// ratings feed or not well-formed.
public struct ProductRatingsFile: Sendable {
  /// One review: its rating normalised to 0–5, and the ids that name its products.
  public struct Review: Sendable, Equatable {
    public var id: String
    /// The rating on a 0–5 scale: `5 × (value − min) ÷ (max − min)`.
    public var rating: Double
    public var reviewer: String
    /// ISO 8601, as written.
    public var timestamp: String
    public var skus: [String]
    public var gtins: [String]
    public var mpns: [String]
    public var brands: [String]
    public var line: Int
  }

  public var reviews: [Review] = []
  public var issues: [RowIssue] = []

  /// Reads `bytes` (XML or CSV, told by the first character) from `file`.
  ///
  /// - Throws: ``FeedError`` for malformed or forbidden XML, or a file that is neither.
  public init(bytes: [UInt8], file: String) throws(FeedError) {
    let first = bytes.drop { $0 == 0xEF || $0 == 0xBB || $0 == 0xBF || $0 == 0x20 || $0 == 0x0A }
      .first
    if first == UInt8(ascii: "<") {
      do {
        try MerchantXMLReader.refuseDoctype(in: Array(bytes.prefix(4096)), file: file)
      } catch let error as FeedError {
        throw error
      } catch {
        throw .malformedXML(InputLocation(file: file), message: "\(error)")
      }
      try bytes.withUnsafeBufferPointer { buffer throws(FeedError) in
        try parseXML(buffer, file: file)
      }
    } else {
      try parseCSV(bytes, file: file)
    }
  }

  /// A review being read: its fields as met.
  private struct Draft {
    var line: Int
    var id = ""
    var value = ""
    var min: String?
    var max: String?
    var reviewer = ""
    var timestamp = ""
    var skus: [String] = []
    var gtins: [String] = []
    var mpns: [String] = []
    var brands: [String] = []
  }

  private mutating func parseXML(_ buffer: UnsafeBufferPointer<UInt8>, file: String)
    throws(FeedError)
  {
    let reader = try XMLBufferReader(buffer, file: file)
    var path: [String] = []
    var draft: Draft?
    var text = ""
    var sawRoot = false
    while let node = try reader.next() {
      switch node {
      case .start:
        let name = reader.localName
        if !sawRoot {
          sawRoot = true
          guard name == "feed" else {
            throw .notRatings(reader.location, found: "XML with the root <\(name)>")
          }
        }
        if name == "review", path.last == "reviews" {
          draft = Draft(line: reader.line)
        } else if name == "overall", draft != nil {
          draft?.min = reader.attribute("min")
          draft?.max = reader.attribute("max")
        }
        text = ""
        if !reader.isEmptyElement { path.append(name) }
      case .text:
        text += reader.value
      case .end:
        let name = path.popLast() ?? ""
        let value = text.trimmingCharacters(in: .whitespacesAndNewlines)
        text = ""
        guard var current = draft else { continue }
        let parent = path.last ?? ""
        switch (parent, name) {
        case ("review", "review_id"): current.id = value
        case ("reviewer", "name"): current.reviewer = value
        case ("review", "review_timestamp"): current.timestamp = value
        case ("ratings", "overall"): current.value = value
        case ("skus", "sku"): current.skus.append(value)
        case ("gtins", "gtin"): current.gtins.append(value)
        case ("mpns", "mpn"): current.mpns.append(value)
        case ("brands", "brand"): current.brands.append(value)
        case (_, "review"):
          finish(current, file: file)
          draft = nil
          continue
        default: break
        }
        draft = current
      case .other: continue
      }
    }
    guard sawRoot else {
      throw .malformedXML(InputLocation(file: file), message: "the file holds no XML element")
    }
  }

  /// Validates a review read whole and keeps it, or records why not.
  private mutating func finish(_ draft: Draft, file: String) {
    func issue(_ field: String, _ rule: String, _ message: String, _ raw: String? = nil) {
      issues.append(
        RowIssue(
          location: InputLocation(file: file, line: draft.line, field: field, id: draft.id),
          rule: rule, message: message, rawValue: raw))
    }
    guard !draft.id.isEmpty else {
      return issue("review_id", "missing-review-id", "a review needs its review_id")
    }
    guard let value = Double(draft.value), value.isFinite else {
      return issue("overall", "invalid-rating", "the rating is not a number", draft.value)
    }
    let low = draft.min.flatMap(Double.init) ?? 1
    let high = draft.max.flatMap(Double.init) ?? 5
    guard low.isFinite, high.isFinite, high > low else {
      return issue(
        "overall", "invalid-rating-range",
        "the rating's range min \(draft.min ?? "1") to max \(draft.max ?? "5") is empty")
    }
    guard (low...high).contains(value) else {
      return issue(
        "overall", "rating-out-of-range",
        "the rating \(draft.value) is outside its range \(Self.format(low)) to \(Self.format(high))",
        draft.value)
    }
    guard !(draft.skus.isEmpty && draft.gtins.isEmpty && draft.mpns.isEmpty) else {
      return issue("product_ids", "missing-product", "the review names no sku, gtin or mpn")
    }
    reviews.append(
      Review(
        id: draft.id, rating: 5 * (value - low) / (high - low), reviewer: draft.reviewer,
        timestamp: draft.timestamp, skus: draft.skus.filter { !$0.isEmpty },
        gtins: draft.gtins.filter { !$0.isEmpty }, mpns: draft.mpns.filter { !$0.isEmpty },
        brands: draft.brands, line: draft.line))
  }

  private mutating func parseCSV(_ bytes: [UInt8], file: String) throws(FeedError) {
    let reader = CSVReader(source: ByteSource(bytes: bytes, name: file))
    do {
      guard let headerRecord = try reader.next() else {
        throw FeedError.notRatings(InputLocation(file: file), found: "an empty file")
      }
      let header = CSVHeader(headerRecord.fields)
      guard let idColumn = header.index(of: "review_id"),
        let ratingColumn = header.index(of: "rating"),
        header.index(of: "product_id") != nil || header.index(of: "gtin") != nil
      else {
        throw FeedError.notRatings(
          InputLocation(file: file, line: 1),
          found: "a CSV with the columns " + headerRecord.fields.prefix(8).joined(separator: ", "))
      }
      func field(_ record: CSVRecord, _ name: String) -> String? {
        guard let index = header.index(of: name), index < record.fields.count else { return nil }
        let value = record.fields[index].trimmingCharacters(in: .whitespaces)
        return value.isEmpty ? nil : value
      }
      while let record = try reader.next() {
        let sku = field(record, "product_id")
        let draft = Draft(
          line: record.line,
          id: idColumn < record.fields.count ? record.fields[idColumn] : "",
          value: ratingColumn < record.fields.count ? record.fields[ratingColumn] : "",
          min: field(record, "min"), max: field(record, "max"),
          reviewer: field(record, "reviewer") ?? "", timestamp: field(record, "timestamp") ?? "",
          skus: sku.map { [$0] } ?? [], gtins: field(record, "gtin").map { [$0] } ?? [])
        finish(draft, file: file)
      }
    } catch let error as FeedError {
      throw error
    } catch {
      throw .malformedXML(InputLocation(file: file), message: "\(error)")
    }
  }

  /// A bound as the feed wrote it: whole numbers without ".0"; one too large for an `Int`
  /// (a 30-digit "max") in Swift's own notation rather than trapping on the conversion.
  static func format(_ value: Double) -> String {
    value == value.rounded() && abs(value) < 0x1p53 ? String(Int(value)) : String(value)
  }
}
