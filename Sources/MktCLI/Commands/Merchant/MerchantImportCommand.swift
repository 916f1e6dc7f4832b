import ArgumentParser
import Foundation
import Merchants
import MktCore

/// `mkt merchant import FILE`: many merchants at once, under the import contract.
struct MerchantImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Add, change or remove merchants from a CSV file, all or nothing.",
    discussion: """
      The header names the columns: id,name,country,currency,prices,domain (id, name and \
      country required; currency defaults to the country's, prices to gross). An empty cell \
      keeps the stored value; __EMPTY__ clears it.

      Example: mkt merchant import merchants.csv --dry-run --json
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup(title: "Import") var contract: ImportContractOptions
  @Argument(
    help: "The CSV file, or '-' for standard input.", completion: .file(extensions: ["csv"]))
  var file: String

  func run() async throws {
    let out = Output(global, output)
    let service = MerchantService(store: try global.openStore())
    let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? NSNumber)??
      .int64Value
    let progress = out.progress(label: "merchants", totalBytes: size)
    defer { progress?.finish() }
    let options = contract.options
    let summary = try await contract.run {
      try await service.importCSV(path: file, options: options) { progress?.update(Int64($0)) }
    }
    for issue in summary.issues.prefix(Output.detailLimit) { out.warn("\(issue)") }
    try out.result(summary) { global.quiet ? "" : $0.line }
  }
}
