import MktCore

/// The header row of a delimited file, with names normalised so that `Image Link`, `image-link`
/// and `image_link` are one column.
public struct CSVHeader: Sendable, Equatable {
  /// The names as written.
  public let raw: [String]
  /// The normalised names, in the same order.
  public let names: [String]

  public init(_ raw: [String]) {
    self.raw = raw
    names = raw.map(Self.normalize)
  }

  /// The column's 0-based index, looked up by normalised name.
  public func index(of name: String) -> Int? { names.firstIndex(of: Self.normalize(name)) }

  /// Lower case, surrounding spaces trimmed, inner spaces and hyphens as underscores.
  public static func normalize(_ name: String) -> String {
    var result = ""
    var pendingUnderscore = false
    for character in name.trimmingSpaces.lowercased() {
      if character == " " || character == "-" || character == "_" {
        pendingUnderscore = !result.isEmpty
      } else {
        if pendingUnderscore { result.append("_") }
        pendingUnderscore = false
        result.append(character)
      }
    }
    return result
  }
}
