/// What search keeps in memory between searches, per database file: the per-product columns
/// (``SearchColumns``), the frequent words' postings and the vocabulary for typo correction,
/// each checked against the catalog's stamps before use.
///
/// One per process is the default (``shared``): every ``SearchService`` of a process then
/// shares what one loaded. Tests and embedders that want their own give each service another.
public final class SearchCache: Sendable {
  let columns = SearchColumnsCache()
  let postings = PostingsCache()
  let vocabulary = VocabularyCache()

  public init() {}

  /// The process's cache.
  public static let shared = SearchCache()
}
