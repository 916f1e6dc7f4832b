import Foundation
import Testing

@Suite struct InventoryCommandTests {
  let workspace: Workspace

  init() throws {
    workspace = try Workspace()
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", packageRoot + "/examples/merchants.csv")
    _ = try workspace.run(
      "inventory", "warehouse", "add", "BER1", "--merchant", "kuechenwelt-de", "--country", "DE",
      "--serves", "DE,AT")
    try workspace.write("stock.csv", "sku,warehouse,quantity\nKWM-1001,BER1,12\nKWM-1002,BER1,2\n")
  }

  @Test func aCronSyncIsQuietAndAppliesOnce() throws {
    let first = try workspace.run(
      "inventory", "sync", "stock.csv", "--merchant", "kuechenwelt-de", "-q")
    #expect(first.status == 0)
    #expect(first.stdout.isEmpty && first.stderr.isEmpty)
    let again = try workspace.run("inventory", "sync", "stock.csv", "--merchant", "kuechenwelt-de")
    #expect(again.stdout.contains("was applied at"))
    #expect(
      try workspace.run("inventory", "low", "--below", "5", "--csv").stdout.contains("KWM-1002"))
    let export = try workspace.run("inventory", "export")
    #expect(export.stdout.contains("kuechenwelt-de,KWM-1001,BER1,12,"))
  }

  @Test func aSecondSyncWhileOneRunsExits75AtOnce() throws {
    // util-linux flock holds the same lock a running sync holds.
    let held = try shell(
      """
      flock mkt.db.sync.lock sleep 3 &
      sleep 0.3
      "$MKT" inventory sync stock.csv --merchant kuechenwelt-de
      echo "status $?"
      wait
      """, in: workspace.path)
    #expect(held.stdout.contains("status 75"), "\(held.stdout) \(held.stderr)")
    #expect(held.stderr.contains("a sync is already running"))
    #expect(try workspace.run("inventory", "export").stdout.split(separator: "\n").count == 1)
  }

  @Test func unknownSkusExit66AndBadFilesNameTheirLine() throws {
    #expect(try workspace.run("inventory", "show", "NOPE").status == 66)
    try workspace.write("bad.csv", "sku,warehouse,quantity\nKWM-1001,BER1,-3\n")
    let bad = try workspace.run("inventory", "sync", "bad.csv", "--merchant", "kuechenwelt-de")
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("bad.csv:2:3"))
    #expect(bad.stderr.contains("[negative-quantity]"))
  }
}
