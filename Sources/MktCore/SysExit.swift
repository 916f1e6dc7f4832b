/// The exit statuses mkt uses, after BSD `sysexits.h` (DESIGN.md §5).
///
/// Scripts branch on these, so a status never changes meaning once shipped.
public enum SysExit: Int32, Sendable, CaseIterable, Codable, Comparable {
  /// The command did what was asked.
  case ok = 0
  /// A check ran and found differences or problems (`db check`, `feed check`).
  case problemsFound = 1
  /// The command line was wrong: unknown option or subcommand, bad value.
  case usage = 64
  /// The input data was wrong: a bad row, a bad code, a database newer than this binary.
  case dataError = 65
  /// An input file or database does not exist or cannot be opened.
  case noInput = 66
  /// A remote instance or URL could not be reached.
  case unavailable = 69
  /// An internal error: a bug in mkt.
  case software = 70
  /// An output file or the database could not be created or written.
  case cantCreate = 73
  /// A read or write failed at the operating-system level.
  case ioError = 74
  /// A temporary failure: another process holds the database or a lock; try again.
  case tempFail = 75
  /// Not permitted: authentication or authorisation failed.
  case noPermission = 77

  /// Orders statuses by how bad they are for a run over several inputs: any failure outranks
  /// "problems found", which outranks success.
  public static func < (lhs: SysExit, rhs: SysExit) -> Bool { lhs.rawValue < rhs.rawValue }

  /// One line saying what the status means, for help text and man pages.
  public var meaning: String {
    switch self {
    case .ok: "success"
    case .problemsFound: "a check found problems or differences (db check, feed check)"
    case .usage: "usage error: unknown option or subcommand, invalid value"
    case .dataError: "bad input data: invalid rows, codes, or a database newer than this mkt"
    case .noInput: "input missing: no such file or database"
    case .unavailable: "a remote service or URL is unavailable"
    case .software: "internal error in mkt (please report it)"
    case .cantCreate: "cannot create or write an output file or the database"
    case .ioError: "I/O error while reading or writing"
    case .tempFail: "temporary failure, try again (database busy, lock held)"
    case .noPermission: "not permitted (authentication)"
    }
  }

  /// The table of statuses as printed in `mkt --help` and the man page.
  public static var table: String {
    allCases.map { status in
      let code = String(status.rawValue)
      return "  " + code + String(repeating: " ", count: 4 - code.count) + status.meaning
    }.joined(separator: "\n")
  }
}
