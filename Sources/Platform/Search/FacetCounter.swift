import Foundation
import Importers

/// Facet counts over every hit of a search, not just the page.
struct FacetCounter {
  let wanted: Set<SearchRequest.Facet>
  private var counts: [SearchRequest.Facet: [String: Int]] = [:]

  init(wanted: [SearchRequest.Facet]) {
    self.wanted = Set(wanted)
  }

  /// Price buckets, in the currency's major units: `0-10`, `10-25`, … `500+`.
  static let priceEdges: [Int64] = [10, 25, 50, 100, 250, 500]
  /// Values per facet in the result, most frequent first.
  static let limit = 10

  mutating func add(
    brand: String?, googleCategory: String?, productType: String?, price: Int64?,
    currency: String?, availability: String?, merchant: String
  ) {
    if wanted.contains(.brand), let brand, !brand.isEmpty {
      counts[.brand, default: [:]][brand, default: 0] += 1
    }
    if wanted.contains(.merchant) { counts[.merchant, default: [:]][merchant, default: 0] += 1 }
    if wanted.contains(.availability), let availability {
      counts[.availability, default: [:]][availability, default: 0] += 1
    }
    if wanted.contains(.category), let path = Self.categoryPath(googleCategory, productType) {
      // The top level and the next: `Home & Garden`, `Home & Garden > Kitchen`.
      let levels = path.split(separator: ">").map { $0.trimmingCharacters(in: .whitespaces) }
      if let top = levels.first, !top.isEmpty {
        counts[.category, default: [:]][top, default: 0] += 1
        if levels.count > 1 {
          counts[.category, default: [:]][top + " > " + levels[1], default: 0] += 1
        }
      }
    }
    if wanted.contains(.price), let price, let currency {
      let major = price / Int64(pow10(FeedPrice(minorUnits: 0, currency: currency).digits))
      counts[.price, default: [:]][Self.bucket(major), default: 0] += 1
    }
  }

  /// The category as a path: Google's when it is one (not a numeric id), else the merchant's.
  static func categoryPath(_ google: String?, _ productType: String?) -> String? {
    if let google, !google.isEmpty, google.contains(where: { $0.isLetter }) { return google }
    if let productType, !productType.isEmpty { return productType }
    return nil
  }

  static func bucket(_ major: Int64) -> String {
    var low: Int64 = 0
    for edge in priceEdges {
      if major < edge { return "\(low)-\(edge)" }
      low = edge
    }
    return "\(low)+"
  }

  func result() -> [String: [FacetCount]] {
    var result: [String: [FacetCount]] = [:]
    for facet in wanted {
      let values = counts[facet] ?? [:]
      var sorted = values.map { FacetCount(value: $0.key, count: $0.value) }
      if facet == .price {
        sorted.sort { Self.bucketStart($0.value) < Self.bucketStart($1.value) }
      } else {
        sorted.sort { ($1.count, $0.value) < ($0.count, $1.value) }
        sorted = Array(sorted.prefix(Self.limit * (facet == .category ? 2 : 1)))
      }
      result[facet.rawValue] = sorted
    }
    return result
  }

  static func bucketStart(_ label: String) -> Int64 {
    Int64(label.prefix { $0.isNumber }) ?? 0
  }

  private func pow10(_ digits: Int) -> Int {
    (0..<digits).reduce(1) { value, _ in value * 10 }
  }
}
