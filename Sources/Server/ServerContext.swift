public import Access
public import Hummingbird

/// What a request carries through the middlewares to its route: the token's grant and the
/// request id.
public struct ServerContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  /// Set by ``AuthMiddleware`` on `/v1` routes; `nil` on the open operations routes.
  public var grant: Grant?
  /// The id logged and echoed in `X-Request-Id` (the client's, if it sent a sane one).
  public var requestID = ""

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
  }

  /// The grant of an authenticated route.
  ///
  /// - Throws: ``AccessError/unauthenticated`` outside ``AuthMiddleware``.
  func requireGrant(_ scope: Scope) throws -> Grant {
    guard let grant else { throw AccessError.unauthenticated }
    try grant.require(scope)
    return grant
  }
}
