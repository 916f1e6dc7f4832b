import Foundation
import Testing

/// `mkt catalog translate import` and the country fallback chain in search and export.
@Suite struct TranslationCommandTests {
  let workspace: Workspace

  init() throws {
    workspace = try .shop([("kuechenwelt-de.xml", "kuechenwelt-de", ["--language", "de"])])
    try workspace.write(
      "titles.csv",
      """
      id,language,field,text
      KWM-1002,fr,title,Cafetière « Napoli » pour 6 tasses
      KWM-1002,nl,title,Espressopot Napoli voor 6 kopjes
      KWM-1002,fr,description,<p>Une cafetière <b>italienne</b> en inox.</p>

      """)
  }

  @Test func importsOnceAndSearchFollowsTheCountrysChain() throws {
    let first = try workspace.run(
      "catalog", "translate", "import", "titles.csv", "--merchant", "kuechenwelt-de")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("inserted 2, updated 1, unchanged 0"))
    let again = try workspace.run(
      "catalog", "translate", "import", "titles.csv", "--merchant", "kuechenwelt-de")
    #expect(again.stdout.contains("inserted 0, updated 0, unchanged 3"))

    func title(_ country: String) throws -> String {
      let run = try workspace.run(
        "search", "Espressokanne", "--display-country", country, "--json")
      let object = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
      let hits = object?["hits"] as? [[String: Any]]
      return hits?.first?["title"] as? String ?? "(no hit: \(run.stderr))"
    }
    #expect(try title("BE") == "Espressopot Napoli voor 6 kopjes")  // nl first
    #expect(try title("FR") == "Cafetière « Napoli » pour 6 tasses")
    #expect(try title("DE").hasPrefix("Espressokanne"))
    #expect(try title("PL").hasPrefix("Espressokanne"))  // pl → en: neither, the feed's own
  }

  @Test func exportForACountryCarriesItsTexts() throws {
    _ = try workspace.run(
      "catalog", "translate", "import", "titles.csv", "--merchant", "kuechenwelt-de")
    let french = try workspace.run("catalog", "export", "--country", "FR")
    let line = french.stdout.split(separator: "\n").first { $0.contains("\"KWM-1002\"") } ?? ""
    #expect(line.contains("\"title\":\"Cafetière « Napoli » pour 6 tasses\""))
    #expect(line.contains("\"description\":\"Une cafetière italienne en inox.\""))
    let german = try workspace.run("catalog", "export")
    #expect(!german.stdout.contains("Cafetière"))
  }

  @Test func badRowsAreReportedWithTheirPlaceAndNothingIsStored() throws {
    try workspace.write(
      "bad.csv",
      """
      id,language,field,text
      KWM-1002,fr,title,Bonne cafetière
      NOPE-1,fr,title,Inconnu
      KWM-1002,french,title,Langue fausse
      KWM-1002,de,title,Gleiche Sprache
      KWM-1002,fr,colour,bleu

      """)
    let run = try workspace.run(
      "catalog", "translate", "import", "bad.csv", "--merchant", "kuechenwelt-de")
    #expect(run.status == 65)
    #expect(run.stderr.contains("bad.csv:3"))
    #expect(run.stderr.contains("bad.csv:4:2"))
    #expect(run.stderr.contains("bad.csv:5"))
    #expect(run.stderr.contains("bad.csv:6:3"))
    let search = try workspace.run("search", "Espressokanne", "--display-country", "FR")
    #expect(!search.stdout.contains("Bonne cafetière"))
  }
}
