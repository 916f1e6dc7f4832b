import Access
import Catalog
import Foundation
import Hummingbird
import Importers
import Inventory
import Logging
import Merchants
import Server
import Store

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two merchants with products, warehouses, stock and tokens, served on a random port.
struct ServedShop {
  let store: Store
  let directory: String
  let running: RunningServer
  /// Bearer tokens: acme's and bolt's (all scopes), an operator's, one with no write scopes.
  let acme: String
  let bolt: String
  let operatorToken: String
  let readOnly: String

  static func start(
    rateLimit: Double = 0, maxBody: Int = 1 << 20, busyTimeout: Double = 5, tls: ServerTLS? = nil
  ) async throws -> ServedShop {
    let directory = NSTemporaryDirectory() + "mkt-server-" + UUID().uuidString
    try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
    let store = try Store.open(
      path: directory + "/mkt.db", mode: .create, busyTimeout: busyTimeout)
    let merchants = MerchantService(store: store)
    let inventory = InventoryService(store: store)
    for (id, prefix) in [("acme", "A"), ("bolt", "B")] {
      _ = try await merchants.add(
        MerchantService.merchant(
          id: id, name: id.capitalized, country: "DE", currency: nil, prices: nil, domain: nil))
      let feed = directory + "/\(id).csv"
      var rows = "id,title,description,link,image_link,availability,price,brand\n"
      for index in 1...5 {
        rows +=
          "\(prefix)\(index),Wool jacket \(prefix)\(index),A warm jacket.,https://\(id).example/\(index),"
          + "https://cdn.\(id).example/\(index).jpg,in_stock,\(50 + index).00 EUR,\(id.capitalized)\n"
      }
      try Data(rows.utf8).write(to: URL(fileURLWithPath: feed))
      _ = try await CatalogService(store: store).importFeed(
        path: feed, feed: FeedOptions(merchant: id))
      _ = try await inventory.addWarehouse(
        merchant: id, id: "W-\(id)", name: nil, country: "DE", serves: ["DE", "AT"])
      let stock = directory + "/\(id)-stock.csv"
      try Data(
        ("sku,warehouse,quantity\n" + (1...5).map { "\(prefix)\($0),W-\(id),20\n" }.joined())
          .utf8
      ).write(to: URL(fileURLWithPath: stock))
      _ = try await inventory.sync(path: stock, merchant: id)
    }
    let access = AccessService(store: store)
    let all = Set(Scope.allCases)
    let acme = try await access.create(merchant: "acme", scopes: all, name: "acme").bearer
    let bolt = try await access.create(merchant: "bolt", scopes: all, name: "bolt").bearer
    let ops = try await access.create(merchant: nil, scopes: all, name: "ops").bearer
    let reader = try await access.create(
      merchant: "acme", scopes: [.catalogRead, .ordersRead], name: "reader"
    ).bearer
    var options = ServerOptions()
    options.port = 0
    options.rateLimit = rateLimit
    options.maxBody = maxBody
    options.deliverWebhooks = false
    options.tls = tls
    var logger = Logger(label: "test")
    logger.logLevel = .error
    let server = try await MktServer.open(store: store, options: options, logger: logger)
    return ServedShop(
      store: store, directory: directory, running: try await server.start(), acme: acme,
      bolt: bolt, operatorToken: ops, readOnly: reader)
  }

  /// An answer: status, headers (lowercased names) and body.
  struct Answer {
    var status: Int
    var headers: [String: String]
    var body: Data

    var json: [String: Any] {
      (try? JSONSerialization.jsonObject(with: body)) as? [String: Any] ?? [:]
    }

    var text: String { String(decoding: body, as: UTF8.self) }
  }

  /// Sends `method path` with `token` and `body`.
  func call(
    _ method: String, _ path: String, token: String? = nil, body: Data? = nil,
    headers: [String: String] = [:]
  ) async throws -> Answer {
    guard let url = URL(string: "http://127.0.0.1:\(running.port)\(path)") else {
      throw URLError(.badURL)
    }
    var request = URLRequest(url: url)
    request.httpMethod = method
    request.httpBody = body
    if let token { request.setValue("Bearer " + token, forHTTPHeaderField: "Authorization") }
    for (name, value) in headers { request.setValue(value, forHTTPHeaderField: name) }
    let (data, response) = try await URLSession.shared.data(for: request)
    guard let http = response as? HTTPURLResponse else { throw URLError(.badServerResponse) }
    var fields: [String: String] = [:]
    for (name, value) in http.allHeaderFields {
      fields[String(describing: name).lowercased()] = String(describing: value)
    }
    return Answer(status: http.statusCode, headers: fields, body: data)
  }

  func json(_ object: Any) throws -> Data {
    try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])
  }

  /// An order body for `merchant`'s product `sku`.
  func order(_ sku: String, quantity: Int = 1, merchant: String? = nil) throws -> Data {
    var object: [String: Any] = [
      "customer": ["id": "C1", "email": "c1@example.com"], "country": "DE",
      "lines": [["sku": sku, "quantity": quantity]], "payment": ["method": "card"],
      "ip": "10.0.0.1",
    ]
    if let merchant { object["merchant"] = merchant }
    return try json(object)
  }

  func stop() async throws {
    try await running.stop()
    try? FileManager.default.removeItem(atPath: directory)
  }
}

/// A throwaway Hummingbird server on a free port of 127.0.0.1 (a webhook receiver, a remote
/// that answers garbage): the port, and the task to cancel when done.
func serveOnFreePort(_ router: Router<BasicRequestContext>, label: String) async throws -> (
  Int, Task<Void, any Error>
) {
  let (ports, continuation) = AsyncStream<Int>.makeStream()
  var logger = Logger(label: label)
  logger.logLevel = .error
  let app = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
    onServerRunning: { channel in
      continuation.yield(channel.localAddress?.port ?? 0)
      continuation.finish()
    }, logger: logger)
  let task = Task { try await app.runService(gracefulShutdownSignals: []) }
  var iterator = ports.makeAsyncIterator()
  return (await iterator.next() ?? 0, task)
}
