import MktCore

/// One `<item>` (or `<entry>`) of a Merchant Center feed as the parser saw it: the text of each
/// attribute element, kept as ranges of one byte buffer, made into a ``ProductRecord`` by
/// ``fill(_:options:)``.
///
/// The split lets `mkt feed check` give libxml2 a thread of its own: the parsing thread only
/// copies bytes (nothing is counted or freed per value), and the consumer, which validates,
/// builds the record's strings and frees them. Refilled in place, an item allocates nothing once
/// its buffers have grown.
struct XMLItemText {
  /// Where the item starts.
  var location = InputLocation()
  /// The 1-based position of the item in the feed.
  var item = 0
  /// The elements' names (where needed) and texts.
  var bytes: [UInt8] = []
  /// The attribute elements, in feed order.
  var fields: [Field] = []
  /// The texts of the parts of structured values (`<g:shipping><g:country>`).
  var partBytes: [UInt8] = []
  /// The parts of structured values, by element name, in feed order.
  var parts: [(key: String, text: Range<Int>)] = []

  /// One attribute element of the item.
  struct Field {
    /// The attribute its local name names, if any.
    var attribute: Attribute?
    var namespace: MerchantXMLItems.Namespace
    /// The local name in ``bytes``: kept only where the record needs it (Atom elements,
    /// custom attributes), else empty.
    var local: Range<Int>
    /// The element's own text in ``bytes``, untrimmed.
    var text: Range<Int>
    /// The element's parts in ``parts``, for an attribute with parts (``Attribute/hasParts``).
    var parts: Range<Int>?
  }

  /// Empties the item for the next one, keeping its storage.
  mutating func reset(location: InputLocation, item: Int) {
    self.location = location
    self.item = item
    bytes.removeAll(keepingCapacity: true)
    fields.removeAll(keepingCapacity: true)
    partBytes.removeAll(keepingCapacity: true)
    if !parts.isEmpty { parts.removeAll(keepingCapacity: true) }
  }

  /// Refills `record` with the item, as the feed states it: Atom's `id`, `summary` and
  /// `content` read as Merchant Center's, unknown and foreign elements kept as custom
  /// attributes, then stamped with the feed's options.
  func fill(_ record: inout ProductRecord, options: FeedOptions) {
    record.reset(location: location, item: item)
    var atomID = ""
    bytes.withUnsafeBufferPointer { buffer in
      for field in fields {
        let value = Self.trimmedText(UnsafeBufferPointer(rebasing: buffer[field.text]))
        var attribute = field.attribute
        switch field.namespace {
        case .google, .none: break
        case .atom:
          let local = buffer[field.local]
          if local.elementsEqual("id".utf8) {
            atomID = value
            continue
          }
          if local.elementsEqual("summary".utf8) || local.elementsEqual("content".utf8) {
            attribute = .description
          }
        case .other: attribute = nil
        }
        guard let attribute else {
          if !value.isEmpty {
            record.custom[String(decoding: buffer[field.local], as: UTF8.self)] = value
          }
          continue
        }
        if attribute.hasParts, let range = field.parts {
          record.add(attribute, attribute.joined(group(range)))
        } else {
          record.add(attribute, value)
        }
      }
    }
    if record.id.isEmpty && !atomID.isEmpty { record[.id] = atomID }
    record.stamp(options)
  }

  /// The parts in `range` by name, trimmed; a part named twice keeps its last text.
  private func group(_ range: Range<Int>) -> [String: String] {
    var group: [String: String] = [:]
    partBytes.withUnsafeBufferPointer { buffer in
      for part in parts[range] {
        group[part.key] = Self.trimmedText(
          UnsafeBufferPointer(rebasing: buffer[part.text]))
      }
    }
    return group
  }

  /// `buffer` as text without leading and trailing spaces, tabs and line breaks: the bytes
  /// trimmed and decoded once, where that gives what trimming the text would
  /// (`trimmingSpaces` works on characters: a carriage return before a line feed, or a space
  /// before a combining mark, is part of a character that is not a space).
  static func trimmedText(_ buffer: UnsafeBufferPointer<UInt8>) -> String {
    let isSpace = { (byte: UInt8) in byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D }
    var start = 0
    var end = buffer.count
    while start < end, isSpace(buffer[start]) { start += 1 }
    while end > start, isSpace(buffer[end - 1]) { end -= 1 }
    if start == 0 && end == buffer.count { return String(decoding: buffer, as: UTF8.self) }
    let carriageReturn = buffer[..<start].contains(0x0D) || buffer[end...].contains(0x0D)
    guard !carriageReturn, start == end || (buffer[start] < 0x80 && buffer[end - 1] < 0x80)
    else {
      return ProductCSVReader.trimmed(String(decoding: buffer, as: UTF8.self))
    }
    return String(decoding: UnsafeBufferPointer(rebasing: buffer[start..<end]), as: UTF8.self)
  }
}
