public import Importers
public import MktCore
import Store

extension CatalogService {
  /// Imports many merchants' feeds, each in its own transaction: a broken feed fails its
  /// merchant only, and the run goes on.
  ///
  /// While one feed is written, the next `jobs` feeds are read, parsed and (for merchants with
  /// no products yet) validated on threads of their own, each a bounded number of rows ahead,
  /// so memory stays flat however many feeds the manifest lists. Writes are one at a time, as
  /// SQLite allows.
  ///
  /// - Parameters:
  ///   - entries: The manifest, as ``ManifestEntry/read(path:)`` returns it.
  ///   - feed: Reading settings for the entries that leave them blank.
  ///   - options: The import contract; an entry's `mode` overrides `options.mode`.
  ///   - country: With `--create-merchants`, the country of merchants created on the way.
  ///   - jobs: Feeds read ahead of the writer, at least 1.
  ///   - done: Called after each merchant, in manifest order.
  /// - Returns: one result per entry, in manifest order.
  public func importManifest(
    _ entries: [ManifestEntry], feed: FeedOptions = FeedOptions(),
    options: ImportOptions = ImportOptions(), createMerchants country: String? = nil,
    jobs: Int = 2, done: (@Sendable (ManifestResult) -> Void)? = nil
  ) async -> [ManifestResult] {
    func job(_ entry: ManifestEntry) -> CatalogImport {
      var feed = feed
      feed.merchant = entry.merchant
      feed.format = entry.format ?? feed.format
      feed.language = entry.language ?? feed.language
      var options = options
      options.mode = entry.mode ?? options.mode
      return CatalogImport(
        path: entry.source, feed: feed, options: options, newMerchantCountry: country)
    }
    var ahead: [Int: (CatalogImport.Plan, ReadAhead)] = [:]
    var started = Set<Int>()
    var results: [ManifestResult] = []
    for index in entries.indices {
      for next in index..<min(entries.count, index + max(1, jobs)) where !started.contains(next) {
        started.insert(next)
        // A feed that cannot be opened or planned now fails in its turn, with its error.
        let upcoming = job(entries[next])
        // A remote feed is fetched in its turn: whether it changed decides what to read.
        if !FeedFetcher.isURL(upcoming.path),
          let plan = try? await store.read({ db in try upcoming.plan(db) }),
          let reader = try? upcoming.start(plan)
        {
          ahead[next] = (plan, reader)
        }
      }
      let entry = entries[index]
      let current = job(entry)
      var result = ManifestResult(
        merchant: entry.merchant, source: entry.source,
        summary: ImportSummary(
          source: entry.source, mode: current.options.mode, dryRun: options.dryRun))
      do {
        result.summary = try await run(
          current, ahead: ahead.removeValue(forKey: index))
      } catch {
        if case .tooManyErrors(_, let rejected, _, let issues) = error as? ImportError {
          result.summary.rejected = rejected
          result.summary.issues = issues
        }
        result.error = (error as? any MktError)?.description ?? "\(error)"
      }
      done?(result)
      results.append(result)
    }
    // Once for the whole manifest, with the checkpoint; when it fails, the first search saves
    // them instead.
    try? await prepareSearch(after: results.map(\.summary))
    return results
  }
}
