internal import CLibXML2
import Foundation
import MktCore

/// What libxml2's SAX2 callbacks build while a Merchant Center feed is pushed through the
/// parser: the text of each `<item>` (RSS) or `<entry>` (Atom), queued in feed order until
/// ``MerchantXMLReader`` hands it out (``XMLItemText``, made into a record by its consumer).
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

  /// Finished items not handed out yet, from `readyStart` on.
  private var ready: [XMLItemText] = []
  private var readyStart = 0
  /// Items handed back by the consumer, refilled for the next ones.
  private var spares: [XMLItemText] = []

  private var depth = 0
  private var itemName: String?
  private var inItem = false
  private var itemDepth = -1
  private var item = 0
  private var current = XMLItemText()
  /// The attribute element open in the item: its entry in `current.fields` is added at its end.
  private var field: XMLItemText.Field?
  private var fieldDepth = -1
  /// The element inside a structured value's element that is open, and where its text starts.
  private var partKey: String?
  private var partStart = 0
  /// The names met so far, by libxml2's pointer and index in `nameTable`.
  private var names: [UnsafeRawPointer: Int] = [:]
  private var nameTable = [Name(local: "")]
  private var recent = [(key: UnsafeRawPointer?, index: Int)](repeating: (nil, 0), count: 256)
  private var namespaces: [UnsafeRawPointer: Namespace] = [:]
  /// The namespace resolved last: an item's attributes almost all share one.
  private var lastNamespace: (key: UnsafeRawPointer?, namespace: Namespace) = (nil, .none)

  init(file: String, options: FeedOptions) {
    self.file = file
    self.options = options
  }

  /// Whether an item is open (the document must not end here).
  var isInsideItem: Bool { inItem }

  /// Moves the next finished item into `target`, keeping `target`'s old storage for a later
  /// item; `false` when none is ready.
  func take(into target: inout XMLItemText) -> Bool {
    guard readyStart < ready.count else { return false }
    swap(&target, &ready[readyStart])
    readyStart += 1
    if readyStart == ready.count {
      // All handed out: the items swapped in are the next items' storage.
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
    let index = self.name(localName)
    if elementDepth == 0 {
      let name = nameTable[index]
      guard name.local == "rss" || name.local == "feed" else {
        return fail(.notAMerchantFeed(here(), root: name.local))
      }
      itemName = name.local == "rss" ? "item" : "entry"
    } else if !inItem {
      if nameTable[index].local == itemName, elementDepth == (itemName == "item" ? 2 : 1) {
        item += 1
        current.reset(location: here(), item: item)
        inItem = true
        itemDepth = elementDepth
      }
    } else if elementDepth == itemDepth + 1 {
      let namespace = self.namespace(uri)
      let attribute = nameTable[index].attribute
      var local = current.bytes.count..<current.bytes.count
      if attribute == nil || namespace == .atom || namespace == .other {
        current.bytes.append(contentsOf: nameTable[index].local.utf8)
        local = local.lowerBound..<current.bytes.count
      }
      let start = current.bytes.count
      if nameTable[index].isLink, namespace == .atom,
        let href = Self.attribute("href", attributes, count: attributeCount)
      {
        current.bytes.append(contentsOf: href.utf8)
      }
      let parts = attribute?.hasParts == true ? current.parts.count..<current.parts.count : nil
      field = XMLItemText.Field(
        attribute: attribute, namespace: namespace, local: local, text: start..<start,
        parts: parts)
      fieldDepth = elementDepth
    } else if elementDepth == itemDepth + 2, field?.parts != nil {
      partKey = nameTable[index].local
      partStart = current.partBytes.count
    }
  }

  /// An element ends: a group part, an attribute or the item is complete.
  func end() {
    depth -= 1
    guard inItem else { return }
    if let key = partKey, depth == itemDepth + 2 {
      current.parts.append((key, partStart..<current.partBytes.count))
      partKey = nil
    } else if var field, depth == fieldDepth {
      field.text = field.text.lowerBound..<current.bytes.count
      if let parts = field.parts { field.parts = parts.lowerBound..<current.parts.count }
      current.fields.append(field)
      self.field = nil
    } else if depth == itemDepth {
      // Moved, not copied: the next item's storage comes from the spares.
      var finished = spares.popLast() ?? XMLItemText()
      swap(&finished, &current)
      ready.append(finished)
      inItem = false
    }
  }

  /// Text (also CDATA and white space) inside an attribute or a group part.
  func characters(_ bytes: UnsafePointer<xmlChar>?, count: Int) {
    guard let bytes, count > 0, inItem else { return }
    let chunk = UnsafeBufferPointer(start: bytes, count: count)
    if partKey != nil {
      current.partBytes.append(contentsOf: chunk)
      if current.partBytes.count - partStart > Self.textLimit { tooLong() }
    } else if let field {
      current.bytes.append(contentsOf: chunk)
      if current.bytes.count - field.text.lowerBound > Self.textLimit { tooLong() }
    }
  }

  private func tooLong() {
    fail(
      .malformedXML(
        here(), message: "an element's text is longer than \(Self.textLimit) bytes"))
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

  /// An element's local name and the attribute it names.
  struct Name {
    var local: String
    var attribute: Attribute?
    /// Whether the name is `link` (Atom's link has its URL in `href`).
    var isLink: Bool

    init(local: String) {
      self.local = local
      attribute = Attribute(name: local)
      isLink = local == "link"
    }
  }

  enum Namespace {
    case none, google, atom, other
  }

  /// A name from libxml2's dictionary, as its index in `nameTable`: interned, so resolved once
  /// per distinct pointer.
  private func name(_ pointer: UnsafePointer<xmlChar>?) -> Int {
    guard let pointer else { return 0 }
    let key = UnsafeRawPointer(pointer)
    // A direct-mapped cache in front of the dictionary: a feed has a few dozen names, which
    // libxml2 packs next to each other, so the slot comes from a multiplicative hash.
    let slot = Int(truncatingIfNeeded: (UInt(bitPattern: key) &* 0x9E37_79B9_7F4A_7C15) >> 56)
    if recent[slot].key == key { return recent[slot].index }
    if let known = names[key] {
      recent[slot] = (key, known)
      return known
    }
    if nameTable.count > 4096 {  // only if libxml2 ever stopped interning
      names.removeAll()
      nameTable.removeSubrange(1...)
      for slot in recent.indices { recent[slot] = (nil, 0) }
    }
    nameTable.append(Name(local: String(cString: pointer)))
    names[key] = nameTable.count - 1
    return nameTable.count - 1
  }

  /// A namespace URI, resolved once per distinct pointer.
  private func namespace(_ pointer: UnsafePointer<xmlChar>?) -> Namespace {
    guard let pointer else { return .none }
    let key = UnsafeRawPointer(pointer)
    if lastNamespace.key == key { return lastNamespace.namespace }
    if let known = namespaces[key] {
      lastNamespace = (key, known)
      return known
    }
    let uri = String(cString: pointer)
    let namespace: Namespace =
      uri == MerchantXMLReader.googleNamespace
      ? .google : uri == MerchantXMLReader.atomNamespace ? .atom : uri.isEmpty ? .none : .other
    if namespaces.count > 256 { namespaces.removeAll() }
    namespaces[key] = namespace
    return namespace
  }
}
