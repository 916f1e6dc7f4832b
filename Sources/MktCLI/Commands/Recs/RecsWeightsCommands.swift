import ArgumentParser
import Foundation
import MktCore
import Recommendations
import Store

/// `mkt recs weights show|set`.
struct RecsWeightsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "weights", abstract: "Show or set how much each strategy counts.",
    subcommands: [
      RecsWeightsShowCommand.self, RecsWeightsSetCommand.self, RecsWeightsResetCommand.self,
    ],
    defaultSubcommand: RecsWeightsShowCommand.self)

  static func write(_ weights: Weights, _ out: Output, json: Bool) throws {
    if json {
      try out.write(Output.json(weights, pretty: true) + "\n")
      return
    }
    for strategy in Weights.blended {
      try out.write(
        strategy.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
          + String(format: "%.3f", weights[strategy]) + "\n")
    }
  }
}

/// `--experiment E --variant V`: the weights of one variant of an A/B test.
struct RecsVariantOptions: ParsableArguments {
  @Option(help: "An A/B test (mkt ab create) whose --variant gets weights of its own.")
  var experiment: String?
  @Option(help: "The variant of --experiment.") var variant: String?

  func validate() throws {
    guard (experiment == nil) == (variant == nil) else {
      throw ValidationError("--experiment and --variant go together")
    }
  }

  var weightsVariant: WeightsVariant? {
    guard let experiment, let variant else { return nil }
    return WeightsVariant(experiment: experiment, variant: variant)
  }
}

/// `mkt recs weights show`.
struct RecsWeightsShowCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "show", abstract: "The weights in force (set, tuned, or the design's).",
    discussion: """
      With --experiment and --variant, the weights that variant recommends with (its own, \
      else the ensemble's); the variants with weights of their own are listed after the \
      ensemble's otherwise.
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup(title: "A/B variant") var variant: RecsVariantOptions

  func run() async throws {
    let service = RecommendationService(store: try global.openStore(.reading))
    let out = Output(global, output)
    let weights = try await service.weights(variant: variant.weightsVariant)
    try RecsWeightsCommand.write(weights, out, json: output.format == .json)
    guard variant.weightsVariant == nil, output.format != .json else { return }
    for (variant, weights) in try await service.variantWeights() {
      try out.write("\nvariant \(variant.variant) of experiment \(variant.experiment):\n")
      try RecsWeightsCommand.write(weights, out, json: false)
    }
  }
}

/// `mkt recs weights set NAME=W…`.
struct RecsWeightsSetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "set",
    abstract: "Set the ensemble's weights.",
    discussion: """
      Name each strategy with its weight; strategies not named get 0. Weights that do not sum \
      to 1 are divided by their sum (with a warning); a negative weight is refused (65). The \
      weights are kept in the database across trainings.

      With --experiment and --variant (an A/B test of mkt ab create), the weights are that \
      variant's alone: mkt recs for-user U --experiment E recommends to each shopper with \
      their variant's weights (the ensemble's where it has none), the storefront logs events \
      with the experiment and variant, and mkt ab report E compares the variants.

      Examples:
        mkt recs weights set collaborative=0.3 content=0.25 trending=0.15 cross-sell=0.2 \
      seasonal=0.1 re-buy=0.25
        mkt recs weights set --experiment recs-blend --variant B content=0.5 re-buy=0.5
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup(title: "A/B variant") var variant: RecsVariantOptions
  @Argument(help: "strategy=weight pairs.") var pairs: [String]

  func run() async throws {
    var values: [Strategy: Double] = [:]
    for pair in pairs {
      let parts = pair.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2, let strategy = Strategy(rawValue: parts[0]),
        strategy != .popularity, let weight = Double(parts[1])
      else {
        throw ValidationError(
          "'\(pair)' is not strategy=weight; strategies: "
            + Weights.blended.map(\.rawValue).joined(separator: ", "))
      }
      values[strategy] = weight
    }
    let out = Output(global, output)
    let total = values.values.reduce(0, +)
    if total > 0, abs(total - 1) > 1e-9, values.values.allSatisfy({ $0 >= 0 }) {
      out.warn("the weights sum to \(total): divided by it so that they sum to 1")
    }
    let stored = try await RecommendationService(store: global.openStore())
      .setWeights(Weights(values: values), variant: variant.weightsVariant)
    try RecsWeightsCommand.write(stored, out, json: output.format == .json)
  }
}

/// `mkt recs weights reset`.
struct RecsWeightsResetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "reset",
    abstract: "Go back to the design's weights (a variant: to the ensemble's).")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @OptionGroup(title: "A/B variant") var variant: RecsVariantOptions

  func run() async throws {
    let weights = try await RecommendationService(store: global.openStore()).resetWeights(
      variant: variant.weightsVariant)
    try RecsWeightsCommand.write(weights, Output(global, output), json: output.format == .json)
  }
}

/// `mkt recs tune`.
struct RecsTuneCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tune",
    abstract: "Fit the ensemble's weights on a validation window and report the gain.",
    discussion: """
      Models are trained on the events before the validation window (the --holdout-days days \
      before the last --holdout-days); each strategy's weight in turn is scaled (×0, ×0.5, \
      ×0.75, ×1.5, ×2) and kept where the hit rate on the validation window rises, for up to \
      three rounds. Then both the weights in force and the fitted ones are scored on the last \
      --holdout-days days, which the fit never saw: the gain printed is that one. The fitted \
      weights are stored unless --dry-run.

      Example: mkt recs tune --holdout-days 7
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Option(help: "Days of each window.") var holdoutDays = 7
  @Flag(help: "Fit and report; keep the weights in force.") var dryRun = false

  func validate() throws {
    guard (1...180).contains(holdoutDays) else {
      throw ValidationError("--holdout-days is 1 to 180")
    }
  }

  func run() async throws {
    let tuning = try await RecommendationService(store: global.openStore())
      .tune(holdoutDays: holdoutDays, dryRun: dryRun)
    let out = Output(global, output)
    if output.format == .json {
      try out.write(Output.json(tuning, pretty: true) + "\n")
      return
    }
    func figure(_ value: Double) -> String { String(format: "%.4f", value) }
    var text = "strategy      before  after\n"
    for strategy in Weights.blended {
      text +=
        strategy.rawValue.padding(toLength: 14, withPad: " ", startingAt: 0)
        + String(format: "%.3f   %.3f", tuning.before[strategy], tuning.after[strategy]) + "\n"
    }
    text +=
      "hit rate@10 on validation: \(figure(tuning.validationBefore)) → "
      + "\(figure(tuning.validationAfter))\n"
    text +=
      "hit rate@10 on the last \(holdoutDays) days (unseen): \(figure(tuning.testBefore)) → "
      + "\(figure(tuning.testAfter))\n"
    try out.write(text)
    out.note(dryRun ? "dry run: the weights in force are kept" : "the fitted weights are in force")
  }
}

/// `mkt recs cart PRODUCT…`.
struct RecsCartCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "cart",
    abstract: "Cross-sell for a basket: what shoppers added after these products.",
    discussion: "Example: mkt recs cart SKU-0000042 SKU-0000077")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Argument(help: "The basket's product ids.") var products: [String]
  @OptionGroup var list: RecsListOptions

  func validate() throws {
    guard !products.isEmpty else { throw ValidationError("name the basket's products") }
  }

  func run() async throws {
    let list = try await RecommendationService(store: global.openStore(.reading)).cart(
      products, self.list.options())
    try RecsOutput.write(list, explain: false, Output(global, output), output.format)
  }
}

/// `mkt recs trending`.
struct RecsTrendingCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "trending",
    abstract: "Products rising against their own earlier rate.",
    discussion: """
      Trend = the events of the last 7 days (view 1, cart 3, purchase 5, halving every 3 \
      days) × how far they rose above the product's own weekly rate of the 4 weeks before \
      ((recent + 5) ÷ (earlier + 5), at most 10): a launch rises above the evergreen best \
      sellers. --category keeps the categories whose path starts with the text.

      Example: mkt recs trending --category "Home > Kitchen"
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Only categories whose path starts with this.") var category: String?
  @OptionGroup var list: RecsListOptions

  func run() async throws {
    let list = try await RecommendationService(store: global.openStore(.reading)).trending(
      category: category, self.list.options())
    try RecsOutput.write(list, explain: false, Output(global, output), output.format)
  }
}
