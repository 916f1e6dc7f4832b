import Foundation
import Importers
public import MktCore

/// A synonyms file: one group per line, separated by commas.
enum Synonyms {
  /// The most words (or phrases) in one group: every search for one of them adds the others.
  static let maximumGroupSize = 100
  /// The largest synonyms file: 16 MiB.
  static let maximumBytes = 16 << 20

  /// The groups, each as folded words joined by one space (`t-shirt` is `t shirt`, as indexed).
  static func read(path: String) throws -> [[String]] {
    let bytes = try ByteSource(path: path).readAll(limit: maximumBytes)
    guard let text = String(validating: bytes, as: UTF8.self) else {
      throw SynonymError(location: InputLocation(file: path), reason: "the file is not UTF-8")
    }
    var groups: [[String]] = []
    for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
      .enumerated()
    {
      let content =
        line.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
        .first ?? ""
      guard !content.trimmingCharacters(in: .whitespaces).isEmpty else { continue }
      let entries = content.split(separator: ",").map {
        QueryText(String($0)).parts.flatMap(\.words).joined(separator: " ")
      }.filter { !$0.isEmpty }
      guard entries.count <= maximumGroupSize else {
        throw SynonymError(
          location: InputLocation(file: path, line: number + 1),
          reason: "the group has \(entries.count) words; a synonym group may have at most "
            + "\(maximumGroupSize)")
      }
      guard Set(entries).count >= 2 else {
        throw SynonymError(
          location: InputLocation(file: path, line: number + 1),
          reason: "a group needs two or more different words, separated by commas")
      }
      groups.append(entries)
    }
    return groups
  }
}

/// A synonyms file that cannot be loaded; nothing was changed (65).
public struct SynonymError: MktError, Equatable {
  public var location: InputLocation?
  public var reason: String
  public var exitStatus: SysExit { .dataError }
  public var description: String { reason }
  public var hint: String? { "one group per line: tshirt, t-shirt, tee" }
}
