import Foundation
package import GRDB
public import MktCore
import Store

/// An A/B test as `mkt ab create` planned it.
public struct Experiment: Sendable, Equatable, Encodable {
  public var name: String
  public var variants: [String]
  /// Percentages, one per variant, summing to 100.
  public var split: [Int]
  /// `conversion` or `revenue_per_visitor`.
  public var metric: String
  /// The smallest relative lift worth detecting (0.02 for 2 %).
  public var minEffect: Double
  /// The metric's current value the plan started from.
  public var baseline: Double
  /// Users each variant needs before the test may declare a winner.
  public var plannedUsers: Int

  enum CodingKeys: String, CodingKey {
    case name, variants, split, metric, baseline
    case minEffect = "min_effect"
    case plannedUsers = "planned_users"
  }

  /// The metrics an experiment may have.
  public static let metrics = ["conversion", "revenue_per_visitor"]

  /// The variant of `user`: the same in every process and on every machine.
  ///
  /// The bucket is the FNV-1a 64-bit hash (offset basis 14695981039346656037, prime
  /// 1099511628211) of the UTF-8 bytes of `NAME:USER`, shifted right by 32 bits, modulo 100;
  /// the variant is the first whose running total of split percentages exceeds the bucket.
  public func variant(of user: String) -> String {
    let bucket = Self.bucket(experiment: name, user: user)
    var total = 0
    for (variant, share) in zip(variants, split) {
      total += share
      if bucket < total { return variant }
    }
    return variants.last ?? ""
  }

  /// The bucket (0 to 99) of a user in an experiment.
  public static func bucket(experiment: String, user: String) -> Int {
    var hash: UInt64 = 14_695_981_039_346_656_037
    for byte in (experiment + ":" + user).utf8 {
      hash ^= UInt64(byte)
      hash = hash &* 1_099_511_628_211
    }
    return Int((hash >> 32) % 100)
  }
}

/// One variant's numbers in `mkt ab report`.
public struct VariantResult: Sendable, Equatable, Encodable {
  public var variant: String
  public var users: Int
  public var conversions: Int
  public var rate: Double
  public var revenuePerVisitor: Double
  /// Relative lift of the metric against the first variant (the control), with its 95 %
  /// interval; `nil` for the control.
  public var lift: Double?
  public var liftLow: Double?
  public var liftHigh: Double?
  public var pValue: Double?

  enum CodingKeys: String, CodingKey {
    case variant, users, conversions, rate, lift
    case revenuePerVisitor = "revenue_per_visitor"
    case liftLow = "lift_low"
    case liftHigh = "lift_high"
    case pValue = "p_value"
  }
}

/// What `mkt ab report` says.
public struct ExperimentReport: Sendable, Equatable, Encodable {
  public var experiment: Experiment
  public var variants: [VariantResult]
  /// The χ² test of users per variant against the split, and its p-value.
  public var sampleRatioChiSquare: Double
  public var sampleRatioPValue: Double
  /// Whether every variant has the planned users.
  public var complete: Bool
  /// The verdict, in words.
  public var verdict: String
  public var notes: [String]

  enum CodingKeys: String, CodingKey {
    case experiment, variants, complete, verdict, notes
    case sampleRatioChiSquare = "sample_ratio_chi_square"
    case sampleRatioPValue = "sample_ratio_p_value"
  }
}

extension AnalyticsService {
  /// Plans an experiment: checks it, works out the users each variant needs, stores it.
  ///
  /// The baseline is `baseline` if given, else the last 28 days' conversion (sessions with a
  /// purchase ÷ sessions) or revenue per visitor from the rollups.
  ///
  /// - Throws: ``ExperimentError`` for a bad plan, a taken name, or no baseline.
  public func createExperiment(
    name: String, variants: [String], split: [Int]?, metric: String, minEffect: Double,
    baseline: Double?
  ) async throws -> Experiment {
    guard !name.isEmpty, name.count <= 64, !name.contains(":") else {
      throw ExperimentError.invalid("a name is 1 to 64 characters without ':'")
    }
    guard variants.count >= 2, Set(variants).count == variants.count,
      variants.allSatisfy({ !$0.isEmpty })
    else {
      throw ExperimentError.invalid("an experiment has two or more distinct variants: control,b")
    }
    let split = split ?? Self.evenSplit(variants.count)
    guard split.count == variants.count else {
      throw ExperimentError.invalid(
        "--split gives \(split.count) shares for \(variants.count) variants")
    }
    guard split.allSatisfy({ $0 > 0 }), split.reduce(0, +) == 100 else {
      throw ExperimentError.invalid(
        "the split's shares are whole percentages above 0 that sum to 100, not "
          + split.map(String.init).joined(separator: ","))
    }
    guard Experiment.metrics.contains(metric) else {
      throw ExperimentError.invalid("--metric is conversion or revenue_per_visitor")
    }
    guard minEffect > 0, minEffect < 10 else {
      throw ExperimentError.invalid("--min-effect is a relative lift above 0, such as 2%")
    }
    return try await store.write { db in
      guard
        try Bool.fetchOne(
          db, sql: "SELECT 1 FROM ab_experiment WHERE name = ?", arguments: [name]) == nil
      else { throw ExperimentError.exists(name) }
      let (observed, deviation) = try Self.baseline(metric: metric, db)
      guard let value = baseline ?? observed, value > 0 else {
        throw ExperimentError.noBaseline(metric: metric)
      }
      let planned =
        metric == "conversion"
        ? Statistics.sampleSize(baseline: value, effect: minEffect)
        : Statistics.sampleSize(
          mean: value, deviation: deviation ?? value * 3, effect: minEffect)
      let experiment = Experiment(
        name: name, variants: variants, split: split, metric: metric, minEffect: minEffect,
        baseline: value, plannedUsers: planned)
      try db.execute(
        sql: """
          INSERT INTO ab_experiment (name, variants, split, metric, min_effect, baseline,
            planned_users) VALUES (?, ?, ?, ?, ?, ?, ?)
          """,
        arguments: [
          name, variants.joined(separator: ","), split.map(String.init).joined(separator: ","),
          metric, minEffect, value, planned,
        ])
      return experiment
    }
  }

  static func evenSplit(_ count: Int) -> [Int] {
    (0..<count).map { 100 / count + ($0 < 100 % count ? 1 : 0) }
  }

  /// The last 28 days' conversion, or revenue per visitor with an estimate of its deviation
  /// (a purchase's value varying as much as its mean).
  static func baseline(metric: String, _ db: Database) throws -> (Double?, Double?) {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT sum(sessions) AS sessions, sum(purchase_sessions) AS purchase_sessions,
            sum(visitors) AS visitors, sum(purchases) AS purchases
          FROM analytics_day WHERE day > (SELECT max(day) FROM analytics_day) - 28
          """), let sessions = row["sessions"] as Int64?, sessions > 0
    else { return (nil, nil) }
    let purchased: Int64 = row["purchase_sessions"]
    if metric == "conversion" { return (Double(purchased) / Double(sessions), nil) }
    let visitors: Int64 = row["visitors"]
    let purchases: Int64 = row["purchases"]
    let revenue =
      try Double.fetchOne(
        db,
        sql: """
          SELECT sum(amount_minor) / 100.0 FROM analytics_revenue
          WHERE day > (SELECT max(day) FROM analytics_day) - 28
          """) ?? 0
    guard visitors > 0, purchases > 0 else { return (nil, nil) }
    let perVisitor = revenue / Double(visitors)
    let order = revenue / Double(purchases)
    let p = Double(purchases) / Double(visitors)
    // Revenue of a visitor: an order value (mean m, deviation m) with probability p.
    let variance = p * (2 * order * order) - perVisitor * perVisitor
    return (perVisitor, max(variance, 0).squareRoot())
  }

  /// A stored experiment.
  ///
  /// - Throws: ``ExperimentError/unknown(_:)``.
  public func experiment(_ name: String) async throws -> Experiment {
    try await store.read { db in try Self.experiment(name, db) }
  }

  /// Every experiment, by name.
  public func experiments() async throws -> [Experiment] {
    try await store.read { db in
      try String.fetchAll(db, sql: "SELECT name FROM ab_experiment ORDER BY name").map {
        try Self.experiment($0, db)
      }
    }
  }

  package static func experiment(_ name: String, _ db: Database) throws -> Experiment {
    guard
      let row = try Row.fetchOne(
        db,
        sql: """
          SELECT variants, split, metric, min_effect, baseline, planned_users
          FROM ab_experiment WHERE name = ?
          """, arguments: [name])
    else { throw ExperimentError.unknown(name) }
    return Experiment(
      name: name, variants: (row["variants"] as String).split(separator: ",").map(String.init),
      split: (row["split"] as String).split(separator: ",").compactMap { Int($0) },
      metric: row["metric"], minEffect: row["min_effect"], baseline: row["baseline"],
      plannedUsers: row["planned_users"])
  }

  /// Per variant: users, conversions, revenue per visitor, lift against the control with its
  /// interval and p-value (a two-proportion z-test for conversion, Welch's t-test for revenue
  /// per visitor), the sample-ratio check, and a verdict that names no winner before every
  /// variant has the planned users (a fixed-horizon test: looking earlier is not a result).
  ///
  /// - Throws: ``ExperimentError/unknown(_:)``.
  public func experimentReport(_ name: String) async throws -> ExperimentReport {
    try await store.read { db in
      let experiment = try Self.experiment(name, db)
      let (users, currencies) = try Self.outcomes(Names.id(.experiment, name), db)
      var notes: [String] = []
      let unknown = Set(users.keys).subtracting(experiment.variants)
      if !unknown.isEmpty {
        notes.append(
          "events name variants the experiment does not have: "
            + unknown.sorted().joined(separator: ", ") + " (not counted)")
      }
      if currencies.count > 1 {
        notes.append("revenue adds amounts in \(currencies.count) currencies as given")
      }
      let samples = experiment.variants.map { variant in
        (users[variant] ?? [:]).values.map {
          (purchases: $0.purchases, revenue: Double($0.revenue) / 100)
        }
      }
      let control = samples[0]
      let controlConverted = control.filter { $0.purchases > 0 }.count
      let controlRevenue = control.map(\.revenue)
      var results: [VariantResult] = []
      for (index, sample) in samples.enumerated() {
        let converted = sample.filter { $0.purchases > 0 }.count
        let revenue = sample.map(\.revenue)
        let rate = sample.isEmpty ? 0 : Double(converted) / Double(sample.count)
        let perVisitor = sample.isEmpty ? 0 : revenue.reduce(0, +) / Double(sample.count)
        var result = VariantResult(
          variant: experiment.variants[index], users: sample.count, conversions: converted,
          rate: rate, revenuePerVisitor: perVisitor)
        if index > 0 {
          let test =
            experiment.metric == "conversion"
            ? Statistics.twoProportions(
              successesA: controlConverted, totalA: control.count, successesB: converted,
              totalB: sample.count)
            : Statistics.welch(controlRevenue, revenue)
          let base =
            experiment.metric == "conversion"
            ? (control.isEmpty ? 0 : Double(controlConverted) / Double(control.count))
            : (controlRevenue.isEmpty ? 0 : controlRevenue.reduce(0, +) / Double(control.count))
          if base > 0 {
            result.lift = test.difference / base
            result.liftLow = test.low / base
            result.liftHigh = test.high / base
          }
          result.pValue = test.pValue
        }
        results.append(result)
      }
      let ratio = Statistics.chiSquare(
        observed: results.map(\.users), shares: experiment.split.map { Double($0) / 100 })
      let complete = results.allSatisfy { $0.users >= experiment.plannedUsers }
      return ExperimentReport(
        experiment: experiment, variants: results, sampleRatioChiSquare: ratio.statistic,
        sampleRatioPValue: ratio.pValue, complete: complete,
        verdict: Self.verdict(experiment, results, complete: complete, ratio: ratio.pValue),
        notes: notes)
    }
  }

  /// Per variant, per user: the purchases and revenue an experiment's events recorded, and the
  /// currencies of that revenue.
  static func outcomes(_ experimentID: Int64, _ db: Database) throws -> (
    [String: [Int64: (purchases: Int64, revenue: Int64)]], Set<Int64>
  ) {
    var users: [String: [Int64: (purchases: Int64, revenue: Int64)]] = [:]
    var currencies = Set<Int64>()
    for row in try Row.fetchAll(
      db,
      sql: """
        SELECT n.name, a.user, a.currency, sum(a.purchases) AS purchases,
          sum(a.revenue_minor) AS revenue
        FROM analytics_ab a JOIN analytics_name n ON n.id = a.variant
        WHERE a.experiment = ? GROUP BY a.variant, a.user, a.currency
        """, arguments: [experimentID])
    {
      let (variant, user, currency): (String, Int64, Int64) = (
        row["name"], row["user"], row["currency"]
      )
      if currency != 0 { currencies.insert(currency) }
      var entry = users[variant, default: [:]][user] ?? (0, 0)
      entry.purchases += row["purchases"]
      entry.revenue += row["revenue"]
      users[variant, default: [:]][user] = entry
    }
    return (users, currencies)
  }

  static func verdict(
    _ experiment: Experiment, _ results: [VariantResult], complete: Bool, ratio: Double
  ) -> String {
    let total = results.map(\.users).reduce(0, +)
    if total == 0 { return "no events tagged with this experiment yet" }
    if ratio < 0.001 {
      return "sample ratio mismatch (χ² p = \(String(format: "%.2g", ratio))): the users per "
        + "variant do not match the split; assignment or tracking is broken, do not trust the "
        + "numbers"
    }
    guard complete else {
      let fewest = results.map(\.users).min() ?? 0
      return "collecting: \(fewest) of \(experiment.plannedUsers) users in the smallest variant; "
        + "no winner is named before every variant has the planned users"
    }
    let significant = results.dropFirst().filter { ($0.pValue ?? 1) < 0.05 }
    guard let best = significant.max(by: { ($0.lift ?? 0) < ($1.lift ?? 0) }) else {
      return "no significant difference (p ≥ 0.05 for every variant against "
        + "\(experiment.variants[0]))"
    }
    let lift = String(format: "%+.1f%%", (best.lift ?? 0) * 100)
    let low = String(format: "%+.1f%%", (best.liftLow ?? 0) * 100)
    let high = String(format: "%+.1f%%", (best.liftHigh ?? 0) * 100)
    return (best.lift ?? 0) > 0
      ? "\(best.variant) wins: \(lift) (95 % interval \(low) to \(high)), p = "
        + String(format: "%.3g", best.pValue ?? 1)
      : "\(best.variant) loses: \(lift) (95 % interval \(low) to \(high)); keep "
        + experiment.variants[0]
  }
}

/// What `mkt ab` refuses.
public enum ExperimentError: MktError, Equatable {
  case invalid(String)
  case exists(String)
  case unknown(String)
  case noBaseline(metric: String)

  public var exitStatus: SysExit {
    switch self {
    case .invalid: .usage
    case .exists: .cantCreate
    case .unknown: .noInput
    case .noBaseline: .usage
    }
  }

  public var description: String {
    switch self {
    case .invalid(let message): message
    case .exists(let name): "experiment \(name) exists"
    case .unknown(let name): "no experiment \(name)"
    case .noBaseline(let metric):
      "no events to take the current \(metric) from, to plan the sample size"
    }
  }

  public var hint: String? {
    switch self {
    case .noBaseline: "ingest events first (mkt events ingest), or give --baseline"
    case .unknown: "mkt ab list shows the experiments"
    default: nil
    }
  }
}
