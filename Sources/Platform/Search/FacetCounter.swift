import Foundation
import Importers

/// Facet counts over every hit of a search, not just the page.
struct FacetCounter {
  let wanted: Set<SearchRequest.Facet>
  // Per hit only a dictionary increment on the values as stored; paths are split and prices
  // bucketed once per distinct value, in `result()`.
  private var brands: [String: Int] = [:]
  private var merchants: [String: Int] = [:]
  private var availabilities: [String: Int] = [:]
  private var categories: [CategoryKey: Int] = [:]
  private var prices: [PriceKey: Int] = [:]
  private var priceBuckets: [String: Int] = [:]

  struct CategoryKey: Hashable {
    var google: String?
    var productType: String?
  }

  struct PriceKey: Hashable {
    var minor: Int64
    var currency: String
  }

  init(wanted: [SearchRequest.Facet]) {
    self.wanted = Set(wanted)
  }

  /// Price buckets, in the currency's major units: `0-10`, `10-25`, … `500+`.
  static let priceEdges: [Int64] = [10, 25, 50, 100, 250, 500]
  /// Values per facet in the result, most frequent first.
  static let limit = 10

  mutating func add(
    brand: String?, googleCategory: String?, productType: String?, price: Int64?,
    currency: String?, availability: String?, merchant: String?
  ) {
    if let brand, !brand.isEmpty { brands[brand, default: 0] += 1 }
    if let merchant { merchants[merchant, default: 0] += 1 }
    if let availability { availabilities[availability, default: 0] += 1 }
    if googleCategory != nil || productType != nil {
      categories[CategoryKey(google: googleCategory, productType: productType), default: 0] += 1
    }
    if let price, let currency {
      prices[PriceKey(minor: price, currency: currency), default: 0] += 1
    }
  }

  // Counts already made elsewhere (``RankedSearch``), one call per distinct value.

  mutating func add(brand: String, count: Int) {
    if !brand.isEmpty { brands[brand, default: 0] += count }
  }

  mutating func add(merchant: String, count: Int) { merchants[merchant, default: 0] += count }

  mutating func add(availability: String, count: Int) {
    availabilities[availability, default: 0] += count
  }

  mutating func add(categoryPath: String, count: Int) {
    categories[CategoryKey(google: nil, productType: categoryPath), default: 0] += count
  }

  /// `bucket` indexes the buckets of ``priceEdges``: 0 is `0-10`, the last `500+`.
  mutating func add(priceBucket bucket: Int, count: Int) {
    priceBuckets[Self.label(ofBucket: bucket), default: 0] += count
  }

  /// The category as a path: Google's when it is one (not a numeric id), else the merchant's.
  static func categoryPath(_ google: String?, _ productType: String?) -> String? {
    if let google, !google.isEmpty, google.contains(where: { $0.isLetter }) { return google }
    if let productType, !productType.isEmpty { return productType }
    return nil
  }

  /// The label of the bucket holding `major` units.
  static func bucket(_ major: Int64) -> String { label(ofBucket: bucketIndex(major)) }

  /// The bucket holding `major` units, an index into the buckets of ``priceEdges``.
  @inline(__always)
  static func bucketIndex(_ major: Int64) -> Int {
    var index = 0
    for edge in priceEdges {
      if major < edge { return index }
      index += 1
    }
    return index
  }

  /// `0-10` for bucket 0, … `500+` for the last.
  static func label(ofBucket bucket: Int) -> String {
    let edges = priceEdges
    return bucket < edges.count
      ? "\(bucket == 0 ? 0 : edges[bucket - 1])-\(edges[bucket])" : "\(edges[edges.count - 1])+"
  }

  func result() -> [String: [FacetCount]] {
    var result: [String: [FacetCount]] = [:]
    for facet in wanted {
      var values: [String: Int] = [:]
      switch facet {
      case .brand: values = brands
      case .merchant: values = merchants
      case .availability: values = availabilities
      case .category:
        for (key, count) in categories {
          guard let path = Self.categoryPath(key.google, key.productType) else { continue }
          // The top level and the next: `Home & Garden`, `Home & Garden > Kitchen`.
          let levels = path.split(separator: ">").map { $0.trimmingCharacters(in: .whitespaces) }
          guard let top = levels.first, !top.isEmpty else { continue }
          values[top, default: 0] += count
          if levels.count > 1 { values[top + " > " + levels[1], default: 0] += count }
        }
      case .price:
        values = priceBuckets
        for (key, count) in prices {
          let major = key.minor / Self.scale(key.currency)
          values[Self.bucket(major), default: 0] += count
        }
      }
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

  static func scale(_ currency: String) -> Int64 {
    (0..<FeedPrice(minorUnits: 0, currency: currency).digits).reduce(1) { value, _ in value * 10 }
  }

  static func bucketStart(_ label: String) -> Int64 {
    Int64(label.prefix { $0.isNumber }) ?? 0
  }
}
