import ArgumentParser
import Foundation
import Testing

@testable import MktCLI

/// Runs `body` with mkt's messages going to a file of their own, and returns what was written.
///
/// ``RawWriter/messageDescriptor`` is a task-local: the messages are checked instead of landing
/// in the test log as if something failed, and the process's standard error is left alone.
func capturingErrors<T>(_ body: () async -> T) async -> (T, String) {
  let path = NSTemporaryDirectory() + "mkt-capture-" + UUID().uuidString
  defer { unlink(path) }
  let file = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
  let result = await RawWriter.$messageDescriptor.withValue(file) { await body() }
  close(file)
  return (result, (try? String(contentsOfFile: path, encoding: .utf8)) ?? "")
}

@Suite(.serialized) struct ErrorModelTests {
  struct Unforeseen: Error {}

  @Test func anUnforeseenErrorExits70() async {
    let (status, stderr) = await capturingErrors {
      MktCommand.reportParserOrInternal(Unforeseen(), arguments: [])
    }
    #expect(status == 70)
    #expect(stderr.hasPrefix("mkt: error: internal error: Unforeseen()"))
    #expect(stderr.contains("this is a bug in mkt; please report it"))
  }

  @Test func everyStoreAndImportErrorHasADocumentedStatus() async {
    let (missing, noDatabase) = await capturingErrors {
      await MktCommand.run(["db", "info", "--db", "/nonexistent/dir/x.db"])
    }
    #expect(missing == 66)
    #expect(noDatabase.hasPrefix("mkt: error: no mkt database here"))
    let (usage, unknown) = await capturingErrors { await MktCommand.run(["--no-such-flag"]) }
    #expect(usage == 64)
    #expect(unknown.contains("Unknown option '--no-such-flag'"))
  }
}

@Suite struct OutputTests {
  @Test(arguments: [
    ("plain", "plain"), ("a,b", "\"a,b\""), ("say \"hi\"", "\"say \"\"hi\"\"\""),
    ("=SUM(A1)", "'=SUM(A1)"), ("+31 20", "'+31 20"), ("-5", "'-5"), ("@home", "'@home"),
  ])
  func csvCellsAreQuotedAndFormulasNeutralised(cell: String, expected: String) {
    #expect(TextTable.csvCell(cell) == expected)
  }

  @Test func tablesAlignOnATerminalAndTabSeparateInAPipe() {
    let aligned = TextTable.render(
      header: ["id", "name"], rows: [["M1", "One"], ["M100", "Hundred"]], format: .text,
      aligned: true)
    #expect(aligned == "ID    NAME\nM1    One\nM100  Hundred\n")
    let piped = TextTable.render(
      header: ["id", "name"], rows: [["M1", "a\tb"]], format: .text, aligned: false)
    #expect(piped == "id\tname\nM1\ta b\n")
  }

  @Test func globalOptionsBeforeTheSubcommandMoveToTheEnd() {
    #expect(
      GlobalOptions.hoisted(["--db", "x.db", "-q", "merchant", "list"])
        == ["merchant", "list", "--db", "x.db", "-q"])
    #expect(GlobalOptions.hoisted(["merchant", "list"]) == ["merchant", "list"])
    #expect(
      GlobalOptions.hoisted(["--db=x.db", "init", "--", "a"]) == ["init", "--db=x.db", "--", "a"])
  }

  @Test func suggestionsUseEditDistance() {
    #expect(SubcommandSuggestion.distance("merchnat", "merchant") == 2)
    #expect(
      SubcommandSuggestion.message(for: ["db", "chek"], root: MktCommand.self)?.contains("'check'")
        == true)
    #expect(SubcommandSuggestion.message(for: ["zzzzzz"], root: MktCommand.self) == nil)
  }
}

/// `mkt search` and `mkt suggest`, parsed on their own (``MktCommand/parse(_:)``).
@Suite struct ParsedAloneTests {
  static func described(_ command: any ParsableCommand) -> String {
    var text = ""
    dump(command, to: &text)
    return text
  }

  @Test(arguments: [
    [
      "search", "--db", "x.db", "--facets", "brand,price", "--per-page", "20", "--json", "--",
      "dress",
    ],
    ["search", "rain", "coat", "--brand", "Acme", "--brand", "Bolt", "--in-stock", "-q"],
    ["search", "--sort", "price-asc", "--price-max", "80", "--currency", "CHF"],
    ["search", "--", "--not-an-option"],
    ["suggest", "rain ja", "--limit", "5", "--json"],
  ])
  func aCommandParsedAloneIsTheOneTheRootParses(_ arguments: [String]) throws {
    let alone = try MktCommand.parse(arguments)
    let root = try MktCommand.parseAsRoot(arguments)
    #expect(type(of: alone) == type(of: root))
    #expect(Self.described(alone) == Self.described(root))
  }

  /// What parsing gives: the command's type and values, or the error's message.
  static func outcome(_ parse: () throws -> any ParsableCommand) -> String {
    do { return described(try parse()) } catch { return MktCommand.fullMessage(for: error) }
  }

  @Test(arguments: [
    ["search", "--help"], ["search", "--per-page"], ["suggest", "--limit"], ["search", "-h"],
  ])
  func helpAndMistakesAreAnsweredByTheRoot(_ arguments: [String]) {
    let alone = Self.outcome { try MktCommand.parse(arguments) }
    #expect(alone == Self.outcome { try MktCommand.parseAsRoot(arguments) })
    // A usage error's message names `mkt search`; a help command has mkt on its stack.
    #expect(alone.contains("mkt \(arguments[0])") || alone.contains("- MktCLI.MktCommand"))
  }
}
