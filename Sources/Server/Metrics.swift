import Foundation
import Prometheus

/// The server's Prometheus metrics, in a registry of its own (not the process-wide
/// `MetricsSystem`), so that several servers in one test process keep separate counts.
final class ServerMetrics: Sendable {
  let registry = PrometheusCollectorRegistry()
  let inFlight: Prometheus.Gauge
  let busy: Prometheus.Counter

  /// Latency buckets from 0.5 ms to 10 s.
  static let buckets: [Duration] = [
    .microseconds(500), .milliseconds(1), .milliseconds(2), .milliseconds(5),
    .milliseconds(10), .milliseconds(20), .milliseconds(50), .milliseconds(100),
    .milliseconds(250), .milliseconds(500), .seconds(1), .seconds(2.5), .seconds(10),
  ]

  init() {
    inFlight = registry.makeGauge(
      descriptor: .init(
        namespace: "mkt", metricName: "http_requests_in_flight", unitName: "",
        helpText: "Requests being answered now."))
    busy = registry.makeCounter(
      descriptor: .init(
        namespace: "mkt", metricName: "database_busy", unitName: "total",
        helpText:
          "Requests answered 503 because the database stayed locked past the busy timeout."))
  }

  /// Counts a finished request of `route` with `status`, taking `duration`.
  func record(route: String, method: String, status: Int, duration: Duration) {
    registry.makeCounter(
      descriptor: .init(
        namespace: "mkt", metricName: "http_requests", unitName: "total",
        helpText: "Requests answered, by route, method and status."),
      labels: [("route", route), ("method", method), ("status", String(status))]
    ).increment()
    registry.makeDurationHistogram(
      descriptor: .init(
        namespace: "mkt", metricName: "http_request_duration", unitName: "seconds",
        helpText: "Time from a request's head to its response, by route."),
      labels: [("route", route), ("method", method)], buckets: Self.buckets
    ).record(duration)
    if status == 503 { busy.increment() }
  }

  /// Counts an order placement by its outcome: placed, replayed, review, refused.
  func order(_ outcome: String) {
    registry.makeCounter(
      descriptor: .init(
        namespace: "mkt", metricName: "orders", unitName: "total",
        helpText: "Order placements over HTTP, by outcome."),
      labels: [("outcome", outcome)]
    ).increment()
  }

  /// Counts a catalog import or stock sync over HTTP.
  func upload(_ kind: String, outcome: String) {
    registry.makeCounter(
      descriptor: .init(
        namespace: "mkt", metricName: "uploads", unitName: "total",
        helpText: "Catalog imports and stock syncs over HTTP, by outcome."),
      labels: [("kind", kind), ("outcome", outcome)]
    ).increment()
  }

  /// The metrics in Prometheus text format.
  func text() -> [UInt8] { registry.emitToBuffer() }
}
