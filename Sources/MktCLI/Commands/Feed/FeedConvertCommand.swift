import ArgumentParser
import Importers

/// `mkt feed convert FILE --to csv|tsv|xml|jsonl`.
struct FeedConvertCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "convert",
    abstract: "Convert a feed to Merchant Center CSV, TSV, RSS XML, or canonical JSON lines.",
    discussion: "Example: mkt feed convert shopify-export.csv --currency EUR --to xml -o feed.xml")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Reading") var reading: FeedReadOptions
  @Argument(help: "The feed.", completion: .file()) var file: String
  @Option(help: "The output format: csv, tsv, xml or jsonl.") var to: String
  @Option(name: .shortAndLong, help: "The output file (default: standard output).") var output:
    String?

  func validate() throws {
    guard FeedWriter.Format(rawValue: to) != nil else {
      throw ValidationError("--to must be csv, tsv, xml or jsonl, not '\(to)'")
    }
  }

  func run() async throws {
    guard let format = FeedWriter.Format(rawValue: to) else { return }
    let options = reading.options
    // CSV and TSV need every column up front: a first pass finds which attributes occur.
    var attributes = Set<Attribute>()
    var custom = Set<String>()
    var records: [ProductRecord] = []
    let twoPass = file != "-" && (format == .csv || format == .tsv)
    if format == .csv || format == .tsv {
      _ = try FeedScan.run(path: file, options: options) { record, _ in
        for attribute in Attribute.allCases where !record.all(attribute).isEmpty {
          attributes.insert(attribute)
        }
        custom.formUnion(record.custom.keys)
        if !twoPass { records.append(record) }
      }
    }
    let writer = FeedWriter(format: format, attributes: Array(attributes), custom: Array(custom))
    let out = try OutputFile(path: output)
    do {
      try out.write(writer.header)
      if format == .csv || format == .tsv, !twoPass {
        for record in records { try out.write(writer.record(record)) }
      } else {
        _ = try FeedScan.run(path: file, options: options) { record, _ in
          try out.write(writer.record(record))
        }
      }
      try out.write(writer.footer)
      try out.finish()
    } catch {
      out.abandon()
      throw error
    }
  }
}
