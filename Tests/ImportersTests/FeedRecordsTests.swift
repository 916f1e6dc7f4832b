import Foundation
import MktCore
import Testing

@testable import Importers

/// An XML feed's records built on the consumer's thread from the parsed items' text
/// (``FeedRecords``) are the records read in line: nothing left over from a refilled item, the
/// parts of structured values, Atom's names and foreign elements read as before, and an error
/// after exactly the items before it.
struct FeedRecordsTests {
  /// RSS items that differ from one to the next: shipping with parts (one part given twice),
  /// a foreign namespace, an unknown element, a long name, text with spaces around it.
  private func rss(_ count: Int, broken: Int? = nil) -> String {
    var xml = """
      <?xml version="1.0"?>
      <rss xmlns:g="http://base.google.com/ns/1.0" xmlns:x="urn:other" version="2.0"><channel>

      """
    for index in 1...count {
      if index == broken { xml += "<item><g:id>S\(index)</g:id><title>open</item>\n" }
      xml += "<item><g:id>S\(index)</g:id><title>  Item \(index)\n </title>"
      if index % 2 == 0 {
        xml += "<g:shipping><g:country>DE</g:country><g:price> \(index).00 EUR </g:price>"
        xml += "<g:country>AT</g:country></g:shipping>"
      }
      if index % 3 == 0 { xml += "<x:color>foreign</x:color><g:color>red</g:color>" }
      if index % 5 == 0 { xml += "<note> n\(index) </note>" }
      if index % 7 == 0 {
        xml += "<g:google_product_category>Apparel &amp; Accessories</g:google_product_category>"
      }
      xml += "<g:price>\(index).00 EUR</g:price></item>\n"
    }
    return xml + "</channel></rss>\n"
  }

  private func atom(_ count: Int) -> String {
    var xml = """
      <?xml version="1.0"?>
      <feed xmlns="http://www.w3.org/2005/Atom" xmlns:g="http://base.google.com/ns/1.0">

      """
    for index in 1...count {
      xml += "<entry><id>A\(index)</id><title>Entry \(index)</title>"
      xml += "<link href=\"https://x.test/\(index)?a=1&amp;b=2\"/>"
      xml += index % 2 == 0 ? "<summary>Sum \(index)</summary>" : "<g:id>G\(index)</g:id>"
      xml += "<g:price>\(index).00 EUR</g:price></entry>\n"
    }
    return xml + "</feed>\n"
  }

  private func inLine(_ path: String) -> (records: [ProductRecord], error: String?) {
    var records: [ProductRecord] = []
    do {
      let reader = try FeedReader(path: path)
      while let record = try reader.next() { records.append(record) }
      return (records, nil)
    } catch {
      return (records, "\(error)")
    }
  }

  private func ahead(_ path: String) -> (records: [ProductRecord], error: String?) {
    var records: [ProductRecord] = []
    do {
      let ahead = FeedRecords(try FeedReader(path: path), batchSize: 16, depth: 2)
      var record = ProductRecord(location: InputLocation(), item: 0)
      while try ahead.next(into: &record) { records.append(record) }
      return (records, nil)
    } catch {
      return (records, "\(error)")
    }
  }

  @Test func rssRecordsBuiltByTheConsumerAreTheRecordsReadInLine() throws {
    let path = try temporaryFile(rss(1_000), name: "rss.xml")
    defer { removeFolder(of: path) }
    let expected = inLine(path)
    #expect(expected.error == nil)
    #expect(expected.records.count == 1_000)
    #expect(expected.records[1][.title] == "Item 2")
    #expect(expected.records[1][.shipping] == "AT:::2.00 EUR")
    #expect(expected.records[2].custom == ["color": "foreign"])
    #expect(expected.records[4].custom == ["note": "n5"])
    #expect(expected.records[6][.googleProductCategory] == "Apparel & Accessories")
    let got = ahead(path)
    #expect(got.error == nil)
    #expect(got.records == expected.records)
  }

  @Test func atomRecordsBuiltByTheConsumerAreTheRecordsReadInLine() throws {
    let path = try temporaryFile(atom(300), name: "atom.xml")
    defer { removeFolder(of: path) }
    let expected = inLine(path)
    #expect(expected.records.count == 300)
    #expect(expected.records[0].id == "G1")
    #expect(expected.records[1].id == "A2")
    #expect(expected.records[1][.description] == "Sum 2")
    #expect(expected.records[1][.link] == "https://x.test/2?a=1&b=2")
    #expect(ahead(path).records == expected.records)
  }

  @Test func anXMLErrorArrivesAfterExactlyTheRecordsBeforeIt() throws {
    let path = try temporaryFile(rss(700, broken: 601), name: "broken.xml")
    defer { removeFolder(of: path) }
    let expected = inLine(path)
    #expect(expected.records.count == 600)
    #expect(expected.error != nil)
    let got = ahead(path)
    #expect(got.records == expected.records)
    #expect(got.error == expected.error)
  }

  /// Trimming the bytes gives what trimming the text gives, also where a space is part of a
  /// character (a combining mark after it) or a carriage return is (before a line feed).
  @Test func trimmingBytesIsTrimmingText() {
    let cases = [
      "", " ", " \t\n", "\r\n", " \r\n ", "a", " a ", "\ta b\n", " \u{301}x ", "x \u{301}",
      " é ", "é", "  Grüße  ", "\r\nx\r\n", "x\r", " \u{600} ", "\u{600} x", "x\n\u{301}",
    ]
    for text in cases {
      let bytes = Array(text.utf8)
      let trimmed = bytes.withUnsafeBufferPointer { XMLItemText.trimmedText($0) }
      #expect(trimmed == ProductCSVReader.trimmed(text), "\(Array(text.unicodeScalars))")
    }
  }

  @Test func hasPartsIsHavingSubattributes() {
    for attribute in Attribute.allCases {
      #expect(attribute.hasParts == (attribute.subattributes != nil), "\(attribute)")
    }
  }
}
