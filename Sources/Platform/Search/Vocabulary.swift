import GRDB
import Store

/// The index's words with their document counts, in memory: the candidates for typo
/// correction and the completions of `mkt suggest`.
///
/// Loaded from `search_vocab`, a copy of the FTS5 vocabulary that the search service refreshes
/// when the catalog has changed since it was built (see ``SearchService``), or mapped from the
/// file the refresh writes beside the database (see ``sideFile(of:)``).
struct Vocabulary: Sendable {
  /// The words in byte order (SQLite's, as `search_vocab` keeps them), their UTF-8 end to end.
  ///
  /// Word `i` is `bytes[starts[i]..<starts[i + 1]]`. No `String` per word: a new process
  /// correcting a typo reads 55,000 words at a million products, once.
  private(set) var bytes = PlainArray<UInt8>()
  private(set) var starts = PlainArray<Int32>([0])
  private(set) var counts = PlainArray<Int32>()
  /// Per word: its length in Unicode scalars, and ``letters(_:)`` of them — the filters that
  /// spare most words the distance.
  private(set) var lengths = PlainArray<Int32>()
  private(set) var letters = PlainArray<UInt64>()

  private init() {}

  /// The vocabulary of these columns (see ``mappedSideFile(database:stamp:)``).
  init(
    letters: PlainArray<UInt64>, starts: PlainArray<Int32>, counts: PlainArray<Int32>,
    lengths: PlainArray<Int32>, bytes: PlainArray<UInt8>
  ) {
    (self.bytes, self.starts, self.counts) = (bytes, starts, counts)
    (self.lengths, self.letters) = (lengths, letters)
  }

  /// Adds a word after the others (in byte order).
  private mutating func append(_ word: UnsafeRawBufferPointer, _ docs: Int) {
    // A typed buffer: appended as one copy, where raw bytes are appended one at a time.
    bytes.append(contentsOf: word.assumingMemoryBound(to: UInt8.self))
    starts.append(Int32(bytes.count))
    counts.append(Int32(clamping: docs))
    // Most words are ASCII: a byte is a scalar, and one pass over the bytes gives both. A new
    // process correcting a typo spent 3 ms decoding 55,000 words as UTF-8.
    var (set, high) = (UInt64(0), UInt8(0))
    for byte in word {
      high |= byte
      set |= 1 << UInt64(byte % 64)
    }
    var length = Int32(word.count)
    if high >= 0x80 {
      (length, set) = (0, 0)
      var iterator = word.makeIterator()
      var decoder = UTF8()
      while case .scalarValue(let scalar) = decoder.decode(&iterator) {
        length += 1
        set |= Self.bit(scalar)
      }
    }
    lengths.append(length)
    letters.append(set)
  }

  var count: Int { counts.count }

  /// Word `index`'s UTF-8 bytes.
  private func utf8(_ index: Int) -> Slice<PlainArray<UInt8>> {
    bytes[Int(starts[index])..<Int(starts[index + 1])]
  }

  private func term(_ index: Int) -> String { String(decoding: utf8(index), as: UTF8.self) }

  /// The set of `word`'s scalars, each as one of 64 bits (scalars sharing a bit are alike here).
  ///
  /// An edit removes at most one scalar and adds at most one, so two words `k` edits apart
  /// differ in at most `2k` bits: a test of a few instructions per word, made when loading
  /// costs one pass (a table of bigrams took longer to build than most searches take).
  static func letters(_ word: some Collection<Unicode.Scalar>) -> UInt64 {
    word.reduce(0) { $0 | bit($1) }
  }

  /// The bit of `scalar` in ``letters(_:)``.
  @inline(__always)
  private static func bit(_ scalar: Unicode.Scalar) -> UInt64 { 1 << UInt64(scalar.value % 64) }

  static func load(_ db: Database) throws -> Vocabulary {
    var vocabulary = Vocabulary()
    // The primary key's order: no sort.
    try RawRows.each(db, sql: "SELECT term, docs FROM search_vocab ORDER BY term") { row in
      vocabulary.append(row.blob(0), Int(row.integer(1)))
    }
    return vocabulary
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
    return index < count && utf8(index).elementsEqual(word.utf8) ? Int(counts[index]) : 0
  }

  /// Words within the allowed edits of `word`, nearest first, then most frequent.
  ///
  /// Only words of a length within `k` edits, whose ``letters(_:)`` differ from the typed
  /// word's in at most `2k` bits, get their distance computed.
  func corrections(of word: String, limit: Int = 3) -> [(term: String, edits: Int)] {
    let allowed = Self.allowedEdits(word)
    guard allowed > 0 else { return [] }
    let target = Array(word.unicodeScalars)
    let wanted = Self.letters(target)
    var found: [(term: String, edits: Int, docs: Int)] = []
    var rows = DistanceRows(capacity: target.count + allowed + 1)
    // Straight through the buffers: this loop reads two numbers of all 55,000 words.
    lengths.withUnsafeBufferPointer { lengths in
      letters.withUnsafeBufferPointer { letters in
        for index in 0..<lengths.count
        where abs(Int(lengths[index]) - target.count) <= allowed
          && (letters[index] ^ wanted).nonzeroBitCount <= 2 * allowed
        {
          let term = term(index)
          let edits = rows.distance(target, Array(term.unicodeScalars)[...], limit: allowed)
          if edits > 0 && edits <= allowed { found.append((term, edits, Int(counts[index]))) }
        }
      }
    }
    found.sort { ($0.edits, -$0.docs, $0.term) < ($1.edits, -$1.docs, $1.term) }
    return found.prefix(limit).map { ($0.term, $0.edits) }
  }

  /// The words starting with `prefix`, most frequent first.
  func completions(of prefix: String, limit: Int) -> [(term: String, docs: Int)] {
    var index = lowerBound(prefix)
    var found: [(term: String, docs: Int)] = []
    while index < count && utf8(index).starts(with: prefix.utf8) {
      found.append((term(index), Int(counts[index])))
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
    while index < count, case let term = self.term(index), term.first == first {
      defer { index += 1 }
      let scalars = term.unicodeScalars
      guard scalars.count >= typed.count - 1 else { continue }
      // The beginning may be one shorter, as long, or one longer than what was typed.
      for length in max(1, typed.count - 1)...(typed.count + 1) where length <= scalars.count {
        if Self.distance(typed, Array(scalars.prefix(length)), limit: 1) <= 1 {
          found.append((term, Int(counts[index])))
          break
        }
      }
    }
    return Self.mostFrequent(found, limit: limit)
  }

  /// The first word not before `word` in byte order.
  private func lowerBound(_ word: String) -> Int {
    let word = Array(word.utf8)
    var (low, high) = (0, count)
    while low < high {
      let middle = (low + high) / 2
      if utf8(middle).lexicographicallyPrecedes(word) { low = middle + 1 } else { high = middle }
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
