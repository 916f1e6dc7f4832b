import Analytics
import Foundation
import MktCore
import Store
import Testing

@testable import Analytics

/// A/B tests: the statistics against values computed with scipy 1.17 (the Python lines are in
/// each test), assignment against an independent FNV-1a, and a report from tagged events.
@Suite struct ExperimentTests {
  @Test func twoProportionsMatchScipy() {
    // p = 2 * norm.sf(|z|), z pooled: 120/1000 against 150/1000.
    let test = Statistics.twoProportions(
      successesA: 120, totalA: 1000, successesB: 150, totalB: 1000)
    #expect(abs(test.pValue - 0.049_640_386_865_368_78) < 1e-9)
    #expect(abs(test.low - 7.602_882_129_778_554e-05) < 1e-9)
    #expect(abs(test.high - 0.059_923_971_178_702_21) < 1e-9)
  }

  @Test func welchMatchesScipy() {
    // stats.ttest_ind(b, a, equal_var=False) and its confidence_interval(0.95).
    let a = [0, 0, 0, 12.5, 0, 30, 0, 0, 7.25, 0, 0, 55, 0, 0, 0, 19.9]
    let b = [0, 14, 0, 0, 22.5, 0, 60, 0, 0, 35, 0, 0, 8, 0, 41, 0, 0, 12]
    let test = Statistics.welch(a, b)
    #expect(abs(test.pValue - 0.613_102_239_052_333_1) < 1e-7)
    #expect(abs(test.low - -8.679_412_984_690_755) < 1e-5)
    #expect(abs(test.high - 14.487_051_873_579_643) < 1e-5)
    #expect(abs(Statistics.studentQuantile975(freedom: 7.3) - 2.345_066_736_547_703) < 1e-6)
  }

  @Test func chiSquareMatchesScipy() {
    // stats.chisquare([5210, 4790], [5000, 5000]) and a three-way split.
    let two = Statistics.chiSquare(observed: [5210, 4790], shares: [0.5, 0.5])
    #expect(abs(two.statistic - 17.64) < 1e-9)
    #expect(abs(two.pValue - 2.669_149_803_181_269_2e-05) < 1e-10)
    let three = Statistics.chiSquare(
      observed: [3400, 3300, 3500], shares: [1, 1, 1].map { $0 / 3.0 })
    #expect(abs(three.pValue - 0.052_803_570_334_300_5) < 1e-9)
  }

  @Test func sampleSizeAsTheTextbookFormula() {
    // 5 % baseline, +10 % relative: ((z.975 √(2p̄q̄) + z.8 √(p1q1 + p2q2)) / (p2 − p1))².
    #expect(Statistics.sampleSize(baseline: 0.05, effect: 0.10) == 31_234)
  }

  @Test func assignmentIsAKeyedHashAnyoneCanCompute() {
    // Python: FNV-1a 64 of "checkout-button:" + user, >> 32, % 100.
    let experiment = Experiment(
      name: "checkout-button", variants: ["control", "b"], split: [50, 50],
      metric: "conversion", minEffect: 0.02, baseline: 0.05, plannedUsers: 1)
    #expect(Experiment.bucket(experiment: "checkout-button", user: "u1") == 50)
    #expect(Experiment.bucket(experiment: "checkout-button", user: "u2") == 18)
    #expect(Experiment.bucket(experiment: "checkout-button", user: "alice") == 93)
    #expect(Experiment.bucket(experiment: "checkout-button", user: "böb") == 2)
    #expect(experiment.variant(of: "u1") == "b" && experiment.variant(of: "u2") == "control")
  }

  @Test func aReportCountsTaggedUsersAndWaitsForThePlannedSample() async throws {
    let directory = try TemporaryDirectory()
    let store = try Store.open(path: directory.file("mkt.db"), mode: .create)
    let service = AnalyticsService(store: store)
    await #expect(
      throws: ExperimentError.invalid("an experiment has two or more distinct variants: control,b")
    ) {
      try await service.createExperiment(
        name: "x", variants: ["control"], split: nil, metric: "conversion", minEffect: 0.02,
        baseline: 0.05)
    }
    await #expect(throws: ExperimentError.self) {
      try await service.createExperiment(
        name: "x", variants: ["control", "b"], split: [60, 30], metric: "conversion",
        minEffect: 0.02, baseline: 0.05)
    }
    let experiment = try await service.createExperiment(
      name: "banner", variants: ["control", "b"], split: [50, 50], metric: "conversion",
      minEffect: 0.5, baseline: 0.2)
    #expect(experiment.plannedUsers == Statistics.sampleSize(baseline: 0.2, effect: 0.5))
    var lines: [String] = []
    for user in 0..<400 {
      let name = "u\(user)"
      let variant = experiment.variant(of: name)
      let tag = "\"experiment\":\"banner\",\"variant\":\"\(variant)\""
      lines.append(
        "{\"ts\":\"2025-03-01T10:00:00Z\",\"type\":\"page_view\",\"user_id\":\"\(name)\",\(tag)}")
      // control converts 1 in 5, b 2 in 5.
      if user % 5 == 0 || (variant == "b" && user % 5 == 1) {
        lines.append(
          "{\"ts\":\"2025-03-01T10:05:00Z\",\"type\":\"purchase\",\"user_id\":\"\(name)\","
            + "\"product_id\":\"P1\",\"price\":10,\"currency\":\"EUR\",\(tag)}")
      }
    }
    let path = try directory.write("ab.jsonl", lines.joined(separator: "\n"))
    _ = try await service.ingest(path: path)
    let report = try await service.experimentReport("banner")
    let users = report.variants.map(\.users)
    #expect(users.reduce(0, +) == 400)
    #expect(
      report.variants.map(\.users) == [
        (0..<400).filter { experiment.variant(of: "u\($0)") == "control" }.count,
        (0..<400).filter { experiment.variant(of: "u\($0)") == "b" }.count,
      ])
    let control = report.variants[0]
    #expect(
      control.conversions
        == (0..<400).filter { $0 % 5 == 0 && experiment.variant(of: "u\($0)") == "control" }.count)
    #expect((report.variants[1].pValue ?? 1) < 0.05)
    if report.complete {
      #expect(report.verdict.hasPrefix("b wins"), "\(report.verdict)")
    } else {
      #expect(report.verdict.hasPrefix("collecting"), "\(report.verdict)")
    }
    await #expect(throws: ExperimentError.unknown("nope")) {
      try await service.experimentReport("nope")
    }
  }
}

/// `mkt inventory reorder`'s forecast on a hand-computed case.
@Suite struct ReorderTests {
  @Test func mondaysOnlyDemand() {
    // 28 days from a Monday (day 4 + 7k is a Monday), 4 units each Monday: mean 16/28 = 0.5714.
    // Factors: Monday (4 / 0.5714 + 1) / 2 = 4, other days (0 + 1) / 2 = 0.5; the next 14
    // days hold 2 Mondays: 0.5714 × (2 × 4 + 12 × 0.5) = 8.0 units. Daily deviation: √(54.857 /
    // 27) = 1.4254; safety 1.65 × 1.4254 × √14 = 8.80.
    let daily = (0..<28).map { $0 % 7 == 0 ? 4.0 : 0 }
    let forecast = AnalyticsService.forecast(daily: daily, firstDay: 4 + 7 * 2900, horizon: 14)
    #expect(abs(forecast.demand - 8.0) < 1e-9)
    #expect(abs(forecast.safety - 8.80) < 0.01)
    // With 5 available: order ceil(8.0 + 8.80) − 5 = 12; cover 5 / 0.5714 = 8.75 days: low.
    #expect(Int((forecast.demand + forecast.safety).rounded(.up)) - 5 == 12)
  }
}
