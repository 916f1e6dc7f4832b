#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where a command may write a file, decided before it writes a byte (hardening class 1).
///
/// Writers that build a file beside its final name and rename it into place would replace
/// whatever the name points at: the database itself, its `-wal`, a device node. Every such writer
/// asks here first:
/// - the database or one of its companion files (`-wal`, `-shm`, `-journal`, the lock files,
///   search's `-search` and `-words`), or any SQLite database or WAL file, is refused (73);
/// - a device, FIFO or socket is written in place and never replaced (`-o /dev/stdout` works);
/// - a directory, or a path whose directory does not exist, is refused (73) naming it.
public enum OutputPath: Sendable, Equatable {
  /// A regular file, or nothing yet: write beside `path` and rename into place. `path` is the
  /// real path when the name was a symbolic link, so the link's target is what is replaced.
  case replace(path: String)
  /// A device, FIFO or socket: open it and write in place.
  case inPlace(path: String)

  /// The companion files SQLite and mkt keep beside a database.
  public static let companionSuffixes = [
    "-wal", "-shm", "-journal", ".lock", ".sync.lock", "-search", "-search-new", "-words",
    "-words-new",
  ]

  /// Checks `path` as an output target.
  ///
  /// - Parameters:
  ///   - path: The output path as the user gave it.
  ///   - databases: Database paths in use (the `--db` of the command, the default one); the files
  ///     and their companions are refused, whether or not they exist yet.
  ///   - replacingDatabases: Whether another SQLite database may be replaced (`db backup --force`
  ///     over an older backup).
  /// - Returns: how to write the output.
  /// - Throws: ``OutputPathError``.
  public static func check(
    _ path: String, protecting databases: [String] = [], replacingDatabases: Bool = false
  ) throws(OutputPathError) -> OutputPath {
    guard !path.isEmpty else { throw .refused(path: path, reason: "the output path is empty") }
    var info = stat()
    if lstat(path, &info) == 0, (info.st_mode & S_IFMT) == S_IFLNK {
      // A link to a device or pipe (`/dev/stdout`) is written through; a link to a file names
      // what would be replaced.
      if stat(path, &info) == 0, ![S_IFREG, S_IFDIR].contains(info.st_mode & S_IFMT) {
        return .inPlace(path: path)
      }
      guard let real = realPath(path) else {
        throw .missingDirectory(path: path, directory: directory(of: path))
      }
      return try check(real, protecting: databases, replacingDatabases: replacingDatabases)
    }
    let directory = directory(of: path)
    var directoryInfo = stat()
    guard stat(directory, &directoryInfo) == 0, (directoryInfo.st_mode & S_IFMT) == S_IFDIR else {
      throw .missingDirectory(path: path, directory: directory)
    }
    try refuseDatabase(path, databases: databases)
    guard stat(path, &info) == 0 else { return .replace(path: path) }
    switch info.st_mode & S_IFMT {
    case S_IFREG:
      if let kind = sqliteKind(path), !(replacingDatabases && kind == "a SQLite database") {
        throw .refused(path: path, reason: "it is \(kind); mkt never writes over one")
      }
      return .replace(path: path)
    case S_IFDIR: throw .refused(path: path, reason: "it is a directory")
    default: return .inPlace(path: path)
    }
  }

  /// Throws when `path` is one of `databases` or their companions, by name or by file identity.
  static func refuseDatabase(_ path: String, databases: [String]) throws(OutputPathError) {
    let target = canonical(path)
    let targetID = fileID(path)
    for database in databases where !database.isEmpty && database != ":memory:" {
      let base = canonical(database)
      for suffix in [""] + companionSuffixes {
        let protected = database + suffix
        let sameName = target == base + suffix
        let sameFile = targetID != nil && targetID == fileID(protected)
        if sameName || sameFile {
          let what = suffix.isEmpty ? "the database" : "the database's \(suffix) file"
          throw .refused(
            path: path, reason: "it is \(what) (\(database)); writing there would destroy it")
        }
      }
    }
  }

  /// "a SQLite database" or "a SQLite WAL file" when the file starts like one.
  static func sqliteKind(_ path: String) -> String? {
    let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK)
    guard fd >= 0 else { return nil }
    defer { close(fd) }
    var header = [UInt8](repeating: 0, count: 16)
    let count = header.withUnsafeMutableBytes { read(fd, $0.baseAddress, 16) }
    if count == 16, header.elementsEqual(Array("SQLite format 3\0".utf8)) {
      return "a SQLite database"
    }
    if count >= 4, header[0] == 0x37, header[1] == 0x7f, header[2] == 0x06,
      header[3] == 0x82 || header[3] == 0x83
    {
      return "a SQLite WAL file"
    }
    return nil
  }

  /// The hidden file a writer fills before renaming it to `target`: `dir/.name.tag`, with the
  /// name shortened so that it stays within the 255 bytes a file name may have.
  public static func temporary(for target: String, tag: String) -> String {
    let folder = directory(of: target)
    let name =
      target.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init) ?? ""
    var kept = ""
    var bytes = 0
    for character in name {
      let size = character.utf8.count
      guard bytes + size <= 255 - 2 - tag.utf8.count else { break }
      kept.append(character)
      bytes += size
    }
    let prefix = target.contains("/") ? (folder == "/" ? "/" : folder + "/") : ""
    return prefix + "." + kept + "." + tag
  }

  /// The folder a path's file lives in (`.` for a bare name).
  public static func directory(of path: String) -> String {
    guard let slash = path.lastIndex(of: "/") else { return "." }
    let folder = String(path[..<slash])
    return folder.isEmpty ? "/" : folder
  }

  /// The absolute path with links resolved in its folder: two spellings of one place compare equal.
  static func canonical(_ path: String) -> String {
    let folder = realPath(directory(of: path)) ?? directory(of: path)
    let name = path.split(separator: "/", omittingEmptySubsequences: true).last.map(String.init)
    return folder + "/" + (name ?? "")
  }

  static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }

  static func fileID(_ path: String) -> [UInt64]? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return [UInt64(info.st_dev), UInt64(info.st_ino)]
  }
}

/// An output path mkt refuses to write.
public enum OutputPathError: MktError, Equatable {
  case missingDirectory(path: String, directory: String)
  case refused(path: String, reason: String)

  public var exitStatus: SysExit { .cantCreate }
  public var location: InputLocation? {
    switch self {
    case .missingDirectory(let path, _), .refused(let path, _): InputLocation(file: path)
    }
  }
  public var description: String {
    switch self {
    case .missingDirectory(_, let directory):
      "cannot create the file: the directory \(directory) does not exist"
    case .refused(_, let reason): "refusing to write the output there: \(reason)"
    }
  }
  public var hint: String? {
    switch self {
    case .missingDirectory: "create the directory first, or choose another path"
    case .refused: "choose another output path"
    }
  }
}
