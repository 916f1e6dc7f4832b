import Foundation
import Testing

@Suite struct MerchantFlowTests {
  let workspace: Workspace
  let examples = packageRoot + "/examples/merchants.csv"
  init() throws { workspace = try Workspace() }

  @Test func initImportListShowRemoveAsAPersonWould() throws {
    let created = try workspace.run("init")
    #expect(created.status == 0)
    #expect(created.stdout.hasPrefix("created "))
    #expect(try workspace.run("init").stdout.hasPrefix("ready: "))

    let imported = try workspace.run("merchant", "import", examples)
    #expect(imported.status == 0)
    #expect(
      imported.stdout.hasPrefix(
        "11 rows: 11 inserted, 0 updated, 0 unchanged, 0 removed, 0 rejected")
    )

    let list = try workspace.run("merchant", "list", "--csv")
    try expectGolden(list.stdout, named: "merchant-list.csv")

    let show = try workspace.run("merchant", "show", "zurich-ch")
    #expect(show.stdout.contains("name     Uhrenatelier Zürich AG"))
    #expect(show.stdout.contains("currency CHF"))

    let removed = try workspace.run("merchant", "remove", "zurich-ch")
    #expect(removed.stdout == "removed merchant zurich-ch (Uhrenatelier Zürich AG)\n")
    let missing = try workspace.run("merchant", "show", "zurich-ch")
    #expect(missing.status == 65)
    #expect(missing.stderr.contains("no merchant zurich-ch"))
  }

  @Test func jsonOutputsParseAndUseSnakeCase() throws {
    _ = try workspace.run("init")
    let imported = try workspace.run("merchant", "import", examples, "--dry-run", "--json")
    let summary = try #require(
      try JSONSerialization.jsonObject(with: Data(imported.stdout.utf8)) as? [String: Any])
    #expect(summary["dry_run"] as? Bool == true)
    #expect(summary["inserted"] as? Int == 11)
    #expect(try workspace.run("merchant", "list", "--json").stdout == "[\n\n]\n")

    _ = try workspace.run("merchant", "import", examples)
    let info = try workspace.run("db", "info", "--json")
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(info.stdout.utf8)) as? [String: Any])
    #expect(object["journal_mode"] as? String == "wal")
    #expect(object["schema_version"] as? Int == object["latest_schema_version"] as? Int)
    let tables = try #require(object["tables"] as? [[String: Any]])
    #expect(tables.first { $0["name"] as? String == "merchant" }?["rows"] as? Int == 11)

    let lines = try workspace.run("merchant", "list", "--jsonl").stdout.split(separator: "\n")
    #expect(lines.count == 11)
    let added = try workspace.run(
      "merchant", "add", "lux", "--name", "Lux Shop", "--country", "LU", "--json")
    #expect(added.stdout.contains("\"prices\" : \"gross\""))
  }

  @Test func badMerchantRowsExit65WithFileAndLineAndChangeNothing() throws {
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", examples)
    let before = try workspace.run("merchant", "list", "--csv").stdout
    try workspace.write(
      "bad.csv",
      """
      id,name,country,currency
      acme-de,ACME renamed,DE,EUR
      short-row,Short
      us-shop,Yankee Doodle,US,USD
      acme-de,ACME again,DE,EUR

      """)
    let run = try workspace.run("merchant", "import", "bad.csv", "--errors", "rejected.ndjson")
    #expect(run.status == 65)
    #expect(run.stderr.contains("bad.csv:3: the row has 2 fields, the header has 4 [ragged-row]"))
    #expect(
      run.stderr.contains(
        "bad.csv:4:3 (field country, id us-shop): unknown country 'US' [unknown-country]"))
    #expect(
      run.stderr.contains(
        "bad.csv:5:1 (field id, id acme-de): merchant acme-de is already on line 2 [duplicate-id]"))
    #expect(
      run.stderr.contains(
        "mkt: error: bad.csv: 3 rejected rows (--max-errors 0); nothing was written"))
    #expect(try workspace.run("merchant", "list", "--csv").stdout == before)
    let ndjson = try #require(
      try? String(contentsOfFile: workspace.file("rejected.ndjson"), encoding: .utf8))
    #expect(ndjson.split(separator: "\n").count == 4)
    #expect(ndjson.contains("\"rule\":\"unknown-currency\""))
  }

  @Test func theErrorBudgetSkipsBadRowsAndImportsTheRest() throws {
    _ = try workspace.run("init")
    try workspace.write(
      "mixed.csv", "id,name,country\nok-1,Fine,DE\nbad,Broken,XX\nok-2,Fine too,AT\n")
    let run = try workspace.run("merchant", "import", "mixed.csv", "--max-errors", "1")
    #expect(run.status == 0)
    #expect(run.stdout.contains("2 inserted"))
    #expect(run.stdout.contains("1 rejected"))
    #expect(run.stderr.contains("mixed.csv:3:3 (field country, id bad): unknown country 'XX'"))
    #expect(
      try workspace.run("merchant", "list", "--csv", "--quiet").stdout.split(separator: "\n").count
        == 3)
  }

  @Test func quietSilencesNotesButNotData() throws {
    let run = try workspace.run("init", "-q")
    #expect(run.status == 0)
    #expect(run.stdout.hasPrefix("created"))  // a created database is news even when quiet
    #expect(try workspace.run("init", "-q").stdout.isEmpty)
    #expect(try workspace.run("merchant", "import", examples, "--quiet").stdout.isEmpty)
    #expect(!(try workspace.run("merchant", "list", "--quiet").stdout.isEmpty))
  }

  @Test func globalOptionsMayComeBeforeTheSubcommand() throws {
    #expect(try workspace.run("--db", "shop.db", "init").status == 0)
    #expect(try workspace.run("--db", "shop.db", "-q", "merchant", "import", examples).status == 0)
    #expect(
      try workspace.run("merchant", "list", environment: ["MKT_DB": "shop.db"]).stdout.contains(
        "acme-de"))
  }

  @Test func standardInputIsAFile() throws {
    _ = try workspace.run("init")
    let run = try workspace.run(
      "merchant", "import", "-", stdin: "id,name,country\nstdin-1,From Stdin,SE\n")
    #expect(run.status == 0)
    #expect(try workspace.run("merchant", "show", "stdin-1").stdout.contains("SEK"))
  }

  @Test func backupAndCheckWork() throws {
    _ = try workspace.run("init")
    _ = try workspace.run("merchant", "import", examples)
    let backup = try workspace.run("db", "backup", "copy.db")
    #expect(backup.status == 0)
    #expect(try workspace.run("db", "backup", "copy.db").status == 73)
    let check = try workspace.run("db", "check", "--db", "copy.db", "--json")
    #expect(check.status == 0)
    #expect(check.stdout.contains("\"ok\" : true"))
    #expect(try workspace.run("merchant", "list", "--db", "copy.db").stdout.contains("praha-cz"))
  }

  @Test func checkExits1OnADamagedDatabase() throws {
    _ = try workspace.run("init")
    var csv = "id,name,country\n"
    for index in 0..<3000 { csv += "M\(index),Merchant number \(index) with a longish name,DE\n" }
    try workspace.write("many.csv", csv)
    _ = try workspace.run("merchant", "import", "many.csv")
    let handle = try #require(FileHandle(forUpdatingAtPath: workspace.file("mkt.db")))
    let size = try handle.seekToEnd()
    try handle.seek(toOffset: size / 2)
    try handle.write(contentsOf: Data(repeating: 0x5A, count: 8192))
    try handle.close()
    let run = try workspace.run("db", "check")
    #expect(run.status == 1)
    #expect(run.stdout.contains("integrity:"))
  }

  @Test(
    .enabled(if: getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/setpriv")))
  func aReadOnlyDatabaseExits73ForAWrite() throws {
    // Root may write any file, so the command runs as nobody on a file nobody may only read.
    _ = try workspace.run("init")
    let manager = FileManager.default
    for path in [workspace.path, workspace.file("mkt.db")] {
      try manager.setAttributes([.ownerAccountName: "nobody"], ofItemAtPath: path)
    }
    try manager.setAttributes([.posixPermissions: 0o444], ofItemAtPath: workspace.file("mkt.db"))
    let before = workspace.bytes("mkt.db")
    let run = try mkt(
      [
        "--reuid=nobody", "--regid=nogroup", "--clear-groups", mktBinary, "merchant", "add", "M1",
        "--name", "One", "--country", "DE",
      ],
      in: workspace.path, executable: "/usr/bin/setpriv")
    #expect(run.status == 73)
    #expect(run.stderr.contains("cannot write to the database"))
    #expect(workspace.bytes("mkt.db") == before)
  }
}
