import ArgumentParser
import Foundation
import MktCore
import Orders
import Payments
import Store

/// `mkt orders`: placement, lifecycle and export of orders.
struct OrdersCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "orders",
    abstract: "Place orders; show, list and move them through their life; expire; export.",
    discussion: """
      Lifecycle: pending → paid → partially_fulfilled → fulfilled → completed; cancelled; \
      refunded; review → approved (paid) / rejected. A step an order's status does not allow \
      is refused (65) with the allowed ones listed.
      """,
    subcommands: [
      OrdersPlaceCommand.self, OrdersShowCommand.self, OrdersListCommand.self,
      OrdersPayCommand.self, OrdersCancelCommand.self, OrdersFulfilCommand.self,
      OrdersCompleteCommand.self, OrdersRefundCommand.self, OrdersReviewCommand.self,
      OrdersExpireCommand.self, OrdersExportCommand.self, OrdersPolicyCommand.self,
    ])
}

/// `--gateway` of the test payment gateway.
enum GatewayArgument: String, ExpressibleByArgument, CaseIterable {
  case approve, decline, fail
  var mode: TestGateway.Mode { TestGateway.Mode(rawValue: rawValue) ?? .approve }
}

/// `mkt orders place FILE`.
struct OrdersPlaceCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "place",
    abstract: "Place orders from a JSON file (one order) or JSON lines (many, concurrently).",
    discussion: """
      An order: {"idempotency_key", "merchant", "customer": {"id", "email", "group", \
      "created_at"}, "country", "billing_country", "ip", "ip_country", "currency", "lines": \
      [{"sku", "quantity"}], "codes" or "promo_code", "shipping", "payment": {"method": a \
      method of mkt payment methods (card, ideal, blik…), "token"}, "placed_at", "device_id", \
      "card_fingerprint", \
      "user_agent", "channel"} — gen.py's order format, plus what a checkout may know of the \
      shopper for fraud signals: when the account was created (ISO 8601), a device id, the \
      gateway's fingerprint of the card (never the number), the user agent and the channel \
      (web, app…), all optional and stored with the order. Each order is priced, scored for \
      fraud, reserved and paid in one transaction; placing the same idempotency key again \
      returns the first order. Many orders are committed in groups.

      Fraud: the rules in force decide first (mkt fraud rules), else the trained model's score \
      (mkt fraud train) against the merchant's thresholds (mkt fraud policy: above review the \
      order waits with its stock held, above block it is refused with nothing held). Until a \
      model is trained, the built-in weights: points added up and capped at 1 (review above \
      0.8). Velocity over the hour before the order by IP (3+), customer or email \
      (3+), device (3+) and card (3+); 3+ cards used by the customer in a day; 3+ accounts on \
      the device in 30 days; an account created less than an hour before an order above 200 \
      EUR; a first order above 500 EUR or more than five times the customer's usual; billing \
      or IP country other than shipping; repeated orders of 5+ units. Payment: the method \
      must be offered by the merchant in the shipping country and currency and take the \
      amount (mkt payment methods), else the order is refused naming the methods that would.

      Exit status: 0 when every order was placed (or replayed), 65 when any was refused.
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The test payment gateway's answer.") var gateway: GatewayArgument = .approve
  @Option(help: "Orders in flight at once (1-4096).") var concurrency = 256

  /// The largest order document: a thousand lines fit in a few dozen kilobytes.
  static let maximumOrderBytes = 1 << 20
  /// The largest orders file: 256 MiB.
  static let maximumFileBytes = 256 << 20

  func validate() throws {
    guard (1...4096).contains(concurrency) else {
      throw ValidationError("--concurrency must be from 1 to 4096 (got \(concurrency))")
    }
  }
  @Argument(help: "The order file, '-' for standard input.", completion: .file()) var file: String

  struct Outcome: Encodable {
    var line: Int
    var key: String?
    var placement: Placement?
    var error: String?
  }

  struct Summary: Encodable {
    var placed: Int
    var replayed: Int
    var refused: Int
    var orders: [Outcome]
  }

  func run() async throws {
    let out = Output(global, output)
    let bytes = try await InputFile.bytes(file, limit: Self.maximumFileBytes)
    let requests = try Self.requests(in: bytes)
    let service = try await OrderService.open(
      store: global.openStore(), gateway: TestGateway(mode: gateway.mode))
    let outcomes = await place(requests, with: service)
    try report(outcomes, to: out)
    if outcomes.contains(where: { $0.error != nil }) {
      throw Reported(.dataError, "some orders were refused")
    }
  }

  /// The orders in `bytes`, one JSON document or JSON lines, each with its line, or the reason
  /// it is not an order.
  static func requests(in bytes: [UInt8]) throws -> [(Int, Result<OrderRequest, any Error>)] {
    var requests: [(Int, Result<OrderRequest, any Error>)] = []
    let decoder = JSONDecoder()
    let trimmed = bytes.drop { $0 == 0x20 || $0 == 0x0A || $0 == 0x0D || $0 == 0x09 }
    let single =
      trimmed.count <= Self.maximumOrderBytes
      && (try? JSONSerialization.jsonObject(with: Data(trimmed))) != nil
    let chunks =
      single ? [trimmed[...]] : bytes.split(separator: 0x0A, omittingEmptySubsequences: false)
    for (index, chunk) in chunks.enumerated() {
      guard chunk.contains(where: { $0 != 0x20 && $0 != 0x0D && $0 != 0x09 && $0 != 0x0A }) else {
        continue
      }
      guard chunk.count <= Self.maximumOrderBytes else {
        requests.append(
          (
            single ? 1 : index + 1,
            .failure(
              OrderError.invalidRequest(
                "the order is \(chunk.count) bytes; an order may be at most 1 MiB "
                  + "(\(OrderRequest.maximumLines) lines)"))
          ))
        continue
      }
      do {
        requests.append(
          (
            single ? 1 : index + 1,
            .success(try decoder.decode(OrderRequest.self, from: Data(chunk)))
          ))
      } catch let error as DecodingError {
        // One JSON document: the line in it; NDJSON: the line of the order.
        let problem = JSONProblem.describe(error, in: chunk)
        requests.append(
          (
            single ? problem.line ?? 1 : index + 1,
            .failure(OrderError.invalidRequest("not an order: " + problem.message))
          ))
      }
    }
    return requests
  }

  /// Places the requests, at most `concurrency` at once; the outcomes in line order.
  func place(
    _ requests: [(Int, Result<OrderRequest, any Error>)], with service: OrderService
  ) async -> [Outcome] {
    await withTaskGroup(of: Outcome.self) { group in
      var results: [Outcome] = []
      var inFlight = 0
      for (line, request) in requests {
        if inFlight >= max(1, concurrency), let done = await group.next() {
          results.append(done)
          inFlight -= 1
        }
        group.addTask {
          switch request {
          case .failure(let error):
            return Outcome(line: line, key: nil, placement: nil, error: "\(error)")
          case .success(let order):
            do {
              return Outcome(
                line: line, key: order.idempotencyKey, placement: try await service.place(order),
                error: nil)
            } catch {
              return Outcome(
                line: line, key: order.idempotencyKey, placement: nil, error: "\(error)")
            }
          }
        }
        inFlight += 1
      }
      for await done in group { results.append(done) }
      return results.sorted { $0.line < $1.line }
    }
  }

  /// Writes the outcomes: a JSON summary, or a line per order (errors even under `--quiet`)
  /// and a tally.
  func report(_ outcomes: [Outcome], to out: Output) throws {
    let placed = outcomes.filter { $0.placement.map { !$0.replayed } ?? false }.count
    let replayed = outcomes.filter { $0.placement?.replayed ?? false }.count
    let refused = outcomes.filter { $0.error != nil }.count
    if output.format == .json {
      try out.write(
        Output.json(
          Summary(placed: placed, replayed: replayed, refused: refused, orders: outcomes),
          pretty: true) + "\n")
    } else {
      for outcome in outcomes {
        if let placement = outcome.placement {
          if !global.quiet || outcomes.count == 1 {
            try out.write(
              "order \(placement.orderID) \(placement.replayed ? "(already placed) " : "")"
                + "\(placement.status.rawValue) \(placement.total) \(placement.currency) "
                + "fraud \(placement.fraudScore)\n")
          }
        } else if let error = outcome.error {
          // The command fails for it (65): an error, not a warning, even under --quiet.
          out.error("\(file):\(outcome.line)\(outcome.key.map { " (\($0))" } ?? ""): \(error)")
        }
      }
      if outcomes.count > 1, !global.quiet {
        out.note("\(placed) placed, \(replayed) already placed, \(refused) refused")
      }
    }
  }
}

/// An order id argument.
struct OrderIDArgument: ParsableArguments {
  @Argument(help: "The order id.") var id: Int64
}

/// `mkt orders show ID`.
struct OrdersShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "Show an order: lines, payment, fraud score, history.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    let service = try await OrderService.open(store: global.openStore(.reading))
    try Output(global, output).result(try await service.order(order.id)) { OrderText.render($0) }
  }
}

/// `mkt orders list`.
struct OrdersListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List orders, newest first.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only orders in this status.") var status: String?
  @Option(help: "Only this merchant's.") var merchant: String?
  @Option(help: "Only this customer's.") var customer: String?
  @Option(help: "At most this many.") var limit = 100

  func run() async throws {
    var wanted: OrderStatus?
    if let status {
      guard let parsed = OrderStatus(rawValue: status) else {
        throw ValidationError(
          "unknown status \(status) (valid: \(OrderStatus.allCases.map(\.rawValue).joined(separator: ", ")))"
        )
      }
      wanted = parsed
    }
    let service = try await OrderService.open(store: global.openStore(.reading))
    let orders = try await service.orders(
      status: wanted, merchant: merchant, customer: customer, limit: limit)
    try Output(global, output).rows(
      orders,
      columns: [
        ("id", { String($0.id) }), ("placed_at", \.placedAt), ("merchant", \.merchantID),
        ("customer", \.customerID), ("country", \.country), ("status", \.status.rawValue),
        ("total", { "\($0.total) \($0.currency)" }), ("fraud", \.fraudScore),
      ])
  }
}

/// Renders an order for people.
enum OrderText {
  static func render(_ order: Order) -> String {
    var lines = [
      "order \(order.id)  \(order.status.rawValue)  placed \(order.placedAt)",
      "merchant \(order.merchantID), customer \(order.customerID) <\(order.email)>, ships to \(order.country)",
      "total \(order.total) \(order.currency) (VAT \(order.vat), discount \(order.discount), "
        + "shipping \(order.shipping))"
        + (order.refunded == "0.00" || order.refunded == "0" ? "" : ", refunded \(order.refunded)"),
      "payment \(order.paymentMethod)\(order.paymentReference.map { " \($0)" } ?? "")"
        + (order.codes.isEmpty ? "" : ", codes \(order.codes.joined(separator: " "))"),
      "fraud score \(order.fraudScore)"
        + (order.fraudReasons.isEmpty ? "" : ": " + order.fraudReasons.joined(separator: "; ")),
    ]
    let table = TextTable.render(
      header: ["line", "sku", "title", "warehouse", "qty", "unit", "total", "fulfilled"],
      rows: order.lines.map {
        [
          "\($0.line)", $0.sku, $0.title, $0.warehouseID, "\($0.quantity)", $0.unit, $0.total,
          "\($0.fulfilled)",
        ]
      }, format: .text, aligned: true)
    lines.append(String(table.dropLast()))
    lines.append("history:")
    for event in order.events {
      lines.append(
        "  \(event.at)  \(event.from.map { "\($0) → " } ?? "")\(event.to)"
          + (event.note.isEmpty ? "" : "  \(event.note)"))
    }
    return lines.joined(separator: "\n")
  }
}
