internal import CLibXML2
import MktCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads Google Merchant Center XML — RSS 2.0 `<rss><channel><item>` or Atom `<feed><entry>` —
/// through libxml2's SAX2 push parser: the feed goes in 64 KiB at a time, each item comes out
/// as a record (``MerchantXMLItems``), and no tree is ever built.
///
/// Attributes are the children of an item in the Google namespace
/// `http://base.google.com/ns/1.0` under any prefix, or unprefixed. Untrusted input is read with
/// `XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT` only (no entity substitution, no
/// DTD loading, libxml2's depth and size limits on, an element's text capped at 10 MB), and a
/// document with a DOCTYPE or an entity reference is refused before anything of it is used
/// (RELIABILITY.md §3).
public final class MerchantXMLReader {
  static let googleNamespace = "http://base.google.com/ns/1.0"
  static let atomNamespace = "http://www.w3.org/2005/Atom"
  /// Bytes pushed into the parser at a time.
  static let chunkSize = 64 << 10

  private let source: ByteSource
  private let items: MerchantXMLItems
  private var parser: xmlParserCtxtPtr?
  private var chunk = [UInt8](repeating: 0, count: MerchantXMLReader.chunkSize)
  private var started = false
  private var finished = false
  /// The item read last, for ``next(into:)``.
  private var text = XMLItemText()

  /// The source's name, for messages.
  public var name: String { source.name }
  /// Bytes read so far, for progress.
  public var bytesRead: Int { source.bytesRead }

  /// Prepares to read `source`; nothing is parsed until ``next()``.
  public init(source: ByteSource, options: FeedOptions) throws {
    self.source = source
    Self.initialize
    items = MerchantXMLItems(file: source.name, options: options)
  }

  deinit {
    if let parser { xmlFreeParserCtxt(parser) }
  }

  /// libxml2's global set-up, once per process: its parser state, and a global error handler
  /// that keeps libxml2 from printing to standard error itself.
  private static let initialize: Void = {
    xmlInitParser()
    xmlSetStructuredErrorFunc(nil) { _, _ in }
  }()

  /// Refuses a DOCTYPE in the feed's first bytes before libxml2 sees any of it, pointing at
  /// where it starts (libxml2 itself reports it only once the whole declaration is read).
  static func refuseDoctype(in head: [UInt8], file: String) throws {
    let marker = Array("<!DOCTYPE".utf8)
    guard head.count >= marker.count else { return }
    for start in 0...(head.count - marker.count) where head[start] == marker[0] {
      guard head[start..<start + marker.count].elementsEqual(marker) else { continue }
      let before = head[..<start]
      let line = before.count { $0 == UInt8(ascii: "\n") } + 1
      let lineStart = before.lastIndex(of: UInt8(ascii: "\n")).map { $0 + 1 } ?? 0
      let column = String(decoding: head[lineStart..<start], as: UTF8.self).count + 1
      throw FeedError.forbiddenXML(
        InputLocation(file: file, line: line, column: column), construct: "a DOCTYPE declaration")
    }
  }

  /// The next item as a record, or `nil` after the last.
  ///
  /// - Throws: ``FeedError`` for malformed XML (with line and column), a DOCTYPE or entity
  ///   reference, or a root that is not `<rss>` or `<feed>`; ``SourceError`` for read failures.
  public func next() throws -> ProductRecord? {
    var record = ProductRecord(location: InputLocation(), item: 0)
    return try next(into: &record) ? record : nil
  }

  /// Reads the next item into `record`, reusing its storage; `false` after the last.
  public func next(into record: inout ProductRecord) throws -> Bool {
    guard try next(text: &text) else { return false }
    text.fill(&record, options: items.options)
    return true
  }

  /// The feed's options, which ``XMLItemText/fill(_:options:)`` applies.
  var options: FeedOptions { items.options }

  /// Reads the next item's text into `item`, reusing its storage; `false` after the last.
  func next(text item: inout XMLItemText) throws -> Bool {
    while true {
      if items.take(into: &item) { return true }
      if let failure = items.failure {
        finished = true
        throw failure
      }
      guard !finished else { return false }
      try push()
    }
  }

  /// Reads the next chunk of the feed and parses it; at the end, finishes the document.
  private func push() throws {
    let count: Int
    do {
      count = try chunk.withUnsafeMutableBytes { buffer in
        guard let base = buffer.baseAddress else { return 0 }
        return try source.read(into: base, capacity: buffer.count)
      }
    } catch {
      finished = true
      throw error
    }
    let parser = try self.parser ?? start()
    let status = chunk.withUnsafeBufferPointer { buffer in
      buffer.withMemoryRebound(to: CChar.self) {
        xmlParseChunk(parser, $0.baseAddress, Int32(count), count == 0 ? 1 : 0)
      }
    }
    guard count == 0 else { return }
    finished = true
    if items.failure == nil && items.isInsideItem {
      items.fail(.malformedXML(items.here(), message: "the document ends inside an item"))
    } else if items.failure == nil && status != 0 {
      items.fail(.malformedXML(items.here(), message: "the XML parser stopped"))
    }
  }

  /// Creates the push parser, with this reader's callbacks and options.
  private func start() throws -> xmlParserCtxtPtr {
    var handler = xmlSAXHandler()
    handler.initialized = XML_SAX2_MAGIC
    handler.startElementNs = { context, localName, _, uri, _, _, attributeCount, _, attributes in
      MerchantXMLReader.with(context) {
        $0.start(localName, uri: uri, attributes: attributes, attributeCount: Int(attributeCount))
      }
    }
    handler.endElementNs = { context, _, _, _ in MerchantXMLReader.with(context) { $0.end() } }
    handler.characters = { context, bytes, count in
      MerchantXMLReader.with(context) { $0.characters(bytes, count: Int(count)) }
    }
    handler.ignorableWhitespace = handler.characters
    handler.cdataBlock = handler.characters
    handler.internalSubset = { context, _, _, _ in
      MerchantXMLReader.with(context) {
        $0.fail(.forbiddenXML($0.here(), construct: "a DOCTYPE declaration"))
      }
    }
    handler.reference = { context, name in
      let entity = name.map { String(cString: $0) } ?? ""
      MerchantXMLReader.with(context) {
        $0.fail(.forbiddenXML($0.here(), construct: "an entity reference (&\(entity);)"))
      }
    }
    handler.serror = { context, error in
      guard let error else { return }
      MerchantXMLReader.with(context) { items in
        if let failure = FeedError.libxml2(error.pointee, file: items.file) { items.fail(failure) }
      }
    }
    let context = Unmanaged.passUnretained(items).toOpaque()
    guard let parser = xmlCreatePushParserCtxt(&handler, context, nil, 0, source.name) else {
      throw FeedError.malformedXML(
        InputLocation(file: source.name), message: "libxml2 refused to start")
    }
    _ = xmlCtxtUseOptions(
      parser,
      Int32(XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue))
    items.context = parser
    self.parser = parser
    return parser
  }

  /// Runs `body` on the items behind a callback's user data, without retaining them (the
  /// reader holds them for as long as the parser runs): three callbacks per element.
  private static func with(
    _ context: UnsafeMutableRawPointer?, _ body: (MerchantXMLItems) -> Void
  ) {
    guard let context else { return }
    Unmanaged<MerchantXMLItems>.fromOpaque(context)._withUnsafeGuaranteedRef(body)
  }
}
