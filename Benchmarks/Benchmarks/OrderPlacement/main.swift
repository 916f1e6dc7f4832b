// Order placement throughput through the library API, with concurrent callers:
//   swift run -c release --package-path Benchmarks OrderPlacement DB ORDERS.jsonl [CALLERS] [full|normal]
// Each order (gen.py orders, 3 lines each after Benchmarks/orders_bench.sh's preparation) is
// priced with the stored rules, scored for fraud, reserved and paid, and committed; CALLERS
// tasks place orders at once, so the group commit batches them. Prints one JSON line.
import Foundation
import Orders
import Store

@main
struct OrderPlacement {
  static func main() async throws {
    let arguments = CommandLine.arguments
    guard arguments.count >= 3 else {
      print("usage: OrderPlacement DB ORDERS.jsonl [CALLERS] [full|normal]")
      exit(64)
    }
    let callers = arguments.count > 3 ? Int(arguments[3]) ?? 64 : 64
    let durability: Durability = arguments.count > 4 && arguments[4] == "normal" ? .normal : .full
    let decoder = JSONDecoder()
    let orders = try String(contentsOfFile: arguments[2], encoding: .utf8)
      .split(separator: "\n").map { try decoder.decode(OrderRequest.self, from: Data($0.utf8)) }
    let store = try Store.open(path: arguments[1], busyTimeout: 60)
    let service = try await OrderService.open(store: store, durability: durability)
    let start = ContinuousClock.now
    let (placed, refused) = await withTaskGroup(of: Bool.self) { group in
      var next = 0
      var placed = 0
      var refused = 0
      func add() {
        let order = orders[next]
        next += 1
        group.addTask { (try? await service.place(order)) != nil }
      }
      while next < min(callers, orders.count) { add() }
      for await ok in group {
        if ok { placed += 1 } else { refused += 1 }
        if next < orders.count { add() }
      }
      return (placed, refused)
    }
    let seconds = Double((ContinuousClock.now - start) / .microseconds(1)) / 1e6
    print(
      "{\"orders\": \(placed), \"refused\": \(refused), \"callers\": \(callers), "
        + "\"synchronous\": \"\(durability == .full ? "FULL" : "NORMAL")\", "
        + "\"seconds\": \(String(format: "%.3f", seconds)), "
        + "\"orders_per_second\": \(String(format: "%.0f", Double(placed) / seconds))}")
  }
}
