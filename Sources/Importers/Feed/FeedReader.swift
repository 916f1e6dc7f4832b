import MktCore

/// Reads any feed mkt knows — Merchant Center CSV, TSV or XML, or a Shopify export — as a
/// stream of ``ProductRecord``s; the format comes from the options or is sniffed from the
/// first bytes.
public final class FeedReader {
  /// The format being read.
  public let format: FeedFormat
  private let backend: Backend
  private let source: ByteSource

  private enum Backend {
    case delimited(ProductCSVReader)
    case xml(MerchantXMLReader)
    case shopify(ShopifyReader)
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
    }
  }

  /// The name of the input, as given.
  public var name: String { source.name }
  /// Bytes read so far, for progress.
  public var bytesRead: Int { source.bytesRead }

  /// Reads the next record into `record`, reusing its storage where the format allows;
  /// `false` at the end.
  public func next(into record: inout ProductRecord) throws -> Bool {
    if case .delimited(let reader) = backend { return try reader.next(into: &record) }
    if case .xml(let reader) = backend { return try reader.next(into: &record) }
    guard let next = try next() else { return false }
    record = next
    return true
  }

  /// The next record, or `nil` at the end.
  public func next() throws -> ProductRecord? {
    switch backend {
    case .delimited(let reader): try reader.next()
    case .xml(let reader): try reader.next()
    case .shopify(let reader): try reader.next()
    }
  }
}
