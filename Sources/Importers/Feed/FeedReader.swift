import MktCore

/// Reads any feed mkt knows — Merchant Center CSV, TSV or XML, or a Shopify, WooCommerce or
/// Magento export — as a stream of ``ProductRecord``s; the format comes from the options or is
/// sniffed from the first bytes.
public final class FeedReader {
  /// The format being read.
  public let format: FeedFormat
  private let backend: Backend
  private let source: ByteSource

  private enum Backend {
    case delimited(ProductCSVReader)
    case xml(MerchantXMLReader)
    case shopify(ShopifyReader)
    case woocommerce(WooCommerceReader)
    case magento(MagentoReader)
  }

  /// Opens `path` (`-` for standard input) and reads enough to know its format and header.
  ///
  /// - Parameters:
  ///   - path: The file.
  ///   - name: What locations call the input (a URL downloaded to `path`), if not `path`.
  ///   - options: How to read it.
  /// - Throws: ``SourceError`` (66, 74), ``CSVError`` or ``FeedError`` (65).
  public convenience init(path: String, name: String? = nil, options: FeedOptions = FeedOptions())
    throws
  {
    try self.init(source: ByteSource(path: path, name: name), options: options)
  }

  /// Reads an already opened source (bytes in memory, for tests and fuzzers).
  public init(source: ByteSource, options: FeedOptions = FeedOptions()) throws {
    self.source = source
    let head = try source.peek(8192)
    let format = options.format ?? FeedFormat.sniff(head[...])
    self.format = format
    switch format {
    case .csv, .tsv:
      var options = options
      options.format = format
      backend = .delimited(try ProductCSVReader(source: source, options: options))
    case .xml:
      try MerchantXMLReader.refuseDoctype(in: head, file: source.name)
      backend = .xml(try MerchantXMLReader(source: source, options: options))
    case .shopify: backend = .shopify(try ShopifyReader(source: source, options: options))
    case .woocommerce:
      backend = .woocommerce(try WooCommerceReader(source: source, options: options))
    case .magento: backend = .magento(try MagentoReader(source: source, options: options))
    }
  }

  /// The Merchant Center XML reader behind this one, if the feed is XML.
  var xml: MerchantXMLReader? {
    if case .xml(let reader) = backend { reader } else { nil }
  }

  /// The name of the input, as given.
  public var name: String { source.name }
  /// Bytes read so far, for progress.
  public var bytesRead: Int { source.bytesRead }

  /// Reads the next record into `record`, reusing its storage where the format allows;
  /// `false` at the end.
  ///
  /// The id is in Unicode's composed form (NFC): `café` typed composed or decomposed is one id.
  public func next(into record: inout ProductRecord) throws -> Bool {
    let more: Bool
    switch backend {
    case .delimited(let reader): more = try reader.next(into: &record)
    case .xml(let reader): more = try reader.next(into: &record)
    case .shopify(let reader):
      guard let next = try reader.next() else { return false }
      record = next
      more = true
    case .woocommerce(let reader):
      guard let next = try reader.next() else { return false }
      record = next
      more = true
    case .magento(let reader):
      guard let next = try reader.next() else { return false }
      record = next
      more = true
    }
    if more { record.composeID() }
    return more
  }

  /// Draft, archived, unpublished or disabled products passed over so far (without
  /// `--include-drafts`).
  public var skippedDrafts: Int {
    switch backend {
    case .shopify(let reader): reader.skippedDrafts
    case .woocommerce(let reader): reader.skippedDrafts
    case .magento(let reader): reader.skippedDrafts
    default: 0
    }
  }

  /// The next record, or `nil` at the end; its id composed as ``next(into:)`` says.
  public func next() throws -> ProductRecord? {
    var record: ProductRecord?
    switch backend {
    case .delimited(let reader): record = try reader.next()
    case .xml(let reader): record = try reader.next()
    case .shopify(let reader): record = try reader.next()
    case .woocommerce(let reader): record = try reader.next()
    case .magento(let reader): record = try reader.next()
    }
    record?.composeID()
    return record
  }
}
