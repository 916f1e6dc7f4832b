import Foundation
import MktCore

#if canImport(Glibc)
import Glibc
#endif

/// What the process is attached to: terminals, colour preferences.
///
/// Read once per command.
struct Terminal: Sendable {
  /// Standard output is a terminal (tables aligned rather than tab-separated).
  var stdoutIsTTY: Bool
  /// Standard error is a terminal (progress shown).
  var stderrIsTTY: Bool
  /// Colour allowed on standard error: a terminal, no `NO_COLOR`, `TERM` not `dumb`.
  var color: Bool

  static var current: Terminal {
    let environment = ProcessInfo.processInfo.environment
    let forced = environment["MKT_FORCE_TTY"] == "1"
    let stderrIsTTY = forced || isatty(2) == 1
    let noColor = environment["NO_COLOR"].map { !$0.isEmpty } ?? false
    return Terminal(
      stdoutIsTTY: forced || isatty(1) == 1, stderrIsTTY: stderrIsTTY,
      color: stderrIsTTY && !noColor && environment["TERM"] != "dumb")
  }
}

/// Writes bytes to a file descriptor with `write(2)`, retrying short writes and `EINTR`.
///
/// A reader that went away (`EPIPE`, as in `mkt … | head`) ends the process with status 0, as
/// ripgrep does; any other failure is ``OutputError/writeFailed(stream:reason:)`` (exit 74).
enum RawWriter {
  /// Where messages (notes, warnings, errors) go: standard error, or in tests a file of their
  /// own, for this task only (a task-local, so parallel tests never share it).
  @TaskLocal static var messageDescriptor: Int32 = 2

  static func write(_ text: String, to descriptor: Int32) throws(OutputError) {
    var text = text
    let failure = text.withUTF8 { Descriptor.writeAll(descriptor, UnsafeRawBufferPointer($0)) }
    if failure == EPIPE { exit(0) }
    if failure != 0 {
      throw .writeFailed(
        stream: descriptor == 1 ? "standard output" : "standard error",
        reason: String(cString: strerror(failure)))
    }
  }
}
