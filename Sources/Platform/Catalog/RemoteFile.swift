/// Downloads of small remote files for other commands (ECB rates, stock files): the feed
/// fetcher's deadline, retries, size cap, redirect rules and errors, the body in memory.
package enum RemoteFile {
  /// Whether `source` is an http(s) URL rather than a path.
  package static func isURL(_ source: String) -> Bool { FeedFetcher.isURL(source) }

  /// The body of `url`, at most `limits.maxBytes` bytes, within `limits.timeout` seconds.
  ///
  /// - Throws: ``FetchError`` (exit 69) when the server cannot be reached, refuses, is too
  ///   slow or sends too much.
  package static func bytes(_ url: String, limits: FetchLimits) async throws(FetchError)
    -> [UInt8]
  {
    try await FeedFetcher(limits: limits).bytes(url)
  }
}
