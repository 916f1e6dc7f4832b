/// How to read a feed: format, dialect, header mapping, and what to stamp on every record.
public struct FeedOptions: Sendable, Equatable {
  /// The format, or `nil` to sniff it from the content.
  public var format: FeedFormat?
  /// The CSV delimiter, or `nil` to sniff it from the header line.
  public var delimiter: UInt8?
  /// The character encoding of delimited files.
  public var encoding: TextEncoding
  /// Header renames applied before attribute lookup: feed column → attribute name.
  public var mapping: [String: String]
  /// Accept `15,00 EUR` as a price (a comma as decimal separator).
  public var decimalComma: Bool
  /// The merchant stamped on records that name none.
  public var merchant: String?
  /// The language stamped on records that name none (ISO 639-1, such as `de`).
  public var language: String?
  /// The currency of prices written without one (Shopify exports carry none).
  public var currency: String?
  /// The shop's address, for the product links a Shopify export lacks:
  /// `https://shop.example` gives `https://shop.example/products/<handle>`.
  public var shopURL: String?
  /// Shopify, WooCommerce and Magento exports: read draft, archived, unpublished and disabled
  /// products too (skipped by default).
  public var includeDrafts = false
  /// The availability of items whose export says none (a Shopify export without an inventory
  /// quantity column): `in_stock`, `out_of_stock`, `preorder` or `backorder`.
  public var availability: String?

  public init(
    format: FeedFormat? = nil, delimiter: UInt8? = nil, encoding: TextEncoding = .utf8,
    mapping: [String: String] = [:], decimalComma: Bool = false, merchant: String? = nil,
    language: String? = nil, currency: String? = nil, shopURL: String? = nil
  ) {
    self.format = format
    self.delimiter = delimiter
    self.encoding = encoding
    self.mapping = mapping
    self.decimalComma = decimalComma
    self.merchant = merchant
    self.language = language
    self.currency = currency
    self.shopURL = shopURL
  }
}

/// The feed formats mkt reads.
public enum FeedFormat: String, Sendable, CaseIterable, Codable {
  /// Merchant Center CSV (any delimiter).
  case csv
  /// Merchant Center tab-separated values.
  case tsv
  /// Merchant Center XML: RSS 2.0 or Atom with the `g:` namespace.
  case xml
  /// A Shopify product export.
  case shopify
  /// A WooCommerce product export.
  case woocommerce
  /// A Magento 2 catalog export.
  case magento

  /// Guesses the format from the first bytes: `<` means XML; a header with `Handle` and
  /// `Variant SKU` or `Title` means Shopify; `Type`, `SKU` and `Regular price` WooCommerce;
  /// `sku`, `store_view_code` and `product_type` Magento; a
  /// tab before any comma means TSV.
  public static func sniff(_ head: ArraySlice<UInt8>) -> FeedFormat {
    var bytes = head
    if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { bytes = bytes.dropFirst(3) }
    let firstLine = bytes.prefix { $0 != UInt8(ascii: "\n") && $0 != UInt8(ascii: "\r") }
    if let first = bytes.first(where: { $0 != 0x20 && $0 != 0x09 && $0 != 0x0A && $0 != 0x0D }),
      first == UInt8(ascii: "<")
    {
      return .xml
    }
    let header = String(decoding: firstLine, as: UTF8.self)
    let names = Set(
      header.split(whereSeparator: { $0 == "," || $0 == "\t" || $0 == ";" })
        .map { CSVHeader.normalize(String($0).replacingQuotes()) })
    if (names.contains("handle") || names.contains("url_handle"))
      && (names.contains("variant_sku") || names.contains("sku") || names.contains("title"))
    {
      return .shopify
    }
    if WooCommerceReader.recognizes(names) { return .woocommerce }
    if MagentoReader.recognizes(names) { return .magento }
    let tab = firstLine.firstIndex(of: 9)
    let comma = firstLine.firstIndex(of: UInt8(ascii: ","))
    if let tab, comma.map({ tab < $0 }) ?? true { return .tsv }
    return .csv
  }
}

extension String {
  fileprivate func replacingQuotes() -> String { filter { $0 != "\"" } }
}
