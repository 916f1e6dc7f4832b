/// A code that exists only in a known set: country and currency codes.
///
/// Conformers provide the validating initialiser; the rest (text, ordering, JSON as a plain
/// string that must be valid to decode) comes from here.
public protocol ValidatedCode: Sendable, Hashable, Codable, Comparable, CustomStringConvertible {
  /// The canonical upper-case code.
  var rawValue: String { get }
  /// Accepts a valid code in either case with surrounding spaces; `nil` otherwise.
  init?<Text: StringProtocol>(_ text: Text)
}

extension ValidatedCode {
  public var description: String { rawValue }

  public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let code = Self(text) else {
      throw DecodingError.dataCorrupted(
        .init(codingPath: decoder.codingPath, debugDescription: "not a valid code: \(text)"))
    }
    self = code
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }
}
