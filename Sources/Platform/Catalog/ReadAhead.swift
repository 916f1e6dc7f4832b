import Importers

/// An import's first stage: the feed read, parsed and, when the writer needs no stored rows to
/// judge them, validated and normalised, on a thread of its own (``FeedReadAhead``).
typealias ReadAhead = FeedReadAhead<ImportItem>

extension FeedReadAhead where Item == ImportItem {
  /// Starts reading `reader`, preparing each record with `stage`.
  convenience init(reader: FeedReader, stage: ImportStage) {
    var stage = stage
    self.init(reader: reader) { stage.prepare($0) }
  }
}
