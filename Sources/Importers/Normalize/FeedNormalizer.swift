import Foundation

/// Turns records into canonical JSON lines: the basis of golden files, so byte-for-byte
/// deterministic whatever the feed's format.
///
/// One object per item, keys sorted; absent attributes left out; list attributes as arrays;
/// `shipping` and `tax` as objects of their parts; prices as `78.99 EUR` with the currency's
/// digits; dates with a time zone in UTC (`2026-11-26T23:00:00Z`); enumerations in Merchant Center's spelling (`in stock` → `in_stock`); strings in
/// Unicode NFC with every run of white space (spaces, tabs, line breaks) as one space, since
/// TSV cannot carry tabs or line breaks and XML text should not depend on indentation; custom
/// attributes under `custom`. Values that do not parse are kept as written.
public struct FeedNormalizer: Sendable {
  public init() {}

  /// The canonical JSON line for `record`, without the trailing newline.
  public func line(for record: ProductRecord) -> String {
    var json = JSONText()
    json.raw(UInt8(ascii: "{"))
    var first = true
    for key in Self.keys {
      guard let attribute = key else {
        guard !record.custom.isEmpty else { continue }
        let custom = record.custom.map { ($0.key, Self.text($0.value)) }.sorted { $0.0 < $1.0 }
        json.key("custom", first: &first)
        json.object(custom)
        continue
      }
      if attribute.isList {
        let values = record.all(attribute)
        guard !values.isEmpty else { continue }
        json.key(attribute.name, first: &first)
        if let parts = attribute.subattributes {
          json.array(values) { json, value in json.object(Self.split(value, into: parts)) }
        } else {
          json.array(values) { json, value in json.string(Self.text(value)) }
        }
      } else {
        // The first value, as `all(_:)` gives it, without building the array.
        let value = record.list(attribute)?.first ?? record[attribute]
        guard !value.isEmpty else { continue }
        json.key(attribute.name, first: &first)
        json.string(Self.canonical(attribute, value))
      }
    }
    json.raw(UInt8(ascii: "}"))
    return json.text
  }

  /// The keys of a line in their order (by name): each attribute, and `nil` for `custom`.
  private static let keys: [Attribute?] = {
    let named = Attribute.allCases.map { ($0.name, Optional($0)) } + [("custom", nil)]
    return named.sorted { $0.0 < $1.0 }.map(\.1)
  }()

  /// The canonical form of one attribute's value.
  static func canonical(_ attribute: Attribute, _ value: String) -> String {
    switch attribute {
    case .price, .salePrice, .costOfGoodsSold:
      if case .success(let price) = FeedPrice.parse(value) { return price.text }
    case .salePriceEffectiveDate:
      let parts = value.split(separator: "/", omittingEmptySubsequences: false)
      let instants = parts.compactMap { FeedSyntax.instant($0, requireZone: true) }
      if parts.count == 2, instants.count == 2 {
        return instants.map(FeedSyntax.utcText).joined(separator: "/")
      }
    case .availabilityDate, .expirationDate:
      // A date stays a date; a date-time with a zone becomes UTC.
      if value.utf8.count > 10, let instant = FeedSyntax.instant(value[...], requireZone: true) {
        return FeedSyntax.utcText(instant)
      }
    default:
      if let allowed = FeedValidator.enumerations.first(where: { $0.0 == attribute })?.1,
        let canonical = FeedValidator.enumerationValue(value, allowed: allowed)
      {
        return canonical
      }
    }
    return text(value)
  }

  /// `DE::Standard:4.95 EUR` → parts by name, sorted, empty parts left out, prices canonical.
  static func split(_ value: String, into names: [String]) -> [(String, String)] {
    let parts = value.split(
      separator: ":", maxSplits: names.count - 1, omittingEmptySubsequences: false)
    var pairs: [(String, String)] = []
    for (index, part) in parts.enumerated() where index < names.count {
      var text = self.text(String(part))
      guard !text.isEmpty else { continue }
      if names[index] == "price", case .success(let price) = FeedPrice.parse(text) {
        text = price.text
      }
      pairs.append((names[index], text))
    }
    return pairs.sorted { $0.0 < $1.0 }
  }

  /// NFC, white-space runs as one space, trimmed.
  static func text(_ value: String) -> String {
    var ascii = true
    var clean = true
    var previousSpace = true
    for byte in value.utf8 {
      if byte >= 0x80 { ascii = false }
      let space = byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
      if space && (previousSpace || byte != 0x20) { clean = false }
      previousSpace = space
    }
    if previousSpace && !value.isEmpty { clean = false }
    var result = value
    if !clean {
      // White space is ASCII, and no byte of a longer character is: runs collapse on bytes.
      var collapsed: [UInt8] = []
      collapsed.reserveCapacity(value.utf8.count)
      var pendingSpace = false
      for byte in value.utf8 {
        if byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D {
          pendingSpace = !collapsed.isEmpty
        } else {
          if pendingSpace { collapsed.append(0x20) }
          pendingSpace = false
          collapsed.append(byte)
        }
      }
      result = String(decoding: collapsed, as: UTF8.self)
    }
    return ascii || isNFCQuick(result) ? result : result.precomposedStringWithCanonicalMapping
  }

  /// Whether the text is NFC by construction.
  ///
  /// True when every scalar is one Unicode marks NFC_Quick_Check=Yes and composes with
  /// nothing: below U+0300 (Latin up to the combining marks), general punctuation from U+2002 (dashes,
  /// quotes) and currency symbols. Such text is already NFC, so Foundation's normaliser (a
  /// third of an import's time on European text) is skipped.
  static func isNFCQuick(_ text: String) -> Bool {
    text.unicodeScalars.allSatisfy { scalar in
      scalar.value < 0x300 || (0x2002...0x206F).contains(scalar.value)
        || (0x20A0...0x20C0).contains(scalar.value)
    }
  }
}
