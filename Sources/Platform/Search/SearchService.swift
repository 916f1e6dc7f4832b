import Foundation
import GRDB
import MktCore
public import Store

/// Product search over the catalog's FTS5 index: weighted bm25, typo tolerance, synonyms,
/// filters, facets, highlighting and autocomplete, all inside the one SQLite file.
///
/// Ranking is FTS5's bm25 with the weights of the Elasticsearch setup it replaces — title 3,
/// brand 2, category 1.5, description 1, tags 1 — and two small boosts: an in-stock product's
/// score counts 10 % more, and a rated one 2 % more per star. Query words are matched exactly when the index has them; a word it lacks
/// is replaced by the nearest indexed words (Elasticsearch's `fuzziness: AUTO`, see
/// ``Vocabulary``), and the result says so.
public struct SearchService: Sendable {
  let store: Store
  let cache: SearchCache

  /// A search over `store`, keeping what it loads in `cache` (the process's by default).
  public init(store: Store, cache: SearchCache = .shared) {
    self.store = store
    self.cache = cache
  }

  /// Words in at least this many products get their postings saved by ``prepare(frequentWords:)``;
  /// rarer ones are read from the index (a few thousand postings take well under a millisecond).
  public static let frequentWords = 2000

  /// The field weights of bm25, in the index's column order.
  static let weights = Postings.columnWeights.map { "\($0)" }.joined(separator: ", ")
  /// The factor on the score of an in-stock product (bm25 is negative: more is better).
  static let inStockBoost = 1.1
  /// The score of a rated product counts this much more per star: 10 % at 5 stars.
  static let ratingBoost = 0.02

  /// Runs `request`.
  ///
  /// - Throws: ``SearchError`` (64) for a request that cannot run; store errors.
  public func search(_ request: SearchRequest) async throws -> SearchResult {
    let started = ContinuousClock.now
    try Self.validate(request)
    // One look at what is stale. The columns: after an upgrade, or products written other than
    // by an import, saved once here so the searches after it do not each rebuild them in
    // memory; a database that cannot be written is searched as it is.
    let (vocabularyStale, prepared) = try await store.read { db in
      (try Self.vocabularyIsStale(db), try SearchPreparation.isCurrent(db))
    }
    // Never wait for a writer: with the lock taken (an import running) or a read-only file,
    // the columns are built in memory and the stale vocabulary is used as it is.
    if !prepared {
      try? await prepare(waiting: false)
    } else if vocabularyStale {
      try await refreshVocabulary()
    }
    var warnings: [String] = []
    if request.text.count > QueryText.maximumLength {
      warnings.append(
        "the query is \(request.text.count) characters long: only the first "
          + "\(QueryText.maximumLength) were used")
    }
    let query = QueryText(request.text)
    let now = store.clock.seconds()
    let found = try await store.read { db in
      try Store.mapForReading(db)
      var plan = try SearchPlan(request: request, query: query, cache: cache, now: now, db: db)
      return try plan.run(db)
    }
    return SearchResult(
      hits: found.hits, total: found.total, facets: found.facets,
      tookMilliseconds: Double((ContinuousClock.now - started) / .microseconds(1)) / 1000,
      corrections: found.corrections, nextCursor: found.nextCursor,
      warnings: warnings + found.warnings)
  }

  /// Completions of the last word of `prefix`, most frequent first; when none start with it,
  /// words starting within one edit of it.
  public func suggest(_ prefix: String, limit: Int = 10) async throws -> [Suggestion] {
    try await refreshVocabularyIfStale()
    let query = QueryText(prefix)
    let words = query.parts.flatMap(\.words)
    guard let last = words.last else { return [] }
    let lead = words.dropLast().map { $0 + " " }.joined()
    let vocabulary = try await store.read { db in try cache.vocabulary.vocabulary(db) }
    let earlier = words.dropLast().map { QueryText.quoted([$0]) }
    // Only completions that find products together with the words typed before them: "rain ja"
    // offers "rain jacket", never "rain jakosc" (a word of another product). A few more are
    // asked for than shown, since some fall out.
    func together(_ found: [(term: String, docs: Int)]) async throws -> [(term: String, docs: Int)]
    {
      guard !earlier.isEmpty else { return Array(found.prefix(limit)) }
      return try await store.read { db in
        try Array(
          found.filter {
            try SearchPlan.matches(
              (earlier + [QueryText.quoted([$0.term])]).joined(separator: " AND "), db)
          }.prefix(limit))
      }
    }
    let wanted = earlier.isEmpty ? limit : limit * 5
    var found = try await together(vocabulary.completions(of: last, limit: wanted))
    if found.isEmpty && last.count >= 3 {
      // A typo in what was typed so far: complete the nearest prefixes instead.
      found = try await together(vocabulary.prefixCorrections(of: last, limit: wanted))
    }
    return found.map { Suggestion(text: lead + $0.term, documents: $0.docs) }
  }

  /// Rebuilds the index, its vocabulary and the per-product columns from the catalog.
  ///
  /// - Returns: the number of products indexed.
  public func reindex() async throws -> Int {
    try await store.write(.normal) { db in
      try db.execute(sql: "INSERT INTO product_search (product_search) VALUES ('rebuild')")
      try Self.rebuildVocabulary(db)
      // Saved from scratch: nothing to apply changes to.
      try db.execute(sql: "DELETE FROM search_column")
      try SearchPreparation.run(db, frequentWords: Self.frequentWords)
      return try Int.fetchOne(db, sql: "SELECT count(*) FROM product") ?? 0
    }
  }

  /// Brings what search keeps beside the index in step with the catalog.
  ///
  /// The vocabulary when a tenth of the catalog changed; the per-product columns
  /// (``SearchColumns``) and the postings of the words in at least `frequentWords` products
  /// when anything did — from the products changed since the last time when they are few (at
  /// most one in 20), else from scratch. Imports call it after they commit; without it, search builds the
  /// columns in memory and reads every word from the index (correct, only slower: a second or
  /// so at a million products, once per process, and milliseconds per frequent word).
  ///
  /// - Parameters:
  ///   - frequentWords: Words in at least this many products get their postings saved.
  ///   - waiting: Whether to wait for another writer (an import calls it after its own commit);
  ///     a search does not, and leaves the saving to a later search when the lock is taken.
  ///   - alongside: Work for the writer connection while readers rebuild (an import's
  ///     checkpoint), done before the save.
  /// - Throws: store errors.
  public func prepare(
    frequentWords: Int = SearchService.frequentWords, waiting: Bool = true,
    alongside: (@Sendable () async throws -> Void)? = nil
  ) async throws {
    if !waiting, try await !canSaveNow() { return }
    // What the write before left allocated is not needed while readers rebuild.
    try await store.releaseMemory()
    try await refreshVocabularyIfStale()
    try await store.read { db in try Vocabulary.saveSideFile(db, onlyIfMissing: true) }
    async let besides: Void = { if let alongside { try await alongside() } }()
    let rebuilt = try await rebuiltSideBySide(frequentWords: frequentWords)
    try await besides
    // The readers' caches and the allocator's pages from the rebuild and the checkpoint go back
    // before the save allocates its own.
    if alongside != nil { try await store.releaseMemory() }
    let save: @Sendable (Database) throws -> Void = { db in
      // The save writes each page once, in order: the writer's 32 MiB cache would fill with
      // them (and hold 20 MB more at the peak of a five-million-product import).
      try Self.withSmallCache(db) {
        try SearchPreparation.save(rebuilt, db, frequentWords: frequentWords)
      }
    }
    if waiting {
      try await store.write(.normal, save)
    } else {
      _ = try await store.writeIfFree(.normal, save)
    }
  }

  /// Whether a search may save the columns now: the file is writable and no writer holds it.
  public func canSaveNow() async throws -> Bool {
    guard store.isWritable else { return false }
    return try await store.writeIfFree { _ in true } ?? false
  }

  /// Whether the saved columns are those of the catalog as it is now (and readable by this mkt).
  public func isPrepared() async throws -> Bool {
    try await store.read { db in try SearchPreparation.isCurrent(db) }
  }

  /// A rebuild when one is due, read before the write lock is taken.
  ///
  /// Three reader connections at once read the columns and the frequent words' postings in two
  /// halves (seconds at a million products); the postings go to temporary files, and each
  /// reader keeps a small page cache, so memory stays flat however large the catalog. `nil` when
  /// no rebuild is due, or when the catalog changed while reading.
  func rebuiltSideBySide(frequentWords: Int) async throws -> SearchPreparation.Rebuilt? {
    let words = try await store.read { db -> [String]? in
      guard case .rebuild = try SearchPreparation.work(db) else { return nil }
      return try Self.withSmallCache(db) { try Postings.frequent(minimum: frequentWords, db) }
    }
    guard let words else { return nil }
    // Alternating by frequency gives each half about as many postings.
    let halves = [0, 1].map { half in
      words.enumerated().filter { $0.offset % 2 == half }.map(\.element)
    }
    func postings(_ words: [String]) async throws -> (Int64, PostingsSpool) {
      try await store.read { db in
        try Self.withSmallCache(db) {
          (try SearchColumns.currentVersion(db), try PostingsSpool(words, db))
        }
      }
    }
    async let columns = store.read { db -> SearchColumns.Spooled? in
      do {
        return try Self.withSmallCache(db) { try SearchColumns.buildSpooled(db) }
      } catch is TooManyValues { return nil }
    }
    async let first = postings(halves[0])
    async let second = postings(halves[1])
    let (built, (a, firstHalf), (b, secondHalf)) = try await (columns, first, second)
    guard let built, built.version == a, a == b else { return nil }
    return SearchPreparation.Rebuilt(columns: built, postings: [firstHalf, secondHalf])
  }

  /// Runs `body` with `db`'s page cache at `kibibytes` (2 MiB unless told): a rebuild reads
  /// the catalog and the index once, in order, and full caches would hold 32 MiB each beside
  /// the import calling it.
  static func withSmallCache<T>(
    _ db: Database, kibibytes: Int = 2048, _ body: () throws -> T
  ) throws -> T {
    let pages = try Int.fetchOne(db, sql: "PRAGMA cache_size") ?? -2000
    try Store.shrinkCache(db, kibibytes: kibibytes)
    defer { try? db.execute(sql: "PRAGMA cache_size = \(pages)") }
    return try body()
  }

  /// Loads a synonyms file, replacing the language's groups.
  ///
  /// One group per line, words or phrases separated by commas (`tshirt, t-shirt, tee`); `#`
  /// starts a comment.
  ///
  /// - Returns: the number of groups.
  /// - Throws: ``SynonymError`` (65) naming the line; source errors.
  public func loadSynonyms(path: String, language: String) async throws -> Int {
    let groups = try Synonyms.read(path: path)
    return try await store.write { db in
      try db.execute(sql: "DELETE FROM search_synonym WHERE language = ?", arguments: [language])
      for (number, group) in groups.enumerated() {
        for words in group {
          try db.execute(
            sql: "INSERT OR IGNORE INTO search_synonym (language, term, group_id) VALUES (?, ?, ?)",
            arguments: [language, words, number + 1])
        }
      }
      return groups.count
    }
  }

  static func validate(_ request: SearchRequest) throws {
    if let min = request.priceMin, let max = request.priceMax, min > max {
      throw SearchError.invalidPriceRange(min: min, max: max)
    }
    guard (1...SearchRequest.maximumPerPage).contains(request.perPage) else {
      throw SearchError.invalidPage(
        "--per-page must be between 1 and \(SearchRequest.maximumPerPage)")
    }
    guard (1...SearchRequest.maximumPage).contains(request.page) else {
      throw SearchError.invalidPage(
        "--page must be between 1 and \(SearchRequest.maximumPage) (got \(request.page)); "
          + "--cursor goes on from a page's last hit")
    }
    if let rating = request.minRating, !(0...5).contains(rating) {
      throw SearchError.invalidRating(rating)
    }
  }

  /// Refreshes `search_vocab` when a tenth of the catalog changed since it was built.
  ///
  /// Also when it was never built. A read-only database keeps the stale copy.
  func refreshVocabularyIfStale() async throws {
    let stale = try await store.read { db in try Self.vocabularyIsStale(db) }
    if stale { try await refreshVocabulary() }
  }

  /// Rebuilds the vocabulary unless another process just did; a read-only database keeps it.
  func refreshVocabulary() async throws {
    _ = try? await store.writeIfFree(.normal) { db in
      if try Self.vocabularyIsStale(db) { try Self.rebuildVocabulary(db) }
    }
  }

  static func vocabularyIsStale(_ db: Database) throws -> Bool {
    guard let row = try Row.fetchOne(db, sql: "SELECT vocab_docs, changed FROM search_state")
    else { return true }
    let (built, changed): (Int, Int) = (row["vocab_docs"], row["changed"])
    return changed * 10 > max(built, 1) || (built == 0 && changed > 0)
  }

  static func rebuildVocabulary(_ db: Database) throws {
    // Every word of the index, read once in order: a full cache would only hold 32 MiB more.
    try withSmallCache(db) {
      try db.execute(
        sql: """
          DELETE FROM search_vocab;
          INSERT INTO search_vocab (term, docs) SELECT term, doc FROM product_search_words;
          UPDATE search_state SET vocab_docs = (SELECT count(*) FROM product), changed = 0,
            built_at = strftime('%Y-%m-%dT%H:%M:%fZ', 'now') || '-' || hex(randomblob(4));
          """)
    }
    // Stamped with the new `built_at`: if this transaction does not commit, no one reads it.
    try Vocabulary.saveSideFile(db)
  }
}

/// A completion of `mkt suggest`.
public struct Suggestion: Sendable, Encodable, Equatable {
  public var text: String
  /// Products containing the completed word.
  public var documents: Int
}

/// The vocabulary per database, loaded once per process and reloaded when rebuilt.
final class VocabularyCache: @unchecked Sendable {
  // SAFETY: `entries` is read and written under `lock` only.
  private let lock = NSLock()
  private var entries: [String: (stamp: String, vocabulary: Vocabulary)] = [:]

  func vocabulary(_ db: Database) throws -> Vocabulary {
    let stamp = try String.fetchOne(db, sql: "SELECT built_at FROM search_state") ?? ""
    let key =
      try String.fetchOne(db, sql: "SELECT file FROM pragma_database_list WHERE name = 'main'")
      ?? ""
    lock.lock()
    if let entry = entries[key], entry.stamp == stamp {
      lock.unlock()
      return entry.vocabulary
    }
    lock.unlock()
    let vocabulary =
      try (key.isEmpty ? nil : Vocabulary.mappedSideFile(database: key, stamp: stamp))
      ?? Vocabulary.load(db)
    lock.lock()
    entries[key] = (stamp, vocabulary)
    lock.unlock()
    return vocabulary
  }
}
