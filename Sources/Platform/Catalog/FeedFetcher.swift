import Foundation

/// Downloads a remote file, asking the server first whether it changed, within the bounds of
/// ``FetchLimits``.
///
/// libcurl (already what Foundation's `URLSession` uses on Linux): no event loop to run for a
/// command that fetches one file at a time, and it honours the usual proxy variables. Each
/// request is a ``FetchTransfer``, which streams the body into a spool file beside the
/// database (or memory), counting it against the cap, and ends at the deadline. The request
/// is conditional when an earlier import remembered the feed's `ETag` or `Last-Modified`: a
/// `304 Not Modified` means nothing to read. Connection failures, 429 and 5xx answers are
/// retried with exponential backoff while the deadline allows; other failures end the fetch
/// at once. Redirects are followed here, up to ``maxRedirects``, and only to http(s).
struct FeedFetcher: Sendable {
  /// The deadline, retries and size cap.
  var limits: FetchLimits = .feed
  /// The wait before the first retry, doubled each time.
  var backoff: Duration = .milliseconds(500)

  /// Redirects followed in one attempt before giving up.
  static let maxRedirects = 10

  /// What the server answered.
  enum Outcome: Sendable {
    /// `304`: the feed is as it was at the last import.
    case notModified
    /// The body, in a spool file the caller removes with ``FetchSpool/remove(_:)``.
    case downloaded(file: String, validators: Validators)
  }

  /// The cache validators a server gave for a feed.
  struct Validators: Sendable, Equatable {
    var etag: String?
    var lastModified: String?
  }

  static func isURL(_ source: String) -> Bool {
    let lower = source.prefix(8).lowercased()
    return lower.hasPrefix("http://") || lower.hasPrefix("https://")
  }

  /// Downloads `source` into a new file of `spool`, unless `known` says it did not change.
  ///
  /// The file is removed on every error and on cancellation.
  ///
  /// - Throws: ``FetchError``.
  func fetch(_ source: String, known: Validators?, spool: FetchSpool) async throws(FetchError)
    -> Outcome
  {
    let url = try Self.url(source)
    let file = try spool.create()
    do {
      let (response, _) = try await get(url, source: source, known: known, into: .file(file))
      if response.status == 304 {
        file.remove()
        return .notModified
      }
      file.close()
      return .downloaded(
        file: file.path,
        validators: Validators(
          etag: response.value("ETag"), lastModified: response.value("Last-Modified")))
    } catch {
      file.remove()
      throw error
    }
  }

  /// The body of `source`, in memory.
  ///
  /// - Throws: ``FetchError``.
  func bytes(_ source: String) async throws(FetchError) -> [UInt8] {
    let url = try Self.url(source)
    return try await get(url, source: source, known: nil, into: .memory).body
  }

  /// The attempts: the first, then retries while the failure is worth one and the deadline
  /// leaves time for the backoff wait.
  private func get(
    _ url: URL, source: String, known: Validators?, into sink: FetchTransfer.Sink
  ) async throws(FetchError) -> (response: FetchResponse, body: [UInt8]) {
    let seconds = min(max(limits.timeout, 0.001), 1e9)
    let deadline = ContinuousClock.now + .microseconds(Int64(seconds * 1_000_000))
    var wait = backoff
    var attempt = 0
    while true {
      attempt += 1
      let failure: FetchError
      do {
        return try await self.attempt(url, source: source, known: known, into: sink, deadline)
      } catch {
        failure = error
      }
      guard failure.isRetryable, attempt <= limits.retries, !Task.isCancelled,
        ContinuousClock.now + wait < deadline
      else { throw failure.after(attempts: attempt) }
      try? await Task.sleep(for: wait)
      wait *= 2
    }
  }

  /// One attempt: the request, and the redirects it leads to.
  private func attempt(
    _ url: URL, source: String, known: Validators?, into sink: FetchTransfer.Sink,
    _ deadline: ContinuousClock.Instant
  ) async throws(FetchError) -> (response: FetchResponse, body: [UInt8]) {
    var url = url
    var redirects = 0
    while true {
      if case .file(let file) = sink { try file.reset() }
      var headers: [String] = []
      if let etag = known?.etag { headers.append("If-None-Match: " + Self.headerValue(etag)) }
      if let date = known?.lastModified {
        headers.append("If-Modified-Since: " + Self.headerValue(date))
      }
      let outcome = await FetchTransfer.run(
        url, headers: headers, into: sink, cap: limits.maxBytes, deadline: deadline)
      switch outcome.failure {
      case .timedOut?: throw .timedOut(source, seconds: limits.timeout)
      case .tooLarge(let announced)?:
        throw .tooLarge(source, cap: limits.maxBytes, announced: announced)
      case .write(let error)?: throw error
      case .cancelled?: throw .failed(source, "cancelled")
      case .transport(let reason)?: throw .failed(source, reason)
      case nil: break
      }
      guard let response = outcome.response else {
        throw .failed(source, "not an HTTP response")
      }
      switch response.status {
      case 301, 302, 303, 307, 308:
        url = try Self.redirect(response.value("Location"), from: url, source: source)
        redirects += 1
        guard redirects <= Self.maxRedirects else {
          throw .tooManyRedirects(source, limit: Self.maxRedirects)
        }
      case 304, 200..<300:
        return (response, outcome.body)
      default:
        throw .status(source, response.status)
      }
    }
  }

  /// The http(s) URL `source` names.
  static func url(_ source: String) throws(FetchError) -> URL {
    guard isURL(source), let url = URL(string: source), url.host != nil else {
      throw .invalidURL(source)
    }
    return url
  }

  /// Where a redirect from `url` leads, if it is http(s).
  ///
  /// - Throws: ``FetchError/redirectRefused(_:target:)`` for any other scheme (`file:`,
  ///   `ftp:`, `data:`) or a Location that is not a URL.
  static func redirect(_ location: String?, from url: URL, source: String) throws(FetchError)
    -> URL
  {
    guard let location, !location.isEmpty else {
      throw .failed(source, "a redirect without a Location header")
    }
    guard let target = URL(string: location, relativeTo: url)?.absoluteURL else {
      throw .redirectRefused(source, target: printable(location))
    }
    let scheme = target.scheme?.lowercased()
    guard scheme == "http" || scheme == "https", target.host != nil else {
      throw .redirectRefused(source, target: printable(target.absoluteString))
    }
    return target
  }

  /// A stored validator fit for a request header: no line breaks.
  static func headerValue(_ text: String) -> String {
    String(text.unicodeScalars.filter { $0 != "\r" && $0 != "\n" && $0 != "\0" })
  }

  /// `text` fit for a terminal: control characters escaped, at most 200 characters.
  static func printable(_ text: String) -> String {
    let escaped = text.unicodeScalars.map { scalar in
      scalar.value < 0x20 || (0x7F..<0xA0).contains(scalar.value)
        ? "\\u{\(String(scalar.value, radix: 16))}" : String(scalar)
    }.joined()
    return escaped.count > 200 ? escaped.prefix(200) + "…" : escaped
  }
}
