import Foundation
import GRDB
import Testing

@Suite struct CommandLineTests {
  let workspace: Workspace
  init() throws { workspace = try Workspace() }

  static let commands = [
    [], ["init"], ["db"], ["db", "info"], ["db", "check"], ["db", "backup"], ["merchant"],
    ["merchant", "add"], ["merchant", "list"], ["merchant", "show"], ["merchant", "remove"],
    ["merchant", "import"], ["feed"], ["feed", "check"], ["feed", "normalize"],
    ["feed", "convert"], ["import"], ["import", "history"], ["catalog"], ["catalog", "list"],
    ["catalog", "show"], ["catalog", "stats"],
  ]

  @Test(arguments: commands)
  func everyCommandHasHelp(command: [String]) throws {
    let run = try workspace.run(command + ["--help"])
    #expect(run.status == 0)
    #expect(run.stdout.contains("USAGE: mkt"))
    #expect(run.stderr.isEmpty)
  }

  @Test func rootHelpListsTheExitStatuses() throws {
    let run = try workspace.run("--help")
    for code in ["64", "65", "66", "69", "70", "73", "74", "75", "77"] {
      #expect(run.stdout.contains("  \(code)  "), "exit status \(code) missing from --help")
    }
  }

  @Test func versionNamesSQLiteAndLibxml2() throws {
    let run = try workspace.run("--version")
    #expect(run.status == 0)
    #expect(run.stdout.hasPrefix("mkt "))
    #expect(run.stdout.contains("SQLite 3."))
    #expect(run.stdout.contains("libxml2 2."))
  }

  @Test func anUnknownOptionExits64WithASuggestion() throws {
    let run = try workspace.run("merchant", "list", "--jsn")
    #expect(run.status == 64)
    #expect(run.stderr.contains("Did you mean '--json'?"))
  }

  @Test func anUnknownSubcommandExits64WithASuggestion() throws {
    let run = try workspace.run("merchnat", "list")
    #expect(run.status == 64)
    #expect(run.stderr.contains("Did you mean 'merchant'?"))
    let nested = try workspace.run("db", "inf")
    #expect(nested.status == 64)
    #expect(
      nested.stderr
        == "mkt: error: 'inf' is not a command of 'mkt db'. Did you mean 'info'?\n"
        + "  See 'mkt db --help'.\n")
    // The mistyped subcommand is named, not the options the parser could not place after it.
    let options = try workspace.run("serach", "merino", "--db", "demo.db")
    #expect(options.status == 64)
    #expect(
      options.stderr
        == "mkt: error: 'serach' is not a command of 'mkt'. Did you mean 'search'?\n"
        + "  See 'mkt --help'.\n")
  }

  @Test func twoOutputFormatsAtOnceExit64() throws {
    let run = try workspace.run("merchant", "list", "--json", "--csv")
    #expect(run.status == 64)
  }

  @Test func aMissingDatabaseExits66AndSaysToInit() throws {
    let run = try workspace.run("db", "info")
    #expect(run.status == 66)
    #expect(run.stderr.contains("mkt: error: no mkt database here"))
    #expect(run.stderr.contains("at mkt.db"))
    #expect(run.stderr.contains("hint: create it with `mkt init`"))
    #expect(!FileManager.default.fileExists(atPath: workspace.file("mkt.db")))
  }

  @Test func aDirectoryAsDatabaseExits66() throws {
    try FileManager.default.createDirectory(
      atPath: workspace.file("dir"), withIntermediateDirectories: true)
    let run = try workspace.run("init", "--db", "dir")
    #expect(run.status == 66)
    #expect(run.stderr.contains("is a directory"))
  }

  @Test func aNonSQLiteFileExits65AndIsLeftAlone() throws {
    try workspace.write("notes.db", "id,name\nM1,not a database\n")
    let run = try workspace.run("merchant", "list", "--db", "notes.db")
    #expect(run.status == 65)
    #expect(run.stderr.contains("not an SQLite database"))
    #expect(workspace.bytes("notes.db") == Data("id,name\nM1,not a database\n".utf8))
  }

  @Test func aNewerSchemaExits65NamingBothVersionsAndIsLeftUntouched() throws {
    #expect(try workspace.run("init").status == 0)
    try DatabaseQueue(path: workspace.file("mkt.db")).write {
      try $0.execute(sql: "INSERT INTO grdb_migrations VALUES ('9999-create-future')")
    }
    let before = workspace.bytes("mkt.db")
    let run = try workspace.run("merchant", "add", "M1", "--name", "One", "--country", "DE")
    #expect(run.status == 65)
    #expect(run.stderr.contains("schema version 9999, newer than this mkt knows ("))
    #expect(workspace.bytes("mkt.db") == before)
  }

  @Test func aLockedDatabaseExits75AfterTheBusyTimeout() throws {
    #expect(try workspace.run("init").status == 0)
    var config = Configuration()
    config.allowsUnsafeTransactions = true
    let holder = try DatabaseQueue(path: workspace.file("mkt.db"), configuration: config)
    try holder.writeWithoutTransaction { try $0.execute(sql: "BEGIN IMMEDIATE") }
    defer { try? holder.writeWithoutTransaction { try $0.execute(sql: "ROLLBACK") } }
    let run = try workspace.run(
      "merchant", "add", "M1", "--name", "One", "--country", "DE", "--busy-timeout", "0.3")
    #expect(run.status == 75)
    #expect(run.stderr.contains("another mkt process holds the database; try again"))
  }

  @Test func writingToAFullDiskExits74() throws {
    #expect(try workspace.run("init").status == 0)
    #expect(
      try workspace.run("merchant", "import", packageRoot + "/examples/merchants.csv").status == 0)
    let run = try mkt(["merchant", "list"], in: workspace.path, stdoutPath: "/dev/full")
    #expect(run.status == 74)
    #expect(run.stderr.contains("writing to standard output failed"))
  }

  @Test func aClosedPipeEndsQuietlyWithZero() throws {
    #expect(try workspace.run("init").status == 0)
    var csv = "id,name,country\n"
    for index in 0..<3000 { csv += "M\(index),Merchant number \(index) with a longish name,DE\n" }
    try workspace.write("many.csv", csv)
    #expect(try workspace.run("merchant", "import", "many.csv").status == 0)
    let run = try shell(
      "\"$MKT\" merchant list --json | head -c 10 > /dev/null; echo \"${PIPESTATUS[0]}\"",
      in: workspace.path)
    #expect(run.stdout == "0\n")
    #expect(run.stderr.isEmpty)
  }
}
