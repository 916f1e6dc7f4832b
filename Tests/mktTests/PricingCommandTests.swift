import Foundation
import Testing

/// `mkt locale`, `mkt currency` and `mkt pricing` as a user runs them, on the shipped examples.
@Suite struct PricingCommandTests {
  let workspace: Workspace

  init() throws {
    workspace = try .shop([
      ("kuechenwelt-de.xml", "kuechenwelt-de", []), ("sklep-krakow-pl.csv", "krakow-pl", []),
    ])
    _ = try workspace.run("currency", "import", packageRoot + "/examples/ecb/eurofxref-hist.xml")
    _ = try workspace.run("pricing", "load", packageRoot + "/examples/pricing/rules.yaml")
  }

  @Test func formatPrintsExactlyTheAmount() throws {
    let french = try workspace.run("locale", "format", "1234.5", "EUR", "--locale", "fr_FR")
    #expect(french.status == 0)
    #expect(french.stdout == "1\u{202F}234,50\u{A0}€\n")
    let swiss = try workspace.run("locale", "format", "19.97", "CHF", "--locale", "de_CH", "--cash")
    #expect(swiss.stdout == "CHF\u{A0}19.95\n")
    let unknown = try workspace.run("locale", "format", "1", "USD", "--locale", "de_DE")
    #expect(unknown.status == 64)
    #expect(unknown.stderr.contains("valid currencies: CHF, CZK"))
  }

  /// Issue 15, item 7: the lines add up as printed, and old rates are said to be old.
  @Test func aQuotesLinesAddUpAndOldRatesAreNamed() throws {
    let germany = try workspace.run(
      "pricing", "quote", "--product", "KWM-1002", "--country", "DE", "--at",
      "2026-11-28T12:00:00+01:00")
    let summary = germany.stdout.split(separator: "\n").suffix(5).joined(separator: "\n")
    #expect(
      summary
        == "price      59,00\u{A0}€  1 item at list price\n"
        + "discount  -11,80\u{A0}€\n"
        + "subtotal   47,20\u{A0}€\n"
        + "VAT 19%     7,54\u{A0}€  included (net 39,66\u{A0}€)\n"
        + "total      47,20\u{A0}€")
    let swiss = try workspace.run(
      "pricing", "quote", "--product", "KWM-1002", "--country", "CH", "--at",
      "2026-11-28T12:00:00+01:00")
    #expect(swiss.stdout.contains("warning: those rates are 641 days older than 2026-11-28"))
    let fresh = try workspace.run(
      "pricing", "quote", "--product", "KWM-1002", "--country", "CH", "--at",
      "2025-02-27T12:00:00+01:00")
    #expect(!fresh.stdout.contains("warning"))
    // An explanation accounts for every rule, the shipping rule of a quote without shipping too.
    let explained = try workspace.run(
      "pricing", "explain", "--product", "KWM-1002", "--country", "DE", "--at",
      "2026-11-28T12:00:00+01:00")
    for rule in [
      "black-friday-kitchen", "apero-hour", "apron-tiers", "mugs-4-for-3", "welcome10",
      "swiss-charm",
    ] {
      #expect(explained.stdout.contains("  \(rule) "), "\(rule)")
    }
    #expect(
      explained.stdout.contains(
        "  free-shipping-60: the quote has no shipping cost (--shipping AMOUNT)"))
  }

  @Test func quotesInThreeCountriesFollowTheRulesAndVAT() throws {
    let at = "2026-11-28T12:00:00+01:00"  // inside the Black Friday weekend
    let germany = try workspace.run(
      "pricing", "quote", "--product", "KWM-1002", "--country", "DE", "--at", at, "--json")
    #expect(germany.status == 0, "\(germany.stderr)")
    let quote = try JSONSerialization.jsonObject(with: Data(germany.stdout.utf8)) as? [String: Any]
    #expect(quote?["total"] as? String == "47.20")  // 59.00 − 20 %
    let france = try workspace.run(
      "pricing", "quote", "--product", "KWM-1002", "--country", "FR", "--at", at)
    #expect(france.stdout.contains("47,59\u{A0}€"))  // net 39.66 + 20 % French VAT
    let swiss = try workspace.run(
      "pricing", "explain", "--product", "KWM-1002", "--country", "CH", "--at", at)
    #expect(swiss.stdout.contains("CHF\u{A0}39.90"))  // converted, then charm-rounded to .90
    #expect(swiss.stdout.contains("swiss-charm (charm_rounding) on KWM-1002"))
    #expect(swiss.stdout.contains("apero-hour on KWM-1002: not for CH"))
    #expect(swiss.stdout.contains("ECB reference rates of 2025-02-25"))
  }

  @Test func anExpiredCodeIsANoteNotAnError() throws {
    let late = try workspace.run(
      "pricing", "quote", "--product", "KWM-1002", "--country", "DE", "--code", "welcome10",
      "--customer", "c1", "--at", "2027-02-01T10:00:00+01:00")
    #expect(late.status == 0)
    #expect(late.stdout.contains("note: code WELCOME10 is not valid now: ended"))
  }

  @Test func badRulesFilesPointAtTheLineAndStoreNothing() throws {
    try workspace.write(
      "bad.yaml",
      """
      rules:
        - id: ok
          kind: percentage_off
          percent: 5
        - id: typo
          kind: percent_off
          percent: 5
      """)
    let run = try workspace.run("pricing", "load", "bad.yaml")
    #expect(run.status == 65)
    #expect(run.stderr.contains("bad.yaml:6:"))
    #expect(run.stderr.contains("unknown kind 'percent_off'"))
    #expect(!(try workspace.run("pricing", "list").stdout.contains("\tok\t")))
    // A rule that conflicts with a stored one names both.
    try workspace.write(
      "clash.yaml",
      "- {id: clash, kind: percentage_off, percent: 5, priority: 50, stackable: false}\n")
    let clash = try workspace.run("pricing", "load", "clash.yaml")
    #expect(clash.status == 65)
    #expect(clash.stderr.contains("clash and black-friday-kitchen"))
  }

  @Test func currencyConversionSaysWhenItCarriesAFridayForward() throws {
    let run = try workspace.run("currency", "convert", "100", "EUR", "PLN", "--date", "2025-02-22")
    #expect(run.stdout == "416.83 PLN\n")
    #expect(run.stderr.contains("used 2025-02-21"))
    let none = try workspace.run("currency", "convert", "1", "EUR", "PLN", "--date", "2024-12-31")
    #expect(none.status == 65)
    #expect(none.stderr.contains("on 2024-12-31"))
  }

  @Test func aVATChangeOverrideAppliesFromItsDay() throws {
    try workspace.write("vat.csv", "code,vat_valid_from,vat_standard\nDE,2027-01-01,21\n")
    let run = try workspace.run("locale", "import", "vat.csv")
    #expect(run.status == 0, "\(run.stderr)")
    let before = try workspace.run(
      "pricing", "quote", "--product", "KWM-1001", "--country", "DE", "--at",
      "2026-12-31T12:00:00Z", "--json")
    let after = try workspace.run(
      "pricing", "quote", "--product", "KWM-1001", "--country", "DE", "--at",
      "2027-01-02T12:00:00Z", "--json")
    #expect(before.stdout.contains("\"vat_rate\" : \"19\""))
    #expect(after.stdout.contains("\"vat_rate\" : \"21\""))
    try workspace.write(
      "bad.csv", "code,vat_valid_from,vat_standard\nXX,2027-01-01,21\nDE,soon,21\n")
    let bad = try workspace.run("locale", "import", "bad.csv")
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("bad.csv:2:1"))
    #expect(bad.stderr.contains("bad.csv:3:2"))
  }
  @Test func aCartFileIsQuotedWithCodesShippingAndBuyXGetY() throws {
    try workspace.write(
      "cart.json",
      """
      {"country": "PL", "customer": "c-17", "shipping": "19.90",
       "at": "2026-12-02T10:00:00+01:00", "codes": ["NOPE"],
       "items": [{"product": "PL-KUB-350", "quantity": 4},
                 {"product": "KWM-1001", "merchant": "kuechenwelt-de", "quantity": 1}]}
      """)
    let run = try workspace.run("pricing", "explain", "--cart", "cart.json", "--json")
    #expect(run.status == 0, "\(run.stderr)")
    let quote = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    let lines = quote?["lines"] as? [[String: Any]] ?? []
    #expect(lines.first?["paid_quantity"] as? Int == 3)  // mugs-4-for-3
    #expect((quote?["messages"] as? [String])?.contains("code NOPE is not valid") == true)
    let applied = (quote?["applied"] as? [[String: Any]] ?? []).compactMap { $0["rule"] as? String }
    #expect(applied.contains("mugs-4-for-3"))
    #expect(applied.contains("free-shipping-60"))
    #expect(quote?["shipping"] as? String == "0.00")
    let broken = try workspace.run("pricing", "quote", "--cart", "cart.json", "--qty", "x")
    #expect(broken.status == 64)
    try workspace.write("bad-cart.json", "{\"country\": \"PL\"}")
    let bad = try workspace.run("pricing", "quote", "--cart", "bad-cart.json")
    #expect(bad.status == 65)
    #expect(bad.stderr.contains("bad-cart.json: not a cart: items is missing"))
  }

  @Test func simulateShowsWhatAFileWouldChangeBeforeLoading() throws {
    try workspace.write(
      "more.yaml",
      """
      - id: ceramics-15
        kind: percentage_off
        percent: 15
        scope: {merchants: [krakow-pl]}
      """)
    let run = try workspace.run(
      "pricing", "simulate", "more.yaml", "--sample", "100", "--country", "PL", "--json")
    #expect(run.status == 0, "\(run.stderr)")
    let result = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
    let sampled = result?["sampled"] as? Int ?? 0
    let changed = result?["changed"] as? Int ?? -1
    let krakow = try workspace.run("catalog", "list", "--merchant", "krakow-pl", "--csv")
    let krakowProducts = krakow.stdout.split(separator: "\n").count - 1
    #expect(sampled > krakowProducts)
    #expect(changed == krakowProducts)
    #expect(result?["lower"] as? Int == changed)
    #expect((result?["applications"] as? [String: Int])?["ceramics-15"] == krakowProducts)
    // Nothing was stored.
    #expect(!(try workspace.run("pricing", "list").stdout.contains("ceramics-15")))
    #expect(try workspace.run("pricing", "show", "apron-tiers").stdout.contains("5+: -10%"))
    #expect(try workspace.run("pricing", "remove", "apron-tiers").status == 0)
    #expect(try workspace.run("pricing", "show", "apron-tiers").status == 65)
  }
}
