import Foundation
import Testing

@testable import MktCLI

/// `--max-bytes` sizes, and the defaults of each kind of fetched file.
@Suite struct FetchOptionsTests {
  @Test(
    arguments: [
      ("1000000", 1_000_000), ("1K", 1024), ("64M", 64 << 20), ("64m", 64 << 20),
      ("64MiB", 64 << 20), ("2GB", 2 << 30), ("1T", 1 << 40), ("100B", 100),
    ] as [(String, Int64)])
  func sizesAreBytesOrPowersOf1024(text: String, bytes: Int64) {
    #expect(ByteCount(argument: text)?.bytes == bytes)
  }

  @Test(arguments: ["", "M", "-1", "1.5G", "1 G", "1X", "99999999999999999999", "9999999999T"])
  func otherSizesAreRejected(text: String) {
    #expect(ByteCount(argument: text) == nil)
  }

  @Test func defaultsAreShownInTheirUnit() {
    #expect(ByteCount(2 << 30).defaultValueDescription == "2G")
    #expect(ByteCount(64 << 20).defaultValueDescription == "64M")
    #expect(ByteCount(1000).defaultValueDescription == "1000")
  }

  @Test(arguments: [
    (["import"], "600.0", "2G"), (["currency", "import"], "60.0", "64M"),
    (["inventory", "sync"], "120.0", "256M"),
  ])
  func eachKindOfFileHasItsOwnDefaults(command: [String], timeout: String, size: String) throws {
    let help = try mkt(command + ["--help"], in: packageRoot).stdout
      .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    #expect(help.contains("retry with its wait (0.1 to 86400). (default: \(timeout))"), "\(help)")
    #expect(help.contains("refused with exit 69. (default: \(size))"), "\(help)")
  }
}
