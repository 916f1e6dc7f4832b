import Foundation
import Testing

/// No floating point on a money path: the files that hold, compute, convert, round or format
/// amounts never name `Double` or `Float` (DESIGN.md §3; issue #7).
@Suite struct MoneyPathLintTests {
  static let root = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

  static let moneyPaths = [
    "Sources/MktCore/Money.swift", "Sources/MktCore/ExactDecimal.swift",
    "Sources/Platform/Pricing", "Sources/Platform/Localization", "Sources/Importers/ECB",
  ]

  @Test func moneyPathsNameNoFloatingPointType() throws {
    var checked = 0
    for path in Self.moneyPaths {
      let url = Self.root.appendingPathComponent(path)
      var files = [url]
      if let names = try? FileManager.default.contentsOfDirectory(atPath: url.path) {
        files = names.filter { $0.hasSuffix(".swift") }.map { url.appendingPathComponent($0) }
      }
      for file in files {
        let text = try String(contentsOf: file, encoding: .utf8)
        checked += 1
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false)
          .enumerated()
        {
          let code =
            line.split(separator: "//", maxSplits: 1, omittingEmptySubsequences: false).first ?? ""
          for word in ["Double", "Float", "Float32", "Float64", "CGFloat"] {
            let found = code.split(whereSeparator: { !$0.isLetter && !$0.isNumber }).contains {
              $0 == word
            }
            #expect(!found, "\(file.lastPathComponent):\(number + 1) names \(word)")
          }
        }
      }
    }
    #expect(checked >= 15)
  }
}
