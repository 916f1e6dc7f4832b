import Catalog
import Foundation
import Importers
import MktCore

/// Reads a whole input named on the command line: a path, `-` for standard input, or (where
/// allowed) an http(s) URL.
enum InputFile {
  ///
  /// `limit` bounds what is read (standard input included), as it is read: docs/limits.md
  /// lists each command's.
  static func bytes(_ source: String, allowURL: Bool = false, limit: Int = ByteSource.defaultLimit)
    async throws -> [UInt8]
  {
    if allowURL, RemoteFile.isURL(source) { return try await RemoteFile.bytes(source) }
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
