import ArgumentParser
import Catalog

/// A kind of file mkt fetches from http(s) URLs, with its default bounds.
protocol FetchKind {
  /// The defaults of ``FetchOptions``.
  static var limits: FetchLimits { get }
  /// What the help calls such a file: "feed".
  static var noun: String { get }
}

/// Product feeds: `mkt import URL`, manifests of URLs.
enum FeedFetch: FetchKind {
  static let limits = FetchLimits.feed
  static let noun = "feed"
}

/// ECB rate files: `mkt currency import URL`.
enum RatesFetch: FetchKind {
  static let limits = FetchLimits.rates
  static let noun = "rate file"
}

/// Stock files: `mkt inventory sync URL`.
enum StockFetch: FetchKind {
  static let limits = FetchLimits.stock
  static let noun = "stock file"
}

/// `--timeout`, `--retries`, `--max-bytes`: how far fetching an http(s) source may go, with
/// the defaults of its kind (docs/limits.md, "Network fetches").
struct FetchOptions<Kind: FetchKind>: ParsableArguments {
  @Option(
    help: ArgumentHelp(
      "Seconds the whole fetch of an http(s) \(Kind.noun) may take: connecting, waiting, reading, redirects, and every retry with its wait (0.1 to 86400).",
      valueName: "seconds"))
  var timeout: Double = Kind.limits.timeout

  @Option(
    help:
      "Attempts after the first when an http(s) \(Kind.noun) cannot be reached or answers 429 or 5xx; waits 0.5 s, doubling, within --timeout (0 to 10)."
  )
  var retries: Int = Kind.limits.retries

  @Option(
    help: ArgumentHelp(
      "The most bytes an http(s) \(Kind.noun) may have, such as 500M or 4G (K, M, G, T: powers of 1024; up to 1T); a larger one is refused with exit 69.",
      valueName: "bytes"))
  var maxBytes = ByteCount(Kind.limits.maxBytes)

  func validate() throws {
    let timeouts = FetchLimits.timeoutRange
    guard timeout.isFinite, timeouts.contains(timeout) else {
      throw ValidationError(
        "--timeout must be from \(timeouts.lowerBound) to \(Int(timeouts.upperBound)) seconds "
          + "(got \(timeout))")
    }
    let retryRange = FetchLimits.retriesRange
    guard retryRange.contains(retries) else {
      throw ValidationError(
        "--retries must be from \(retryRange.lowerBound) to \(retryRange.upperBound) "
          + "(got \(retries))")
    }
    let sizes = FetchLimits.maxBytesRange
    guard sizes.contains(maxBytes.bytes) else {
      throw ValidationError(
        "--max-bytes must be from \(sizes.lowerBound) to \(sizes.upperBound) (1T) "
          + "(got \(maxBytes.bytes))")
    }
  }

  /// The bounds the options give.
  var limits: FetchLimits {
    FetchLimits(timeout: timeout, retries: retries, maxBytes: maxBytes.bytes)
  }
}

/// A size on the command line: bytes, or with a suffix K, M, G or T (powers of 1024).
struct ByteCount: ExpressibleByArgument, Equatable {
  /// The size in bytes.
  var bytes: Int64

  init(_ bytes: Int64) { self.bytes = bytes }

  /// Parses `1000000`, `64M`, `64MiB`, `2G`, `2GB` (case-insensitive; units of 1024).
  init?(argument: String) {
    var text = Substring(argument.uppercased())
    if text.hasSuffix("IB") {
      text = text.dropLast(2)
    } else if text.hasSuffix("B") {
      text = text.dropLast()
    }
    let units: [Character: Int64] = ["K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
    var unit: Int64 = 1
    if let last = text.last, let scale = units[last] {
      unit = scale
      text = text.dropLast()
    }
    guard !text.isEmpty, text.allSatisfy({ $0.isASCII && $0.isNumber }), let value = Int64(text)
    else { return nil }
    let (bytes, overflow) = value.multipliedReportingOverflow(by: unit)
    guard !overflow else { return nil }
    self.bytes = bytes
  }

  var defaultValueDescription: String {
    for (suffix, unit) in [("T", Int64(1) << 40), ("G", 1 << 30), ("M", 1 << 20), ("K", 1 << 10)]
    where bytes >= unit && bytes % unit == 0 {
      return "\(bytes / unit)\(suffix)"
    }
    return "\(bytes)"
  }
}
