import Foundation
import Importers
import MktCore
import Testing

/// The feed read on a thread of its own gives what reading in line gives: the same records in
/// the same order, refilled batches with nothing left over from the items before, and an error
/// after exactly the items before it.
struct FeedReadAheadTests {
  /// Items whose attributes differ from one to the next, over several batches: a refilled
  /// record must not keep a colour, a custom value or an extra image of the item before.
  private func varied(_ count: Int) -> String {
    var xml = """
      <?xml version="1.0"?>
      <rss xmlns:g="http://base.google.com/ns/1.0" version="2.0"><channel>

      """
    for index in 1...count {
      xml += "<item><g:id>SKU-\(index)</g:id><title>Item \(index)</title>"
      if index % 3 == 0 { xml += "<g:color>red</g:color>" }
      if index % 5 == 0 { xml += "<g:custom_label_0>five</g:custom_label_0><note>n\(index)</note>" }
      if index % 7 == 0 {
        xml += "<g:additional_image_link>https://x.test/\(index).jpg</g:additional_image_link>"
      }
      xml += "<g:price>\(index).00 EUR</g:price></item>\n"
    }
    return xml + "</channel></rss>\n"
  }

  private func readInLine(_ path: String) throws -> [ProductRecord] {
    let reader = try FeedReader(path: path)
    var records: [ProductRecord] = []
    while let record = try reader.next() { records.append(record) }
    return records
  }

  @Test func recycledRecordsAreTheRecordsReadInLine() throws {
    let path = try temporaryFile(varied(1_000), name: "varied.xml")
    defer { removeFolder(of: path) }
    let expected = try readInLine(path)
    #expect(expected.count == 1_000)
    // Small batches, so most records are refilled ones; the consumer keeps none of them, so
    // each is reused in place.
    let ahead = FeedReadAhead(records: try FeedReader(path: path), batchSize: 16, depth: 2)
    var index = 0
    while let record = try ahead.next() {
      #expect(record == expected[index], "item \(index + 1)")
      index += 1
    }
    #expect(index == expected.count)
  }

  @Test func anErrorArrivesAfterExactlyTheRecordsBeforeIt() throws {
    var csv = "id,title,price\n"
    for index in 1...600 { csv += "S\(index),Title \(index),\(index).00 EUR\n" }
    csv += "S601,\"an open quote,1.00 EUR\n"
    let path = try temporaryFile(csv, name: "broken.csv")
    defer { removeFolder(of: path) }
    var inLine: [String] = []
    var inLineError: String?
    do {
      let reader = try FeedReader(path: path)
      while let record = try reader.next() { inLine.append(record.id) }
    } catch {
      inLineError = "\(error)"
    }
    #expect(inLineError != nil)
    let ahead = FeedReadAhead(records: try FeedReader(path: path), batchSize: 64, depth: 2)
    var ids: [String] = []
    var aheadError: String?
    do {
      while let record = try ahead.next() { ids.append(record.id) }
    } catch {
      aheadError = "\(error)"
    }
    #expect(ids == inLine)
    #expect(aheadError == inLineError)
  }

  @Test func aCancelledReadStopsReadingTheFeed() throws {
    let path = try temporaryFile(varied(40_000), name: "long.xml")
    defer { removeFolder(of: path) }
    let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    let ahead = FeedReadAhead(records: try FeedReader(path: path), batchSize: 8, depth: 2)
    for _ in 0..<10 { _ = try ahead.next() }
    ahead.cancel()
    Thread.sleep(forTimeInterval: 0.2)
    let stopped = ahead.bytesRead
    Thread.sleep(forTimeInterval: 0.2)
    #expect(ahead.bytesRead == stopped)
    #expect(stopped < size / 2, "read \(stopped) of \(size) bytes after a cancel")
  }
}
