/// An error that mkt reports to a person: what went wrong, where, what to do, and the exit status.
///
/// Every error that crosses a module boundary conforms. `description` says what happened in
/// lowercase, `location` says where, `hint` names what to do (often a flag or a command).
public protocol MktError: Error, CustomStringConvertible, Sendable {
  /// The process exit status this error ends a command with.
  var exitStatus: SysExit { get }
  /// Where the problem is: a file position, a field, an id. `nil` when there is no place to point.
  var location: InputLocation? { get }
  /// What the user can do about it.
  var hint: String? { get }
  /// Lines listed before the error, such as each rejected row of an import.
  var details: [String] { get }
}

extension MktError {
  public var location: InputLocation? { nil }
  public var hint: String? { nil }
  public var details: [String] { [] }
}

/// An error nobody anticipated: a bug.
///
/// It exits 70 and asks to be reported.
public struct InternalError: MktError {
  /// The underlying error, as text.
  public let underlying: String

  public init(underlying: String) {
    self.underlying = underlying
  }

  public var exitStatus: SysExit { .software }
  public var description: String { "internal error: \(underlying)" }
  public var hint: String? {
    "this is a bug in mkt; please report it with the command you ran and `mkt --version`"
  }
}

/// A command's outcome that is not success although nothing failed: a check that found
/// problems (1), a batch with refused rows (65).
///
/// The command already wrote what it found; the entry point prints nothing more and exits with
/// the status. A caller of the command in a library sees what it is from `description`.
public struct Reported: MktError {
  public let exitStatus: SysExit
  public let description: String

  public init(_ exitStatus: SysExit, _ description: String) {
    self.exitStatus = exitStatus
    self.description = description
  }
}
