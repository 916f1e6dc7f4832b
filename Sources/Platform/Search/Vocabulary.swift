import GRDB

/// The index's words with their document counts, in memory: the candidates for typo
/// correction and the completions of `mkt suggest`.
///
/// Loaded from `search_vocab`, a copy of the FTS5 vocabulary that the search service refreshes
/// when the catalog has changed since it was built (see ``SearchService``).
struct Vocabulary: Sendable {
  /// Words sorted, for prefix ranges.
  private(set) var terms: [String] = []
  private(set) var counts: [Int] = []
  /// Every word's Unicode scalars end to end; word `i` is `scalars[starts[i]..<starts[i + 1]]`.
  private var scalars: [Unicode.Scalar] = []
  private var starts: [Int32] = [0]
  /// The words containing each bigram of their scalars (with a start and an end mark): the
  /// candidates for a correction share most of the typed word's bigrams.
  private var bigrams: [UInt64: [Int32]] = [:]

  init(_ rows: [(String, Int)]) {
    let sorted = rows.sorted { $0.0 < $1.0 }
    terms = sorted.map(\.0)
    counts = sorted.map(\.1)
    starts.reserveCapacity(terms.count + 1)
    for (index, term) in terms.enumerated() {
      let start = scalars.count
      scalars.append(contentsOf: term.unicodeScalars)
      starts.append(Int32(scalars.count))
      for bigram in Self.bigrams(scalars[start...]) {
        bigrams[bigram, default: []].append(Int32(index))
      }
    }
  }

  /// The distinct bigrams of `word`, with marks for its start and end.
  static func bigrams(_ word: some Collection<Unicode.Scalar>) -> Set<UInt64> {
    var found = Set<UInt64>()
    var previous: UInt64 = 0x11_0000  // before the first scalar: no scalar has this value
    for scalar in word {
      found.insert(previous << 32 | UInt64(scalar.value))
      previous = UInt64(scalar.value)
    }
    found.insert(previous << 32 | 0x11_0001)
    return found
  }

  static func load(_ db: Database) throws -> Vocabulary {
    var rows: [(String, Int)] = []
    let cursor = try Row.fetchCursor(db, sql: "SELECT term, docs FROM search_vocab")
    while let row = try cursor.next() { rows.append((row[0], row[1])) }
    return Vocabulary(rows)
  }

  /// Elasticsearch's `fuzziness: AUTO`: words of 1–2 characters must match exactly, 3–5 may
  /// be one edit away, longer ones two.
  static func allowedEdits(_ word: String) -> Int {
    switch word.count {
    case ...2: 0
    case 3...5: 1
    default: 2
    }
  }

  /// The documents containing `word` exactly, per this vocabulary.
  func count(of word: String) -> Int {
    let index = lowerBound(word)
    return index < terms.count && terms[index] == word ? counts[index] : 0
  }

  /// Words within the allowed edits of `word`, nearest first, then most frequent.
  ///
  /// An edit changes at most three bigrams of a word (a swap of neighbours does), so a word
  /// within `k` edits shares all but `3k` of the typed word's distinct bigrams: only words
  /// passing that count, and of a length within `k`, get their distance computed.
  func corrections(of word: String, limit: Int = 3) -> [(term: String, edits: Int)] {
    let allowed = Self.allowedEdits(word)
    guard allowed > 0 else { return [] }
    let target = Array(word.unicodeScalars)
    let wanted = Self.bigrams(target)
    let needed = max(1, wanted.count - 3 * allowed)
    var shared = [UInt16](repeating: 0, count: terms.count)
    var candidates: [Int] = []
    for bigram in wanted {
      for index in bigrams[bigram] ?? [] {
        let index = Int(index)
        let length = Int(starts[index + 1] - starts[index])
        guard abs(length - target.count) <= allowed else { continue }
        shared[index] &+= 1
        if shared[index] == needed { candidates.append(index) }
      }
    }
    var found: [(term: String, edits: Int, docs: Int)] = []
    var rows = DistanceRows(capacity: target.count + allowed + 1)
    for index in candidates {
      let term = scalars[Int(starts[index])..<Int(starts[index + 1])]
      let edits = rows.distance(target, term, limit: allowed)
      if edits > 0 && edits <= allowed { found.append((terms[index], edits, counts[index])) }
    }
    found.sort { ($0.edits, -$0.docs, $0.term) < ($1.edits, -$1.docs, $1.term) }
    return found.prefix(limit).map { ($0.term, $0.edits) }
  }

  /// The words starting with `prefix`, most frequent first.
  func completions(of prefix: String, limit: Int) -> [(term: String, docs: Int)] {
    var index = lowerBound(prefix)
    var found: [(term: String, docs: Int)] = []
    while index < terms.count && terms[index].hasPrefix(prefix) {
      found.append((terms[index], counts[index]))
      index += 1
    }
    return Self.mostFrequent(found, limit: limit)
  }

  /// The first `limit` words by document count, ties in alphabetical order.
  private static func mostFrequent(_ found: [(term: String, docs: Int)], limit: Int)
    -> [(term: String, docs: Int)]
  {
    Array(found.sorted { ($1.docs, $0.term) < ($0.docs, $1.term) }.prefix(limit))
  }

  /// The `limit` most frequent words whose beginning is one edit from `prefix` (a typo in what was typed so far).
  ///
  /// Only words with the same first letter are tried: typing rarely goes wrong there, and it
  /// keeps autocomplete within its 2 ms (search itself corrects any letter).
  func prefixCorrections(of prefix: String, limit: Int) -> [(term: String, docs: Int)] {
    let typed = Array(prefix.unicodeScalars)
    guard let first = prefix.first else { return [] }
    var found: [(term: String, docs: Int)] = []
    var index = lowerBound(String(first))
    while index < terms.count, terms[index].first == first {
      defer { index += 1 }
      let term = terms[index]
      let scalars = term.unicodeScalars
      guard scalars.count >= typed.count - 1 else { continue }
      // The beginning may be one shorter, as long, or one longer than what was typed.
      for length in max(1, typed.count - 1)...(typed.count + 1) where length <= scalars.count {
        if Self.distance(typed, Array(scalars.prefix(length)), limit: 1) <= 1 {
          found.append((term, counts[index]))
          break
        }
      }
    }
    return Self.mostFrequent(found, limit: limit)
  }

  private func lowerBound(_ word: String) -> Int {
    var (low, high) = (0, terms.count)
    while low < high {
      let middle = (low + high) / 2
      if terms[middle] < word { low = middle + 1 } else { high = middle }
    }
    return low
  }

  /// The optimal-string-alignment distance (Damerau–Levenshtein in which a swap of two
  /// neighbours counts as one edit), or `limit + 1` as soon as it must exceed `limit`.
  static func distance(_ a: [Unicode.Scalar], _ b: [Unicode.Scalar], limit: Int) -> Int {
    var rows = DistanceRows(capacity: b.count + 1)
    return rows.distance(a, b[...], limit: limit)
  }
}

/// The three rows of the edit-distance table, reused from one word to the next.
struct DistanceRows {
  private var before: [Int]
  private var previous: [Int]
  private var current: [Int]

  init(capacity: Int) {
    before = Array(repeating: 0, count: capacity + 1)
    previous = before
    current = before
  }

  /// See ``Vocabulary/distance(_:_:limit:)``.
  mutating func distance(_ a: [Unicode.Scalar], _ b: ArraySlice<Unicode.Scalar>, limit: Int)
    -> Int
  {
    if abs(a.count - b.count) > limit { return limit + 1 }
    if a.isEmpty || b.isEmpty { return max(a.count, b.count) }
    let b = Array(b)
    if previous.count < b.count + 1 {
      before = Array(repeating: 0, count: b.count + 1)
      previous = before
      current = before
    }
    for j in 0...b.count { previous[j] = j }
    for i in 1...a.count {
      current[0] = i
      var rowMinimum = current[0]
      for j in 1...b.count {
        let cost = a[i - 1] == b[j - 1] ? 0 : 1
        var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
        if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
          value = min(value, before[j - 2] + 1)
        }
        current[j] = value
        rowMinimum = min(rowMinimum, value)
      }
      if rowMinimum > limit { return limit + 1 }
      (before, previous, current) = (previous, current, before)
    }
    return previous[b.count]
  }
}
