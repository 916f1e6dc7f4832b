import Foundation
public import MktCore

/// A remote file could not be fetched: nothing was imported (exit 69; 74 when its temporary
/// file beside the database cannot be written).
public enum FetchError: MktError, Equatable {
  case invalidURL(String)
  case status(String, Int)
  case failed(String, String)
  /// The whole fetch, retries included, outlasted `--timeout` (seconds).
  case timedOut(String, seconds: Double)
  /// The body is larger than `--max-bytes`; `announced` is the `Content-Length` that said so
  /// before any of it was read.
  case tooLarge(String, cap: Int64, announced: Int64?)
  /// A redirect to something other than http(s), such as `file:///etc/passwd`.
  case redirectRefused(String, target: String)
  case tooManyRedirects(String, limit: Int)
  /// The temporary file of the download could not be created or written.
  case spool(path: String, reason: String)
  indirect case gaveUp(FetchError, attempts: Int)

  public var exitStatus: SysExit {
    switch self {
    case .spool: .ioError
    case .gaveUp(let error, _): error.exitStatus
    default: .unavailable
    }
  }

  public var location: InputLocation? {
    switch self {
    case .invalidURL(let source), .status(let source, _), .failed(let source, _),
      .timedOut(let source, _), .tooLarge(let source, _, _), .redirectRefused(let source, _),
      .tooManyRedirects(let source, _):
      InputLocation(file: source)
    case .spool(let path, _): InputLocation(file: path)
    case .gaveUp(let error, _): error.location
    }
  }

  public var description: String {
    switch self {
    case .invalidURL(let source): "\(source) is not an http(s) URL"
    case .status(let source, let code):
      "\(source) answered HTTP \(code) (\(Self.reason(code)))"
    case .failed(let source, let reason): "cannot fetch \(source): \(reason)"
    case .timedOut(let source, let seconds):
      "fetching \(source) took longer than --timeout \(Self.seconds(seconds)); stopped"
    case .tooLarge(let source, let cap, let announced?):
      "\(source) is \(announced) bytes, larger than --max-bytes \(Self.size(cap)); "
        + "nothing was read"
    case .tooLarge(let source, let cap, nil):
      "\(source) is larger than --max-bytes \(Self.size(cap)); stopped reading at the cap"
    case .redirectRefused(let source, let target):
      "the server redirected \(source) to \(target), which is not http(s); not followed"
    case .tooManyRedirects(let source, let limit):
      "\(source) redirected more than \(limit) times; not followed further"
    case .spool(let path, let reason): "cannot write the download to \(path): \(reason)"
    case .gaveUp(let error, let attempts): "\(error.description), \(attempts) attempts"
    }
  }

  public var hint: String? {
    switch self {
    case .timedOut:
      "--timeout bounds the whole fetch, retries included; raise it for a slow server or a "
        + "large file (nothing was imported)"
    case .tooLarge:
      "raise --max-bytes if the file is really that large (nothing was imported)"
    case .redirectRefused, .tooManyRedirects:
      "mkt follows up to \(FeedFetcher.maxRedirects) redirects, to http(s) only; fetch the "
        + "file yourself and give its path (nothing was imported)"
    case .spool:
      "free disk space beside the database, or check its folder's permissions "
        + "(nothing was imported)"
    case .gaveUp(let error, _): error.hint
    default:
      "nothing was imported; check the URL, or retry later (the catalog is unchanged)"
    }
  }

  /// Whether another attempt may succeed: connection failures, 429 and 5xx answers.
  var isRetryable: Bool {
    switch self {
    case .failed: true
    case .status(_, let code): code == 429 || code >= 500
    default: false
    }
  }

  func after(attempts: Int) -> FetchError {
    attempts > 1 ? .gaveUp(self, attempts: attempts) : self
  }

  /// `1000000 bytes`, `67108864 bytes (64 MiB)`.
  static func size(_ bytes: Int64) -> String {
    for (unit, scale) in [("TiB", Int64(1) << 40), ("GiB", 1 << 30), ("MiB", 1 << 20)]
    where bytes >= scale && bytes % scale == 0 {
      return "\(bytes) bytes (\(bytes / scale) \(unit))"
    }
    return "\(bytes) bytes"
  }

  /// `2 s`, `0.5 s`.
  static func seconds(_ value: Double) -> String {
    value.isFinite && value == value.rounded() && abs(value) < 1e15
      ? "\(Int64(value)) s" : "\(value) s"
  }

  /// The reason phrase of an HTTP status (RFC 9110 §15), in lower case; the class of the status
  /// for a code it does not name. (Foundation's `HTTPURLResponse` has the same table, but it
  /// links libcurl into every mkt process.)
  static func reason(_ code: Int) -> String {
    if let phrase = reasons[code] { return phrase }
    return switch code / 100 {
    case 1: "informational"
    case 2: "success"
    case 3: "redirected"
    case 4: "client error"
    case 5: "server error"
    default: "unknown status"
    }
  }

  private static let reasons: [Int: String] = [
    200: "ok", 201: "created", 202: "accepted", 204: "no content", 206: "partial content",
    301: "moved permanently", 302: "found", 303: "see other", 304: "not modified",
    307: "temporary redirect", 308: "permanent redirect", 400: "bad request",
    401: "unauthorized", 403: "forbidden", 404: "not found", 405: "method not allowed",
    406: "not acceptable", 407: "proxy authentication required", 408: "request timeout",
    409: "conflict", 410: "gone", 411: "length required", 412: "precondition failed",
    413: "content too large", 414: "uri too long", 415: "unsupported media type",
    416: "range not satisfiable", 418: "i'm a teapot", 421: "misdirected request",
    422: "unprocessable content", 425: "too early", 426: "upgrade required",
    428: "precondition required", 429: "too many requests",
    431: "request header fields too large", 451: "unavailable for legal reasons",
    500: "internal server error", 501: "not implemented", 502: "bad gateway",
    503: "service unavailable", 504: "gateway timeout", 505: "http version not supported",
  ]
}
