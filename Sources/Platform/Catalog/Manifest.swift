import Foundation
public import Importers
public import MktCore

/// One line of an import manifest: a merchant's feed and how to read it.
public struct ManifestEntry: Sendable, Equatable {
  public var merchant: String
  /// A path (relative to the manifest's folder) or an `http(s)://` URL.
  public var source: String
  public var format: FeedFormat?
  public var mode: ImportMode?
  public var language: String?
  /// Where the entry is in the manifest.
  public var location: InputLocation

  public init(
    merchant: String, source: String, format: FeedFormat? = nil, mode: ImportMode? = nil,
    language: String? = nil, location: InputLocation = InputLocation()
  ) {
    self.merchant = merchant
    self.source = source
    self.format = format
    self.mode = mode
    self.language = language
    self.location = location
  }

  /// Reads a manifest.
  ///
  /// A manifest is a CSV with `merchant_id` and `source`, and optionally `format`, `mode` and
  /// `language` columns. Blank optional cells take the command line's settings.
  ///
  /// A source is an `http(s)://` URL or a path. A relative path is read from the manifest's
  /// folder and may not leave it (`../`, or a link pointing out); an absolute path only with
  /// `allowAbsolute`. A manifest from elsewhere cannot make mkt read `/etc/shadow` and store
  /// its first line in the import history.
  ///
  /// - Throws: ``ManifestError`` (65) naming the file, line and column of the first problem;
  ///   source errors (66).
  public static func read(path: String, allowAbsolute: Bool = false) throws -> [ManifestEntry] {
    let reader = CSVReader(source: try ByteSource(path: path))
    guard let headerRecord = try reader.next() else {
      throw ManifestError(InputLocation(file: path, line: 1), "the manifest is empty")
    }
    let header = CSVHeader(headerRecord.fields)
    let known = ["merchant_id", "source", "format", "mode", "language"]
    for (index, name) in header.names.enumerated() where !known.contains(name) {
      throw ManifestError(
        InputLocation(file: path, line: 1, column: index + 1),
        "unknown column \(headerRecord.fields[index]) (known: \(known.joined(separator: ", ")))")
    }
    for required in ["merchant_id", "source"] where header.index(of: required) == nil {
      throw ManifestError(
        InputLocation(file: path, line: 1), "the header lacks the \(required) column")
    }
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().standardizedFileURL.path
    var entries: [ManifestEntry] = []
    while let record = try reader.next() {
      if record.fields.allSatisfy(\.isEmpty) { continue }
      func cell(_ name: String) -> (String, InputLocation) {
        let index = header.index(of: name)
        let value =
          index.flatMap { $0 < record.fields.count ? record.fields[$0] : nil }?
          .trimmingCharacters(in: .whitespaces) ?? ""
        return (
          value,
          InputLocation(
            file: path, line: record.line, column: index.map { $0 + 1 }, field: name)
        )
      }
      let (merchant, merchantAt) = cell("merchant_id")
      let (source, sourceAt) = cell("source")
      guard !merchant.isEmpty else { throw ManifestError(merchantAt, "no merchant_id") }
      guard !source.isEmpty else { throw ManifestError(sourceAt, "no source") }
      var entry = ManifestEntry(
        merchant: merchant,
        source: try confined(source, in: folder, allowAbsolute: allowAbsolute, at: sourceAt),
        location: InputLocation(file: path, line: record.line))
      /// The cell's value as one of `Value`'s cases; `nil` when blank.
      func choice<Value: RawRepresentable & CaseIterable>(_ name: String, _: Value.Type) throws
        -> Value? where Value.RawValue == String
      {
        let (text, location) = cell(name)
        guard !text.isEmpty else { return nil }
        guard let value = Value(rawValue: text.lowercased()) else {
          throw ManifestError(
            location,
            "unknown \(name) \(text) (known: "
              + Value.allCases.map(\.rawValue).joined(separator: ", ") + ")")
        }
        return value
      }
      entry.format = try choice("format", FeedFormat.self)
      entry.mode = try choice("mode", ImportMode.self)
      let (language, _) = cell("language")
      if !language.isEmpty { entry.language = language.lowercased() }
      entries.append(entry)
    }
    return entries
  }

  /// `source` as the path or URL to read, or why a manifest may not name it.
  static func confined(
    _ source: String, in folder: String, allowAbsolute: Bool, at location: InputLocation
  ) throws -> String {
    let lower = source.lowercased()
    if lower.hasPrefix("http://") || lower.hasPrefix("https://") { return source }
    if source.contains("://") {
      throw ManifestError(location, "\(source) is not a path or an http(s) URL")
    }
    if source == "-" {
      throw ManifestError(location, "a manifest names files or URLs, not standard input")
    }
    if source.hasPrefix("/") {
      guard allowAbsolute else {
        throw ManifestError(
          location,
          "\(source) is an absolute path; a manifest's paths are relative to its folder "
            + "(pass --allow-absolute to read absolute paths)")
      }
      return source
    }
    let resolved = URL(fileURLWithPath: folder + "/" + source).standardizedFileURL.path
    let root = realPath(folder) ?? folder
    let real = realPath(resolved) ?? resolved
    guard resolved.hasPrefix(folder + "/"), real.hasPrefix(root + "/") else {
      throw ManifestError(
        location,
        "\(source) leads out of the manifest's folder \(folder) (pass --allow-absolute and an "
          + "absolute path to read a feed elsewhere)")
    }
    return resolved
  }

  private static func realPath(_ path: String) -> String? {
    guard let resolved = realpath(path, nil) else { return nil }
    defer { free(resolved) }
    return String(cString: resolved)
  }
}

/// A manifest that cannot be used: nothing is imported.
public struct ManifestError: MktError, Equatable {
  public var location: InputLocation?
  public var description: String
  public var exitStatus: SysExit { .dataError }
  public var hint: String? {
    "a manifest is a CSV: merchant_id,source[,format,mode,language], one feed per line"
  }

  init(_ location: InputLocation, _ description: String) {
    self.location = location
    self.description = description
  }
}

/// What a manifest run did for one merchant.
public struct ManifestResult: Sendable, Encodable {
  public var merchant: String
  public var source: String
  /// The import's summary; on failure, what is known (the rejected count).
  public var summary: ImportSummary
  /// Why this merchant's import failed; `nil` if it succeeded.
  public var error: String?

  enum CodingKeys: String, CodingKey {
    case merchant = "merchant_id"
    case source, summary, error
  }
}
