import Foundation
import HTTPTypes
import Hummingbird
import MktCore
import NIOCore

/// The fields a JSON body may have, checked before decoding so that a misspelt field is a 400
/// naming it rather than silently ignored.
indirect enum Shape: Sendable {
  case object([String: Shape])
  case array(Shape)
  /// A value not checked further (a string, number, or a free-form object).
  case value
}

/// Reading request bodies and writing JSON answers.
enum JSONBody {
  /// The body's bytes, at most `limit`.
  ///
  /// - Throws: a 413 ``Problem`` past `limit`.
  static func bytes(_ request: Request, limit: Int) async throws -> [UInt8] {
    var request = request
    do {
      let buffer = try await request.collectBody(upTo: limit)
      return Array(buffer.readableBytesView)
    } catch is NIOTooManyBytesError {
      throw Problem(
        .contentTooLarge, "the body is larger than \(limit) bytes", code: .dataError,
        hint: "mkt serve --max-body sets the limit")
    }
  }

  /// Parses `bytes` as a JSON object of `shape`.
  ///
  /// - Throws: a 400 ``Problem`` naming the line, or the path of an unknown field.
  static func object(_ bytes: [UInt8], shape: Shape) throws -> [String: Any] {
    let parsed: Any
    do {
      parsed = try JSONSerialization.jsonObject(with: Data(bytes), options: [.fragmentsAllowed])
    } catch {
      throw Problem.badRequest("the body is not valid JSON", location: "body")
    }
    guard let object = parsed as? [String: Any] else {
      throw Problem.badRequest("the body must be a JSON object { … }", location: "body")
    }
    if let path = unknownField(object, shape: shape, path: "") {
      throw Problem.badRequest("unknown field \(path)", location: path)
    }
    return object
  }

  /// The path of the first field of `value` that `shape` does not have.
  static func unknownField(_ value: Any, shape: Shape, path: String) -> String? {
    switch shape {
    case .value: return nil
    case .array(let element):
      guard let array = value as? [Any] else { return nil }
      for (index, item) in array.enumerated() {
        if let found = unknownField(item, shape: element, path: path + "[\(index)]") {
          return found
        }
      }
      return nil
    case .object(let fields):
      guard let object = value as? [String: Any] else { return nil }
      for key in object.keys.sorted() {
        let child = path.isEmpty ? key : path + "." + key
        guard let inner = fields[key] else { return child }
        if let found = unknownField(object[key] as Any, shape: inner, path: child) {
          return found
        }
      }
      return nil
    }
  }

  /// Decodes `bytes` as `T`, a wrong type or missing field a 400 with its path.
  static func decode<T: Decodable>(
    _ type: T.Type, from bytes: [UInt8], userInfo: [CodingUserInfoKey: any Sendable] = [:]
  ) throws -> T {
    let data = Data(bytes)
    let decoder = JSONDecoder()
    decoder.userInfo = userInfo
    do {
      return try decoder.decode(T.self, from: data)
    } catch let error as DecodingError {
      let problem = JSONProblem.describe(error, in: Array(data))
      let path = problem.message.components(separatedBy: " ").first ?? "body"
      throw Problem.badRequest(
        problem.message, location: problem.message.hasPrefix("not valid") ? "body" : path)
    }
  }

  /// A JSON answer.
  static func response(
    _ value: some Encodable, status: HTTPResponse.Status = .ok, headers: HTTPFields = [:]
  ) throws -> Response {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = try encoder.encode(value)
    var fields = headers
    fields[.contentType] = "application/json"
    return Response(
      status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }

  /// A page of `items` and the cursor of the next page (`null` at the end).
  struct Page<Item: Encodable>: Encodable {
    var items: [Item]
    var nextCursor: String?

    enum CodingKeys: String, CodingKey {
      case items
      case nextCursor = "next_cursor"
    }

    func encode(to encoder: any Encoder) throws {
      var container = encoder.container(keyedBy: CodingKeys.self)
      try container.encode(items, forKey: .items)
      try container.encode(nextCursor, forKey: .nextCursor)
    }
  }
}

extension Request {
  /// The query parameter `name`, if given and not empty.
  func query(_ name: String) -> String? {
    uri.queryParameters[Substring(name)].map(String.init).flatMap { $0.isEmpty ? nil : $0 }
  }

  /// Every value of the repeated query parameter `name`.
  func queryAll(_ name: String) -> [String] {
    uri.queryParameters[values: Substring(name)].map(String.init).filter { !$0.isEmpty }
  }

  /// The whole-number query parameter `name` within `range`, `fallback` when absent.
  ///
  /// - Throws: a 400 ``Problem`` naming the parameter.
  func query(_ name: String, in range: ClosedRange<Int>, default fallback: Int) throws -> Int {
    guard let text = query(name) else { return fallback }
    guard let value = Int(text), range.contains(value) else {
      throw Problem.badRequest(
        "\(name) must be a whole number from \(range.lowerBound) to \(range.upperBound) "
          + "(found \(text))", location: name)
    }
    return value
  }

  /// The flag query parameter `name`: `true`, `1` or present without value.
  func flag(_ name: String) throws -> Bool {
    guard let text = uri.queryParameters[Substring(name)] else { return false }
    switch text.lowercased() {
    case "", "true", "1": return true
    case "false", "0": return false
    default:
      throw Problem.badRequest("\(name) must be true or false (found \(text))", location: name)
    }
  }
}
