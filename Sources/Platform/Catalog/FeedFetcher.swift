import Foundation
public import MktCore

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads a remote feed to a temporary file, asking the server first whether it changed.
///
/// Foundation's `URLSession` (libcurl underneath on Linux, already part of the toolchain): no
/// extra dependency and no event loop to run for a command that fetches one file at a time;
/// it follows redirects and honours the usual proxy variables. The request is conditional when
/// an earlier import remembered the feed's `ETag` or `Last-Modified`: a `304 Not Modified`
/// means nothing to read. Connection failures, timeouts, 429 and 5xx answers are retried with
/// exponential backoff; other answers fail at once.
struct FeedFetcher: Sendable {
  /// Seconds without progress before a request is given up.
  var timeout: Double = 60
  /// Attempts after the first.
  var retries = 3
  /// The wait before the first retry, doubled each time.
  var backoff: Duration = .milliseconds(500)

  /// What the server answered.
  enum Outcome: Sendable {
    /// `304`: the feed is as it was at the last import.
    case notModified
    /// The body, in a temporary file the caller removes.
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

  func fetch(_ source: String, known: Validators?) async throws(FetchError) -> Outcome {
    guard let url = URL(string: source), url.host != nil else {
      throw .invalidURL(source)
    }
    var request = URLRequest(url: url, timeoutInterval: timeout)
    request.setValue("mkt", forHTTPHeaderField: "User-Agent")
    request.setValue("gzip", forHTTPHeaderField: "Accept-Encoding")
    if let etag = known?.etag { request.setValue(etag, forHTTPHeaderField: "If-None-Match") }
    if let date = known?.lastModified {
      request.setValue(date, forHTTPHeaderField: "If-Modified-Since")
    }
    let session = URLSession(configuration: .ephemeral)
    defer { session.finishTasksAndInvalidate() }
    var wait = backoff
    var attempt = 0
    while true {
      let failure: FetchError
      do {
        let (temporary, response) = try await session.download(for: request)
        guard let http = response as? HTTPURLResponse else {
          throw FetchError.failed(source, "not an HTTP response")
        }
        switch http.statusCode {
        case 304:
          try? FileManager.default.removeItem(at: temporary)
          return .notModified
        case 200..<300:
          // The session deletes its file when the call returns: keep it under our own name.
          let file = NSTemporaryDirectory() + "mkt-feed-" + UUID().uuidString
          try FileManager.default.moveItem(atPath: temporary.path, toPath: file)
          return .downloaded(
            file: file,
            validators: Validators(
              etag: http.value(forHTTPHeaderField: "ETag"),
              lastModified: http.value(forHTTPHeaderField: "Last-Modified")))
        default:
          try? FileManager.default.removeItem(at: temporary)
          throw FetchError.status(source, http.statusCode)
        }
      } catch let error as FetchError {
        if case .status(_, let code) = error, code != 429 && code < 500 { throw error }
        failure = error
      } catch {
        failure = .failed(source, (error as NSError).localizedDescription)
      }
      attempt += 1
      guard attempt <= retries else { throw failure.after(attempts: attempt) }
      try? await Task.sleep(for: wait)
      wait *= 2
    }
  }
}

/// A remote feed could not be fetched: nothing was imported (exit 69).
public enum FetchError: MktError, Equatable {
  case invalidURL(String)
  case status(String, Int)
  case failed(String, String)
  indirect case gaveUp(FetchError, attempts: Int)

  public var exitStatus: SysExit { .unavailable }

  public var location: InputLocation? {
    switch self {
    case .invalidURL(let source), .status(let source, _), .failed(let source, _):
      InputLocation(file: source)
    case .gaveUp(let error, _): error.location
    }
  }

  public var description: String {
    switch self {
    case .invalidURL(let source): "\(source) is not an http(s) URL"
    case .status(let source, let code):
      "\(source) answered HTTP \(code) "
        + "(\(HTTPURLResponse.localizedString(forStatusCode: code)))"
    case .failed(let source, let reason): "cannot fetch \(source): \(reason)"
    case .gaveUp(let error, let attempts): "\(error.description), \(attempts) attempts"
    }
  }

  public var hint: String? {
    "nothing was imported; check the URL, or retry later (the catalog is unchanged)"
  }

  func after(attempts: Int) -> FetchError {
    attempts > 1 ? .gaveUp(self, attempts: attempts) : self
  }
}

/// Downloads of small remote files for other commands (ECB rates): the feed fetcher's
/// retries, timeouts and errors, the body in memory.
package enum RemoteFile {
  /// Whether `source` is an http(s) URL rather than a path.
  package static func isURL(_ source: String) -> Bool { FeedFetcher.isURL(source) }

  /// The body of `url`.
  ///
  /// - Throws: ``FetchError`` (exit 69) when the server cannot be reached or refuses.
  package static func bytes(_ url: String, timeout: Double = 60, retries: Int = 3) async throws
    -> [UInt8]
  {
    let fetcher = FeedFetcher(timeout: timeout, retries: retries)
    guard case .downloaded(let file, _) = try await fetcher.fetch(url, known: nil) else {
      return []
    }
    defer { try? FileManager.default.removeItem(atPath: file) }
    return Array(FileManager.default.contents(atPath: file) ?? Data())
  }
}
