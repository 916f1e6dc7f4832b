/// How far one fetch of an http(s) URL may go: its deadline, its retries, its size.
///
/// `timeout` is a deadline for the whole fetch — connecting, waiting for the answer, reading
/// the body, following redirects, and every retry with its backoff wait: a fetch never runs
/// longer than it, whatever the server does (silent, dripping a byte a second, endless). A
/// retry starts only if its backoff wait ends before the deadline. `maxBytes` caps the body,
/// counted as it arrives (after `Content-Encoding: gzip` is undone): an announced
/// `Content-Length` above it is refused before the body is read, and an endless body stops at
/// it. Each kind of file has its own defaults (docs/limits.md, "Network fetches").
public struct FetchLimits: Sendable, Equatable {
  /// Seconds the whole fetch may take, retries included.
  public var timeout: Double
  /// Attempts after the first, for failures worth retrying (connection errors, 429, 5xx).
  public var retries: Int
  /// The most bytes the body may have.
  public var maxBytes: Int64

  /// - Parameters:
  ///   - timeout: Seconds the whole fetch may take, retries included.
  ///   - retries: Attempts after the first.
  ///   - maxBytes: The most bytes the body may have.
  public init(timeout: Double, retries: Int, maxBytes: Int64) {
    self.timeout = timeout
    self.retries = retries
    self.maxBytes = maxBytes
  }

  /// Product feeds (`mkt import URL`, manifests of URLs): 10 minutes, 3 retries, 2 GiB.
  public static let feed = FetchLimits(timeout: 600, retries: 3, maxBytes: 2 << 30)
  /// ECB rate files (`mkt currency import URL`): 1 minute, 3 retries, 64 MiB (the whole
  /// history since 1999 is about 7 MiB as XML).
  public static let rates = FetchLimits(timeout: 60, retries: 3, maxBytes: 64 << 20)
  /// Stock files (`mkt inventory sync URL`), read whole into memory: 2 minutes, 3 retries,
  /// 256 MiB (some six million rows).
  public static let stock = FetchLimits(timeout: 120, retries: 3, maxBytes: 256 << 20)

  /// Event files (`mkt events ingest URL`), read whole into memory: 10 minutes, 3 retries,
  /// 512 MiB (some three million events).
  public static let events = FetchLimits(timeout: 600, retries: 3, maxBytes: 512 << 20)

  /// The `timeout`s mkt takes, in seconds: a tenth of a second to a day.
  public static let timeoutRange: ClosedRange<Double> = 0.1...86_400
  /// The `retries` mkt takes.
  public static let retriesRange: ClosedRange<Int> = 0...10
  /// The `maxBytes` mkt takes: one byte to 1 TiB.
  public static let maxBytesRange: ClosedRange<Int64> = 1...(1 << 40)
}
