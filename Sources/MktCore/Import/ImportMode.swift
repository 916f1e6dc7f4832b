/// What a bulk import does with the rows it reads (DESIGN.md §6, the import contract).
public enum ImportMode: String, Sendable, Codable, CaseIterable {
  /// Insert new rows and update changed ones; rows absent from the input stay as they are.
  case upsert
  /// Upsert, and remove the stored rows absent from the input.
  case replace
  /// Remove the rows the input lists.
  case delete
}

/// What an empty cell means in an upsert.
public enum EmptyCellPolicy: String, Sendable, Codable, CaseIterable {
  /// An empty cell leaves the stored value as it is; the literal `__EMPTY__` clears it.
  case keep
  /// An empty cell clears the stored value.
  case clear

  /// The literal that clears a stored value whatever the policy.
  public static let clearMarker = "__EMPTY__"
}

/// How a bulk import runs: the flags every bulk command shares.
public struct ImportOptions: Sendable, Equatable {
  /// Upsert, replace or delete.
  public var mode: ImportMode
  /// Parse, validate and compute the diff, but write nothing.
  public var dryRun: Bool
  /// The number of rejected rows tolerated; one more aborts the run with nothing written.
  public var maxErrors: Int
  /// What an empty cell means.
  public var emptyCells: EmptyCellPolicy

  public init(
    mode: ImportMode = .upsert, dryRun: Bool = false, maxErrors: Int = 0,
    emptyCells: EmptyCellPolicy = .keep
  ) {
    self.mode = mode
    self.dryRun = dryRun
    self.maxErrors = maxErrors
    self.emptyCells = emptyCells
  }
}
