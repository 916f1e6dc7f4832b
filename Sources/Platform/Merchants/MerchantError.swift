public import MktCore

/// A merchant command was given something it cannot act on.
public enum MerchantError: MktError, Equatable {
  case invalidField(RowIssue)
  case alreadyExists(id: String)
  case notFound(id: String)
  /// The CSV header lacks a required column, repeats one, or names one mkt does not know.
  case badHeader(InputLocation, reason: String)

  public var exitStatus: SysExit { .dataError }

  public var location: InputLocation? {
    switch self {
    case .invalidField(let issue): issue.location
    case .alreadyExists(let id), .notFound(let id): InputLocation(id: id)
    case .badHeader(let location, _): location
    }
  }

  public var description: String {
    switch self {
    case .invalidField(let issue): issue.message
    case .alreadyExists(let id): "merchant \(id) already exists"
    case .notFound(let id): "no merchant \(id)"
    case .badHeader(_, let reason): reason
    }
  }

  public var hint: String? {
    switch self {
    case .invalidField(let issue): MerchantFields.hint(forRule: issue.rule)
    case .alreadyExists: "change it with `mkt merchant import`, or remove it first"
    case .notFound: "list merchants with `mkt merchant list`"
    case .badHeader:
      "the header names the columns: \(MerchantFields.columns.joined(separator: ",")) "
        + "(id and name required)"
    }
  }
}
