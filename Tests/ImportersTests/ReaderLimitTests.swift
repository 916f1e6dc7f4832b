import Importers
import MktCore
import Testing

/// Hardening class 2: every reader has a documented limit, checked as the input streams.
@Suite struct ReaderLimitTests {
  @Test func aRowOfManyLongColumnsStopsAtTheRecordLimit() throws {
    let column = [UInt8](repeating: UInt8(ascii: "b"), count: 30 << 20)
    var bytes = Array("id,a,b,c\nX1".utf8)
    for _ in 0..<3 { bytes += [UInt8(ascii: ",")] + column }
    bytes += [0x0A]
    let reader = CSVReader(source: ByteSource(bytes: bytes, name: "wide.csv"))
    _ = try reader.next()
    let error = #expect(throws: CSVError.self) { try reader.next() }
    #expect(
      error == .recordTooLong(InputLocation(file: "wide.csv", line: 2, column: 4), limit: 64 << 20))
    #expect(error?.exitStatus == .dataError)
  }

  @Test func readingWholeStopsAtItsLimitAsTheBytesArrive() throws {
    let source = ByteSource(bytes: [UInt8](repeating: 7, count: 100_000), name: "big")
    #expect(throws: SourceError.tooLarge(path: "big", limit: 65_536)) {
      try source.readAll(limit: 65_536)
    }
    let small = ByteSource(bytes: [1, 2, 3], name: "small")
    #expect(try small.readAll(limit: 3) == [1, 2, 3])
  }

  @Test func temporaryNamesStayWithinAFileNamesLength() {
    let long = "/tmp/" + String(repeating: "o", count: 250)
    let temporary = OutputPath.temporary(for: long, tag: "partial-12345")
    #expect(temporary.hasPrefix("/tmp/.ooo"))
    #expect(temporary.hasSuffix(".partial-12345"))
    #expect(temporary.split(separator: "/").last?.utf8.count == 255)
    #expect(OutputPath.temporary(for: "x.csv", tag: "partial") == ".x.csv.partial")
  }
}
