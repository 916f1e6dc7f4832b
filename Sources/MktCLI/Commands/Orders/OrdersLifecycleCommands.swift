import ArgumentParser
import Foundation
import MktCore
import Orders

/// Runs a lifecycle step and prints the order after it.
struct LifecycleStep {
  let global: GlobalOptions
  let output: OutputOptions

  func run(_ step: (OrderService) async throws -> Order) async throws {
    let service = try await OrderService.open(store: global.openStore())
    let order = try await step(service)
    try Output(global, output).result(order) { order in
      global.quiet ? "" : "order \(order.id) is \(order.status.rawValue)"
    }
  }
}

/// `mkt orders pay ID`.
struct OrdersPayCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "pay", abstract: "Record the payment of a pending (invoice, transfer) order.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The payment's reference.") var reference: String?
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    try await LifecycleStep(global: global, output: output).run {
      try await $0.pay(order.id, reference: reference)
    }
  }
}

/// `mkt orders cancel ID`.
struct OrdersCancelCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cancel",
    abstract: "Cancel an order: its reserved stock is released, a paid one refunded in full.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "Why, for the history.") var note = ""
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    try await LifecycleStep(global: global, output: output).run {
      try await $0.cancel(order.id, note: note)
    }
  }
}

/// `mkt orders fulfil ID`.
struct OrdersFulfilCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "fulfil",
    abstract: "Ship an order (all of it, or --line N:QTY): stock leaves the warehouse.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: ArgumentHelp("Ship QTY units of line N (repeatable).", valueName: "N:QTY"))
  var line: [String] = []
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    var quantities: [Int: Int] = [:]
    for item in line {
      let parts = item.split(separator: ":")
      guard parts.count == 2, let number = Int(parts[0]), let quantity = Int(parts[1]),
        quantity > 0
      else { throw ValidationError("--line takes LINE:QUANTITY, such as 1:2, not '\(item)'") }
      quantities[number, default: 0] += quantity
    }
    try await LifecycleStep(global: global, output: output).run {
      try await $0.fulfil(order.id, quantities: quantities)
    }
  }
}

/// `mkt orders complete ID`.
struct OrdersCompleteCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "complete", abstract: "Close a fulfilled order.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    try await LifecycleStep(global: global, output: output).run { try await $0.complete(order.id) }
  }
}

/// `mkt orders refund ID`.
struct OrdersRefundCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "refund",
    abstract: "Refund an order in full or in part; --restock returns shipped units.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The amount (default: everything not yet refunded).") var amount: String?
  @Flag(help: "Put shipped units back into their warehouses.") var restock = false
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    try await LifecycleStep(global: global, output: output).run {
      try await $0.refund(order.id, amount: amount, restock: restock)
    }
  }
}

/// `mkt orders review approve|reject ID`.
struct OrdersReviewCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "review", abstract: "Decide on an order held for fraud review.",
    subcommands: [OrdersApproveCommand.self, OrdersRejectCommand.self])
}

struct OrdersApproveCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "approve",
    abstract: "Release the order: a card is charged now.",
    discussion: "The decision labels the order as not fraud for mkt fraud train.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "Why, for the history.") var note = ""
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    try await LifecycleStep(global: global, output: output).run {
      try await $0.approve(order.id, note: note)
    }
  }
}

struct OrdersRejectCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reject",
    abstract: "Refuse the order and release its stock.",
    discussion: "The decision labels the order as fraud for mkt fraud train.")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "Why, for the history.") var note = ""
  @OptionGroup var order: OrderIDArgument

  func run() async throws {
    try await LifecycleStep(global: global, output: output).run {
      try await $0.reject(order.id, note: note)
    }
  }
}

/// `mkt orders expire`.
struct OrdersExpireCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "expire",
    abstract: "Cancel unpaid orders older than --after and release their stock (cron-safe).",
    discussion: "Example: */10 * * * * mkt orders expire --after 30m -q")
  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "Age after which a pending order expires: 90s, 30m, 2h, 3d.") var after = "30m"

  func run() async throws {
    guard let seconds = Self.seconds(after) else {
      throw ValidationError(
        "--after takes a number with s, m, h or d, such as 30m, up to 10 years, not '\(after)'")
    }
    let service = try await OrderService.open(store: global.openStore())
    let summary = try await service.expire(olderThan: seconds)
    try Output(global, output).result(summary) { summary in
      global.quiet
        ? ""
        : "expired \(summary.expired.count) order(s)"
          + (summary.expired.isEmpty
            ? "" : ": " + summary.expired.map(String.init).joined(separator: " "))
          + "; \(summary.compacted) closed reservation row(s) compacted"
    }
  }

  static func seconds(_ text: String) -> TimeInterval? {
    guard let unit = text.last, let value = Int(text.dropLast()), value >= 0 else { return nil }
    let scale: Int? =
      switch unit {
      case "s": 1
      case "m": 60
      case "h": 3600
      case "d": 86400
      default: nil
      }
    guard let scale else { return nil }
    let (product, overflow) = value.multipliedReportingOverflow(by: scale)
    // At most ten years: an age beyond that is a typo, and would overflow a date.
    guard !overflow, product <= 10 * 366 * 86_400 else { return nil }
    return TimeInterval(product)
  }
}

/// `mkt orders policy MERCHANT`.
struct OrdersPolicyCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "policy",
    abstract:
      "Show or set a merchant's fulfilment policy: may a line ship from several warehouses?",
    discussion: "Example: mkt orders policy acme-de --split-lines true")
  @OptionGroup var global: GlobalOptions
  @Option(help: "Allow (true) or forbid (false) splitting a line across warehouses.")
  var splitLines: Bool?
  @Argument(help: "The merchant.") var merchant: String

  func run() async throws {
    let service = try await OrderService.open(store: global.openStore())
    let allowed = try await service.splitLines(merchant: merchant, allowed: splitLines)
    try Output(quiet: false).write(
      "\(merchant): lines \(allowed ? "may" : "do not") split across warehouses\n")
  }
}
