import Foundation
import Testing

@Suite struct FeedCommandTests {
  let workspace: Workspace
  let feeds = packageRoot + "/Tests/ImportersTests/Fixtures/feeds"
  let hostile = packageRoot + "/Tests/ImportersTests/Fixtures/hostile"
  let generated = packageRoot + "/Tests/ImportersTests/Fixtures/gen"
  init() throws { workspace = try Workspace() }

  @Test func aCleanFeedExits0WithASummary() throws {
    let run = try workspace.run("feed", "check", feeds + "/de-rss.xml")
    #expect(run.status == 0)
    #expect(run.stdout.contains("5 items (xml), 5 valid, 0 rejected"))
  }

  @Test func errorFindingsExit1AndPrintFileLineFieldAndRule() throws {
    let run = try workspace.run("feed", "check", generated + "/dirty.csv", "--max-findings", "5")
    #expect(run.status == 1)
    let lines = run.stdout.split(separator: "\n")
    #expect(lines.prefix(5).allSatisfy { $0.contains("dirty.csv:") && $0.contains("[") })
    #expect(run.stdout.contains("more findings (--max-findings N, or --jsonl for all)"))
    #expect(run.stdout.contains("1000 items (csv)"))
  }

  @Test func jsonlStreamsEveryFindingAndJSONHasTheSummary() throws {
    let jsonl = try workspace.run("feed", "check", generated + "/dirty.csv", "--jsonl")
    let findings = jsonl.stdout.split(separator: "\n").compactMap {
      (try? JSONSerialization.jsonObject(with: Data($0.utf8))) as? [String: Any]
    }
    #expect(findings.count == jsonl.stdout.split(separator: "\n").count)
    #expect(
      findings.contains {
        $0["rule"] as? String == "invalid-gtin" && $0["severity"] as? String == "error"
      })
    let json = try workspace.run("feed", "check", generated + "/dirty.csv", "--json")
    let reports = try #require(
      try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [[String: Any]])
    let summary = try #require(reports.first?["summary"] as? [String: Any])
    #expect(summary["items"] as? Int == 1000)
    #expect(summary["rejected"] as? Int == 40)
  }

  @Test func malformedAndMissingFeedsExit65And66() throws {
    let xxe = try workspace.run("feed", "check", hostile + "/xxe-file.xml")
    #expect(xxe.status == 65)
    #expect(xxe.stderr.contains("xxe-file.xml:2:1"))
    #expect(!xxe.stderr.contains("root:"))
    let missing = try workspace.run("feed", "check", "nope.csv")
    #expect(missing.status == 66)
    #expect(missing.stderr.contains("cannot open nope.csv"))
    // Several feeds: each is reported, and the worst status wins.
    let both = try workspace.run("feed", "check", feeds + "/de-rss.xml", hostile + "/truncated.xml")
    #expect(both.status == 65)
    #expect(both.stdout.contains("5 items"))
  }

  @Test func goldenFilesAreWrittenComparedAndDiffed() throws {
    try FileManager.default.copyItem(
      atPath: feeds + "/pl-semicolon.csv", toPath: workspace.file("feed.csv"))
    let update = try workspace.run(
      "feed", "check", "feed.csv", "--golden", "golden.jsonl", "--update-golden")
    #expect(update.status == 0)
    #expect(update.stdout.contains("wrote the golden file golden.jsonl"))
    #expect(try workspace.run("feed", "check", "feed.csv", "--golden", "golden.jsonl").status == 0)

    let changed = try String(contentsOfFile: workspace.file("feed.csv"), encoding: .utf8)
      .replacingOccurrences(of: "14.99 PLN", with: "15.99 PLN")
    try workspace.write("feed.csv", changed)
    let run = try workspace.run("feed", "check", "feed.csv", "--golden", "golden.jsonl")
    #expect(run.status == 1)
    #expect(run.stdout.contains("golden: PL-KUB-350: shipping: expected"))
    #expect(run.stdout.contains("15.99 PLN"))
    #expect(run.stdout.contains("differs from the golden file"))
  }

  @Test func normalizeIsTheSameForCSVTSVAndXML() throws {
    var outputs: [String] = []
    for format in ["csv", "tsv", "xml"] {
      let run = try workspace.run(
        "feed", "normalize", generated + "/catalog.\(format)", "-o", "out-\(format).jsonl")
      #expect(run.status == 0)
      outputs.append(
        try String(contentsOfFile: workspace.file("out-\(format).jsonl"), encoding: .utf8))
    }
    #expect(outputs[0].split(separator: "\n").count == 300)
    #expect(Set(outputs).count == 1)
  }

  @Test(arguments: ["csv", "tsv", "xml", "jsonl"])
  func convertedFeedsNormalizeLikeTheirSource(format: String) throws {
    let source = feeds + "/de-rss.xml"
    let convert = try workspace.run(
      "feed", "convert", source, "--to", format, "-o", "converted.\(format)")
    #expect(convert.status == 0, "\(convert.stderr)")
    guard format != "jsonl" else { return }
    let original = try workspace.run("feed", "normalize", source)
    let converted = try workspace.run("feed", "normalize", "converted.\(format)")
    #expect(converted.stdout == original.stdout)
  }

  @Test func shopifyNeedsACurrencyAndAShopURL() throws {
    let bare = try workspace.run("feed", "check", feeds + "/shopify-variants.csv")
    #expect(bare.status == 1)
    #expect(bare.stdout.contains("the price has no currency"))
    let complete = try workspace.run(
      "feed", "check", feeds + "/shopify-variants.csv", "--currency", "EUR", "--shop-url",
      "https://wollwerk.example")
    #expect(complete.status == 0)
  }

  @Test func aHeaderMappingRenamesColumns() throws {
    try workspace.write("de.csv", "Artikelnummer;title;price\nA-1;Stuhl;10.00 EUR\n")
    let run = try workspace.run("feed", "normalize", "de.csv", "--map", "Artikelnummer=id")
    #expect(run.stdout == #"{"id":"A-1","price":"10.00 EUR","title":"Stuhl"}"# + "\n")
    let unmapped = try workspace.run("feed", "check", "de.csv")
    #expect(unmapped.status == 65)
    #expect(unmapped.stderr.contains("--map"))
  }
}

/// A Magento export through the whole path: import with its store views as translations, the
/// skipped count in the summary, and conversion to Merchant Center XML (issue 15, item 2).
@Suite struct MagentoCommandTests {
  let workspace: Workspace
  let export = packageRoot + "/Tests/ImportersTests/Fixtures/magento/catalog_product.csv"

  init() throws { workspace = try .shop([]) }

  @Test func anExportImportsWithItsTranslations() throws {
    let run = try workspace.run(
      "import", export, "--merchant", "acme-de", "--language", "en", "--currency", "EUR",
      "--shop-url", "https://luma.example", "--max-errors", "1")
    #expect(run.status == 0, "\(run.stderr)")
    #expect(run.stdout.contains("4 inserted"), "\(run.stdout)")
    #expect(run.stdout.contains("1 not for sale skipped (--include-drafts)"), "\(run.stdout)")
    let german = try workspace.run("catalog", "export", "--merchant", "acme-de", "--country", "DE")
    #expect(german.stdout.contains("Joust Reisetasche"), "\(german.stdout)")
    #expect(german.stdout.contains("Chaz Känguru-Kapuzenpullover"))
    let english = try workspace.run("catalog", "export", "--merchant", "acme-de")
    #expect(english.stdout.contains("Joust Duffle Bag"))
  }

  @Test func anExportConvertsToMerchantCenterXML() throws {
    let run = try workspace.run(
      "feed", "convert", export, "--to", "xml", "--output", "luma.xml", "--currency", "EUR",
      "--shop-url", "https://luma.example")
    #expect(run.status == 0 || run.status == 65, "\(run.stderr)")
    let xml = String(decoding: workspace.bytes("luma.xml") ?? Data(), as: UTF8.self)
    #expect(xml.contains("<g:item_group_id>MH01</g:item_group_id>"), "\(xml.prefix(400))")
    #expect(xml.contains("https://luma.example/media/catalog/product/m/b/mb01-blue-0.jpg"))
  }
}
