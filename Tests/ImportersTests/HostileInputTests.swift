import Foundation
import Importers
import MktCore
import Testing

/// The hostile corpus in Fixtures/hostile (see its EXPECTED.md): each file is refused with the
/// exact error and position, or read exactly as it should be.
@Suite struct HostileInputTests {
  static func error(of path: String) throws -> (any MktError)? {
    do {
      _ = try scan("hostile/" + path)
      return nil
    } catch let error as any MktError {
      return error
    }
  }

  @Test(arguments: [
    ("billion-laughs.xml", 2, 1), ("quadratic-blowup.xml", 2, 1), ("xxe-file.xml", 2, 1),
    ("xxe-network.xml", 2, 1), ("external-dtd.xml", 2, 1),
  ])
  func aDoctypeIsRefusedWhereItStartsAndNeverExpanded(file: String, line: Int, column: Int) throws {
    let started = ContinuousClock.now
    let error = try #require(try Self.error(of: file))
    #expect(ContinuousClock.now - started < .seconds(1))
    #expect(error.exitStatus == .dataError)
    #expect(error.description.contains("DOCTYPE"))
    #expect(error.location?.line == line)
    #expect(error.location?.column == column)
    #expect(!error.description.contains("root:"))
  }

  @Test func aDoctypeAfterTheFirstBytesIsStillRefusedByTheParser() throws {
    // 10 kB of comment pushes the DOCTYPE past the pre-scan; libxml2's node check catches it.
    let padding = "<!--" + String(repeating: "x", count: 10_000) + "-->\n"
    let xml =
      "<?xml version=\"1.0\"?>\n" + padding
      + "<!DOCTYPE rss [<!ENTITY a \"aaaa\">]>\n<rss><channel><item><g:id>&a;</g:id></item></channel></rss>\n"
    let reader = try MerchantXMLReader(
      source: ByteSource(bytes: Array(xml.utf8), name: "late.xml"), options: FeedOptions())
    #expect(throws: FeedError.self) { _ = try reader.next() }
  }

  @Test func anEntityReferenceWithoutADoctypeIsMalformed() throws {
    let xml = "<rss><channel><item><g:id>&undefined;</g:id></item></channel></rss>"
    let reader = try MerchantXMLReader(
      source: ByteSource(bytes: Array(xml.utf8), name: "e.xml"), options: FeedOptions())
    #expect(throws: FeedError.self) { _ = try reader.next() }
  }

  @Test func deepNestingHitsTheDepthLimitWithoutCrashing() throws {
    let error = try #require(try Self.error(of: "deep-nesting.xml"))
    #expect(error.exitStatus == .dataError)
    #expect(error.location?.line == 14)
    #expect(error.description.contains("depth"))
  }

  @Test func aTruncatedFeedIsMalformedAtItsEnd() throws {
    let error = try #require(try Self.error(of: "truncated.xml"))
    #expect(error.location?.line == 29)
    #expect(error.location?.column == 13)
  }

  @Test func anUnclosedQuoteIsReportedWhereItOpens() throws {
    let error = try #require(try Self.error(of: "unclosed-quote.csv"))
    #expect(
      error as? CSVError
        == .unterminatedQuote(
          InputLocation(file: fixtures + "/hostile/unclosed-quote.csv", line: 4, column: 3)))
  }

  @Test func invalidUTF8IsReportedWithLineFieldAndByteOffset() throws {
    let error = try #require(try Self.error(of: "invalid-utf8.csv"))
    #expect(
      error as? CSVError
        == .invalidUTF8(
          InputLocation(file: fixtures + "/hostile/invalid-utf8.csv", line: 3, column: 2),
          byteOffset: 272))
    let latin1 = try scan("hostile/invalid-utf8.csv", options: FeedOptions(encoding: .latin1))
    #expect(latin1.records.map(\.id) == ["DE-1001", "DE-1007", "DE-1004"])
  }

  @Test func utf16AndEmptyFilesAreRefused() throws {
    #expect(try Self.error(of: "utf16-bom.csv") is CSVError)
    #expect(try Self.error(of: "empty.csv") is CSVError)
    #expect(try scan("hostile/header-only.csv").summary.items == 0)
  }

  @Test func aNULIsAFindingAndTheValueIsNotCut() throws {
    let result = try scan("hostile/nul-bytes.csv")
    let finding = try #require(result.findings.first { $0.rule == "control-character" })
    #expect(finding.location.line == 3)
    #expect(finding.location.column == 2)
    #expect(result.records[1][.title].utf8.contains(0))
    #expect(result.summary.rejected == 1)
  }

  @Test func mixedLineEndingsReadFourRecordsOnTheirLines() throws {
    let result = try scan("hostile/mixed-line-endings.csv")
    #expect(result.records.map(\.location.line) == [2, 3, 5, 6])
    #expect(result.records[1][.description] == "Aluminium,\r\nfür Gas und Induktion")
    #expect(result.summary.errors == 0)
  }

  @Test func aRaggedRowIsOneFindingOnItsLine() throws {
    let result = try scan("hostile/ragged-row.csv")
    #expect(result.findings.map(\.rule) == ["ragged-row"])
    #expect(result.findings.first?.location.line == 4)
    #expect(result.summary.items == 4)
  }

  @Test func aTenMegabyteFieldIsReadInBoundedMemory() throws {
    let big = String(repeating: "Lorem, \"\"ipsum\"\" ", count: 10 << 20 / 18)
    let csv = "id,title,description\nX-1,Big,\"\(big)\"\n"
    let reader = try ProductCSVReader(
      source: ByteSource(bytes: Array(csv.utf8), name: "big.csv"), options: FeedOptions())
    let record = try #require(try reader.next())
    // Doubled quotes read as one; the trailing space is trimmed like every value's.
    let expected = big.replacingOccurrences(of: "\"\"", with: "\"").dropLast()
    #expect(record[.description] == expected)
    // No memory bound here: the suite's tests share one process (the 1,000-merchant manifest
    // test, sanitizer quarantine), so its peak RSS says nothing of this reader. Memory is
    // measured where the process is alone: `feed check` at 1M and 5M rows in BENCHMARKS.md.
  }

  @Test func anUnclosedQuoteBeforeMuchDataStopsAtTheFieldLimit() throws {
    let bytes =
      Array("id,title\nX-1,\"never closed ".utf8)
      + [UInt8](repeating: UInt8(ascii: "a"), count: CSVReader.fieldLimit + 1024)
    let reader = CSVReader(source: ByteSource(bytes: bytes, name: "open.csv"))
    _ = try reader.next()
    #expect(
      throws: CSVError.fieldTooLong(
        InputLocation(file: "open.csv", line: 2, column: 2), limit: CSVReader.fieldLimit)
    ) {
      _ = try reader.next()
    }
  }

  /// A wide header is read in linear time.
  ///
  /// Ten times the columns take about ten times as long (a quadratic header took a hundred).
  /// A ratio, not a time: the sanitizer runs are 10–30× slower.
  @Test func a100kColumnHeaderIsReadInLinearTime() throws {
    func read(_ count: Int) throws -> Duration {
      let columns = (0..<count).map { "c\($0)" }.joined(separator: ",")
      let bytes = Array("id,\(columns)\nX-1,\(columns)\n".utf8)
      let started = ContinuousClock.now
      let reader = try ProductCSVReader(
        source: ByteSource(bytes: bytes, name: "wide.csv"), options: FeedOptions())
      let record = try #require(try reader.next())
      #expect(record.custom.count == count)
      return ContinuousClock.now - started
    }
    let small = try min(read(10_000), read(10_000))
    let large = try read(100_000)
    #expect(large < small * 40, "10k columns: \(small), 100k: \(large)")
  }
}

@Suite struct CompressedInputTests {
  @Test(arguments: ["de-rss.xml", "pl-semicolon.csv"])
  func gzipFeedsReadLikeTheirUncompressedSelves(file: String) throws {
    #expect(try normalized("feeds/\(file).gz") == normalized("feeds/\(file)"))
  }

  @Test func truncatedAndFakeGzipAreRefused() throws {
    #expect(throws: SourceError.self) { _ = try scan("hostile/truncated.xml.gz") }
    #expect(throws: SourceError.self) { _ = try scan("hostile/not-gzip.csv.gz") }
    do {
      _ = try scan("hostile/not-gzip.csv.gz")
    } catch let error as SourceError {
      #expect(error.exitStatus == .dataError)
      #expect(error.description.contains("not valid gzip data"))
    }
  }
}

/// Hardening class 8: what looks the same to a person is the same id; what is not text says so.
@Suite struct TextIdentityTests {
  let folder = NSTemporaryDirectory() + "mkt-identity-" + UUID().uuidString

  func write(_ bytes: [UInt8], _ name: String) throws -> String {
    try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
    let path = folder + "/" + name
    try Data(bytes).write(to: URL(fileURLWithPath: path))
    return path
  }

  @Test func composedAndDecomposedIdsAreOneIdAndADuplicate() throws {
    let composed = "caf\u{E9}"
    let decomposed = "cafe\u{301}"
    #expect(Array(composed.utf8) != Array(decomposed.utf8))
    let header = "id,title,description,link,image_link,availability,price\n"
    let row = ",Coffee,Beans.,https://x.example/c,https://x.example/c.jpg,in_stock,9.00 EUR\n"
    let path = try write(
      Array((header + composed + row + decomposed + row).utf8), "cafe.csv")
    var records: [ProductRecord] = []
    var findings: [RowIssue] = []
    _ = try FeedScan.run(path: path, options: FeedOptions()) { record, found in
      records.append(record)
      findings += found
    }
    #expect(records.map { Array($0.id.utf8) } == [Array(composed.utf8), Array(composed.utf8)])
    #expect(findings.filter { $0.severity == .error }.map(\.rule) == ["duplicate-id"])
    #expect(ProductRecord.composed(decomposed).utf8.elementsEqual(composed.utf8))
  }

  @Test func utf16WithoutAByteOrderMarkIsNamedWithoutNULBytes() throws {
    let text = "id,title\nA1,Chair\n"
    var bytes: [UInt8] = []
    for unit in text.utf16 { bytes += [UInt8(unit & 0xFF), UInt8(unit >> 8)] }
    let path = try write(bytes, "utf16.csv")
    let error = #expect(throws: CSVError.self) {
      try FeedScan.run(path: path, options: FeedOptions()) { _, _ in }
    }
    #expect(error == .nulBytes(file: path))
    #expect(error?.description.contains("\u{0}") == false)
    #expect(error?.exitStatus == .dataError)
  }
}
