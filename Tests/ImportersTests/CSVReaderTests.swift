import Importers
import MktCore
import Testing

/// Reads all records of `text` with the given chunk size (small sizes cross chunk boundaries).
func records(
  _ text: String, delimiter: UInt8? = nil, encoding: TextEncoding = .utf8, chunkSize: Int = 1 << 18
) throws -> [CSVRecord] {
  try records(
    bytes: Array(text.utf8), delimiter: delimiter, encoding: encoding, chunkSize: chunkSize)
}

func records(
  bytes: [UInt8], delimiter: UInt8? = nil, encoding: TextEncoding = .utf8,
  chunkSize: Int = 1 << 18
) throws -> [CSVRecord] {
  let reader = CSVReader(
    source: ByteSource(bytes: bytes, name: "t.csv"), delimiter: delimiter, encoding: encoding,
    chunkSize: chunkSize)
  var result: [CSVRecord] = []
  while let record = try reader.next() { result.append(record) }
  return result
}

@Suite struct CSVReaderTests {
  static let chunkSizes = [16, 17, 1 << 18]

  @Test(arguments: chunkSizes)
  func readsQuotedFieldsWithDelimitersQuotesAndLineBreaks(chunkSize: Int) throws {
    let text = "id,title,note\r\n1,\"Chair, oak\",\"say \"\"hi\"\"\"\r\n2,\"two\nlines\",x\r\n3,,\n"
    let rows = try records(text, chunkSize: chunkSize)
    #expect(
      rows.map(\.fields) == [
        ["id", "title", "note"], ["1", "Chair, oak", "say \"hi\""], ["2", "two\nlines", "x"],
        ["3", "", ""],
      ])
    #expect(rows.map(\.line) == [1, 2, 3, 5])
  }

  @Test(arguments: chunkSizes)
  func countsLinesForLFCRLFAndCR(chunkSize: Int) throws {
    for ending in ["\n", "\r\n", "\r"] {
      let text = ["a,b", "1,2", "", "3,4"].joined(separator: ending) + ending
      let rows = try records(text, chunkSize: chunkSize)
      #expect(
        rows.map(\.fields) == [["a", "b"], ["1", "2"], ["3", "4"]],
        "ending \(ending.debugDescription)")
      #expect(rows.map(\.line) == [1, 2, 4], "ending \(ending.debugDescription)")
    }
  }

  @Test func skipsAUTF8ByteOrderMarkAndReadsALastLineWithoutBreak() throws {
    let rows = try records(bytes: [0xEF, 0xBB, 0xBF] + Array("id,name\nM1,Ä".utf8))
    #expect(rows.map(\.fields) == [["id", "name"], ["M1", "Ä"]])
  }

  @Test func keepsAQuoteInsideAnUnquotedField() throws {
    #expect(try records("a,b\n15\" laptop,x\n")[1].fields == ["15\" laptop", "x"])
  }

  @Test(arguments: [
    ("a;b;c\n1;2;3\n", UInt8(ascii: ";")), ("a\tb\n1\t2\n", 9), ("a|b\n", UInt8(ascii: "|")),
    ("a,b\n", UInt8(ascii: ",")), ("\"x;y\",b,c\n", UInt8(ascii: ",")),
  ])
  func sniffsTheDelimiterFromTheHeaderLine(text: String, expected: UInt8) throws {
    let reader = CSVReader(source: ByteSource(bytes: Array(text.utf8), name: "t"))
    _ = try reader.next()
    #expect(reader.delimiter == expected)
  }

  @Test func reportsAnUnclosedQuoteWhereItOpens() throws {
    #expect(throws: CSVError.unterminatedQuote(InputLocation(file: "t.csv", line: 2, column: 2))) {
      try records("a,b\n1,\"open\n2,3\n")
    }
  }

  @Test func reportsTextAfterAClosingQuote() throws {
    #expect(
      throws: CSVError.textAfterClosingQuote(
        InputLocation(file: "t.csv", line: 2, column: 1), found: "'x'")
    ) {
      try records("a,b\n\"q\"x,2\n")
    }
  }

  @Test func reportsInvalidUTF8WithLineAndByteOffset() throws {
    // "a,b\n" is 4 bytes, "ok," 3 more: the bad byte 0xE9 sits at offset 7.
    let bytes = Array("a,b\nok,".utf8) + [0x63, 0x61, 0x66, 0xE9] + Array("\n".utf8)
    #expect(
      throws: CSVError.invalidUTF8(InputLocation(file: "t.csv", line: 2, column: 2), byteOffset: 10)
    ) {
      try records(bytes: bytes)
    }
  }

  @Test func decodesLatin1AndWindows1252() throws {
    let bytes: [UInt8] = [0x63, 0x61, 0x66, 0xE9, 0x2C, 0x80, 0x0A]  // "café,€" in Windows-1252
    #expect(try records(bytes: bytes, encoding: .windows1252)[0].fields == ["café", "€"])
    #expect(try records(bytes: bytes, encoding: .latin1)[0].fields == ["café", "\u{80}"])
  }

  @Test func refusesUTF16() throws {
    #expect(throws: CSVError.utf16(file: "t.csv")) {
      try records(bytes: [0xFF, 0xFE, 0x61, 0x00])
    }
  }

  @Test func anEmptyFileHasNoRecords() throws {
    #expect(try records("").isEmpty)
    #expect(try records("\n\n").isEmpty)
  }
}

@Suite struct CSVHeaderTests {
  @Test(arguments: [
    ("Image Link", "image_link"), ("image-link", "image_link"), (" ID ", "id"),
    ("image__link", "image_link"), ("Prices", "prices"),
  ])
  func normalisesNames(raw: String, expected: String) {
    #expect(CSVHeader.normalize(raw) == expected)
  }

  @Test func findsColumnsByNormalisedName() {
    #expect(CSVHeader(["ID", "Image Link"]).index(of: "image_link") == 1)
  }
}

@Suite struct XMLLibraryTests {
  @Test func reportsTheLinkedVersion() {
    #expect(XMLLibrary.version.hasPrefix("2."))
  }
}
