import MktCore

/// Validation of merchant fields, shared by `merchant add` (flags) and `merchant import` (CSV).
enum MerchantFields {
  /// The columns a merchants CSV may have, in canonical order.
  static let columns = ["id", "name", "country", "currency", "prices", "domain"]

  static func id(_ raw: String, at location: InputLocation) -> Result<String, RowIssue> {
    let id = String(raw.trimmingSpaces)
    let allowed = id.unicodeScalars.allSatisfy {
      ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0)
        || $0 == "." || $0 == "_" || $0 == "-"
    }
    guard let first = id.unicodeScalars.first, allowed, id.count <= 64,
      first != ".", first != "_", first != "-"
    else {
      return .failure(
        issue(
          location, "id", "invalid-id",
          id.isEmpty ? "the merchant id is empty" : "invalid merchant id \(quoted(id))", raw))
    }
    return .success(id)
  }

  static func name(_ raw: String, at location: InputLocation) -> Result<String, RowIssue> {
    let name = String(raw.trimmingSpaces)
    if name.isEmpty {
      return .failure(issue(location, "name", "missing-name", "the merchant name is empty", raw))
    }
    if name.count > 200 {
      return .failure(
        issue(location, "name", "name-too-long", "the name has \(name.count) characters", raw))
    }
    if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
      return .failure(
        issue(location, "name", "control-character", "the name contains a control character", raw))
    }
    return .success(name)
  }

  static func country(_ raw: String, at location: InputLocation) -> Result<CountryCode, RowIssue> {
    guard let code = CountryCode(raw) else {
      return .failure(
        issue(location, "country", "unknown-country", "unknown country \(quoted(raw))", raw))
    }
    return .success(code)
  }

  static func currency(_ raw: String, at location: InputLocation) -> Result<CurrencyCode, RowIssue>
  {
    guard let code = CurrencyCode(raw) else {
      return .failure(
        issue(location, "currency", "unknown-currency", "unknown currency \(quoted(raw))", raw))
    }
    return .success(code)
  }

  static func priceBasis(_ raw: String, at location: InputLocation) -> Result<PriceBasis, RowIssue>
  {
    guard let basis = PriceBasis(rawValue: raw.trimmingSpaces.lowercased()) else {
      return .failure(
        issue(
          location, "prices", "invalid-prices", "prices must be gross or net, not \(quoted(raw))",
          raw))
    }
    return .success(basis)
  }

  static func domain(_ raw: String, at location: InputLocation) -> Result<String, RowIssue> {
    let domain = raw.trimmingSpaces.lowercased()
    let labels = domain.split(separator: ".", omittingEmptySubsequences: false)
    let valid =
      domain.count <= 253 && labels.count >= 2
      && labels.allSatisfy { label in
        !label.isEmpty && label.count <= 63 && label.first != "-" && label.last != "-"
          && label.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
          }
      }
    guard valid else {
      return .failure(
        issue(location, "domain", "invalid-domain", "invalid domain \(quoted(raw))", raw))
    }
    return .success(domain)
  }

  static func hint(forRule rule: String) -> String? {
    switch rule {
    case "invalid-id":
      "use 1–64 letters, digits, '.', '_' or '-', starting with a letter or digit"
    case "unknown-country": "use one of the 25 countries: \(CountryCode.validList)"
    case "unknown-currency": "use one of: \(CurrencyCode.validList)"
    case "invalid-prices": "write gross (prices include VAT) or net"
    case "invalid-domain": "write the host name only, e.g. acme-shop.de (no https://, no path)"
    case "missing-name", "name-too-long", "control-character":
      "give the shop's display name, up to 200 characters"
    default: nil
    }
  }

  private static func issue(
    _ location: InputLocation, _ field: String, _ rule: String, _ message: String, _ raw: String
  ) -> RowIssue {
    var location = location
    location.field = field
    if location.column == nil, location.line != nil {
      location.column = columns.firstIndex(of: field).map { $0 + 1 }
    }
    return RowIssue(location: location, rule: rule, message: message, rawValue: raw)
  }

  private static func quoted(_ text: String) -> String { "'\(text)'" }
}
