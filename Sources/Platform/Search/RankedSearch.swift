import Foundation

/// A search answered from postings and per-product arrays: the words' postings are merged,
/// scored with FTS5's bm25 formula in Swift, filtered and counted per facet through
/// ``SearchColumns``, and only the page is kept in order — no SQL per hit.
///
/// The score is the one `bm25(product_search, 3, 2, 1.5, 1, 1)` gives (k1 = 1.2, b = 0.75,
/// idf = ln((N − n + 0.5) / (n + 0.5)), at least 1e-6; a document's length is its tokens in
/// all columns), times the in-stock boost.
struct RankedSearch {
  let columns: SearchColumns
  let request: SearchRequest

  /// The page, in order, with the number of hits before it and in all.
  struct Outcome {
    var page: [(key: Double, doc: Int64)]
    var start: Int
    var total: Int
    var facets: FacetCounter
  }

  /// Matching documents in ascending order, with their scores and their entries (gathered
  /// once, while scoring: the page then reads them in sequence).
  struct Hits {
    var docs: [Int32] = []
    var scores: [Double] = []
    var entries: [SearchColumns.Entry] = []

    init(docs: [Int32], scores: [Double], entries: [SearchColumns.Entry]) {
      (self.docs, self.scores, self.entries) = (docs, scores, entries)
    }

    init() {}

    mutating func append(_ doc: Int32, _ score: Double, _ entry: SearchColumns.Entry) {
      docs.append(doc)
      scores.append(score)
      entries.append(entry)
    }
  }

  static let k1 = 1.2
  static let b = 0.75

  /// The documents matching every clause, with their bm25 scores (positive: more is better).
  ///
  /// A clause matches when any of its words does; no clauses: every product, score 0.
  /// Documents are matched first, on postings alone: the smallest clause is read whole and the
  /// others probed for its documents, so a frequent word next to a rare one costs the rare
  /// one's length. Only the documents left are then looked up and scored.
  func matches(_ clauses: [[Postings]]) -> Hits {
    guard !clauses.isEmpty else {
      // Every product: the entries as they are, with the absent ones dropped.
      var docs: [Int32] = []
      docs.reserveCapacity(columns.entries.count)
      var entries: [SearchColumns.Entry] = []
      entries.reserveCapacity(columns.entries.count)
      let limits = SearchColumns.Limits(columns)
      columns.entries.withUnsafeBufferPointer { all in
        for (doc, entry) in all.enumerated() where entry.exists && limits.names(entry) {
          docs.append(Int32(doc))
          entries.append(entry)
        }
      }
      return Hits(docs: docs, scores: Array(repeating: 0, count: docs.count), entries: entries)
    }
    let ordered = clauses.sorted {
      $0.reduce(0) { $0 + $1.count } < $1.reduce(0) { $0 + $1.count }
    }
    var found = Candidates(ordered[0])
    for clause in ordered.dropFirst() { found.probe(clause) }
    // Score what is left, each word's weight at its document's length.
    let idfs = ordered.flatMap { $0.map { idf($0.count) } }
    let average = columns.averageLength
    let limits = SearchColumns.Limits(columns)
    let entries = columns.entries.withUnsafeBufferPointer { all in
      found.docs.map { doc in
        guard doc >= 0 && Int(doc) < all.count else { return SearchColumns.Entry.absent }
        let entry = all[Int(doc)]
        return limits.names(entry) ? entry : .absent
      }
    }
    var scores = [Double](repeating: 0, count: found.docs.count)
    for (word, weights) in found.weights.enumerated() {
      let idf = idfs[word]
      weights.withUnsafeBufferPointer { weights in
        entries.withUnsafeBufferPointer { entries in
          scores.withUnsafeMutableBufferPointer { scores in
            for index in 0..<weights.count where weights[index] > 0 {
              scores[index] += Self.term(
                idf, weights[index], Double(entries[index].length), average)
            }
          }
        }
      }
    }
    return Hits(docs: found.docs, scores: scores, entries: entries)
  }

  /// bm25's idf of a word found in `found` documents.
  func idf(_ found: Int) -> Double {
    let rows = Double(columns.rows)
    let value = log((rows - Double(found) + 0.5) / (Double(found) + 0.5))
    return value > 0 ? value : 1e-6
  }

  /// A word's bm25 term in a document of `size` tokens; `weight` is its doubled weighted
  /// frequency there.
  @inline(__always)
  static func term(_ idf: Double, _ weight: UInt16, _ size: Double, _ average: Double) -> Double {
    let frequency = Double(weight) / 2
    return idf * frequency * (k1 + 1) / (frequency + k1 * (1 - b + b * size / average))
  }

  /// Documents matching the clauses so far, with every word's weight in each (0: absent), one
  /// array per word of the clauses in order.
  struct Candidates {
    var docs: [Int32] = []
    var weights: [[UInt16]] = []

    /// The documents containing any word of `clause`.
    init(_ clause: [Postings]) {
      for postings in clause { merge(postings) }
    }

    /// Adds the documents of `postings` and a weights array for its word.
    private mutating func merge(_ postings: Postings) {
      guard !weights.isEmpty else {
        docs = postings.docs
        weights = [postings.weights]
        return
      }
      // Two sorted lists merged; `origin` remembers where each document came from (-1: new).
      var merged: [Int32] = []
      var origin: [Int32] = []
      var added: [UInt16] = []
      merged.reserveCapacity(docs.count + postings.count)
      origin.reserveCapacity(docs.count + postings.count)
      added.reserveCapacity(docs.count + postings.count)
      docs.withUnsafeBufferPointer { old in
        postings.docs.withUnsafeBufferPointer { new in
          postings.weights.withUnsafeBufferPointer { weight in
            var (i, j) = (0, 0)
            while i < old.count || j < new.count {
              if j == new.count || (i < old.count && old[i] < new[j]) {
                merged.append(old[i])
                origin.append(Int32(i))
                added.append(0)
                i += 1
              } else {
                merged.append(new[j])
                let same = i < old.count && old[i] == new[j]
                origin.append(same ? Int32(i) : -1)
                added.append(weight[j])
                if same { i += 1 }
                j += 1
              }
            }
          }
        }
      }
      weights = weights.map { column in
        origin.map { $0 >= 0 ? column[Int($0)] : 0 }
      }
      weights.append(added)
      docs = merged
    }

    /// Keeps the documents containing any word of `clause`, adding its words' weights.
    mutating func probe(_ clause: [Postings]) {
      var matched = [Bool](repeating: false, count: docs.count)
      for postings in clause {
        var found = [UInt16](repeating: 0, count: docs.count)
        postings.docs.withUnsafeBufferPointer { list in
          var low = 0
          for (index, doc) in docs.enumerated() {
            low = RankedSearch.gallop(list, to: doc, from: low)
            if low == list.count { break }
            guard list[low] == doc else { continue }
            matched[index] = true
            found[index] = postings.weights[low]
          }
        }
        weights.append(found)
      }
      let kept = docs.indices.filter { matched[$0] }
      docs = kept.map { docs[$0] }
      weights = weights.map { column in
        column.withUnsafeBufferPointer { column in kept.map { column[$0] } }
      }
    }
  }

  /// The first position at or after `low` whose document is not below `doc`.
  @inline(__always)
  static func gallop(_ docs: UnsafeBufferPointer<Int32>, to doc: Int32, from low: Int) -> Int {
    var low = low
    var step = 1
    var high = low
    let end = docs.count
    while high < end && docs[high] < doc {
      low = high + 1
      high += step
      step *= 2
    }
    high = min(high, end)
    while low < high {
      let middle = (low + high) / 2
      if docs[middle] < doc { low = middle + 1 } else { high = middle }
    }
    return low
  }
}
