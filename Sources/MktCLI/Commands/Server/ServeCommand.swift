import ArgumentParser
import Foundation
import Logging
import MktCore
import Server
import Store

/// `mkt serve`.
struct ServeCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "serve",
    abstract: "Serve the database over HTTP: catalog, search, quotes, stock, orders, events.",
    discussion: """
      Routes are under /v1 with a bearer token (mkt token create); GET /openapi.json describes \
      them (also docs/openapi.yaml). /healthz, /readyz and /metrics (Prometheus) need no \
      token. Errors are application/problem+json with mkt's exit status as "code". One line \
      per request is logged to standard error (--log-level). SIGTERM or SIGINT stops \
      accepting, lets requests in flight finish (up to --shutdown-deadline seconds), then \
      checkpoints the WAL. With --tls-cert and --tls-key it answers HTTPS only (TLS 1.2 or \
      1.3); otherwise plain HTTP, for loopback or behind a proxy that terminates TLS.

      Examples:
        mkt serve --db shop.db --port 8080
        mkt serve --port 8443 --tls-cert /etc/mkt/fullchain.pem --tls-key /etc/mkt/key.pem
        curl -H "Authorization: Bearer $TOKEN" 'http://127.0.0.1:8080/v1/search?q=jacket'
      """)
  @OptionGroup var global: GlobalOptions
  @Option(help: "The address to listen on.") var host = "127.0.0.1"
  @Option(help: "The port (0: any free port, printed).") var port = 8080
  @Option(help: "Requests per second per token (bursts of twice as many); 0: no limit.")
  var rateLimit: Double = 1_000
  @Option(help: "The largest JSON body, in bytes.") var maxBody = 1 << 20
  @Option(help: "The largest stock file or event batch, in bytes.") var maxUpload = 256 << 20
  @Option(help: "Seconds before an idle or stalled connection is closed.") var idleTimeout = 30.0
  @Option(help: "Seconds a client has to send a request's headers.") var headerTimeout = 10.0
  @Option(help: "Seconds shutdown waits for requests in flight.") var shutdownDeadline = 10.0
  @Option(help: ArgumentHelp("HTTPS: the certificate chain, PEM (leaf first).", valueName: "file"))
  var tlsCert: String?
  @Option(help: ArgumentHelp("HTTPS: the certificate's private key, PEM.", valueName: "file"))
  var tlsKey: String?
  @Option(help: "trace, debug, info (one line per request), notice, warning, error.")
  var logLevel = "info"

  func validate() throws {
    guard (0...65_535).contains(port) else { throw ValidationError("--port must be 0 to 65535") }
    guard (tlsCert == nil) == (tlsKey == nil) else {
      throw ValidationError("--tls-cert and --tls-key go together")
    }
    guard Logger.Level(rawValue: logLevel) != nil else {
      throw ValidationError("--log-level must be trace, debug, info, notice, warning or error")
    }
  }

  func run() async throws {
    var options = ServerOptions()
    options.host = host
    options.port = port
    options.rateLimit = rateLimit
    options.maxBody = maxBody
    options.maxUpload = maxUpload
    options.idleTimeout = .milliseconds(Int64(idleTimeout * 1000))
    options.headerTimeout = .milliseconds(Int64(headerTimeout * 1000))
    options.shutdownDeadline = .milliseconds(Int64(shutdownDeadline * 1000))
    if let tlsCert, let tlsKey { options.tls = try ServerTLS(certificate: tlsCert, key: tlsKey) }
    var logger = Logger(label: "mkt.serve") { StreamLogHandler.standardError(label: $0) }
    logger.logLevel = global.quiet ? .warning : Logger.Level(rawValue: logLevel) ?? .info
    let store = try global.openStore()
    let server = try await MktServer.open(store: store, options: options, logger: logger)
    let running = try await server.start(stopOnSignals: true)
    if !global.quiet {
      try RawWriter.write(
        "mkt: serving \(store.path) on \(options.tls == nil ? "http" : "https")://"
          + "\(host):\(running.port)\n",
        to: RawWriter.messageDescriptor)
    }
    try await running.finished()
  }
}
