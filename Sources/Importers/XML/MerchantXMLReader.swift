internal import CLibXML2
import MktCore

#if canImport(Glibc)
import Glibc
#endif

/// Reads Google Merchant Center XML — RSS 2.0 `<rss><channel><item>` or Atom `<feed><entry>` —
/// with libxml2's streaming `xmlTextReader`: one item in memory at a time, never a DOM.
///
/// Attributes are the children of an item in the Google namespace
/// `http://base.google.com/ns/1.0` under any prefix, or unprefixed. Untrusted input is read with
/// `XML_PARSE_NONET | XML_PARSE_NOCDATA | XML_PARSE_COMPACT` only (no entity substitution, no
/// DTD loading, libxml2's depth and size limits on), and a document with a DOCTYPE or an entity
/// reference is refused before anything of it is used (RELIABILITY.md §3).
public final class MerchantXMLReader {
  static let googleNamespace = "http://base.google.com/ns/1.0"
  static let atomNamespace = "http://www.w3.org/2005/Atom"

  private let source: ByteSource
  private let options: FeedOptions
  private let box: SourceBox
  private var reader: xmlTextReaderPtr?
  private var errors: ErrorBox
  private var item = 0
  private var itemName: String?
  private var finished = false
  private var names: [UnsafeRawPointer: Name] = [:]
  private var recent = [(key: UnsafeRawPointer?, name: Name?)](repeating: (nil, nil), count: 64)
  private var namespaces: [UnsafeRawPointer: Namespace] = [:]

  /// The source's name, for messages.
  public var name: String { source.name }
  /// Bytes read so far, for progress.
  public var bytesRead: Int { source.bytesRead }

  /// Prepares to read `source`; nothing is parsed until ``next()``.
  public init(source: ByteSource, options: FeedOptions) throws {
    self.source = source
    self.options = options
    Self.initialize
    box = SourceBox(source: source)
    errors = ErrorBox()
    let context = Unmanaged.passUnretained(box).toOpaque()
    let parserOptions = Int32(
      XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
    reader = xmlReaderForIO(
      { context, buffer, length in
        guard let context, let buffer, length > 0 else { return -1 }
        let box = Unmanaged<SourceBox>.fromOpaque(context).takeUnretainedValue()
        return box.read(into: buffer, length: Int(length))
      }, nil, context, source.name, nil, parserOptions)
    guard let reader else {
      throw FeedError.malformedXML(
        InputLocation(file: source.name), message: "libxml2 refused to start")
    }
    xmlTextReaderSetStructuredErrorHandler(
      reader,
      { context, error in
        guard let context, let error else { return }
        let box = Unmanaged<ErrorBox>.fromOpaque(context).takeUnretainedValue()
        box.record(error.pointee)
      }, Unmanaged.passUnretained(errors).toOpaque())
  }

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

  deinit {
    if let reader { xmlFreeTextReader(reader) }
  }

  /// libxml2's global set-up, once per process: its parser state, and a global error handler
  /// that keeps libxml2 from printing to standard error itself.
  private static let initialize: Void = {
    xmlInitParser()
    xmlSetStructuredErrorFunc(nil) { _, _ in }
  }()

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
    guard !finished, let reader else { return false }
    var inItem = false
    var itemDepth = -1
    var field: Name?
    var fieldDepth = -1
    var fieldText = ""
    var group: [String: String]?
    var groupKey: String?
    var groupText = ""
    var atomID = ""

    while true {
      let status = xmlTextReaderRead(reader)
      if status == 0 {
        finished = true
        if inItem { throw malformed("the document ends inside an item") }
        try checkErrors()
        return false
      }
      if status < 0 {
        finished = true
        try box.rethrow()
        try checkErrors()
        throw malformed("the XML parser stopped")
      }
      if errors.first != nil { try checkErrors() }
      let type = xmlTextReaderNodeType(reader)
      switch type {
      case 10:  // DOCUMENT_TYPE
        throw forbidden("a DOCTYPE declaration")
      case 5:  // ENTITY_REFERENCE: a user entity that would be dropped or expanded
        throw forbidden("an entity reference (&\(text(xmlTextReaderConstName(reader)));)")
      case 1:  // ELEMENT
        let depth = Int(xmlTextReaderDepth(reader))
        let name = self.name(xmlTextReaderConstLocalName(reader))
        let empty = xmlTextReaderIsEmptyElement(reader) == 1
        if depth == 0 {
          guard name.local == "rss" || name.local == "feed" else {
            throw FeedError.notAMerchantFeed(here(), root: name.local)
          }
          itemName = name.local == "rss" ? "item" : "entry"
        } else if !inItem {
          if name.local == itemName, depth == (itemName == "item" ? 2 : 1) {
            item += 1
            record.reset(location: here(), item: item)
            inItem = true
            itemDepth = depth
            atomID = ""
            if empty { return finish(&record, atomID: atomID) }
          }
        } else if depth == itemDepth + 1 {
          let namespace = self.namespace(xmlTextReaderConstNamespaceUri(reader))
          field = Name(local: name.local, attribute: name.attribute, namespace: namespace)
          fieldDepth = depth
          fieldText = ""
          if name.local == "link", namespace == .atom, let href = attribute("href", reader: reader)
          {
            fieldText = href
          }
          group = name.attribute?.subattributes != nil ? [:] : nil
          if empty {
            commit(&record, field: field, text: fieldText, group: group, atomID: &atomID)
            field = nil
            group = nil
          }
        } else if depth == itemDepth + 2, group != nil {
          groupKey = empty ? nil : name.local
          groupText = ""
        }
      case 3, 4, 13, 14:  // TEXT, CDATA, WHITESPACE, SIGNIFICANT_WHITESPACE
        if groupKey != nil {
          groupText += text(xmlTextReaderConstValue(reader))
        } else if field != nil {
          fieldText += text(xmlTextReaderConstValue(reader))
        }
      case 15:  // END_ELEMENT
        guard inItem else { continue }
        let depth = Int(xmlTextReaderDepth(reader))
        if let key = groupKey, depth == itemDepth + 2 {
          group?[key] = String(groupText.trimmingSpaces)
          groupKey = nil
        } else if field != nil, depth == fieldDepth {
          commit(&record, field: field, text: fieldText, group: group, atomID: &atomID)
          field = nil
          group = nil
        } else if depth == itemDepth {
          return finish(&record, atomID: atomID)
        }
      default:
        continue
      }
    }
  }

  /// An element's local name, the attribute it names, and its namespace.
  struct Name {
    var local: String
    var attribute: Attribute?
    var namespace: Namespace = .none
  }

  enum Namespace {
    case none, google, atom, other
  }

  /// Adds one finished child element of an item to the record.
  private func commit(
    _ record: inout ProductRecord, field: Name?, text: String, group: [String: String]?,
    atomID: inout String
  ) {
    guard let field else { return }
    let value = ProductCSVReader.trimmed(text)
    var attribute = field.attribute
    switch field.namespace {
    case .google, .none: break
    case .atom:
      if field.local == "id" {
        atomID = value
        return
      }
      if field.local == "summary" || field.local == "content" { attribute = .description }
    case .other: attribute = nil
    }
    guard let attribute else {
      if !value.isEmpty { record.custom[field.local] = value }
      return
    }
    if attribute.subattributes != nil, let group {
      record.add(attribute, attribute.joined(group))
    } else {
      record.add(attribute, value)
    }
  }

  private func finish(_ record: inout ProductRecord, atomID: String) -> Bool {
    if record.id.isEmpty && !atomID.isEmpty { record[.id] = atomID }
    record.stamp(options)
    return true
  }

  private func attribute(_ name: String, reader: xmlTextReaderPtr) -> String? {
    guard let value = xmlTextReaderGetAttribute(reader, name) else { return nil }
    defer { free(value) }  // libxml2's xmlFree is free() unless an application replaces it
    return String(cString: value)
  }

  private func here() -> InputLocation {
    guard let reader else { return InputLocation(file: source.name) }
    return InputLocation(
      file: source.name, line: Int(xmlTextReaderGetParserLineNumber(reader)),
      column: Int(xmlTextReaderGetParserColumnNumber(reader)))
  }

  private func malformed(_ message: String) -> FeedError {
    .malformedXML(here(), message: message)
  }

  private func forbidden(_ construct: String) -> FeedError {
    finished = true
    return .forbiddenXML(here(), construct: construct)
  }

  private func checkErrors() throws {
    if let error = errors.first {
      finished = true
      throw FeedError.malformedXML(
        InputLocation(file: source.name, line: error.line, column: error.column),
        message: error.message)
    }
  }

  /// A name from libxml2's dictionary: interned, so resolved once per distinct pointer.
  private func name(_ pointer: UnsafePointer<xmlChar>?) -> Name {
    guard let pointer else { return Name(local: "") }
    let key = UnsafeRawPointer(pointer)
    // A direct-mapped cache in front of the dictionary: a feed has a few dozen names.
    let slot = Int(bitPattern: key) >> 4 & 63
    if recent[slot].key == key, let name = recent[slot].name { return name }
    if let known = names[key] {
      recent[slot] = (key, known)
      return known
    }
    let local = String(cString: pointer)
    let name = Name(local: local, attribute: Attribute(name: local))
    if names.count > 4096 { names.removeAll() }  // only if libxml2 ever stopped interning
    names[key] = name
    return name
  }

  /// A namespace URI, resolved once per distinct pointer.
  private func namespace(_ pointer: UnsafePointer<xmlChar>?) -> Namespace {
    guard let pointer else { return .none }
    let key = UnsafeRawPointer(pointer)
    if let known = namespaces[key] { return known }
    let uri = String(cString: pointer)
    let namespace: Namespace =
      uri == Self.googleNamespace
      ? .google : uri == Self.atomNamespace ? .atom : uri.isEmpty ? .none : .other
    if namespaces.count > 256 { namespaces.removeAll() }
    namespaces[key] = namespace
    return namespace
  }

  private func text(_ pointer: UnsafePointer<xmlChar>?) -> String {
    guard let pointer else { return "" }
    return String(cString: pointer)
  }
}

/// Hands libxml2 the bytes of a ``ByteSource``, remembering a read failure to rethrow it.
final class SourceBox {
  let source: ByteSource
  var failure: SourceError?

  init(source: ByteSource) { self.source = source }

  func read(into buffer: UnsafeMutablePointer<CChar>, length: Int) -> Int32 {
    do {
      return Int32(try source.read(into: UnsafeMutableRawPointer(buffer), capacity: length))
    } catch {
      failure = error
      return -1
    }
  }

  func rethrow() throws {
    if let failure { throw failure }
  }
}

/// The first error libxml2 reported, with its position.
final class ErrorBox {
  private(set) var first: (line: Int, column: Int, message: String)?

  func record(_ error: xmlError) {
    guard error.level.rawValue >= XML_ERR_ERROR.rawValue, first == nil else { return }
    let message = error.message.map { String(cString: $0) } ?? "error \(error.code)"
    first = (Int(error.line), Int(error.int2), String(message.trimmingSpaces))
  }
}
