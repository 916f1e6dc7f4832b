import Foundation
import Importers
import MktCore

extension RankedSearch {
  /// Filters the matches, counts the facets over all of them, and keeps the requested page.
  func page(_ matches: Hits, after cursor: (Double, Int64)?) -> Outcome {
    let filter = Filter(request, columns)
    var tally = Tally(columns, wanted: Set(request.facets))
    let skip = (request.page - 1) * request.perPage
    var best = TopK(capacity: cursor == nil ? skip + request.perPage : request.perPage)
    var total = 0
    var before = 0
    let inStock = columns.availabilities.firstIndex(of: "in_stock").map(Int32.init) ?? -2
    let sort = request.sort
    for (index, doc32) in matches.docs.enumerated() {
      let doc = Int(doc32)
      let entry = matches.entries[index]
      guard filter.accepts(entry, doc: doc) else { continue }
      total += 1
      tally.add(entry)
      let key: Double
      switch sort {
      case .relevance:
        key =
          -matches.scores[index]
          * (Int32(entry.availability) == inStock ? SearchService.inStockBoost : 1)
          * (1 + SearchService.ratingBoost * (entry.rating < 0 ? 0 : Double(entry.rating) / 100))
      case .priceAsc:
        key = entry.price == SearchColumns.noPrice ? .infinity : Double(entry.price)
      case .priceDesc:
        key = entry.price == SearchColumns.noPrice ? .infinity : -Double(entry.price)
      case .newest:
        key = -Double(doc)
      case .rating:
        key = entry.rating < 0 ? .infinity : -(Double(entry.rating) / 100)
      }
      if let cursor, (key, Int64(doc)) <= cursor {
        before += 1
        continue
      }
      best.offer(key, Int64(doc))
    }
    let start = cursor == nil ? skip : before
    let page = cursor == nil ? Array(best.items.dropFirst(skip)) : best.items
    var facets = FacetCounter(wanted: request.facets)
    tally.report(into: &facets)
    return Outcome(page: page, start: start, total: total, facets: facets)
  }

  /// The hits the request's filters accept (before a filter that costs more per hit).
  func filtered(_ hits: Hits) -> Hits {
    let filter = Filter(request, columns)
    var kept = Hits()
    for index in hits.docs.indices
    where filter.accepts(hits.entries[index], doc: Int(hits.docs[index])) {
      kept.append(hits.docs[index], hits.scores[index], hits.entries[index])
    }
    return kept
  }

  /// The filters of the request, resolved to the columns' numbers once.
  struct Filter {
    var merchant: Int32?
    var brands: [Bool]?
    var categories: [Bool]?
    var currency: Int32?
    var language: Int32?
    var priceMin: Int64?
    var priceMax: Int64?
    var minRating: Double?
    /// Per set of countries: whether it holds `--country`; with the sets per document.
    var countries: [Bool]?
    let shipping: PlainArray<Int32>
    /// A filter names a value no product has: nothing matches.
    var impossible = false

    init(_ request: SearchRequest, _ columns: SearchColumns) {
      shipping = columns.shipping
      func number(_ value: String?, in values: [String]) -> Int32? {
        guard let value else { return nil }
        guard let index = values.firstIndex(of: value) else {
          impossible = true
          return nil
        }
        return Int32(index)
      }
      merchant = number(request.merchant, in: columns.merchants)
      language = number(request.language, in: columns.languages)
      if !request.brands.isEmpty {
        let wanted = Set(request.brands.map { $0.lowercased() })
        brands = columns.brands.map { wanted.contains($0.lowercased()) }
      }
      if let category = request.category {
        let prefix = category.lowercased()
        categories = columns.categories.map { $0.lowercased().hasPrefix(prefix) }
      }
      if request.priceMin != nil || request.priceMax != nil, let code = request.currency {
        currency = number(code, in: columns.currencies)
      }
      priceMin = request.priceMin
      priceMax = request.priceMax
      minRating = request.minRating
      if let country = request.country {
        countries = columns.shippings.map { SearchColumns.ships($0, to: country) }
      }
    }

    @inline(__always)
    func accepts(_ entry: SearchColumns.Entry, doc: Int) -> Bool {
      if impossible || !entry.exists { return false }
      if let countries {
        let set = doc < shipping.count ? Int(shipping[doc]) : -1
        guard set >= 0, set < countries.count, countries[set] else { return false }
      }
      if let merchant, entry.merchant != merchant { return false }
      if let language, Int32(entry.language) != language { return false }
      if let brands {
        let brand = Int(entry.brand)
        guard brand >= 0, brands[brand] else { return false }
      }
      if let categories {
        let google = Int(entry.googleCategory)
        let type = Int(entry.productType)
        guard (google >= 0 && categories[google]) || (type >= 0 && categories[type]) else {
          return false
        }
      }
      if let currency, Int32(entry.currency) != currency { return false }
      if priceMin != nil || priceMax != nil {
        let price = entry.price
        if price == SearchColumns.noPrice { return false }
        if let priceMin, price < priceMin { return false }
        if let priceMax, price > priceMax { return false }
      }
      if let minRating, entry.rating < 0 || Double(entry.rating) / 100 < minRating {
        return false
      }
      return true
    }
  }

  /// Facet counts per value number; turned into names only for the values found.
  struct Tally {
    let columns: SearchColumns
    let (countBrands, countMerchants, countAvailabilities, countCategories, countPrices):
      (
        Bool, Bool, Bool, Bool, Bool
      )
    var brands: [Int]
    var categories: [Int]
    var merchants: [Int]
    var availabilities: [Int]
    /// Per currency, then per price bucket: `currency * buckets + bucket`.
    var prices: [Int]
    static let buckets = FacetCounter.priceEdges.count + 1
    /// Per category value: whether it is a path to show (see `FacetCounter.categoryPath`).
    let isPath: [Bool]
    let isNamed: [Bool]
    /// Minor units per major unit, per currency.
    let scales: [Int64]

    init(_ columns: SearchColumns, wanted: Set<SearchRequest.Facet>) {
      self.columns = columns
      countBrands = wanted.contains(.brand)
      countMerchants = wanted.contains(.merchant)
      countAvailabilities = wanted.contains(.availability)
      countCategories = wanted.contains(.category)
      countPrices = wanted.contains(.price)
      brands = Array(repeating: 0, count: columns.brands.count)
      categories = Array(repeating: 0, count: columns.categories.count)
      merchants = Array(repeating: 0, count: columns.merchants.count)
      availabilities = Array(repeating: 0, count: columns.availabilities.count)
      prices = Array(repeating: 0, count: columns.currencies.count * Self.buckets)
      isPath = columns.categories.map { !$0.isEmpty && $0.contains(where: \.isLetter) }
      isNamed = columns.categories.map { !$0.isEmpty }
      scales = columns.currencies.map(FacetCounter.scale)
    }

    @inline(__always)
    mutating func add(_ entry: SearchColumns.Entry) {
      if countBrands, case let brand = Int(entry.brand), brand >= 0 { brands[brand] += 1 }
      if countMerchants { merchants[Int(entry.merchant)] += 1 }
      if countAvailabilities, case let value = Int(entry.availability), value >= 0 {
        availabilities[value] += 1
      }
      if countCategories {
        let google = Int(entry.googleCategory)
        let type = Int(entry.productType)
        if google >= 0 && isPath[google] {
          categories[google] += 1
        } else if type >= 0 && isNamed[type] {
          categories[type] += 1
        }
      }
      if countPrices, case let currency = Int(entry.currency), currency >= 0,
        case let price = entry.price, price != SearchColumns.noPrice
      {
        prices[currency * Self.buckets + FacetCounter.bucketIndex(price / scales[currency])] += 1
      }
    }

    func report(into facets: inout FacetCounter) {
      for (index, count) in brands.enumerated() where count > 0 {
        facets.add(brand: columns.brands[index], count: count)
      }
      for (index, count) in merchants.enumerated() where count > 0 {
        facets.add(merchant: columns.merchants[index], count: count)
      }
      for (index, count) in availabilities.enumerated() where count > 0 {
        facets.add(availability: columns.availabilities[index], count: count)
      }
      for (index, count) in categories.enumerated() where count > 0 {
        facets.add(categoryPath: columns.categories[index], count: count)
      }
      for (index, count) in prices.enumerated() where count > 0 {
        facets.add(priceBucket: index % Self.buckets, count: count)
      }
    }
  }
}
