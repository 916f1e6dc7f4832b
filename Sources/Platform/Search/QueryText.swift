import Foundation

/// A shopper's query, read the way the index reads text, and turned into an FTS5 expression
/// that cannot fail to parse.
///
/// Words are runs of letters and digits, lowercased with diacritics removed (the index's
/// `unicode61 remove_diacritics 2`). Everything else separates words, so quotes, `*`, `-`, `:`,
/// parentheses and `NEAR`/`AND`/`OR`/`NOT` typed by a user are ordinary text. Double quotes
/// around words make a phrase, on purpose.
struct QueryText: Sendable, Equatable {
  /// One part of the query: a word, or a quoted phrase of several.
  struct Part: Sendable, Equatable {
    var words: [String]
    var isPhrase: Bool { words.count > 1 }
  }

  var parts: [Part]

  /// The longest query read; the rest is dropped with a warning.
  static let maximumLength = 1000

  init(_ text: String) {
    var parts: [Part] = []
    var inPhrase = false
    var phrase: [String] = []
    var word = ""
    func endWord() {
      guard !word.isEmpty else { return }
      let folded = Self.fold(word)
      if inPhrase { phrase.append(folded) } else { parts.append(Part(words: [folded])) }
      word = ""
    }
    for character in text.prefix(Self.maximumLength) {
      if character.isLetter || character.isNumber {
        word.append(character)
      } else {
        endWord()
        if character == "\"" {
          if inPhrase, !phrase.isEmpty { parts.append(Part(words: phrase)) }
          phrase = []
          inPhrase.toggle()
        }
      }
    }
    endWord()
    // An unclosed quote: its words still count, one by one.
    parts += phrase.map { Part(words: [$0]) }
    self.parts = parts
  }

  /// Lowercase without diacritics, as the index stores words.
  static func fold(_ word: String) -> String {
    word.lowercased().folding(options: .diacriticInsensitive, locale: nil)
  }

  /// `word` as an FTS5 string: in double quotes, inner quotes doubled; never an operator.
  static func quoted(_ words: [String]) -> String {
    "\"" + words.joined(separator: " ").replacingOccurrences(of: "\"", with: "\"\"") + "\""
  }
}
