import ArgumentParser
import Catalog
import Foundation
import Importers
import Localization
import Store

/// `mkt catalog export`: the catalog as a feed again.
struct CatalogExportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "export",
    abstract:
      "Write the catalog as canonical JSON lines, or as a Merchant Center CSV, TSV or XML feed.",
    discussion: """
      jsonl writes each product's canonical line as stored; csv, tsv and xml write a feed that \
      `mkt feed normalize` turns back into the same lines.

      Example: mkt catalog export --merchant acme-de --format xml -o acme-de.xml
      """)

  @OptionGroup var global: GlobalOptions
  @Option(help: "Only this merchant's products.") var merchant: String?
  @Option(help: "The format: jsonl, csv, tsv or xml.") var format = "jsonl"
  @Option(
    help: "Titles and descriptions in this country's languages where translated (BE: nl, fr, en).")
  var country: String?
  @Option(name: .shortAndLong, help: "The output file (default: standard output).") var output:
    String?

  func validate() throws {
    guard FeedWriter.Format(rawValue: format) != nil else {
      throw ValidationError("--format must be jsonl, csv, tsv or xml, not '\(format)'")
    }
  }

  func run() async throws {
    guard let format = FeedWriter.Format(rawValue: format) else { return }
    let store = try global.openStore(.reading)
    let catalog = CatalogService(store: store)
    var languages: [String] = []
    if let country {
      languages = try await LocaleService(store: store).country(country).translationFallback
    }
    // CSV and TSV need their columns first: one pass over the lines finds them.
    let columns = Columns()
    if format == .csv || format == .tsv {
      try await catalog.forEachLine(merchant: merchant, languages: languages) { line in
        guard let record = ProductRecord(canonicalJSON: line) else { return }
        columns.add(record)
      }
    }
    let (attributes, custom) = columns.snapshot
    let writer = FeedWriter(format: format, attributes: attributes, custom: custom)
    let out = try OutputFile(path: output)
    let sink = OutputSink(out)
    do {
      try out.write(writer.header)
      try await catalog.forEachLine(merchant: merchant, languages: languages) { line in
        if format == .jsonl {
          try sink.write(line + "\n")
        } else if let record = ProductRecord(canonicalJSON: line) {
          try sink.write(writer.record(record))
        }
      }
      try out.write(writer.footer)
      try out.finish()
    } catch {
      out.abandon()
      throw error
    }
  }

  /// The attributes and custom names the products use.
  final class Columns: @unchecked Sendable {
    // SAFETY: filled by one reader closure, read after it returns; the lock keeps TSan quiet.
    private let lock = NSLock()
    private var attributes = Set<Attribute>()
    private var custom = Set<String>()

    func add(_ record: ProductRecord) {
      lock.lock()
      defer { lock.unlock() }
      for attribute in Attribute.allCases where !record.all(attribute).isEmpty {
        attributes.insert(attribute)
      }
      custom.formUnion(record.custom.keys)
    }

    var snapshot: ([Attribute], [String]) {
      lock.lock()
      defer { lock.unlock() }
      return (Array(attributes), Array(custom))
    }
  }
}
