import Catalog
import Dispatch
import Foundation

/// SIGINT, SIGTERM and SIGHUP while mkt fetches: the downloads' spool files beside the
/// database are removed first, then the signal ends the process as it would have.
///
/// A signal that was ignored when mkt started (`nohup`) stays ignored.
enum FetchSignals {
  /// Installs the handlers, once per process.
  static func install() { _ = handlers }

  private static let handlers = SignalSources()
}

/// The dispatch sources of the handled signals, kept alive for the life of the process.
private final class SignalSources: @unchecked Sendable {
  // SAFETY: `sources` is set in `init` and never changed.
  private var sources: [any DispatchSourceSignal] = []

  init() {
    for number in [SIGINT, SIGTERM, SIGHUP] {
      let previous = signal(number, SIG_IGN)
      if unsafeBitCast(previous, to: Int.self) == unsafeBitCast(SIG_IGN, to: Int.self) {
        continue  // ignored on entry: leave it so
      }
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        FetchSpool.removeAll()
        signal(number, SIG_DFL)
        // To the process, not this thread: dispatch's threads block the signal.
        kill(getpid(), number)
      }
      source.resume()
      sources.append(source)
    }
  }
}
