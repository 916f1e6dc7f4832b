import Access
import Analytics
import Catalog
import Foundation
import Hummingbird
import HummingbirdCore
import HummingbirdTLS
import Inventory
public import Logging
import MktCore
import NIOCore
import Orders
import Pricing
import Search
import ServiceLifecycle
public import Store
import UnixSignals
import Webhooks

/// What `mkt serve` is told: where to listen and how much to take.
public struct ServerOptions: Sendable {
  public var host = "127.0.0.1"
  /// 0 picks a free port (tests); ``RunningServer/port`` says which.
  public var port = 8080
  /// Requests per second per token, on average (bursts of twice as many); 0 turns limits off.
  public var rateLimit: Double = 1_000
  /// The largest JSON body, in bytes.
  public var maxBody = 1 << 20
  /// The largest stock file or event batch, in bytes.
  public var maxUpload = 256 << 20
  /// The largest catalog feed (`PUT /v1/catalog`), in bytes: spooled to disk, not memory.
  public var maxFeed = 8 << 30
  /// A connection idle this long is closed (also ends clients that stall mid-request).
  public var idleTimeout: Duration = .seconds(30)
  /// A request's head must arrive within this of the connection opening or the previous
  /// response (slow senders are cut off).
  public var headerTimeout: Duration = .seconds(10)
  /// How long shutdown waits for requests in flight.
  public var shutdownDeadline: Duration = .seconds(10)
  /// Whether the server also delivers webhooks (`mkt webhooks deliver` in the background).
  public var deliverWebhooks = true
  /// HTTPS with this certificate and key; plain HTTP without.
  public var tls: ServerTLS?

  public init() {}
}

/// The HTTP face of an mkt database: the routes of ``routes(_:)`` over the Platform services.
///
/// Requests share the store's one connection pool; order placements from concurrent requests
/// commit together (the orders service's group commit).
public struct MktServer: Sendable {
  public let store: Store
  public let options: ServerOptions
  let logger: Logger
  let metrics = ServerMetrics()
  let access: AccessService
  /// The orders service as the rules, fraud settings and payment choices are now (reopened
  /// within a second of a change).
  let orders: Refreshing<OrderService>
  let pricing: PricingService
  /// The compiled rules and country table quotes use.
  let snapshots: Refreshing<PricingService.Snapshot>

  /// A server over `store`; rules, fraud settings and payment choices are read again within a
  /// second of a change.
  public static func open(store: Store, options: ServerOptions, logger: Logger) async throws
    -> MktServer
  {
    let pricing = PricingService(store: store)
    let version = { @Sendable in try await store.settingsVersion() }
    let orders = Refreshing(version: version) { try await OrderService.open(store: store) }
    _ = try await orders.current()  // a database the orders service cannot open fails here
    return MktServer(
      store: store, options: options, logger: logger, access: AccessService(store: store),
      orders: orders, pricing: pricing,
      snapshots: Refreshing(version: version) { try await pricing.snapshot() })
  }

  /// The router with every route, and the list of what it serves.
  func router() -> (Router<ServerContext>, [ServedRoute]) {
    let router = Router(context: ServerContext.self)
    let served = ServedRoutes()
    // Hummingbird wraps only the routes added after a middleware: it comes first.
    router.add(
      middleware: RequestMiddleware(metrics: metrics, logger: logger, methods: served.methods))
    let book = RouteBook(
      router: router,
      guardian: Guardian(access: access, limiter: RateLimiter(rate: options.rateLimit)))
    routeOperations(book)
    routeCatalog(book)
    routeCommerce(book)
    routeOrders(book)
    routeUpload(book)
    routePricing(book)
    routeInsights(book)
    served.set(book.routes)
    return (router, book.routes)
  }

  /// The routes this server answers, in the OpenAPI document's spelling.
  public func servedRoutes() -> [ServedRoute] { router().1.sorted() }

  /// Starts listening; the returned server runs until ``RunningServer/stop()`` or, with
  /// `stopOnSignals`, until SIGTERM or SIGINT.
  public func start(stopOnSignals: Bool = false) async throws -> RunningServer {
    let (router, _) = router()
    let (ports, continuation) = AsyncStream<Int>.makeStream()
    let headerTimeout = TimeAmount.nanoseconds(Int64(options.headerTimeout / .nanoseconds(1)))
    var http = HTTP1Channel.Configuration(
      additionalChannelHandlers: [HeadDeadline(timeout: headerTimeout)])
    http.idleTimeout = TimeAmount.nanoseconds(Int64(options.idleTimeout / .nanoseconds(1)))
    let server: HTTPServerBuilder =
      try options.tls.map {
        try .tls(.http1(configuration: http), tlsConfiguration: $0.configuration)
      }
      ?? .http1(configuration: http)
    let app = Application(
      router: router, server: server,
      configuration: ApplicationConfiguration(
        address: .hostname(options.host, port: options.port), serverName: "mkt"),
      onServerRunning: { channel in
        continuation.yield(channel.localAddress?.port ?? 0)
        continuation.finish()
      }, logger: logger)
    var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: app)]
    if options.deliverWebhooks {
      let webhooks = WebhookService(store: store)
      services.append(.init(service: Deliverer(webhooks: webhooks, logger: logger)))
    }
    var configuration = ServiceGroupConfiguration(
      services: services, gracefulShutdownSignals: stopOnSignals ? [.sigterm, .sigint] : [],
      logger: logger)
    configuration.maximumGracefulShutdownDuration = options.shutdownDeadline
    let group = ServiceGroup(configuration: configuration)
    let task = Task {
      defer { continuation.finish() }
      try await group.run()
    }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else {
      try await task.value  // the error that kept the server from listening
      throw Problem(.internalServerError, "the server stopped before listening", code: .software)
    }
    return RunningServer(port: port, group: group, task: task, store: store)
  }
}

/// A listening server.
public struct RunningServer: Sendable {
  /// The port it listens on.
  public let port: Int
  let group: ServiceGroup
  let task: Task<Void, any Error>
  let store: Store

  /// Stops accepting, lets requests in flight finish (up to the shutdown deadline), then
  /// checkpoints the WAL into the database file.
  public func stop() async throws {
    await group.triggerGracefulShutdown()
    try await finished()
  }

  /// Waits until the server has stopped (a signal, or ``stop()``), then checkpoints.
  public func finished() async throws {
    try await task.value
    try await store.checkpoint()
  }
}

/// Webhook delivery inside `mkt serve`: rounds until shutdown, a failed round logged and retried.
struct Deliverer: Service {
  let webhooks: WebhookService
  let logger: Logger

  func run() async throws {
    try await cancelWhenGracefulShutdown {
      while !Task.isCancelled {
        do {
          let round = try await webhooks.deliverRound()
          if round.isIdle { try await Task.sleep(for: .seconds(1)) }
        } catch is CancellationError {
          return
        } catch {
          logger.warning("webhook delivery: \(error)")
          try await Task.sleep(for: .seconds(5))
        }
      }
    }
  }
}
