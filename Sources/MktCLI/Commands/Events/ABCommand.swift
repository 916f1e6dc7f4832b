import Analytics
import ArgumentParser
import Foundation
import MktCore
import Store

/// `mkt ab`: A/B tests over the events.
struct ABCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "ab", abstract: "A/B tests: plan them, assign users, read the result.",
    subcommands: [
      ABCreateCommand.self, ABListCommand.self, ABAssignCommand.self, ABReportCommand.self,
    ])
}

/// `mkt ab create NAME`.
struct ABCreateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "create",
    abstract: "Plan an experiment and print the users each variant needs.",
    discussion: """
      The sample size is for a two-sided test at 5 % with 80 % power to detect --min-effect, a \
      relative lift (2% is 0.05 → 0.051), on the current conversion (sessions with a purchase \
      ÷ sessions, last 28 days) or revenue per visitor, unless --baseline gives it. Events \
      tagged "experiment": NAME, "variant": V count for the variant.

      Example: mkt ab create checkout-button --variants control,b --split 50,50 --min-effect 5%
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The experiment's name.") var name: String
  @Option(help: "The variants, the control first.") var variants = "control,b"
  @Option(help: "Percentages of users per variant, summing to 100 (default: even).")
  var split: String?
  @Option(help: "conversion or revenue_per_visitor.") var metric = "conversion"
  @Option(help: ArgumentHelp("The smallest relative lift worth detecting.", valueName: "percent"))
  var minEffect = "2%"
  @Option(help: "The metric's current value (default: from the events).") var baseline: Double?

  func run() async throws {
    guard let effect = Self.percent(minEffect) else {
      throw ValidationError("--min-effect is a percentage such as 2% or 0.02, not '\(minEffect)'")
    }
    var shares: [Int]?
    if let split {
      let parts = split.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
      guard parts.allSatisfy({ $0 != nil }) else {
        throw ValidationError("--split takes whole percentages, such as 50,50")
      }
      shares = parts.compactMap { $0 }
    }
    let experiment = try await AnalyticsService(store: global.openStore()).createExperiment(
      name: name, variants: variants.split(separator: ",").map(String.init), split: shares,
      metric: metric, minEffect: effect, baseline: baseline)
    let out = Output(global, output)
    if output.format == .json {
      try out.write(Output.json(experiment, pretty: true) + "\n")
    } else {
      try out.write(
        "experiment \(experiment.name): "
          + zip(experiment.variants, experiment.split).map { "\($0) \($1)%" }
          .joined(separator: ", ") + "\n"
          + "metric \(experiment.metric), baseline \(String(format: "%.4g", experiment.baseline)), "
          + "minimum lift \(String(format: "%g", effect * 100))%\n"
          + "needs \(experiment.plannedUsers) users per variant "
          + "(two-sided 5 %, power 80 %); mkt ab report \(experiment.name) names no winner "
          + "before every variant has them\n")
    }
  }

  /// `2%`, `2` (percent) or `0.02`.
  static func percent(_ text: String) -> Double? {
    if text.hasSuffix("%") { return Double(text.dropLast()).map { $0 / 100 } }
    guard let value = Double(text) else { return nil }
    return value >= 1 ? value / 100 : value
  }
}

/// `mkt ab list`.
struct ABListCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "list", abstract: "The experiments planned, with their variants and sample sizes.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions

  func run() async throws {
    let experiments = try await AnalyticsService(store: global.openStore(.reading)).experiments()
    let out = Output(global, output)
    if experiments.isEmpty { out.note("no experiments yet (mkt ab create NAME)") }
    try out.rows(
      experiments,
      columns: [
        ("name", \.name), ("variants", { $0.variants.joined(separator: ",") }),
        ("split", { $0.split.map(String.init).joined(separator: ",") }), ("metric", \.metric),
        ("min_effect", { String(format: "%g%%", $0.minEffect * 100) }),
        ("planned_users", { String($0.plannedUsers) }),
      ])
  }
}

/// `mkt ab assign NAME USER`.
struct ABAssignCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "assign",
    abstract: "Print a user's variant: the same everywhere, computable by a storefront.",
    discussion: """
      The bucket is the FNV-1a 64-bit hash (offset basis 14695981039346656037, prime \
      1099511628211) of the UTF-8 bytes of NAME:USER, shifted right by 32 bits, modulo 100; \
      the variant is the first whose running total of split percentages exceeds the bucket.

      Example: mkt ab assign checkout-button u12345
      """)

  @OptionGroup var global: GlobalOptions
  @Argument(help: "The experiment.") var name: String
  @Argument(help: "The user's id, as events name it.") var user: String

  func run() async throws {
    let experiment = try await AnalyticsService(store: global.openStore(.reading))
      .experiment(name)
    try Output(quiet: global.quiet).write(experiment.variant(of: user) + "\n")
  }
}

/// `mkt ab report NAME`.
struct ABReportCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "report",
    abstract:
      "Users, conversions, lift with its 95 % interval, p-value, sample-ratio check, verdict.",
    discussion: """
      Conversion is users with a purchase ÷ users, tested with a two-proportion z-test; revenue \
      per visitor with Welch's t-test. The test has a fixed horizon: the verdict names no \
      winner before every variant has the users `mkt ab create` planned (looking earlier and \
      stopping at the first good p-value would find winners that are not). A χ² test checks \
      that the users per variant match the split: a mismatch means assignment or tracking is \
      broken.

      Example: mkt ab report checkout-button --json
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: OutputOptions
  @Argument(help: "The experiment.") var name: String

  func run() async throws {
    let report = try await AnalyticsService(store: global.openStore(.reading))
      .experimentReport(name)
    let out = Output(global, output)
    for note in report.notes { out.note(note) }
    if output.format == .json {
      try out.write(Output.json(report, pretty: true) + "\n")
      return
    }
    func percent(_ value: Double?) -> String {
      value.map { String(format: "%+.1f%%", $0 * 100) } ?? "-"
    }
    let rows = report.variants.map { variant in
      [
        variant.variant, String(variant.users), String(variant.conversions),
        String(format: "%.2f%%", variant.rate * 100),
        String(format: "%.2f", variant.revenuePerVisitor), percent(variant.lift),
        variant.liftLow.map { "\(percent($0)) to \(percent(variant.liftHigh))" } ?? "-",
        variant.pValue.map { String(format: "%.4f", $0) } ?? "-",
      ]
    }
    var text = TextTable.render(
      header: [
        "variant", "users", "conversions", "rate", "revenue_per_visitor", "lift", "95% interval",
        "p_value",
      ], rows: rows, format: .text, aligned: Terminal.current.stdoutIsTTY)
    text +=
      "sample ratio: χ² \(String(format: "%.2f", report.sampleRatioChiSquare)), p "
      + String(format: "%.4f", report.sampleRatioPValue) + "\n"
    text += "planned: \(report.experiment.plannedUsers) users per variant\n"
    text += "verdict: \(report.verdict)\n"
    try out.write(text)
  }
}
