public import MktCore

/// A rules file, label file, training set or request the fraud module cannot use.
public enum FraudError: MktError, Equatable {
  /// A rules file that does not validate, with where (65).
  case invalidRules(InputLocation, message: String)
  /// Training needs both classes; how many of each were found (65).
  case notEnoughLabels(fraud: Int, good: Int)
  /// A labels file that cannot be applied, with where (65).
  case invalidLabels(InputLocation, message: String)
  /// A model file or stored model that cannot be read (65).
  case invalidModel(String)
  case invalidRequest(String)

  public var exitStatus: SysExit { .dataError }

  public var location: InputLocation? {
    switch self {
    case .invalidRules(let location, _), .invalidLabels(let location, _): location
    default: nil
    }
  }

  public var description: String {
    switch self {
    case .invalidRules(_, let message), .invalidLabels(_, let message): message
    case .notEnoughLabels(let fraud, let good):
      "training needs labelled orders of both kinds: found \(fraud) fraud and \(good) good"
    case .invalidModel(let message), .invalidRequest(let message): message
    }
  }

  public var hint: String? {
    switch self {
    case .notEnoughLabels:
      "label orders with mkt fraud label import FILE, or review decisions; or train on a "
        + "labelled file with --orders"
    case .invalidRules: "mkt fraud rules --help lists the signals and the syntax"
    default: nil
    }
  }
}
