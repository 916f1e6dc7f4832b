import Catalog
import Foundation
import Importers
import MktCore

/// Reads a whole input named on the command line: a path, `-` for standard input, or (where
/// allowed) an http(s) URL.
enum InputFile {
  /// The bytes of `source`.
  ///
  /// `limit` bounds what is read from a file or standard input, as it is read (docs/limits.md
  /// lists each command's); an http(s) URL is fetched within `fetch` when given, else read as a
  /// path.
  static func bytes(
    _ source: String, fetch: FetchLimits? = nil, limit: Int = ByteSource.defaultLimit
  ) async throws -> [UInt8] {
    if let fetch, RemoteFile.isURL(source) {
      FetchSignals.install()
      return try await RemoteFile.bytes(source, limits: fetch)
    }
    return try ByteSource(path: source).readAll(limit: limit)
  }

  static func text(_ source: String, limit: Int) async throws -> String {
    String(decoding: try await bytes(source, limit: limit), as: UTF8.self)
  }

  /// Pricing rules, carts and locale overrides: small files people write.
  static let smallFileLimit = 16 << 20
  /// ECB rate files: the whole history since 1999 is a few megabytes.
  static let ratesFileLimit = 64 << 20
}
