import ArgumentParser
import Foundation
import MktCore
import Recommendations
import Search
import Store

/// `mkt recs`: product recommendations from the stored events and catalog.
struct RecsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "recs", abstract: "Recommend products from shoppers' events and the catalog.",
    subcommands: [
      RecsTrainCommand.self, RecsForUserCommand.self, RecsSimilarCommand.self,
      RecsCartCommand.self, RecsTrendingCommand.self, RecsEvaluateCommand.self,
      RecsTuneCommand.self, RecsWeightsCommand.self,
    ])
}

/// `mkt recs evaluate`.
struct RecsEvaluateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "evaluate",
    abstract: "Score each strategy and the ensemble offline on the last days' purchases.",
    discussion: """
      The models are trained on the events before the last --holdout-days days; the shoppers \
      who bought in those days and had events before are the test users, and what they bought \
      then is what each way of recommending should have found in its top --k. Printed per \
      strategy, for the ensemble (the current weights) and for popularity (the baseline, \
      computed in the same run): hit rate (users with at least one purchase found), recall, \
      NDCG, catalogue coverage (products ever recommended ÷ products) and diversity (distinct \
      categories ÷ products recommended, per user). Products the shopper met before may be \
      recommended: re-buys count, as in the reference protocol (../shared/bench/als_reference.py).

      --search judges personalised search instead: each search of the held-out days that its \
      session ended in a purchase (by a shopper with events before) runs again on today's \
      catalog, and the purchased product's rank among the top 100 hits is compared plain and \
      re-ranked for the shopper as mkt search --user does (the model trained before the cut): \
      hit rate in the top --k, mean reciprocal rank, mean rank, and how many searches \
      personalising moved up and down.

      Examples:
        mkt recs evaluate --holdout-days 7
        mkt recs evaluate --search
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup(title: "Output") var output: TableOutputOptions
  @Option(help: "Days held out at the end of the events.") var holdoutDays = 7
  @Option(help: "How many recommendations per user are scored.") var k = 10
  @Option(help: "At most N products of one category per list (0: no cap).")
  var perCategory = RecommendationService.perCategory
  @Flag(help: "Judge personalised search (mkt search --user) instead of the lists.")
  var search = false

  func validate() throws {
    guard (1...365).contains(holdoutDays) else {
      throw ValidationError("--holdout-days is 1 to 365")
    }
    guard (1...1_000).contains(k) else { throw ValidationError("--k is 1 to 1000") }
    guard (0...1_000).contains(perCategory) else {
      throw ValidationError("--per-category is 0 to 1000")
    }
  }

  func run() async throws {
    if search { return try await runSearch() }
    let evaluation = try await RecommendationService(store: global.openStore(.reading))
      .evaluate(holdoutDays: holdoutDays, k: k, perCategory: perCategory)
    let out = Output(global, output)
    if output.format == .json {
      try out.write(Output.json(evaluation, pretty: true) + "\n")
      return
    }
    out.note(
      "trained on \(evaluation.trainEvents) events before \(evaluation.cut) "
        + "(\(evaluation.products) products); \(evaluation.testUsers) test users")
    func figure(_ value: Double) -> String { String(format: "%.4f", value) }
    try out.rows(
      evaluation.rows,
      columns: [
        ("strategy", \.name), ("hit_rate@\(k)", { figure($0.hitRate) }),
        ("recall@\(k)", { figure($0.recall) }), ("ndcg@\(k)", { figure($0.ndcg) }),
        ("coverage", { figure($0.coverage) }), ("diversity", { figure($0.diversity) }),
      ])
  }
}

extension RecsEvaluateCommand {
  /// `--search`: plain against personalised ranks of what shoppers bought after searching.
  func runSearch() async throws {
    let store = try global.openStore(.reading)
    let searching = SearchService(store: store)
    let evaluation = try await RecommendationService(store: store).evaluateSearch(
      holdoutDays: holdoutDays, k: k
    ) { query in
      var request = SearchRequest(text: query)
      request.perPage = PersonalisedRanking.depth
      // A query search refuses today (too long, only operators) ranks nothing.
      return (try? await searching.search(request))?.hits.map { ($0.id, $0.score) } ?? []
    }
    let out = Output(global, output)
    if output.format == .json {
      try out.write(Output.json(evaluation, pretty: true) + "\n")
      return
    }
    out.note(
      "trained on the events before \(evaluation.cut); \(evaluation.searches) searches ended in "
        + "a purchase, \(evaluation.judged) with the product in today's top "
        + "\(PersonalisedRanking.depth)")
    func figure(_ value: Double) -> String { String(format: "%.4f", value) }
    try out.rows(
      [evaluation.plain, evaluation.personalised],
      columns: [
        ("ranking", \.ranking), ("hit_rate@\(k)", { figure($0.hitRate) }),
        ("mrr", { figure($0.reciprocalRank) }),
        ("mean_rank", { String(format: "%.1f", $0.meanRank) }),
      ])
    out.note(
      "personalising moved the purchase up in \(evaluation.improved) searches and down in "
        + "\(evaluation.worsened)")
  }
}
