import Foundation
import GRDB

/// Keeps the rollups of a batch of events in memory and adds them to the stored ones in one
/// pass (``flush()``), inside the caller's transaction.
///
/// What a day's counts depend on beyond the event itself — whether its session and its user were
/// seen that day before, the session's cart and purchase flags, its last search — is read from
/// the day's state (`analytics_state`) the first time the batch meets the day, so a late
/// event arriving in another file counts exactly as it would have in the first.
final class RollupBatch {
  private let db: Database
  private var days = FastMap<DayKey, DayCounts>()
  private var revenue = FastMap<Triple, Int64>()
  private var products = FastMap<Triple, ProductCounts>(capacity: 1 << 14)
  private var queries = FastMap<Triple, QueryCounts>()
  /// Days whose product rollups changed since the last final flush: their packs are rewritten.
  private var productDays = Set<Int64>()
  private var states: [Int64: DayState] = [:]
  /// The state of the day of the last event (events come mostly in time order).
  private var lastState: DayState?
  /// Days in the order their states were last loaded or used first in a batch.
  private var recentDays: [Int64] = []
  /// Experiment-tagged events per experiment, variant, day, user and currency: events,
  /// purchases, revenue.
  private var experiments: [ExperimentKey: [Int64]] = [:]
  private var sketches = FastMap<DayKey, HyperLogLog>()
  /// Whether `apply` adds events to the raw blocks (not when replaying them).
  private let recording: Bool
  /// Events applied since the last flush.
  private(set) var pending = 0

  static let cart: Int64 = 1
  static let bought: Int64 = 2
  static let viewed: Int64 = 4

  /// A batch; `recording` false replays stored events (a rebuild) without storing them again.
  init(_ db: Database, recording: Bool = true) {
    self.db = db
    self.recording = recording
  }

  /// The day's state, loaded when first met.
  func state(_ day: Int64) throws -> DayState {
    if let last = lastState, last.day == day { return last }
    if let state = states[day] {
      lastState = state
      recentDays.removeAll { $0 == day }
      recentDays.append(day)
      return state
    }
    let state = try DayState(day: day, db, keys: recording)
    states[day] = state
    lastState = state
    recentDays.removeAll { $0 == day }
    recentDays.append(day)
    return state
  }

  /// Counts one event (and keeps it for the day's raw block when recording).
  func apply(_ event: EncodedEvent) throws {
    pending += 1
    let day = event.day
    let state = try state(day)
    if recording {
      EventBlock.append(event, to: &state.block)
      state.blockCount += 1
    }
    let before = daySession(of: event, in: state)
    countVisitor(event, in: state)
    let key = DayKey(day: day, segment: event.segment)
    var tally = EventTally(
      session: before, counts: days[key] ?? DayCounts(), key: key,
      sessionKey: DayKey(day: day, segment: before.segment))
    countByType(event, &tally)
    days[key] = tally.counts
    if event.experiment != 0 { addToExperiment(event) }
    if before != tally.session || state.sessions[event.session] == nil {
      state.sessions[event.session] = tally.session
      state.touch(.sessions)
    }
    try addToSketch(DayKey(day: day, segment: 0), event.user)
    if event.country != 0 { try addToSketch(DayKey(day: day, segment: event.country), event.user) }
  }

  /// What counting one event changes besides the batch's maps: its session, and the counts of
  /// its day and segment (written back once the event is counted).
  private struct EventTally {
    var session: DayState.Session
    var counts: DayCounts
    /// The event's day in its own segment, and in its session's.
    let key: DayKey
    let sessionKey: DayKey
  }

  /// The event's session as its day knows it; one first met starts in the event's segment and
  /// is counted there.
  @inline(__always)
  private func daySession(of event: EncodedEvent, in state: DayState) -> DayState.Session {
    if let known = state.sessions[event.session] { return known }
    days.modify(DayKey(day: event.day, segment: event.segment), default: DayCounts()) {
      $0.sessions += 1
    }
    return DayState.Session(segment: event.segment, flags: 0, query: 0, queryTS: 0)
  }

  /// Notes the event's user among its day's visitors when first met, counted in the event's
  /// segment.
  @inline(__always)
  private func countVisitor(_ event: EncodedEvent, in state: DayState) {
    guard state.visitors[event.user] == nil else { return }
    state.visitors[event.user] = event.segment
    state.touch(.visitors)
    days.modify(DayKey(day: event.day, segment: event.segment), default: DayCounts()) {
      $0.visitors += 1
    }
  }

  /// Counts the event by its type: in its day's counts, its product's or query's, the revenue,
  /// and its session's steps.
  @inline(__always)
  private func countByType(_ event: EncodedEvent, _ tally: inout EventTally) {
    let day = event.day
    switch event.type {
    case .pageView: tally.counts.pageViews += 1
    case .productView:
      tally.counts.productViews += 1
      products.modify(
        Triple(day: day, a: event.product, b: event.currency), default: ProductCounts()
      ) {
        $0.views += 1
      }
      mark(Self.viewed, \.viewSessions, &tally)
      if tally.session.query != 0, event.ts >= tally.session.queryTS {
        queries.modify(
          Triple(day: day, a: tally.session.query, b: event.country), default: QueryCounts()
        ) {
          $0.clicks += 1
        }
        tally.session.query = 0
      }
    case .addToCart:
      tally.counts.carts += 1
      products.modify(
        Triple(day: day, a: event.product, b: event.currency), default: ProductCounts()
      ) {
        $0.carts += 1
      }
      mark(Self.cart, \.cartSessions, &tally)
    case .purchase:
      tally.counts.purchases += 1
      let amount = event.priceMinor ?? 0
      products.modify(
        Triple(day: day, a: event.product, b: event.currency), default: ProductCounts()
      ) {
        $0.purchases += 1
        $0.revenue += amount
      }
      revenue.modify(Triple(day: day, a: event.segment, b: event.currency), default: 0) {
        $0 += amount
      }
      mark(Self.bought, \.purchaseSessions, &tally)
    case .search:
      tally.counts.searches += 1
      let zero: Int64 = event.results == 0 ? 1 : 0
      queries.modify(Triple(day: day, a: event.query, b: event.country), default: QueryCounts()) {
        $0.searches += 1
        $0.zeroResults += zero
      }
      tally.session.query = event.query
      tally.session.queryTS = event.ts
    }
  }

  /// Counts the session once for a step (viewed, carted, bought), in its own segment.
  @inline(__always)
  private func mark(
    _ flag: Int64, _ sessions: WritableKeyPath<DayCounts, Int64>, _ tally: inout EventTally
  ) {
    guard tally.session.flags & flag == 0 else { return }
    tally.session.flags |= flag
    if tally.sessionKey == tally.key {
      tally.counts[keyPath: sessions] += 1
    } else {
      days.modify(tally.sessionKey, default: DayCounts()) { $0[keyPath: sessions] += 1 }
    }
  }

  /// Adds an experiment-tagged event to its experiment, variant, day and user (and currency,
  /// for a purchase): events, purchases, revenue.
  @inline(__always)
  private func addToExperiment(_ event: EncodedEvent) {
    let purchase = event.type == .purchase
    let tagged = ExperimentKey(
      experiment: event.experiment, variant: event.variant, day: event.day, user: event.user,
      currency: purchase ? event.currency : 0)
    var entry = experiments[tagged] ?? [0, 0, 0]
    entry[0] += 1
    if purchase {
      entry[1] += 1
      entry[2] += event.priceMinor ?? 0
    }
    experiments[tagged] = entry
  }

  /// Adds `hash` to a day's sketch (`segment` holds the country, 0 for all), loading the stored
  /// one first.
  private func addToSketch(_ key: DayKey, _ hash: Int64) throws {
    var loaded = true
    sketches.modify(
      key,
      default: {
        loaded = false
        return HyperLogLog()
      }()
    ) { $0.add(hash) }
    guard !loaded else { return }
    // First met in this batch: start from the stored sketch.
    if let stored = try Data.fetchOne(
      db.cachedStatement(
        sql: "SELECT registers FROM analytics_sketch WHERE day = ? AND country = ?"),
      arguments: [key.day, key.segment]), let previous = HyperLogLog(registers: Array(stored))
    {
      sketches.modify(key, default: HyperLogLog()) { $0.merge(previous) }
    }
  }

  /// Days whose state stays in memory between flushes: events come mostly in time order.
  static let daysKept = 1

  /// Adds the batch to the stored rollups and forgets it; `final` also writes every day's state.
  func flush(final: Bool = false) throws {
    try addDayCounts()
    try addDayRevenue()
    try addProductCounts()
    try addQueryCounts()
    try saveStates(final: final)
    try addExperiments()
    try putSketches()
    days.removeAll()
    revenue.removeAll()
    products.removeAll()
    queries.removeAll()
    if final {
      lastState = nil
      try ProductPack.write(days: productDays.sorted(), db)
      productDays.removeAll()
    }
    sketches.removeAll()
    pending = 0
  }

  /// Adds the batch's day counts to `analytics_day`.
  private func addDayCounts() throws {
    let addDay = try db.cachedStatement(
      sql: """
        INSERT INTO analytics_day (day, segment, page_views, product_views, carts, purchases,
          searches, sessions, view_sessions, cart_sessions, purchase_sessions, visitors)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (day, segment) DO UPDATE SET
          page_views = page_views + excluded.page_views,
          product_views = product_views + excluded.product_views,
          carts = carts + excluded.carts, purchases = purchases + excluded.purchases,
          searches = searches + excluded.searches, sessions = sessions + excluded.sessions,
          view_sessions = view_sessions + excluded.view_sessions,
          cart_sessions = cart_sessions + excluded.cart_sessions,
          purchase_sessions = purchase_sessions + excluded.purchase_sessions,
          visitors = visitors + excluded.visitors
        """)
    try days.each { key, counts in
      try addDay.execute(arguments: [
        key.day, key.segment, counts.pageViews, counts.productViews, counts.carts,
        counts.purchases, counts.searches, counts.sessions, counts.viewSessions,
        counts.cartSessions,
        counts.purchaseSessions, counts.visitors,
      ])
    }
  }

  /// Adds the batch's revenue per day, segment and currency to `analytics_revenue`.
  private func addDayRevenue() throws {
    let addRevenue = try db.cachedStatement(
      sql: """
        INSERT INTO analytics_revenue (day, segment, currency, amount_minor) VALUES (?, ?, ?, ?)
        ON CONFLICT (day, segment, currency) DO UPDATE SET
          amount_minor = amount_minor + excluded.amount_minor
        """)
    try revenue.each { key, amount in
      try addRevenue.execute(arguments: [key.day, key.a, key.b, amount])
    }
  }

  /// Adds the batch's product counts to `analytics_product_day`, noting their days.
  private func addProductCounts() throws {
    let addProduct = try db.cachedStatement(
      sql: """
        INSERT INTO analytics_product_day (day, product, currency, views, carts, purchases,
          revenue_minor) VALUES (?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (day, product, currency) DO UPDATE SET
          views = views + excluded.views, carts = carts + excluded.carts,
          purchases = purchases + excluded.purchases,
          revenue_minor = revenue_minor + excluded.revenue_minor
        """)
    try products.each { key, counts in
      productDays.insert(key.day)
      try addProduct.execute(arguments: [
        key.day, key.a, key.b, counts.views, counts.carts, counts.purchases, counts.revenue,
      ])
    }
  }

  /// Adds the batch's search counts to `analytics_query_day`.
  private func addQueryCounts() throws {
    let addQuery = try db.cachedStatement(
      sql: """
        INSERT INTO analytics_query_day (day, query, country, searches, zero_results, clicks)
        VALUES (?, ?, ?, ?, ?, ?)
        ON CONFLICT (day, query, country) DO UPDATE SET
          searches = searches + excluded.searches,
          zero_results = zero_results + excluded.zero_results, clicks = clicks + excluded.clicks
        """)
    try queries.each { key, counts in
      try addQuery.execute(arguments: [
        key.day, key.a, key.b, counts.searches, counts.zeroResults, counts.clicks,
      ])
    }
  }

  /// Writes the days' raw blocks, and the states of the days no longer kept (every day's when
  /// `final`).
  private func saveStates(final: Bool) throws {
    // Blocks go out at every flush; a day's state (its event keys, sessions, visitors) stays in
    // memory while its day is among the last few met, and is written once when it leaves.
    for state in states.values { try state.saveBlock(db) }
    if final || states.count > Self.daysKept {
      let keep = final ? [] : Array(recentDays.suffix(Self.daysKept))
      for (day, state) in states where !keep.contains(day) {
        try state.save(db)
        states[day] = nil
      }
      recentDays = keep
    }
  }

  /// Adds the batch's experiment-tagged events to `analytics_ab`, and forgets them.
  private func addExperiments() throws {
    let addExperiment = try db.cachedStatement(
      sql: """
        INSERT INTO analytics_ab (experiment, variant, day, user, currency, events, purchases,
          revenue_minor) VALUES (?, ?, ?, ?, ?, ?, ?, ?)
        ON CONFLICT (experiment, variant, day, user, currency) DO UPDATE SET
          events = events + excluded.events, purchases = purchases + excluded.purchases,
          revenue_minor = revenue_minor + excluded.revenue_minor
        """)
    for (key, entry) in experiments {
      try addExperiment.execute(arguments: [
        key.experiment, key.variant, key.day, key.user, key.currency, entry[0], entry[1], entry[2],
      ])
    }
    experiments.removeAll()
  }

  /// Writes the batch's day sketches to `analytics_sketch` (each holds the stored one).
  private func putSketches() throws {
    let putSketch = try db.cachedStatement(
      sql: "INSERT OR REPLACE INTO analytics_sketch (day, country, registers) VALUES (?, ?, ?)")
    try sketches.each { key, sketch in
      try putSketch.execute(arguments: [key.day, key.segment, Data(sketch.registers)])
    }
  }
}
