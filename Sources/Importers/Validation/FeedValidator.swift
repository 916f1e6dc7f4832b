public import MktCore

/// Checks products against the Merchant Center rules, item by item.
///
/// It remembers ids to find duplicates. Each finding is a ``RowIssue`` with a rule id, a severity (an error rejects the
/// item, a warning keeps it), the field, and the offending value (truncated).
public struct FeedValidator: Sendable {
  /// Accept `15,00 EUR` as a price.
  public var decimalComma: Bool
  /// Whether to remember ids to report duplicates (`duplicate-id`).
  ///
  /// An import into a catalog where the feed's merchants have no products turns it off and lets
  /// the database's unique key find them instead, so memory stays flat at millions of items.
  public var tracksIDs = true
  private var seen = IDSet()

  public init(decimalComma: Bool = false) {
    self.decimalComma = decimalComma
  }

  /// The rule ids this validator reports, with their severity, for documentation and tests.
  public static let rules: [(id: String, severity: RowIssue.Severity, summary: String)] = [
    ("required", .error, "id, title, description, link, image_link, availability, price"),
    ("too-long", .error, "longer than Merchant Center allows"),
    ("invalid-price", .error, "not '15.00 EUR': amount, a space, an ISO 4217 code"),
    ("sale-above-price", .error, "sale_price is higher than price"),
    ("currency-mismatch", .error, "sale_price and price in different currencies"),
    ("invalid-date", .error, "not an ISO 8601 date or interval (with time zone)"),
    ("invalid-value", .error, "not one of the values the attribute allows"),
    ("invalid-gtin", .error, "wrong length, check digit or a reserved prefix"),
    ("invalid-url", .error, "not an absolute http(s) URL"),
    ("duplicate-id", .error, "the id appeared earlier in the feed"),
    ("ragged-row", .error, "a CSV row with more or fewer fields than the header"),
    ("control-character", .error, "a NUL or other control character inside a value"),
    ("invalid-shipping", .error, "shipping is not country:region:service:price"),
    ("too-many-values", .warning, "more values than Merchant Center reads"),
    ("missing-brand", .warning, "a new product without brand"),
    ("missing-identifier", .warning, "a new product with neither gtin nor mpn"),
    ("missing-availability-date", .warning, "preorder or backorder without availability_date"),
    ("repeated-attribute", .warning, "a single-valued attribute given more than once"),
  ]

  /// The findings for one record, in attribute order.
  public mutating func validate(_ record: ProductRecord) -> [RowIssue] {
    if record.readIssues.contains(where: { $0.rule == "ragged-row" }) {
      // The cells are misaligned: any other finding would be noise. The id still counts.
      remember(record)
      return record.readIssues
    }
    var findings = Findings(record: record, issues: record.readIssues)
    checkControlCharacters(record, &findings)
    checkRequired(record, &findings)
    checkLengths(record, &findings)
    checkRepetitions(record, &findings)
    checkPrices(record, &findings)
    checkDates(record, &findings)
    checkEnumerations(record, &findings)
    checkIdentifiers(record, &findings)
    checkURLs(record, &findings)
    checkShipping(record, &findings)

    // Duplicates.
    if !remember(record) {
      findings.report(
        .id, "duplicate-id", "the id \(record.id) appeared earlier in the feed", record.id)
    }
    return findings.issues
  }

  /// A record's findings so far, and how to add one located at one of its attributes.
  private struct Findings {
    let record: ProductRecord
    var issues: [RowIssue]

    /// Adds a finding about `attribute`, with `value` cut to 120 characters.
    mutating func report(
      _ attribute: Attribute, _ rule: String, _ message: String, _ value: String? = nil,
      _ severity: RowIssue.Severity = .error
    ) {
      var location = record.location
      location.field = attribute.name
      location.id = record.id.isEmpty ? nil : record.id
      location.item = record.item
      location.column = record.column(of: attribute)
      issues.append(
        RowIssue(
          location: location, rule: rule, message: message,
          rawValue: value.map { $0.count > 120 ? String($0.prefix(120)) + "…" : $0 },
          severity: severity))
    }
  }

  /// Control characters, in single values and in the further values of lists.
  private func checkControlCharacters(_ record: ProductRecord, _ findings: inout Findings) {
    // By index: `enumerated()` retained and released each of the 62 values per item.
    for index in record.values.indices where Self.hasControlCharacter(record.values[index]) {
      let attribute = Attribute.allCases[index]
      findings.report(
        attribute, "control-character",
        "\(attribute.name) contains a control character (such as NUL); it is never cut there",
        record.values[index])
    }
    for entry in record.lists {
      for value in entry.values.dropFirst() where Self.hasControlCharacter(value) {
        findings.report(
          entry.attribute, "control-character",
          "\(entry.attribute.name) contains a control character (such as NUL)", value)
      }
    }
  }

  /// The attributes every item needs.
  private func checkRequired(_ record: ProductRecord, _ findings: inout Findings) {
    for attribute in Self.requiredAttributes where record[attribute].isEmpty {
      findings.report(attribute, "required", "\(attribute.name) is required")
    }
  }

  /// Values longer than Merchant Center allows.
  private func checkLengths(_ record: ProductRecord, _ findings: inout Findings) {
    for (attribute, limit) in Self.lengthLimits {
      // Characters never outnumber UTF-8 bytes: count characters only for long values.
      record.forEach(attribute) { value in
        if value.utf8.count > limit, value.count > limit {
          findings.report(
            attribute, "too-long",
            "\(attribute.name) has \(value.count) characters; at most \(limit)", value)
        }
      }
    }
  }

  /// Single attributes given more than once, and more additional images than are read.
  private func checkRepetitions(_ record: ProductRecord, _ findings: inout Findings) {
    for entry in record.lists where !entry.attribute.isList && entry.values.count > 1 {
      findings.report(
        entry.attribute, "repeated-attribute",
        "\(entry.attribute.name) is given \(entry.values.count) times; the first is used", nil,
        .warning)
    }
    if let images = record.list(.additionalImageLink), images.count > 10 {
      findings.report(
        .additionalImageLink, "too-many-values",
        "\(images.count) additional images; Merchant Center reads 10", nil, .warning)
    }
  }

  /// Prices: each parses, and a sale price is in the price's currency and not above it.
  private func checkPrices(_ record: ProductRecord, _ findings: inout Findings) {
    var price: FeedPrice?
    for attribute in [Attribute.price, .salePrice, .costOfGoodsSold]
    where !record[attribute].isEmpty {
      switch FeedPrice.parse(record[attribute], decimalComma: decimalComma) {
      case .success(let parsed):
        if attribute == .price { price = parsed }
        if attribute == .salePrice, let price {
          if parsed.currency != price.currency {
            findings.report(
              .salePrice, "currency-mismatch",
              "sale_price is in \(parsed.currency), price in \(price.currency)", record[attribute])
          } else if parsed.minorUnits > price.minorUnits {
            findings.report(
              .salePrice, "sale-above-price",
              "sale_price \(parsed.text) is higher than price \(price.text)", record[attribute])
          }
        }
      case .failure(let problem):
        findings.report(attribute, "invalid-price", problem.message, record[attribute])
      }
    }
  }

  /// Dates: the sale's start/end interval, and the availability and expiration dates.
  private func checkDates(_ record: ProductRecord, _ findings: inout Findings) {
    let interval = record[.salePriceEffectiveDate]
    if !interval.isEmpty {
      let parts = interval.split(separator: "/", omittingEmptySubsequences: false)
      let instants = parts.map { FeedSyntax.instant($0, requireZone: true) }
      if parts.count != 2 || instants.contains(where: { $0 == nil }) {
        findings.report(
          .salePriceEffectiveDate, "invalid-date",
          "sale_price_effective_date is start/end in ISO 8601 with time zone, such as "
            + "2026-11-27T00:00+01:00/2026-11-30T23:59+01:00", interval)
      } else if let start = instants[0], let end = instants[1], start >= end {
        findings.report(
          .salePriceEffectiveDate, "invalid-date", "the sale ends before it starts", interval)
      }
    }
    for attribute in [Attribute.availabilityDate, .expirationDate] where !record[attribute].isEmpty
    {
      if FeedSyntax.instant(record[attribute][...], requireZone: false) == nil {
        findings.report(
          attribute, "invalid-date", "\(attribute.name) is not an ISO 8601 date", record[attribute])
      }
    }
  }

  /// Enumerations: allowed values, and a date for preorder and backorder items.
  private func checkEnumerations(_ record: ProductRecord, _ findings: inout Findings) {
    for (attribute, allowed) in Self.enumerations where !record[attribute].isEmpty {
      if Self.enumerationValue(record[attribute], allowed: allowed) == nil {
        findings.report(
          attribute, "invalid-value",
          "\(attribute.name) must be one of \(allowed.joined(separator: ", "))", record[attribute])
      }
    }
    let availability = Self.enumerationValue(record[.availability], allowed: Self.availabilities)
    if availability == "preorder" || availability == "backorder", record[.availabilityDate].isEmpty
    {
      findings.report(
        .availabilityDate, "missing-availability-date",
        "a \(availability ?? "") item should say when it is available", nil, .warning)
    }
  }

  /// Identifiers: valid GTINs, and a brand and a gtin or mpn on new products that have them.
  private func checkIdentifiers(_ record: ProductRecord, _ findings: inout Findings) {
    record.forEach(.gtin) { gtin in
      if let problem = GTIN.problem(gtin) {
        findings.report(.gtin, "invalid-gtin", problem.message, gtin)
      }
    }
    let condition = record[.condition]
    let identifierExists = record[.identifierExists]
    if condition.isEmpty || condition.lowercased() == "new",
      identifierExists.isEmpty || !["no", "false"].contains(identifierExists.lowercased())
    {
      if record[.brand].isEmpty {
        findings.report(.brand, "missing-brand", "new products need a brand", nil, .warning)
      }
      if record[.gtin].isEmpty && record[.mpn].isEmpty {
        findings.report(
          .gtin, "missing-identifier", "new products need a gtin or an mpn", nil, .warning)
      }
    }
  }

  /// URLs: links and image links are absolute http(s) URLs.
  private func checkURLs(_ record: ProductRecord, _ findings: inout Findings) {
    for attribute in [Attribute.link, .imageLink, .mobileLink, .additionalImageLink] {
      record.forEach(attribute) { value in
        if !FeedSyntax.isWebURL(value) {
          findings.report(
            attribute, "invalid-url", "\(attribute.name) is not an http(s) URL", value)
        }
      }
    }
  }

  /// Shipping: each entry is country:region:service:price.
  private func checkShipping(_ record: ProductRecord, _ findings: inout Findings) {
    record.forEach(.shipping) { value in
      let parts = value.split(separator: ":", omittingEmptySubsequences: false)
      let price = parts.count >= 4 ? String(parts[3]) : ""
      if parts.count < 4 || CountryCode(parts[0]) == nil && parts[0].count != 2
        || (!price.isEmpty
          && (try? FeedPrice.parse(price, decimalComma: decimalComma).get()) == nil)
      {
        findings.report(
          .shipping, "invalid-shipping",
          "shipping is country:region:service:price, such as DE::Standard:4.95 EUR", value)
      }
    }
  }

  /// Notes a record's id without validating it (an import's fast path for unchanged rows);
  /// `false` if the feed had the id before, and then ``validate(_:)`` must report it.
  public mutating func noteID(_ record: ProductRecord) -> Bool {
    remember(record)
  }

  /// Records the id; returns `false` if the feed had it before.
  @discardableResult
  private mutating func remember(_ record: ProductRecord) -> Bool {
    !tracksIDs || record.id.isEmpty || seen.insert(record.id)
  }

  /// C0 controls other than tab, line feed and carriage return, and DEL.
  static func hasControlCharacter(_ value: String) -> Bool {
    func scan(_ bytes: some Sequence<UInt8>) -> Bool {
      for byte in bytes where byte < 0x20 || byte == 0x7F {
        if byte != 0x09 && byte != 0x0A && byte != 0x0D { return true }
      }
      return false
    }
    // Native strings are contiguous: read in place, without the copy `withUTF8` may make.
    return value.utf8.withContiguousStorageIfAvailable(scan) ?? scan(value.utf8)
  }

  static let requiredAttributes: [Attribute] = [
    .id, .title, .description, .link, .imageLink, .availability, .price,
  ]

  static let lengthLimits: [(Attribute, Int)] = [
    (.id, 50), (.title, 150), (.description, 5000), (.link, 2000), (.imageLink, 2000),
    (.additionalImageLink, 2000), (.mobileLink, 2000), (.brand, 70), (.gtin, 50), (.mpn, 70),
    (.productType, 750), (.googleProductCategory, 750), (.color, 100), (.size, 100),
    (.material, 200), (.pattern, 100), (.itemGroupID, 50), (.shippingLabel, 100),
    (.customLabel0, 100), (.customLabel1, 100), (.customLabel2, 100), (.customLabel3, 100),
    (.customLabel4, 100),
  ]

  static let availabilities = ["in_stock", "out_of_stock", "preorder", "backorder"]

  static let enumerations: [(Attribute, [String])] = [
    (.availability, availabilities), (.condition, ["new", "refurbished", "used"]),
    (.ageGroup, ["newborn", "infant", "toddler", "kids", "adult"]),
    (.gender, ["male", "female", "unisex"]), (.identifierExists, ["yes", "no"]),
    (.adult, ["yes", "no"]), (.isBundle, ["yes", "no"]),
  ]

  /// The canonical value: lower case, spaces as underscores, `true`/`false` as `yes`/`no`;
  /// `nil` if it is not allowed.
  static func enumerationValue(_ raw: String, allowed: [String]) -> String? {
    if allowed.contains(raw) { return raw }
    var value = raw.lowercased().replacingSpaces()
    if value == "true" { value = "yes" } else if value == "false" { value = "no" }
    return allowed.contains(value) ? value : nil
  }
}

extension String {
  fileprivate func replacingSpaces() -> String {
    String(map { $0 == " " ? "_" : $0 })
  }
}
