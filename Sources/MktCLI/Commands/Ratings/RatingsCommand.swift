import ArgumentParser
import Catalog
import Foundation
import Importers
import MktCore
import Store

/// `mkt ratings`: product reviews and the ratings made from them.
struct RatingsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ratings", abstract: "Product ratings: import review feeds, show a rating.",
    subcommands: [RatingsImportCommand.self, RatingsShowCommand.self])
}

/// `mkt ratings import FILE`.
struct RatingsImportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Store the reviews of a product ratings feed: all of them or none.",
    discussion: """
      Google Merchant Center's product review feed (XML: feed/reviews/review with review_id, \
      reviewer/name, review_timestamp, ratings/overall with min and max, and \
      products/product/product_ids with skus/sku and gtins/gtin), or a CSV with the header \
      review_id,product_id,rating[,min,max,gtin,reviewer,timestamp] (min 1 and max 5 when \
      absent). Ratings are normalised to 0–5. A review is matched to the catalog's products by \
      sku (the product id) or gtin; one of a product the catalog lacks is counted and listed \
      (--errors), not stored. A rating outside its range, a review without a product id, and a \
      review id given twice are rejected at their line (--max-errors). Imported again, a \
      review replaces itself. Each product's rating is its reviews' mean, and its score the \
      mean pulled towards the mean of every review by 5 imaginary reviews (a Bayesian \
      average: one 5-star review does not outrank 200 at 4.8). XML is read hardened: no \
      DOCTYPE, no entities, no network.

      Example: mkt ratings import product-reviews.xml --errors rejected.ndjson
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Flag(help: "Validate and show what would change; write nothing.") var dryRun = false
  @Option(help: "Skip and report up to N bad reviews; one more aborts with nothing written.")
  var maxErrors = 0
  @Option(
    help: ArgumentHelp("Write every rejected review to this file as NDJSON.", valueName: "file"))
  var errors: String?
  @Argument(help: "The file, '-' for standard input.", completion: .file()) var file: String

  func validate() throws {
    guard maxErrors >= 0 else { throw ValidationError("--max-errors must be 0 or more") }
  }

  func run() async throws {
    try ImportContractOptions.checkErrorsPath(errors)
    let out = Output(global, output)
    let bytes = try await InputFile.bytes(file)
    let summary: RatingsSummary
    do {
      summary = try await CatalogService(store: global.openStore()).importRatings(
        bytes: bytes, source: file, options: ImportOptions(dryRun: dryRun, maxErrors: maxErrors))
    } catch let error as ImportError {
      if case .tooManyErrors(_, _, _, let issues) = error {
        try ImportContractOptions.writeErrors(issues, to: errors)
      }
      throw error
    }
    try ImportContractOptions.writeErrors(summary.issues, to: errors)
    for issue in summary.issues.prefix(Output.detailLimit) {
      if issue.severity == .warning { out.note("\(issue)") } else { out.warn("\(issue)") }
    }
    if summary.issues.count > Output.detailLimit {
      out.warn(
        "… \(summary.issues.count - Output.detailLimit) more (--errors FILE lists them all)")
    }
    try out.result(summary) { global.quiet ? "" : "\(file): \($0.line)" }
  }
}

/// `mkt ratings show PRODUCT`.
struct RatingsShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "A product's rating: mean, reviews and Bayesian score.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "The product's merchant, when several sell the id.") var merchant: String?
  @Argument(help: "The product id.") var product: String

  func run() async throws {
    let out = Output(global, output)
    guard
      let rating = try await CatalogService(store: global.openStore(.reading)).rating(
        of: product, merchant: merchant)
    else {
      out.note("\(product) has no review")
      if output.format == .json { try out.write("null\n") }
      return
    }
    try out.result(rating) {
      "\($0.product) (\($0.merchant)): \(String(format: "%.2f", $0.average)) of 5 from "
        + "\($0.reviews) review\($0.reviews == 1 ? "" : "s"), score "
        + String(format: "%.2f", $0.score)
    }
  }
}
