import Testing

@testable import mkt

@Suite struct ErrorModelTests {
  struct Unforeseen: Error {}

  @Test func anUnforeseenErrorExits70() {
    #expect(MktCommand.reportParserOrInternal(Unforeseen(), arguments: []) == 70)
  }

  @Test func everyStoreAndImportErrorHasADocumentedStatus() async {
    #expect(await MktCommand.run(["db", "info", "--db", "/nonexistent/dir/x.db"]) == 66)
    #expect(await MktCommand.run(["--no-such-flag"]) == 64)
    #expect(await MktCommand.run(["--version"]) == 0)
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
