import ArgumentParser

/// "Did you mean …?" for a mistyped subcommand, which ArgumentParser reports without a guess.
enum SubcommandSuggestion {
  /// The mistyped word, where it is, and the nearest subcommand, when a word of `arguments`
  /// names no subcommand but one is close to it.
  static func message(for arguments: [String], root: any ParsableCommand.Type) -> String? {
    var command = root
    var path = ["mkt"]
    for argument in arguments where !argument.hasPrefix("-") {
      let names = command.configuration.subcommands.map { $0._commandName }
      guard !names.isEmpty else { return nil }
      if let next = command.configuration.subcommands.first(where: { $0._commandName == argument })
      {
        command = next
        path.append(argument)
        continue
      }
      let best = names.map { ($0, distance($0, argument)) }.min { $0.1 < $1.1 }
      guard let (name, cost) = best, cost <= max(2, argument.count / 3) else { return nil }
      let here = path.joined(separator: " ")
      return "mkt: error: '\(argument)' is not a command of '\(here)'. Did you mean '\(name)'?\n"
        + "  See '\(here) --help'."
    }
    return nil
  }

  /// Levenshtein distance, small strings only.
  static func distance(_ a: String, _ b: String) -> Int {
    let a = Array(a)
    let b = Array(b)
    guard !a.isEmpty else { return b.count }
    guard !b.isEmpty else { return a.count }
    var previous = Array(0...b.count)
    for i in 1...a.count {
      var current = [i] + Array(repeating: 0, count: b.count)
      for j in 1...b.count {
        current[j] = min(
          previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1))
      }
      previous = current
    }
    return previous[b.count]
  }
}
