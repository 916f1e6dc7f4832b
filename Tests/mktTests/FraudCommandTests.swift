import Foundation
import GRDB
import Testing

/// `mkt fraud` and `mkt payment` from the shell: exit codes, messages, and a training killed
/// halfway.
@Suite(.serialized) struct FraudCommandTests {
  let workspace: Workspace

  init() throws {
    workspace = try .shop([("kuechenwelt-de.xml", "kuechenwelt-de", [])])
  }

  /// `count` labelled orders a minute apart, every fifth from a foreign IP and labelled fraud.
  func labelled(_ count: Int) -> String {
    (0..<count).map { index in
      let fraud = index % 5 == 0
      let minute = index % 60
      let hour = index / 60 % 24
      let day = 1 + index / 1_440 % 28
      return "{\"idempotency_key\": \"l-\(index)\", \"merchant\": \"kuechenwelt-de\", "
        + "\"customer\": {\"id\": \"C\(index % 97)\", \"email\": \"c\(index % 97)@example.de\"}, "
        + "\"country\": \"DE\", \"ip\": \"10.0.\(index % 97).1\", "
        + "\"ip_country\": \"\(fraud ? "NG" : "DE")\", "
        + String(format: "\"placed_at\": \"2026-10-%02dT%02d:%02d:00Z\", ", day, hour, minute)
        + "\"lines\": [{\"sku\": \"KWM-1001\", \"quantity\": \(fraud ? 4 : 1)}], "
        + "\"label_fraud\": \(fraud ? 1 : 0)}"
    }.joined(separator: "\n") + "\n"
  }

  func models() throws -> [String] {
    try DatabaseQueue(path: workspace.file("mkt.db")).read {
      try String.fetchAll($0, sql: "SELECT body FROM fraud_model ORDER BY id")
    }
  }

  @Test func aKilledTrainingLeavesThePreviousModelInForce() throws {
    try workspace.write("small.ndjson", labelled(200))
    let first = try workspace.run("fraud", "train", "--orders", "small.ndjson")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("the model is in force"))
    let before = try models()
    #expect(before.count == 1)
    try workspace.write("large.ndjson", labelled(40_000))
    let killed = try shell(
      """
      "$MKT" fraud train --orders large.ndjson > train.out 2>&1 &
      pid=$!
      sleep 1
      kill -9 $pid
      wait $pid
      echo "exit $?"
      """, in: workspace.path)
    #expect(killed.stdout.contains("exit 137"), "\(killed.stdout) \(killed.stderr)")
    #expect(try models() == before)
  }

  @Test func badInputExitsWithWhereAndWhy() throws {
    try workspace.write("rules.yaml", "rules:\n  - name: a\n    rule: review if device_age < 60s\n")
    let rules = try workspace.run("fraud", "rules", "load", "rules.yaml")
    #expect(rules.status == 65)
    #expect(rules.stderr.contains("rules.yaml:3:21"), "\(rules.stderr)")
    #expect(rules.stderr.contains("unknown signal 'device_age'"))
    try workspace.write("warn.yaml", "- {name: a, rule: review if sku_share > 1}\n")
    let warned = try workspace.run("fraud", "rules", "load", "warn.yaml", "--dry-run")
    #expect(warned.status == 0 && warned.stderr.contains("can never fire"))
    let untrained = try workspace.run("fraud", "train")
    #expect(untrained.status == 65)
    #expect(untrained.stderr.contains("found 0 fraud and 0 good"), "\(untrained.stderr)")
    let empty = try workspace.run("fraud", "backtest", "--since", "30d")
    #expect(empty.status == 0 && empty.stdout.contains("no orders to replay"))
    let methods = try workspace.run("payment", "methods", "--country", "PL", "--amount", "60000")
    #expect(methods.status == 0 && methods.stdout.contains("BLIK takes at most 50000.00 PLN"))
    let unknown = try workspace.run("payment", "enable", "kuechenwelt-de", "klarna")
    #expect(unknown.status == 65 && unknown.stderr.contains("unknown payment method 'klarna'"))
    try workspace.write("cb.csv", "order_id\n41\n")
    let labels = try workspace.run("fraud", "label", "import", "cb.csv")
    #expect(labels.status == 65 && labels.stderr.contains("cb.csv:2: no order 41"))
  }
}
