import Foundation
import GRDB
import Testing

/// `mkt orders` as cron jobs and shops use it, including concurrent processes and SIGKILL.
@Suite(.serialized) struct OrdersCommandTests {
  let workspace: Workspace

  init() throws {
    workspace = try .shop([("kuechenwelt-de.xml", "kuechenwelt-de", [])])
    _ = try workspace.run(
      "inventory", "warehouse", "add", "BER1", "--merchant", "kuechenwelt-de", "--country", "DE",
      "--serves", "DE,AT,FR")
  }

  func stock(_ rows: String) throws {
    try workspace.write("stock.csv", "sku,warehouse,quantity\n" + rows)
    #expect(
      try workspace.run("inventory", "sync", "stock.csv", "--merchant", "kuechenwelt-de").status
        == 0)
  }

  /// `count` orders of `quantity` × `sku` as JSON lines, keys `prefix-N`, distinct customers.
  func orders(_ prefix: String, count: Int, sku: String = "KWM-1001", quantity: Int = 1) -> String {
    (0..<count).map { index in
      "{\"idempotency_key\": \"\(prefix)-\(index)\", \"merchant\": \"kuechenwelt-de\", "
        + "\"customer\": {\"id\": \"\(prefix)C\(index)\", \"email\": \"\(prefix)\(index)@example.de\"}, "
        + "\"country\": \"DE\", \"ip\": \"10.\(index % 200).\(index / 200 % 200).1\", "
        + "\"placed_at\": \"2026-11-25T10:00:00Z\", "
        + "\"lines\": [{\"sku\": \"\(sku)\", \"quantity\": \(quantity)}]}"
    }.joined(separator: "\n") + "\n"
  }

  func query<T: DatabaseValueConvertible>(_ sql: String) throws -> T? {
    try DatabaseQueue(path: workspace.file("mkt.db")).read { try T.fetchOne($0, sql: sql) }
  }

  /// A sales report converted at rates far older than its orders says so, naming the rates'
  /// day; with rates of the week, it says nothing (issue 15, item 7).
  @Test func salesInAnotherCurrencyWarnOfStaleRates() throws {
    try stock("KWM-1001,BER1,5\n")
    #expect(try workspace.run("orders", "place", "-", stdin: orders("R", count: 1)).status == 0)
    #expect(
      try workspace.run(
        "currency", "import", packageRoot + "/examples/ecb/eurofxref-hist.xml"
      ).status == 0)
    let old = try workspace.run("report", "sales", "--currency", "PLN")
    #expect(old.status == 0, "\(old.stderr)")
    #expect(
      old.stderr
        == "mkt: warning: PLN amounts of 2026-11-25 were converted at rates up to 638 days older "
        + "(the rates of 2025-02-25); import newer ones (mkt currency import "
        + "https://www.ecb.europa.eu/stats/eurofxref/eurofxref-hist.zip)\n")
    #expect(old.stdout.contains("PLN"))
    try workspace.write(
      "recent.xml",
      """
      <?xml version="1.0" encoding="UTF-8"?>
      <gesmes:Envelope xmlns:gesmes="http://www.gesmes.org/xml/2002-08-01" \
      xmlns="http://www.ecb.int/vocabulary/2002-08-01/eurofxref">
      <Cube><Cube time="2026-11-24"><Cube currency="PLN" rate="4.2365"/></Cube></Cube>
      </gesmes:Envelope>
      """)
    #expect(try workspace.run("currency", "import", "recent.xml").status == 0)
    let fresh = try workspace.run("report", "sales", "--currency", "PLN")
    #expect(fresh.status == 0 && fresh.stderr.isEmpty, "\(fresh.stderr)")
  }

  @Test func refusalsSayWhyAndExit65() throws {
    try stock("KWM-1001,BER1,5\n")
    try workspace.write(
      "bad.json",
      """
      {"idempotency_key": "b1", "merchant": "kuechenwelt-de", "customer": {"id": "C", "email": "c@x.de"},
       "country": "DE", "currency": "PLN", "lines": [{"sku": "KWM-1001", "quantity": 1}]}
      """)
    let currency = try workspace.run("orders", "place", "bad.json")
    #expect(currency.status == 65)
    #expect(currency.stderr.contains("DE does not pay in PLN (it uses EUR)"))
    try workspace.write("gone.json", orders("g", count: 1, sku: "NOPE"))
    let unknown = try workspace.run("orders", "place", "gone.json")
    #expect(unknown.status == 65)
    #expect(unknown.stderr.contains("no product NOPE of merchant kuechenwelt-de"))
    try workspace.write("many.json", orders("m", count: 1, quantity: 6))
    let short = try workspace.run("orders", "place", "many.json")
    #expect(short.stderr.contains("not enough stock of KWM-1001: 6 asked, 5 available"))
    try workspace.write("zero.json", orders("z", count: 1, quantity: 0))
    #expect(try workspace.run("orders", "place", "zero.json").status == 65)
    let declined = try workspace.run(
      "orders", "place", "many.json", "--gateway", "decline")
    #expect(declined.status == 65)
    #expect(try query("SELECT count(*) FROM reservation") as Int? == 0)
    #expect(try query("SELECT count(*) FROM orders") as Int? == 0)
  }

  @Test func fourProcessesNeverOversell() throws {
    try stock("KWM-1001,BER1,100\n")
    for process in 0..<4 {
      try workspace.write("batch-\(process).ndjson", orders("p\(process)", count: 2_500))
    }
    let run = try shell(
      """
      for p in 0 1 2 3; do
        "$MKT" orders place batch-$p.ndjson --json --busy-timeout 60 > out-$p.json 2> err-$p.txt &
      done
      wait
      cat out-*.json | grep -c '"status" : "paid"\\|"status" : "review"' || true
      """, in: workspace.path)
    #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "100", "\(run.stderr)")
    #expect(try query("SELECT count(*) FROM orders") as Int? == 100)
    let available: Int? = try query(
      "SELECT (SELECT on_hand FROM stock) + (SELECT sum(quantity) FROM reservation)")
    #expect(available == 0)
    let show = try workspace.run("inventory", "show", "KWM-1001", "--csv")
    #expect(show.stdout.contains(",100,0,"))
  }

  /// Four processes place orders of which some wait in review (stock held) and some are
  /// refused by a block rule (nothing held): stock is never sold twice, and every block is
  /// recorded, whatever the order the processes interleave in.
  @Test func fourProcessesWithReviewsAndBlocksNeverOversell() throws {
    try stock("KWM-1001,BER1,100\n")
    try workspace.write(
      "rules.yaml",
      """
      - {name: abroad, rule: review if ip_mismatch}
      - {name: elsewhere, rule: block if billing_mismatch}
      """)
    #expect(try workspace.run("fraud", "rules", "load", "rules.yaml").status == 0)
    for process in 0..<4 {
      let lines = orders("q\(process)", count: 600).split(separator: "\n").enumerated().map {
        index, line in
        // Every third order from abroad (review), every third billed elsewhere (block).
        switch index % 3 {
        case 0:
          line.replacingOccurrences(
            of: "\"country\": \"DE\"", with: "\"country\": \"DE\", \"ip_country\": \"NG\"")
        case 1:
          line.replacingOccurrences(
            of: "\"country\": \"DE\"", with: "\"country\": \"DE\", \"billing_country\": \"FR\"")
        default: String(line)
        }
      }
      try workspace.write("mixed-\(process).ndjson", lines.joined(separator: "\n") + "\n")
    }
    let run = try shell(
      """
      for p in 0 1 2 3; do
        "$MKT" orders place mixed-$p.ndjson --json --busy-timeout 60 > out-$p.json 2> err-$p.txt &
      done
      wait
      cat out-*.json | grep -c '"status" : "paid"\\|"status" : "review"' || true
      """, in: workspace.path)
    #expect(run.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "100", "\(run.stderr)")
    #expect(try query("SELECT count(*) FROM orders") as Int? == 100)
    #expect(try query("SELECT count(*) FROM orders WHERE status = 'review'") as Int? ?? 0 > 0)
    #expect(try query("SELECT count(*) FROM fraud_refusal") as Int? == 800)
    let available: Int? = try query(
      "SELECT (SELECT on_hand FROM stock) + (SELECT sum(quantity) FROM reservation)")
    #expect(available == 0)
  }

  @Test func killedPlacementsLeaveNoPartialOrder() throws {
    try stock("KWM-1001,BER1,100000\nKWM-1002,BER1,100000\n")
    try workspace.write("orders.ndjson", orders("k", count: 8_000))
    for round in 0..<6 {
      // Killed once this run has placed orders of its own (a sanitizer build starts slowly),
      // at a random moment after.
      _ = try shell(
        """
        before=$(sqlite3 mkt.db "SELECT count(*) FROM orders")
        "$MKT" orders place orders.ndjson -q --busy-timeout 30 > /dev/null 2>&1 &
        pid=$!
        for i in $(seq 1 400); do
          now=$(sqlite3 mkt.db "SELECT count(*) FROM orders" 2>/dev/null || echo 0)
          [ "${now:-0}" -gt "$before" ] && break
          kill -0 $pid 2>/dev/null || break
          sleep 0.05
        done
        sleep 0.$((RANDOM % 3))$((RANDOM % 10))
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        true
        """, in: workspace.path)
      _ = round
    }
    let placed: Int = try query("SELECT count(*) FROM orders") ?? -1
    #expect(placed > 0)
    // Every order is whole: its line, its history, its outbox event and its reservation.
    #expect(try query("SELECT count(*) FROM order_line") as Int? == placed)
    #expect(try query("SELECT count(*) FROM order_event") as Int? == placed)
    #expect(
      try query("SELECT count(*) FROM outbox WHERE topic = 'order.placed'") as Int? == placed)
    #expect(try query("SELECT -sum(quantity) FROM reservation") as Int? == placed)
    #expect(try workspace.run("db", "check").status == 0)
    // The rest completes and the killed runs' orders are replayed, not placed twice.
    let finish = try workspace.run("orders", "place", "orders.ndjson", "--json")
    #expect(finish.status == 0)
    #expect(try query("SELECT count(*) FROM orders") as Int? == 8_000)
    #expect(try query("SELECT -sum(quantity) FROM reservation") as Int? == 8_000)
  }

  @Test func killedExportsNeverSkipNorRepeatAnOrder() throws {
    try stock("KWM-1001,BER1,100000\n")
    try workspace.write("orders.ndjson", orders("e", count: 8_000))
    #expect(try workspace.run("orders", "place", "orders.ndjson", "-q").status == 0)
    for round in 0..<8 {
      if round == 4 {
        try workspace.write("more.ndjson", orders("f", count: 1_000))
        #expect(try workspace.run("orders", "place", "more.ndjson", "-q").status == 0)
      }
      _ = try shell(
        """
        "$MKT" orders export --since-last acct -o export-\(round).csv -q &
        pid=$!
        sleep 0.$((RANDOM % 2))$((RANDOM % 10))
        kill -9 $pid 2>/dev/null
        wait $pid 2>/dev/null
        true
        """, in: workspace.path)
    }
    #expect(
      try workspace.run("orders", "export", "--since-last", "acct", "-o", "export-last.csv", "-q")
        .status == 0)
    var seen: [Int: Int] = [:]
    let files = try FileManager.default.contentsOfDirectory(atPath: workspace.path)
    #expect(!files.contains { $0.hasSuffix(".partial") })
    for file in files where file.hasPrefix("export-") && file.hasSuffix(".csv") {
      let text = try String(contentsOfFile: workspace.file(file), encoding: .utf8)
      for line in text.split(separator: "\n").dropFirst() {
        if let id = Int(line.prefix { $0 != "," }) { seen[id, default: 0] += 1 }
      }
    }
    #expect(seen.count == 9_000)
    #expect(seen.values.allSatisfy { $0 == 1 })
    let again = try workspace.run("orders", "export", "--since-last", "acct", "-o", "none.csv")
    #expect(again.stderr.contains("exported 0 order(s)"))
  }

  /// The states a killed export leaves on its way to settling one that never appeared: each
  /// is settled by the next run without skipping an order (the partial file is deleted only
  /// after the watermark stops counting on it).
  @Test func anExportThatNeverAppearedIsWrittenAgainFromAnyStateItLeft() throws {
    try stock("KWM-1001,BER1,1000\n")
    #expect(try workspace.run("orders", "place", "-", stdin: orders("w", count: 30)).status == 0)
    func pending(to: String) throws {
      try DatabaseQueue(path: workspace.file("mkt.db")).write { db in
        try db.execute(
          sql: """
            INSERT INTO export_watermark (name, last_order_id, exported, pending_to, pending_file)
            VALUES ('acct', 0, 0, \(to), 'lost.csv')
            ON CONFLICT (name) DO UPDATE SET pending_to = \(to), pending_file = 'lost.csv'
            """)
      }
      try workspace.write(".lost.csv.partial", "order_id\n1\n")
    }
    // Killed while writing (pending through order 30, partial file there), then killed again
    // after forgetting the pending orders but before deleting the partial file.
    for state in ["30", "NULL"] {
      try pending(to: state)
      let file = "after-\(state).csv"
      #expect(try workspace.run("orders", "export", "--since-last", "acct", "-o", file).status == 0)
      let rows =
        try String(contentsOfFile: workspace.file(file), encoding: .utf8)
        .split(separator: "\n").count - 1
      #expect(rows == 30, "state \(state)")
      #expect(!FileManager.default.fileExists(atPath: workspace.file(".lost.csv.partial")))
      try DatabaseQueue(path: workspace.file("mkt.db")).write { db in
        try db.execute(sql: "UPDATE export_watermark SET last_order_id = 0 WHERE name = 'acct'")
      }
    }
  }

  @Test func lifecycleFromTheCommandLine() throws {
    try stock("KWM-1001,BER1,10\n")
    try workspace.write("one.json", orders("l", count: 1, quantity: 3))
    #expect(try workspace.run("orders", "place", "one.json").stdout.hasPrefix("order 1 paid"))
    let illegal = try workspace.run("orders", "complete", "1")
    #expect(illegal.status == 65)
    #expect(
      illegal.stderr.contains(
        "order 1 is paid: it cannot be completed (allowed: fulfil, cancel, refund)"))
    #expect(
      try workspace.run("orders", "fulfil", "1", "--line", "1:2").stdout.contains(
        "partially_fulfilled"))
    #expect(try workspace.run("orders", "fulfil", "1").stdout.contains("is fulfilled"))
    #expect(try workspace.run("orders", "complete", "1").stdout.contains("is completed"))
    let refund = try workspace.run("orders", "refund", "1", "--restock", "--json")
    #expect(refund.stdout.contains("\"status\" : \"refunded\""))
    let show = try workspace.run("orders", "show", "1")
    #expect(show.stdout.contains("paid → partially_fulfilled"))
    #expect(try workspace.run("inventory", "show", "KWM-1001", "--csv").stdout.contains(",10,10,"))
    let csv = try workspace.run("orders", "export", "--layout", "shopify")
    #expect(csv.stdout.hasPrefix("Name,Email,Financial Status,Paid at,Fulfillment Status"))
    #expect(csv.stdout.contains("#1,l0@example.de,refunded"))
  }

  @Test func jsonProblemsNameTheFieldTheTypeAndTheLine() throws {
    try workspace.write(
      "fraction.json",
      """
      {"idempotency_key": "f1", "merchant": "kuechenwelt-de",
       "customer": {"id": "C", "email": "c@x.de"}, "country": "DE",
       "lines": [{"sku": "KWM-1001",
                  "quantity": 1.5}]}
      """)
    let fraction = try workspace.run("orders", "place", "fraction.json")
    #expect(fraction.status == 65)
    #expect(
      fraction.stderr
        == "mkt: error: fraction.json:4: not an order: lines[0].quantity must be a whole number "
        + "(found 1.5)\n")
    try workspace.write(
      "types.ndjson",
      "{\"idempotency_key\": \"t1\", \"merchant\": 7}\n{\"idempotency_key\": \"t2\"\n")
    let types = try workspace.run("orders", "place", "types.ndjson", "-q")
    #expect(types.status == 65)
    #expect(
      types.stderr
        == "mkt: error: types.ndjson:1: not an order: merchant must be text (in quotes) (found 7)\n"
        + "mkt: error: types.ndjson:2: not an order: not valid JSON\n")
    #expect(!types.stderr.contains("given data"))
  }

  @Test func csvCellsCannotRunAsFormulas() throws {
    try stock("KWM-1001,BER1,10\n")
    try workspace.write(
      "evil.json",
      """
      {"idempotency_key": "x", "merchant": "kuechenwelt-de", "customer": {"id": "=HYPERLINK(\\"http://evil\\")", "email": "@evil.example"},
       "country": "DE", "lines": [{"sku": "KWM-1001", "quantity": 1}]}
      """)
    #expect(try workspace.run("orders", "place", "evil.json").status == 0)
    let csv = try workspace.run("orders", "export")
    #expect(csv.stdout.contains(",\"'=HYPERLINK(\"\"http://evil\"\")\",'@evil.example,"))
  }
}
