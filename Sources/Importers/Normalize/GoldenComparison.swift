import Foundation

/// Compares canonical JSON lines with a golden file, item by item (by `id`) and attribute by
/// attribute, and says what differs in words a person can act on.
public struct GoldenComparison: Sendable {
  /// One difference: the item, the attribute (or `nil` for a whole item), and the two values.
  public struct Difference: Sendable, Equatable, Encodable, CustomStringConvertible {
    public var id: String
    public var attribute: String?
    public var expected: String?
    public var actual: String?

    public var description: String {
      guard let attribute else {
        return expected == nil ? "\(id): not in the golden file" : "\(id): missing from the feed"
      }
      return "\(id): \(attribute): expected \(expected ?? "(absent)"), got \(actual ?? "(absent)")"
    }
  }

  /// The differences, in golden-file order, then items only in the feed.
  public private(set) var differences: [Difference] = []

  /// Compares the golden file's lines with the feed's canonical lines.
  public init(golden: [String], actual: [String]) {
    let expectedItems = golden.compactMap(Self.item)
    let actualItems = actual.compactMap(Self.item)
    var actualByID: [String: [String: String]] = [:]
    for (id, values) in actualItems { actualByID[id] = values }
    var seen = Set<String>()
    for (id, expected) in expectedItems {
      seen.insert(id)
      guard let got = actualByID[id] else {
        differences.append(Difference(id: id, attribute: nil, expected: "item", actual: nil))
        continue
      }
      for key in Set(expected.keys).union(got.keys).sorted() where expected[key] != got[key] {
        differences.append(
          Difference(id: id, attribute: key, expected: expected[key], actual: got[key]))
      }
    }
    for (id, _) in actualItems where !seen.contains(id) {
      differences.append(Difference(id: id, attribute: nil, expected: nil, actual: "item"))
    }
    if differences.isEmpty && golden != actual {
      // Same items and values in another order, or lines that are not JSON objects.
      differences.append(
        Difference(
          id: "(file)", attribute: "order", expected: "the golden file's order",
          actual: "another order or non-JSON lines"))
    }
  }

  /// Whether the feed matches the golden file.
  public var matches: Bool { differences.isEmpty }

  /// A line's id and its attributes as compact JSON texts.
  static func item(_ line: String) -> (String, [String: String])? {
    guard let data = line.data(using: .utf8),
      let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any]
    else { return nil }
    var values: [String: String] = [:]
    for (key, value) in object {
      if let text = value as? String {
        values[key] = "\"\(text)\""
      } else if let data = try? JSONSerialization.data(
        withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes, .fragmentsAllowed])
      {
        values[key] = String(decoding: data, as: UTF8.self)
      }
    }
    return ((object["id"] as? String) ?? "(no id)", values)
  }
}
