import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MktCore
import Prometheus

/// The outermost step of every request: its id, the in-flight gauge, errors turned into
/// problem details (404 and 405 included), the access log line and the metrics.
struct RequestMiddleware: RouterMiddleware {
  typealias Context = ServerContext
  let metrics: ServerMetrics
  let logger: Logger
  /// What the router serves, for a 405's `Allow`.
  let methods: @Sendable (String) -> [String]

  func handle(
    _ request: Request, context: ServerContext,
    next: (Request, ServerContext) async throws -> Response
  ) async throws -> Response {
    let started = ContinuousClock.now
    var context = context
    context.requestID = Self.requestID(request.headers[.requestID])
    metrics.inFlight.increment()
    defer { metrics.inFlight.decrement() }
    logger.debug(
      "request started",
      metadata: [
        "request_id": .string(context.requestID), "method": .string(request.method.rawValue),
        "path": .string(request.uri.path),
      ])
    var response: Response
    do {
      response = try await next(request, context)
    } catch {
      response = problem(for: error, request).response(
        requestID: context.requestID, instance: request.uri.path)
    }
    response.headers[.requestID] = context.requestID
    let route = context.endpointPath ?? "unmatched"
    let elapsed = ContinuousClock.now - started
    metrics.record(
      route: route, method: request.method.rawValue, status: response.status.code,
      duration: elapsed)
    logger.info(
      "request",
      metadata: [
        "request_id": .string(context.requestID), "method": .string(request.method.rawValue),
        "path": .string(request.uri.path), "route": .string(route),
        "status": .stringConvertible(response.status.code),
        "ms": .string(String(format: "%.2f", Double(elapsed / .microseconds(1)) / 1000)),
      ])
    return response
  }

  /// The problem for `error`; a route miss is 405 when another method serves the path.
  func problem(for error: any Error, _ request: Request) -> Problem {
    if let error = error as? HTTPError, error.status == .notFound {
      let allowed = methods(request.uri.path)
      if allowed.isEmpty {
        return Problem(
          .notFound, "no route \(request.method.rawValue) \(request.uri.path)", code: .usage,
          hint: "GET /openapi.json lists the routes")
      }
      var problem = Problem(
        .methodNotAllowed, "\(request.uri.path) does not take \(request.method.rawValue)",
        code: .usage, hint: "it takes " + allowed.joined(separator: ", "))
      problem.headers[.allow] = allowed.joined(separator: ", ")
      return problem
    }
    return Problem.from(error)
  }

  /// The client's id if it is short and printable, else a new one.
  static func requestID(_ given: String?) -> String {
    if let given, (1...64).contains(given.utf8.count),
      given.utf8.allSatisfy({ (0x21...0x7E).contains($0) })
    {
      return given
    }
    return UUID().uuidString.lowercased()
  }
}

extension HTTPField.Name {
  // Both are valid field names (RFC 9110 tokens), so the initialiser cannot fail.
  static let requestID = HTTPField.Name("X-Request-Id") ?? .via
  static let idempotencyKey = HTTPField.Name("Idempotency-Key") ?? .via
}
