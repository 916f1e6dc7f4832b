import MktCore

/// Writing a command's output failed.
enum OutputError: MktError, Equatable {
  case writeFailed(stream: String, reason: String)
  case cannotCreate(path: String, reason: String)

  var exitStatus: SysExit {
    switch self {
    case .writeFailed: .ioError
    case .cannotCreate: .cantCreate
    }
  }

  var location: InputLocation? {
    switch self {
    case .writeFailed: nil
    case .cannotCreate(let path, _): InputLocation(file: path)
    }
  }

  var description: String {
    switch self {
    case .writeFailed(let stream, let reason): "writing to \(stream) failed: \(reason.lowercased())"
    case .cannotCreate(_, let reason): "cannot create the file: \(reason.lowercased())"
    }
  }

  var hint: String? {
    switch self {
    case .writeFailed: "check free disk space where the output goes"
    case .cannotCreate: "check that the directory exists and is writable"
    }
  }
}
