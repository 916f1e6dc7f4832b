import ArgumentParser
import Importers

/// `mkt feed normalize FILE -o OUT.jsonl`: canonical, deterministic JSON lines.
struct FeedNormalizeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "normalize",
    abstract: "Write a feed as canonical JSON lines, byte-for-byte deterministic.",
    discussion: """
      One object per item, keys sorted, values canonical (prices as 78.99 EUR, enumerations \
      as Merchant Center spells them, text in NFC with white space collapsed): the same \
      products in CSV, TSV or XML give the same bytes. The basis of golden files.

      Example: mkt feed normalize feed.xml -o feed.golden.jsonl
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Reading") var reading: FeedReadOptions
  @Argument(help: "The feed, or '-' for standard input.", completion: .file()) var file: String
  @Option(name: .shortAndLong, help: "The output file (default: standard output).") var output:
    String?

  func run() async throws {
    let out = try OutputFile(path: output)
    do {
      let normalizer = FeedNormalizer()
      _ = try FeedScan.run(path: file, options: reading.options) { record, _ in
        try out.write(normalizer.line(for: record) + "\n")
      }
      try out.finish()
    } catch {
      out.abandon()
      throw error
    }
  }
}
