internal import CLibXML2
import Foundation
import MktCore

/// What libxml2's SAX2 callbacks build while a Merchant Center feed is pushed through the
/// parser: each `<item>` (RSS) or `<entry>` (Atom) as a record, queued in feed order until
/// ``MerchantXMLReader`` hands it out.
///
/// The first error stops the parser (`xmlStopParser`): the records finished before it are
/// handed out, then the error is thrown, as a reader walking node by node would.
final class MerchantXMLItems {
  /// The longest text one element may hold: libxml2's own limit for a text node
  /// (`XML_MAX_TEXT_LENGTH`), which its tree builder applies and SAX callbacks do not.
  static let textLimit = 10_000_000
  /// The deepest an element may be nested: libxml2's limit (`xmlParserMaxDepth`), which its
  /// tree builder applies and SAX callbacks do not.
  static let depthLimit = 256

  let file: String
  let options: FeedOptions
  /// The parser pushing into these callbacks, for positions and to stop it.
  var context: xmlParserCtxtPtr?
  /// The first error: the parser stopped there.
  private(set) var failure: FeedError?

  /// Finished records not handed out yet, from `readyStart` on.
  private var ready: [ProductRecord] = []
  private var readyStart = 0
  /// Records handed back by the consumer, refilled for the next items.
  private var spares: [ProductRecord] = []

  private var depth = 0
  private var itemName: String?
  private var inItem = false
  private var itemDepth = -1
  private var item = 0
  private var record = ProductRecord(location: InputLocation(), item: 0)
  private var field: Name?
  private var fieldDepth = -1
  private var text: [UInt8] = []
  private var group: [String: String]?
  private var groupKey: String?
  private var groupText: [UInt8] = []
  private var atomID = ""
  private var names: [UnsafeRawPointer: Name] = [:]
  private var recent = [(key: UnsafeRawPointer?, name: Name?)](repeating: (nil, nil), count: 64)
  private var namespaces: [UnsafeRawPointer: Namespace] = [:]

  init(file: String, options: FeedOptions) {
    self.file = file
    self.options = options
  }

  /// Whether an item is open (the document must not end here).
  var isInsideItem: Bool { inItem }

  /// Moves the next finished record into `target`, keeping `target`'s old storage for a later
  /// item; `false` when none is ready.
  func take(into target: inout ProductRecord) -> Bool {
    guard readyStart < ready.count else { return false }
    swap(&target, &ready[readyStart])
    readyStart += 1
    if readyStart == ready.count {
      // All handed out: the records swapped in are the next items' storage.
      spares.append(contentsOf: ready)
      ready.removeAll(keepingCapacity: true)
      readyStart = 0
    }
    return true
  }

  /// Records `error` unless one came first, and stops the parser.
  func fail(_ error: FeedError) {
    if failure == nil { failure = error }
    if let context { xmlStopParser(context) }
  }

  /// Where the parser is now.
  func here() -> InputLocation {
    guard let context else { return InputLocation(file: file) }
    let raw = UnsafeMutableRawPointer(context)
    return InputLocation(
      file: file, line: Int(xmlSAX2GetLineNumber(raw)), column: Int(xmlSAX2GetColumnNumber(raw)))
  }

  // MARK: SAX2 events

  /// An element starts: the root, an item, one of its attributes, or a part of a group.
  func start(
    _ localName: UnsafePointer<xmlChar>?, uri: UnsafePointer<xmlChar>?,
    attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, attributeCount: Int
  ) {
    let elementDepth = depth
    depth += 1
    guard elementDepth <= Self.depthLimit else {
      return fail(
        .malformedXML(
          here(), message: "elements nested deeper than \(Self.depthLimit) (the depth limit)"))
    }
    let name = self.name(localName)
    if elementDepth == 0 {
      guard name.local == "rss" || name.local == "feed" else {
        return fail(.notAMerchantFeed(here(), root: name.local))
      }
      itemName = name.local == "rss" ? "item" : "entry"
    } else if !inItem {
      if name.local == itemName, elementDepth == (itemName == "item" ? 2 : 1) {
        item += 1
        record.reset(location: here(), item: item)
        inItem = true
        itemDepth = elementDepth
        atomID = ""
      }
    } else if elementDepth == itemDepth + 1 {
      let namespace = self.namespace(uri)
      field = Name(local: name.local, attribute: name.attribute, namespace: namespace)
      fieldDepth = elementDepth
      text.removeAll(keepingCapacity: true)
      if name.local == "link", namespace == .atom,
        let href = Self.attribute("href", attributes, count: attributeCount)
      {
        text.append(contentsOf: href.utf8)
      }
      group = name.attribute?.subattributes != nil ? [:] : nil
    } else if elementDepth == itemDepth + 2, group != nil {
      groupKey = name.local
      groupText.removeAll(keepingCapacity: true)
    }
  }

  /// An element ends: a group part, an attribute or the item is complete.
  func end() {
    depth -= 1
    guard inItem else { return }
    if let key = groupKey, depth == itemDepth + 2 {
      group?[key] = String(String(decoding: groupText, as: UTF8.self).trimmingSpaces)
      groupKey = nil
    } else if field != nil, depth == fieldDepth {
      commit()
      field = nil
      group = nil
    } else if depth == itemDepth {
      if record.id.isEmpty && !atomID.isEmpty { record[.id] = atomID }
      record.stamp(options)
      ready.append(record)
      record = spares.popLast() ?? ProductRecord(location: InputLocation(), item: 0)
      inItem = false
    }
  }

  /// Text (also CDATA and white space) inside an attribute or a group part.
  func characters(_ bytes: UnsafePointer<xmlChar>?, count: Int) {
    guard let bytes, count > 0, inItem else { return }
    let chunk = UnsafeBufferPointer(start: bytes, count: count)
    if groupKey != nil {
      groupText.append(contentsOf: chunk)
      if groupText.count > Self.textLimit { tooLong() }
    } else if field != nil {
      text.append(contentsOf: chunk)
      if text.count > Self.textLimit { tooLong() }
    }
  }

  private func tooLong() {
    fail(
      .malformedXML(
        here(), message: "an element's text is longer than \(Self.textLimit) bytes"))
  }

  /// Adds the finished attribute element to the record.
  private func commit() {
    guard let field else { return }
    let value = ProductCSVReader.trimmed(String(decoding: text, as: UTF8.self))
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

  /// The bytes of attribute `name` among SAX2's (local name, prefix, URI, start, end) tuples.
  private static func attribute(
    _ name: String, _ attributes: UnsafeMutablePointer<UnsafePointer<xmlChar>?>?, count: Int
  ) -> String? {
    guard let attributes else { return nil }
    for index in 0..<count {
      let tuple = attributes + index * 5
      guard let local = tuple[0], let start = tuple[3], let end = tuple[4],
        String(cString: local) == name
      else { continue }
      // Without entity substitution libxml2 keeps an `&` of an attribute as `&#38;`, for its
      // tree builder to decode; every other reference comes decoded.
      let value = String(
        decoding: UnsafeBufferPointer(start: start, count: end - start), as: UTF8.self)
      return value.replacingOccurrences(of: "&#38;", with: "&")
    }
    return nil
  }

  // MARK: Names

  /// An element's local name, the attribute it names, and its namespace.
  struct Name {
    var local: String
    var attribute: Attribute?
    var namespace: Namespace = .none
  }

  enum Namespace {
    case none, google, atom, other
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
      uri == MerchantXMLReader.googleNamespace
      ? .google : uri == MerchantXMLReader.atomNamespace ? .atom : uri.isEmpty ? .none : .other
    if namespaces.count > 256 { namespaces.removeAll() }
    namespaces[key] = namespace
    return namespace
  }
}
