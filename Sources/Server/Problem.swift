import Access
import Foundation
public import HTTPTypes
import Hummingbird
public import MktCore
import Store

/// An error answer in RFC 9457's `application/problem+json` shape, with mkt's exit status and
/// location beside the standard members.
///
/// Every failure a route can meet becomes one of these: ``from(_:)`` maps mkt's errors by their
/// exit status, so a script sees the same code over HTTP as from the command.
public struct Problem: Error, Sendable, Encodable {
  public var status: HTTPResponse.Status
  /// What went wrong, as the command would say it.
  public var detail: String
  /// mkt's exit status for the same failure (65 bad data, 75 busy, 77 not permitted…).
  public var code: Int32
  /// The field path, line or id the problem is at.
  public var location: String?
  public var hint: String?
  /// Each rejected row or field, when there are several.
  public var errors: [String]
  /// Extra response headers: `Retry-After`, `Allow`, `WWW-Authenticate`.
  var headers: HTTPFields = [:]

  public init(
    _ status: HTTPResponse.Status, _ detail: String, code: SysExit, location: String? = nil,
    hint: String? = nil, errors: [String] = []
  ) {
    self.status = status
    self.detail = detail
    self.code = code.rawValue
    self.location = location
    self.hint = hint
    self.errors = errors
  }

  enum CodingKeys: String, CodingKey {
    case type, title, status, detail, code, location, hint, errors, instance
    case requestID = "request_id"
  }

  /// The same answer for a missing id and another merchant's, so neither can be told apart.
  static func notFound(_ what: String) -> Problem {
    Problem(.notFound, "no \(what)", code: .dataError)
  }

  static func badRequest(_ detail: String, location: String? = nil) -> Problem {
    Problem(.badRequest, detail, code: .usage, location: location)
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.container(keyedBy: CodingKeys.self)
    try container.encode("https://mkt.dev/problems/\(status.code)", forKey: .type)
    try container.encode(status.reasonPhrase, forKey: .title)
    try container.encode(status.code, forKey: .status)
    try container.encode(detail, forKey: .detail)
    try container.encode(code, forKey: .code)
    try container.encodeIfPresent(location, forKey: .location)
    try container.encodeIfPresent(hint, forKey: .hint)
    if !errors.isEmpty { try container.encode(errors, forKey: .errors) }
  }

  /// The problem `error` is for a client.
  public static func from(_ error: any Error) -> Problem {
    switch error {
    case let problem as Problem:
      return problem
    case AccessError.unauthenticated:
      var problem = Problem(
        .unauthorized, AccessError.unauthenticated.description, code: .noPermission,
        hint: AccessError.unauthenticated.hint)
      problem.headers[.wwwAuthenticate] = "Bearer"
      return problem
    case let error as any MktError:
      var problem = Problem(
        status(for: error.exitStatus), error.description, code: error.exitStatus,
        location: error.location?.description, hint: error.hint, errors: error.details)
      if error.exitStatus == .tempFail { problem.headers[.retryAfter] = "1" }
      return problem
    case let error as HTTPError:
      return Problem(error.status, error.body ?? error.status.reasonPhrase, code: .usage)
    case let error as DecodingError:
      return .badRequest("the body is not valid: \(error)")
    default:
      return Problem(.internalServerError, "internal error: \(error)", code: .software)
    }
  }

  /// The HTTP status for an exit status.
  static func status(for exit: SysExit) -> HTTPResponse.Status {
    switch exit {
    case .ok, .problemsFound: .ok
    case .usage: .badRequest
    case .dataError: .unprocessableContent
    case .noInput: .notFound
    case .unavailable: .badGateway
    case .tempFail: .serviceUnavailable
    case .noPermission: .forbidden
    case .software, .cantCreate, .ioError: .internalServerError
    }
  }

  /// The response: the JSON body, its media type and the extra headers.
  func response(requestID: String, instance: String) -> Response {
    var object =
      (try? JSONSerialization.jsonObject(with: JSONEncoder().encode(self)))
      as? [String: Any] ?? [:]
    object["instance"] = instance
    object["request_id"] = requestID
    let body =
      (try? JSONSerialization.data(
        withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
    var fields = headers
    fields[.contentType] = "application/problem+json"
    return Response(
      status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: body)))
  }
}
