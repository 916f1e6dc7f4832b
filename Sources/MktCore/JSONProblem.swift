import Foundation

/// A JSON input's decoding error in words a person can act on: the field's path, the type it
/// must have, what was found, and the line (hardening class 8).
///
/// Foundation says `Expected to decode Int but found number instead` with no field and no line;
/// this says `line 3: lines[0].quantity must be a whole number (found 1.5)`.
public struct JSONProblem: Sendable, CustomStringConvertible {
  /// The 1-based line in the document, when known.
  public var line: Int?
  /// What is wrong, without the line.
  public var message: String

  /// `line N: message`, or the message alone.
  public var description: String { line.map { "line \($0): " + message } ?? message }

  /// Describes `error`, raised decoding `bytes` (one JSON document), with the line it points at.
  public static func describe(_ error: DecodingError, in bytes: some Collection<UInt8>)
    -> JSONProblem
  {
    let text = Array(bytes)
    switch error {
    case .keyNotFound(let key, let context):
      let path = self.path(context.codingPath + [key])
      return JSONProblem(
        line: line(of: context.codingPath, in: text), message: "\(path) is missing")
    case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
      let line = line(of: context.codingPath, in: text)
      let found = value(at: context.codingPath, in: text).map { " (found \($0))" } ?? ""
      return JSONProblem(
        line: line, message: "\(path(context.codingPath)) must be \(kind(of: type))\(found)")
    case .dataCorrupted(let context):
      if let offset = syntaxErrorOffset(context.underlyingError) {
        let (line, column) = position(of: offset, in: text)
        return JSONProblem(line: line, message: "not valid JSON (column \(column))")
      }
      if context.codingPath.isEmpty,
        let object = try? JSONSerialization.jsonObject(
          with: Data(text), options: [.fragmentsAllowed]),
        let (keys, number) = firstFractionalNumber(object, keys: [])
      {
        // Foundation on Linux loses the path of a number that does not fit a whole-number field
        // (1.5, 1e30) and says "not valid JSON": find it.
        let line = line(
          ofNames: keys.compactMap { $0.intValue == nil ? $0.stringValue : nil }, in: text)
        return JSONProblem(
          line: line, message: "\(path(keys)) must be a whole number (found \(number))")
      }
      let line = line(of: context.codingPath, in: text)
      let found = value(at: context.codingPath, in: text).map { " (found \($0))" } ?? ""
      if context.codingPath.isEmpty { return JSONProblem(line: line, message: "not valid JSON") }
      return JSONProblem(
        line: line,
        message: "\(path(context.codingPath)) is out of range or malformed\(found)")
    @unknown default:
      return JSONProblem(line: nil, message: "\(error)")
    }
  }

  /// `lines[0].quantity` for a coding path.
  public static func path(_ keys: [any CodingKey]) -> String {
    var text = ""
    for key in keys {
      if let index = key.intValue {
        text += "[\(index)]"
      } else {
        text += (text.isEmpty ? "" : ".") + key.stringValue
      }
    }
    return text.isEmpty ? "the document" : text
  }

  static func kind(of type: Any.Type) -> String {
    switch type {
    case is Int.Type, is Int64.Type, is Int32.Type: "a whole number"
    case is Double.Type, is Float.Type: "a number"
    case is String.Type: "text (in quotes)"
    case is Bool.Type: "true or false"
    default:
      String(describing: type).hasPrefix("Array") ? "a list [ … ]" : "an object { … }"
    }
  }

  /// The byte offset Foundation's JSON parser stopped at, if it says.
  private static func syntaxErrorOffset(_ error: (any Error)?) -> Int? {
    guard let error else { return nil }
    return (error as NSError).userInfo["NSJSONSerializationErrorIndex"] as? Int
  }

  private static func position(of offset: Int, in text: [UInt8]) -> (Int, Int) {
    var line = 1
    var column = 1
    for byte in text.prefix(offset) {
      if byte == 0x0A {
        line += 1
        column = 1
      } else {
        column += 1
      }
    }
    return (line, column)
  }

  /// Where the last named key of `keys` is written; `nil` when the path names no key.
  ///
  /// Each key is looked for after the previous one, so `lines`, then `quantity`, finds the
  /// first line's quantity.
  private static func keyOffset(_ keys: [any CodingKey], in text: [UInt8]) -> Int? {
    var from = 0
    var found: Int?
    for key in keys where key.intValue == nil {
      let needle = Array("\"\(key.stringValue)\"".utf8)
      guard let hit = find(needle, in: text, from: from) else { return found }
      found = hit
      from = hit + needle.count
    }
    return found
  }

  private static func line(of keys: [any CodingKey], in text: [UInt8]) -> Int? {
    guard let offset = keyOffset(keys, in: text) else { return nil }
    return position(of: offset, in: text).0
  }

  private static func line(ofNames names: [String], in text: [UInt8]) -> Int? {
    line(of: names.map { PathKey(stringValue: $0) }, in: text)
  }

  /// A key of a path found by walking a parsed document.
  struct PathKey: CodingKey {
    var stringValue: String
    var intValue: Int?
    init(stringValue: String) { self.stringValue = stringValue }
    init(intValue: Int) {
      stringValue = "\(intValue)"
      self.intValue = intValue
    }
  }

  /// The path and text of the first number that is not a whole 64-bit number, if any.
  private static func firstFractionalNumber(_ value: Any, keys: [PathKey]) -> ([PathKey], String)? {
    if let object = value as? [String: Any] {
      for key in object.keys.sorted() {
        if let found = firstFractionalNumber(
          object[key] as Any, keys: keys + [PathKey(stringValue: key)])
        {
          return found
        }
      }
    } else if let array = value as? [Any] {
      for (index, element) in array.enumerated() {
        if let found = firstFractionalNumber(element, keys: keys + [PathKey(intValue: index)]) {
          return found
        }
      }
    } else if !(value is Bool), let number = value as? NSNumber {
      let double = number.doubleValue
      if double != double.rounded() || abs(double) >= 9.2e18 { return (keys, number.stringValue) }
    }
    return nil
  }

  /// The value written after the key, as text (`1.5`, `"abc"`), cut at 40 characters.
  private static func value(at keys: [any CodingKey], in text: [UInt8]) -> String? {
    guard let key = keys.last(where: { $0.intValue == nil }), keys.last?.intValue == nil,
      let offset = keyOffset(keys, in: text)
    else { return nil }
    var index = offset + key.stringValue.utf8.count + 2
    while index < text.count, text[index] == 0x20 || text[index] == 0x3A { index += 1 }
    var end = index
    while end < text.count, ![0x2C, 0x7D, 0x5D, 0x0A].contains(text[end]) { end += 1 }
    let found = String(decoding: text[index..<end], as: UTF8.self)
      .trimmingCharacters(in: .whitespaces)
    guard !found.isEmpty else { return nil }
    return found.count > 40 ? String(found.prefix(40)) + "…" : found
  }

  private static func find(_ needle: [UInt8], in text: [UInt8], from start: Int) -> Int? {
    guard needle.count <= text.count else { return nil }
    var index = start
    while index + needle.count <= text.count {
      if text[index] == needle[0], Array(text[index..<index + needle.count]) == needle {
        return index
      }
      index += 1
    }
    return nil
  }
}
