import Catalog
import Foundation
import Importers
import MktCore

/// Reads a whole input named on the command line: a path, `-` for standard input, or (where
/// allowed) an http(s) URL.
enum InputFile {
  static func bytes(_ source: String, allowURL: Bool = false) async throws -> [UInt8] {
    if allowURL, RemoteFile.isURL(source) { return try await RemoteFile.bytes(source) }
    if source == "-" {
      return Array(FileHandle.standardInput.readDataToEndOfFile())
    }
    return try ByteSource(path: source).readAll()
  }

  static func text(_ source: String) async throws -> String {
    String(decoding: try await bytes(source), as: UTF8.self)
  }
}
