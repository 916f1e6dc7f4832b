internal import CLibXML2
import MktCore

#if canImport(Glibc)
import Glibc
#endif

/// libxml2's streaming reader over a whole file in memory, hardened.
///
/// The hardening every untrusted XML gets: no network, no entity substitution; DOCTYPE
/// declarations and entity references are refused where they are met (RELIABILITY.md §3). For
/// small whole-file formats (ECB rates, product ratings); product feeds stream through
/// ``MerchantXMLReader``.
///
/// The buffer must stay valid while the reader is used: libxml2 reads it in place.
final class XMLBufferReader {
  /// What the current node is, as libxml2's node types.
  enum Node {
    case start, text, end, other
  }

  private let reader: xmlTextReaderPtr
  private let errors: ErrorBox
  let file: String

  init(_ buffer: UnsafeBufferPointer<UInt8>, file: String) throws(FeedError) {
    xmlInitParser()
    let options = Int32(
      XML_PARSE_NONET.rawValue | XML_PARSE_NOCDATA.rawValue | XML_PARSE_COMPACT.rawValue)
    let opened = buffer.withMemoryRebound(to: CChar.self) {
      xmlReaderForMemory($0.baseAddress, Int32($0.count), file, nil, options)
    }
    guard let opened else {
      throw .malformedXML(InputLocation(file: file), message: "libxml2 refused to start")
    }
    reader = opened
    self.file = file
    errors = ErrorBox(file: file)
    xmlTextReaderSetStructuredErrorHandler(
      reader,
      { context, error in
        guard let context, let error else { return }
        let box = Unmanaged<ErrorBox>.fromOpaque(context).takeUnretainedValue()
        if box.first == nil { box.first = FeedError.libxml2(error.pointee, file: box.file) }
      }, Unmanaged.passUnretained(errors).toOpaque())
  }

  deinit { xmlFreeTextReader(reader) }

  /// Moves to the next node; `nil` after the last.
  ///
  /// - Throws: ``FeedError`` for malformed XML (with line and column), a DOCTYPE or an entity
  ///   reference.
  func next() throws(FeedError) -> Node? {
    let status = xmlTextReaderRead(reader)
    if let first = errors.first { throw first }
    if status == 0 { return nil }
    if status < 0 {
      throw .malformedXML(InputLocation(file: file), message: "the XML parser stopped")
    }
    switch xmlTextReaderNodeType(reader) {
    case 10: throw .forbiddenXML(location, construct: "a DOCTYPE declaration")
    case 5: throw .forbiddenXML(location, construct: "an entity reference")
    case 1: return .start
    case 3, 4: return .text
    case 15: return .end
    default: return .other
    }
  }

  /// The current node's own line (the parser's runs ahead of it).
  var line: Int { Int(xmlGetLineNo(xmlTextReaderCurrentNode(reader))) }

  var location: InputLocation { InputLocation(file: file, line: line) }

  /// The current element's name without its prefix.
  var localName: String { Self.text(xmlTextReaderConstLocalName(reader)) }

  /// The current text node's characters.
  var value: String { Self.text(xmlTextReaderConstValue(reader)) }

  /// `<a/>`: an element with no end node to come.
  var isEmptyElement: Bool { xmlTextReaderIsEmptyElement(reader) == 1 }

  /// An attribute of the current element.
  func attribute(_ name: String) -> String? {
    guard let value = xmlTextReaderGetAttribute(reader, name) else { return nil }
    defer { free(value) }  // libxml2's xmlFree is free() unless replaced
    return String(cString: value)
  }

  private static func text(_ pointer: UnsafePointer<xmlChar>?) -> String {
    pointer.map { String(cString: $0) } ?? ""
  }
}

/// The first error libxml2 reported while a reader read `file`.
final class ErrorBox {
  let file: String
  var first: FeedError?

  init(file: String) { self.file = file }
}

extension FeedError {
  /// libxml2's report of a malformed document, with its line and column; `nil` below error
  /// level (warnings).
  static func libxml2(_ error: xmlError, file: String) -> FeedError? {
    guard error.level.rawValue >= XML_ERR_ERROR.rawValue else { return nil }
    let message = error.message.map { String(cString: $0) } ?? "error \(error.code)"
    return .malformedXML(
      InputLocation(file: file, line: Int(error.line), column: Int(error.int2)),
      message: String(message.trimmingSpaces))
  }
}
