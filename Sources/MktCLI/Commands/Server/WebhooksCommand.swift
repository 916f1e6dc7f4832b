import ArgumentParser
import Foundation
import MktCore
import Store
import Webhooks

/// `mkt webhooks`.
struct WebhooksCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "webhooks",
    abstract: "Deliver order events to merchants' endpoints: signed, retried, replayable.",
    discussion: """
      Each event is POSTed as JSON {"id": "evt_42", "type": "order.paid", "merchant_id", \
      "created_at", "data": {…}} with the headers Mkt-Event-Id and Mkt-Signature: \
      t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>" under the endpoint's secret>. A \
      receiver recomputes the HMAC over the raw body, compares in constant time, rejects a t \
      more than 5 minutes old, and deduplicates by the event id: delivery is at least once. \
      An event counts as delivered only on a 2xx answer; otherwise it is retried after 30 s, \
      doubling up to 6 h, for 72 h, then listed by `mkt webhooks failed` until replayed. \
      mkt serve delivers continuously; `mkt webhooks deliver --once` does it from cron.
      """,
    subcommands: [
      WebhooksAddCommand.self, WebhooksListCommand.self, WebhooksRemoveCommand.self,
      WebhooksDeliverCommand.self, WebhooksFailedCommand.self, WebhooksReplayCommand.self,
    ])
}

/// `mkt webhooks add M URL --events …`.
struct WebhooksAddCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "add", abstract: "Send a merchant's order and stock events to a URL.",
    discussion: """
      stock.low: a hold or a stock sync left a sku's available quantity (all warehouses) below \
      the merchant's threshold (mkt inventory low-stock); once, until it is back above.

      Example: mkt webhooks add M001 https://shop.example/hooks/mkt --events order.placed,stock.low
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The merchant.") var merchant: String
  @Argument(help: "The receiver's URL (http or https).") var url: String
  @Option(
    help: ArgumentHelp(
      "Comma-separated events: \(WebhookService.topics.joined(separator: ", ")), order.* or "
        + "stock.*.",
      valueName: "list"))
  var events = "order.*"
  @Option(help: "The signing secret (default: a new random whsec_… secret, printed).")
  var secret: String?

  func run() async throws {
    let endpoint = try await WebhookService(store: global.openStore()).add(
      merchant: merchant, url: url,
      events: events.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) },
      secret: secret)
    try Output(global, output).result(endpoint) { endpoint in
      "endpoint \(endpoint.id): \(endpoint.url) (\(endpoint.events.joined(separator: ","))), "
        + "secret \(endpoint.secret)"
    }
  }
}

/// `mkt webhooks list`.
struct WebhooksListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "List the endpoints.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's endpoints.") var merchant: String?

  func run() async throws {
    let endpoints = try await WebhookService(store: global.openStore(.reading)).endpoints(
      merchant: merchant)
    try Output(global, output).rows(
      endpoints,
      columns: [
        ("id", { String($0.id) }), ("merchant", \.merchant), ("url", \.url),
        ("events", { $0.events.joined(separator: ",") }), ("created", \.createdAt),
      ])
  }
}

/// `mkt webhooks remove ID`.
struct WebhooksRemoveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "remove", abstract: "Remove an endpoint and its pending deliveries.")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The endpoint's id (mkt webhooks list).") var id: Int64

  func run() async throws {
    try await WebhookService(store: global.openStore()).remove(id)
  }
}

/// `mkt webhooks deliver [--once]`.
struct WebhooksDeliverCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "deliver", abstract: "Post the events that are due; with --once, then stop.",
    discussion: """
      Without --once it runs until interrupted. Several deliverers (cron and mkt serve) may \
      run at once: each claims the deliveries it posts.

      Example (crontab): * * * * * mkt webhooks deliver --once --quiet --db /srv/mkt/shop.db
      """)
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Flag(help: "Deliver what is due now, then stop.") var once = false
  @Option(help: "Seconds to wait for each receiver's answer.") var timeout = 10.0

  func run() async throws {
    let service = WebhookService(store: try global.openStore())
    let out = Output(global, output)
    var total = DeliveryRound()
    repeat {
      let round = try await service.deliverRound(
        timeout: .milliseconds(Int64(max(0.1, timeout) * 1000)))
      total.queued += round.queued
      total.delivered += round.delivered
      total.retrying += round.retrying
      total.failed += round.failed
      if round.isIdle {
        if once { break }
        try await Task.sleep(for: .seconds(1))
      }
    } while true
    try out.result(total) { total in
      "\(total.delivered) delivered, \(total.retrying) to retry, \(total.failed) failed "
        + "(\(total.queued) newly queued)"
    }
  }
}

/// `mkt webhooks failed`.
struct WebhooksFailedCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "failed", abstract: "List events that ran out of retries (the dead letters).")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only this merchant's.") var merchant: String?

  func run() async throws {
    let failed = try await WebhookService(store: global.openStore(.reading)).failed(
      merchant: merchant)
    try Output(global, output).rows(
      failed,
      columns: [
        ("event", \.event), ("type", \.topic), ("merchant", \.merchant), ("url", \.url),
        ("attempts", { String($0.attempts) }),
        ("last", { $0.lastStatus.map(String.init) ?? ($0.lastError ?? "") }),
        ("failed", \.failedAt),
      ])
  }
}

/// `mkt webhooks replay EVENT`.
struct WebhooksReplayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "replay", abstract: "Queue an event again (failed or delivered).",
    discussion: "Example: mkt webhooks replay evt_42 && mkt webhooks deliver --once")
  @OptionGroup var global: GlobalOptions
  @Argument(help: "The event id (evt_42).") var event: String
  @Option(help: "Only to this endpoint.") var endpoint: Int64?

  func run() async throws {
    let queued = try await WebhookService(store: global.openStore()).replay(
      event, endpoint: endpoint)
    if !global.quiet {
      try RawWriter.write(
        "mkt: \(event) queued again for \(queued) endpoint\(queued == 1 ? "" : "s")\n",
        to: RawWriter.messageDescriptor)
    }
  }
}
