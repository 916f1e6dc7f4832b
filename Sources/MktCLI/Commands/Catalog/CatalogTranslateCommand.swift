import ArgumentParser
import Catalog
import Foundation
import MktCore

/// `mkt catalog translate`.
struct CatalogTranslateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "translate",
    abstract: "Per-language product titles and descriptions.",
    subcommands: [CatalogTranslateImportCommand.self])
}

/// `mkt catalog translate import FILE`.
struct CatalogTranslateImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Store translated titles and descriptions: all rows or none.",
    discussion: """
      CSV (id,language,field,text[,merchant_id]) or JSON lines with those keys; field is title \
      or description (HTML is stored as plain text). Search results and exports for a country \
      (--country) show the first of its languages that has a text (BE: nl, fr, en), else the \
      product's own.

      Example: mkt catalog translate import titles-fr.csv --merchant kuechenwelt-de
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The merchant of every row (else each row's merchant_id).") var merchant: String?
  @Flag(help: "Validate and show what would change; write nothing.") var dryRun = false
  @Option(help: "Skip and report up to N bad rows; one more aborts with nothing written.")
  var maxErrors = 0
  @Option(help: ArgumentHelp("Write every rejected row to this file as NDJSON.", valueName: "file"))
  var errors: String?
  @Argument(help: "The file, '-' for standard input.", completion: .file()) var file: String

  func run() async throws {
    try ImportContractOptions.checkErrorsPath(errors)
    let out = Output(global, output)
    let bytes = try await InputFile.bytes(file)
    let summary: CatalogService.TranslationSummary
    do {
      summary = try await CatalogService(store: global.openStore()).importTranslations(
        bytes: bytes, source: file, merchant: merchant,
        options: ImportOptions(dryRun: dryRun, maxErrors: maxErrors))
    } catch let error as ImportError {
      if case .tooManyErrors(_, _, _, let issues) = error {
        try ImportContractOptions.writeErrors(issues, to: errors)
      }
      throw error
    }
    try ImportContractOptions.writeErrors(summary.issues, to: errors)
    for issue in summary.issues.prefix(Output.detailLimit) { out.warn("\(issue)") }
    try out.result(summary) { global.quiet ? "" : "\(file): \($0.line)" }
  }
}
