import Access
import Foundation
import HTTPTypes
import Hummingbird

/// A route as served: method and path in the OpenAPI document's spelling
/// (`/v1/products/{id}`).
public struct ServedRoute: Sendable, Hashable, Comparable, CustomStringConvertible {
  public var method: String
  public var path: String

  public static func < (lhs: ServedRoute, rhs: ServedRoute) -> Bool {
    (lhs.path, lhs.method) < (rhs.path, rhs.method)
  }

  public var description: String { method + " " + path }

  /// Whether `path` (a request's) fits this route's template.
  func matches(_ requestPath: String) -> Bool {
    let template = path.split(separator: "/")
    let given = requestPath.split(separator: "/")
    guard template.count == given.count else { return false }
    return zip(template, given).allSatisfy { $0.hasPrefix("{") || $0 == $1 }
  }
}

/// The routes served, known once the router is built and read by the middleware before it.
final class ServedRoutes: @unchecked Sendable {
  // SAFETY: `routes` is written once, under `lock`, before the server starts; read under it.
  private let lock = NSLock()
  private var routes: [ServedRoute] = []

  func set(_ routes: [ServedRoute]) {
    lock.lock()
    defer { lock.unlock() }
    self.routes = routes
  }

  /// The methods served at `path`, for a 405's `Allow`.
  @Sendable func methods(_ path: String) -> [String] {
    lock.lock()
    defer { lock.unlock() }
    return routes.filter { $0.matches(path) }.map(\.method).sorted()
  }
}

/// The router and the list of what it serves, written in one place so that the list (compared
/// with `docs/openapi.yaml` in the tests, and used for 405 answers) cannot drift from the routes.
final class RouteBook {
  let router: Router<ServerContext>
  private(set) var routes: [ServedRoute] = []
  let guardian: Guardian

  init(router: Router<ServerContext>, guardian: Guardian) {
    self.router = router
    self.guardian = guardian
  }

  /// Serves `handler` at `method path` to anyone (operations routes).
  func open(
    _ method: HTTPRequest.Method, _ path: String,
    _ handler: @escaping @Sendable (Request, ServerContext) async throws -> Response
  ) {
    routes.append(ServedRoute(method: method.rawValue, path: path))
    router.on(RouterPath(Self.hummingbird(path)), method: method) { request, context in
      try await handler(request, context)
    }
  }

  /// Serves `handler` at `method path` to a token holding `scope`, within its rate limit.
  func guarded(
    _ method: HTTPRequest.Method, _ path: String, _ scope: Scope,
    _ handler: @escaping @Sendable (Request, ServerContext, Grant) async throws -> Response
  ) {
    routes.append(ServedRoute(method: method.rawValue, path: path))
    router.on(RouterPath(Self.hummingbird(path)), method: method) {
      [guardian] request, context in
      let grant = try await guardian.admit(request, scope: scope)
      var context = context
      context.grant = grant
      return try await handler(request, context, grant)
    }
  }

  /// `/v1/products/{id}` → `/v1/products/:id`.
  static func hummingbird(_ path: String) -> String {
    path.split(separator: "/", omittingEmptySubsequences: false).map { part in
      part.hasPrefix("{") ? ":" + part.dropFirst().dropLast() : part
    }.joined(separator: "/")
  }
}

extension Parameters {
  /// A path parameter, percent-decoded: `/v1/products/SKU%201` names product `SKU 1`.
  func decoded(_ name: String) throws -> String {
    let raw = try require(name)
    return raw.removingPercentEncoding ?? raw
  }
}
