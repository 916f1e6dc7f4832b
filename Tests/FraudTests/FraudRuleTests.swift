import Foundation
import Fraud
import MktCore
import Testing

/// The rules language: what it reads, what it refuses (with where), what it warns about, and
/// which rule decides.
struct FraudRuleTests {
  static func read(_ text: String) throws(FraudError) -> (FraudRuleSet, [String]) {
    let (rules, warnings) = try FraudRuleFile.read(text, file: "rules.yaml")
    return (rules, warnings)
  }

  @Test func theIssuesExamplesRead() throws {
    let (set, warnings) = try Self.read(
      """
      rules:
        - name: brand-new-account
          rule: review if account_age < 60s
        - name: device-farm
          rule: block if accounts_per_device >= 5 and amount_eur > 200
        - name: loyal
          rule: allow if customer.orders_paid >= 10
          merchants: [M001]
        - name: abroad
          rule: "review if ip_mismatch and country != DE and not first_order"
      """)
    #expect(warnings.isEmpty)
    #expect(set.rules.map(\.name) == ["brand-new-account", "device-farm", "loyal", "abroad"])
    #expect(set.rules[0].conditions == [.init(signal: "account_age", op: .less, number: 60)])
    #expect(set.rules[1].action == .block && set.rules[1].conditions.count == 2)
    #expect(set.rules[2].merchants == ["M001"])
    #expect(
      set.rules[3].conditions == [
        .init(signal: "ip_mismatch", op: .equal, number: 1),
        .init(signal: "country", op: .notEqual, word: "DE"),
        .init(signal: "first_order", op: .equal, number: 0),
      ])
    #expect(set.rules[0].location == InputLocation(file: "rules.yaml", line: 2, column: 5))
  }

  @Test func jsonReadsTheSame() throws {
    let (set, _) = try Self.read(
      #"{"rules": [{"name": "n", "rule": "review if account_age < 2h"}]}"#)
    #expect(set.rules.first?.conditions.first?.number == 7_200)
  }

  @Test(arguments: [
    ("- {name: a, rule: hold if account_age < 60s}", 1, 19, "unknown action 'hold'"),
    ("- {name: a, rule: review if acount_age < 60s}", 1, 29, "unknown signal 'acount_age'"),
    ("- {name: a, rule: review when account_age < 60s}", 1, 26, "expected 'if'"),
    ("- {name: a, rule: review if account_age =< 60}", 1, 41, "expected an operator"),
    ("- {name: a, rule: review if account_age < soon}", 1, 43, "not a number of seconds"),
    ("- {name: a, rule: review if account_age < 60s or first_order}", 1, 47, "expected 'and'"),
    ("- {name: a, rule: review if amount_eur}", 1, 29, "is not true or false"),
    ("- {name: a, rule: review if country > DE}", 1, 39, "compare it with == or !="),
    ("- {name: a, rule: review if}", 1, 28, "expected a condition"),
    ("- {name: a, rule: 'review if ip_mismatch and'}", 1, 45, "expected a condition"),
    ("- {name: a}", 1, 3, "has no rule"),
    ("- {rule: review if first_order}", 1, 3, "has no name"),
    ("- {name: a, rule: review if first_order, when: now}", 1, 42, "unknown key 'when'"),
    (
      "- {name: a, rule: review if first_order}\n- {name: a, rule: block if ip_mismatch}", 2, 3,
      "already used at rules.yaml:1:3"
    ),
    ("rules: [", 2, 1, "not valid YAML or JSON"),
    ("threshold: 3", 1, 1, "expected rules:"),
  ])
  func badRulesSayWhatAndWhere(text: String, line: Int, column: Int, message: String) {
    do {
      _ = try Self.read(text)
      Issue.record("read: \(text)")
    } catch {
      #expect(error.location?.line == line, "\(error)")
      #expect(error.location?.column == column, "\(error)")
      #expect(error.description.contains(message), "\(error)")
      #expect(error.exitStatus == .dataError)
    }
  }

  @Test func anUnknownSignalListsTheValidOnes() {
    #expect {
      _ = try Self.read("- {name: a, rule: review if device_age < 60s}")
    } throws: { error in
      "\(error)".contains("accounts_per_device") && "\(error)".contains("customer.orders_paid")
    }
  }

  @Test func rulesThatCannotFireOrContradictAreWarnedAbout() throws {
    let (_, warnings) = try Self.read(
      """
      - {name: never, rule: review if amount_eur > 500 and amount_eur < 100}
      - {name: negative, rule: review if account_age < 0}
      - {name: share, rule: block if sku_share > 1}
      - {name: two-countries, rule: review if country == DE and country == FR}
      - {name: fine, rule: review if amount_eur >= 100 and amount_eur <= 100}
      - {name: hold-abroad, rule: review if ip_mismatch and amount_eur > 50}
      - {name: pass-abroad, rule: allow if amount_eur > 50 and ip_mismatch}
      """)
    #expect(warnings.count == 5, "\(warnings)")
    #expect(warnings[0].hasPrefix("rules.yaml:1:3: rule 'never' can never fire"))
    #expect(warnings[1].contains("'negative' can never fire"))
    #expect(warnings[2].contains("'share' can never fire"))
    #expect(warnings[3].contains("country cannot be both DE and FR"))
    #expect(
      warnings[4].contains("rules 'hold-abroad' (review) and 'pass-abroad' (allow)")
        && warnings[4].contains("allow wins"))
  }

  @Test func anAllowWinsThenABlockThenAReview() throws {
    let (set, _) = try Self.read(
      """
      - {name: big, rule: review if amount_eur > 100}
      - {name: farm, rule: block if accounts_per_device >= 3}
      - {name: vip, rule: allow if customer.orders_paid >= 10}
      """)
    var order = FraudOrder(
      merchant: "m", customer: "c", email: "c@example.com", country: "DE",
      amountEuroCents: 50_000, mainSKU: "S", largestQuantity: 1, placedAt: 0)
    order.device = "d"
    var signals = FraudSignals()
    #expect(set.decide(order, signals)?.name == "big")
    signals.accountsPerDevice = 3
    #expect(set.decide(order, signals)?.name == "farm")
    signals.customerOrdersPaid = 12
    #expect(set.decide(order, signals)?.name == "vip")
    // A signal not known for the order meets no condition: no device, no device rule.
    order.device = nil
    signals.customerOrdersPaid = 0
    #expect(set.decide(order, signals)?.name == "big")
  }

  @Test func theEngineUsesTheMerchantsThresholdsWhenNoRuleFires() {
    struct Fixed: FraudScorer {
      var thousandths: Int
      func score(_ order: FraudOrder, _ signals: FraudSignals) -> FraudScore {
        FraudScore(thousandths: thousandths, reasons: ["fixed"])
      }
    }
    let order = FraudOrder(
      merchant: "m", customer: "c", email: "c@example.com", country: "DE",
      amountEuroCents: 1_000, mainSKU: "S", largestQuantity: 1, placedAt: 0)
    func action(_ score: Int, _ policy: FraudPolicy?) -> FraudAction {
      FraudEngine(scorer: Fixed(thousandths: score), policies: policy.map { ["m": $0] } ?? [:])
        .decide(order, FraudSignals()).action
    }
    #expect(action(800, nil) == .allow && action(801, nil) == .review)
    #expect(action(999, nil) == .review)
    let strict = FraudPolicy(reviewAt: 500, blockAt: 900)
    #expect(action(500, strict) == .allow && action(501, strict) == .review)
    #expect(action(901, strict) == .block)
  }
}

/// The shipping country's hour, by arithmetic, agrees with the zone database.
struct CountryClockTests {
  @Test func theHourAgreesWithTheZoneDatabaseAcrossSummerTime() {
    let zones = [
      "DE": "Europe/Berlin", "GB": "Europe/London", "FI": "Europe/Helsinki", "PT": "Europe/Lisbon",
      "PL": "Europe/Warsaw", "CH": "Europe/Zurich", "NO": "Europe/Oslo", "GR": "Europe/Athens",
    ]
    var calendar = Calendar(identifier: .gregorian)
    // Every 23 hours for six years from 2022: every hour of the day, around every change.
    for step in stride(from: Int64(1_640_995_200), to: 1_830_000_000, by: 82_800) {
      for (country, zone) in zones {
        calendar.timeZone = TimeZone(identifier: zone)!
        let expected = calendar.component(.hour, from: Date(timeIntervalSince1970: Double(step)))
        #expect(
          FraudSignal.hour(step, country: country) == expected, "\(country) at \(step)")
      }
    }
  }
}
