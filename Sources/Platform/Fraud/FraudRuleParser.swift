import MktCore

/// Reads one rule: `ACTION if CONDITION [and CONDITION]…`, where a condition is
/// `SIGNAL OP VALUE`, a flag signal alone (`ip_mismatch`) or `not FLAG`.
enum FraudRuleParser {
  /// A word of the rule and the column it starts at (0-based within the rule).
  struct Token {
    var text: String
    var offset: Int
  }

  /// The rule's action and conditions; `start` is where the rule's text begins in the file.
  static func parse(_ text: String, at start: InputLocation) throws(FraudError) -> (
    FraudAction, [FraudRule.Condition]
  ) {
    let tokens = tokenize(text)
    func fail(_ token: Token?, _ message: String) -> FraudError {
      var here = start
      here.column = (start.column ?? 1) + (token?.offset ?? text.count)
      return .invalidRules(here, message: message)
    }
    let actions = FraudAction.allCases.map(\.rawValue).joined(separator: ", ")
    guard let first = tokens.first else {
      throw fail(nil, "the rule is empty (e.g. review if account_age < 60s)")
    }
    guard let action = FraudAction(rawValue: first.text) else {
      throw fail(first, "unknown action '\(first.text)' (valid: \(actions))")
    }
    guard tokens.count > 1, tokens[1].text == "if" else {
      throw fail(tokens.count > 1 ? tokens[1] : nil, "expected 'if' after '\(action.rawValue)'")
    }
    var conditions: [FraudRule.Condition] = []
    var index = 2
    while true {
      guard index < tokens.count else { throw fail(nil, "expected a condition") }
      var negated = false
      if tokens[index].text == "not" {
        negated = true
        index += 1
        guard index < tokens.count else { throw fail(nil, "expected a signal after 'not'") }
      }
      let name = tokens[index]
      guard let signal = FraudSignal.named[name.text] else {
        throw fail(
          name,
          "unknown signal '\(name.text)' (valid: "
            + FraudSignal.all.map(\.name).joined(separator: ", ") + ")")
      }
      index += 1
      let atEnd = index >= tokens.count || tokens[index].text == "and"
      if atEnd || negated {
        guard signal.kind == .flag else {
          throw fail(
            name, "'\(name.text)' is not true or false: compare it (e.g. \(name.text) > 1)")
        }
        guard atEnd else { throw fail(tokens[index], "expected 'and' or the end of the rule") }
        conditions.append(.init(signal: signal.name, op: .equal, number: negated ? 0 : 1))
      } else {
        let opToken = tokens[index]
        guard let op = FraudRule.Condition.Operator(rawValue: opToken.text) else {
          throw fail(
            opToken,
            "expected an operator after '\(name.text)' (valid: <, <=, >, >=, ==, !=), not "
              + "'\(opToken.text)'")
        }
        index += 1
        guard index < tokens.count else {
          throw fail(nil, "expected a value after '\(op.rawValue)'")
        }
        conditions.append(try condition(signal, op, tokens[index], fail))
        index += 1
      }
      if index == tokens.count { break }
      guard tokens[index].text == "and" else {
        throw fail(tokens[index], "expected 'and' or the end of the rule")
      }
      index += 1
    }
    return (action, conditions)
  }

  private static func condition(
    _ signal: FraudSignal, _ op: FraudRule.Condition.Operator, _ value: Token,
    _ fail: (Token?, String) -> FraudError
  ) throws(FraudError) -> FraudRule.Condition {
    var text = value.text
    if signal.kind == .text {
      guard op == .equal || op == .notEqual else {
        throw fail(value, "'\(signal.name)' is text: compare it with == or !=")
      }
      if text.count >= 2, text.first == "\"" || text.first == "'" {
        text = String(text.dropFirst().dropLast())
      }
      return .init(signal: signal.name, op: op, word: text)
    }
    if signal.kind == .flag, text == "true" || text == "false" {
      return .init(signal: signal.name, op: op, number: text == "true" ? 1 : 0)
    }
    var scale = 1.0
    if signal.kind == .seconds, let unit = text.last, let factor = units[unit] {
      scale = factor
      text.removeLast()
    }
    guard let number = Double(text), number.isFinite else {
      throw fail(
        value,
        "'\(value.text)' is not a number"
          + (signal.kind == .seconds ? " of seconds (units: s, m, h, d)" : ""))
    }
    return .init(signal: signal.name, op: op, number: number * scale)
  }

  private static let units: [Character: Double] = ["s": 1, "m": 60, "h": 3_600, "d": 86_400]

  /// Words, operators and quoted strings, with their offsets.
  static func tokenize(_ text: String) -> [Token] {
    var tokens: [Token] = []
    let characters = Array(text)
    var index = 0
    let operators: Set<Character> = ["<", ">", "=", "!"]
    while index < characters.count {
      let character = characters[index]
      if character.isWhitespace {
        index += 1
      } else if operators.contains(character) {
        var end = index + 1
        if end < characters.count, characters[end] == "=" { end += 1 }
        tokens.append(Token(text: String(characters[index..<end]), offset: index))
        index = end
      } else if character == "\"" || character == "'" {
        var end = index + 1
        while end < characters.count, characters[end] != character { end += 1 }
        end = min(end + 1, characters.count)
        tokens.append(Token(text: String(characters[index..<end]), offset: index))
        index = end
      } else {
        var end = index
        while end < characters.count, !characters[end].isWhitespace,
          !operators.contains(characters[end])
        {
          end += 1
        }
        tokens.append(Token(text: String(characters[index..<end]), offset: index))
        index = end
      }
    }
    return tokens
  }

  /// Why the conditions can never all hold (`nil` when they can): a value outside what the
  /// signal can take, or bounds on one signal that leave nothing between them.
  static func neverFires(_ conditions: [FraudRule.Condition]) -> String? {
    var low: [String: (Double, Bool)] = [:]
    var high: [String: (Double, Bool)] = [:]
    var words: [String: String] = [:]
    for condition in conditions {
      guard let signal = FraudSignal.named[condition.signal] else { continue }
      if let word = condition.word {
        if condition.op == .equal {
          if let other = words[signal.name], other != word {
            return "\(signal.name) cannot be both \(other) and \(word)"
          }
          words[signal.name] = word
        }
        continue
      }
      guard let number = condition.number else { continue }
      // What each kind can take.
      let domain: (Double, Double) =
        switch signal.kind {
        case .ratio, .flag: (0, 1)
        case .hour: (0, 23)
        case .score: (-.infinity, .infinity)
        default: (0, .infinity)
        }
      var lower = low[signal.name] ?? (domain.0, true)
      var upper = high[signal.name] ?? (domain.1, true)
      switch condition.op {
      case .less: if number <= upper.0 { upper = (number, false) }
      case .lessOrEqual: if number < upper.0 { upper = (number, true) }
      case .greater: if number >= lower.0 { lower = (number, false) }
      case .greaterOrEqual: if number > lower.0 { lower = (number, true) }
      case .equal:
        if number > lower.0 { lower = (number, true) }
        if number < upper.0 { upper = (number, true) }
      case .notEqual: break
      }
      low[signal.name] = lower
      high[signal.name] = upper
      if lower.0 > upper.0 || (lower.0 == upper.0 && !(lower.1 && upper.1)) {
        return "no value of \(signal.name) meets its conditions"
          + (domain.0 == lower.0 || domain.1 == upper.0
            ? " (it is never below \(domain.0.formatted)"
              + (domain.1.isFinite ? " or above \(domain.1.formatted))" : ")")
            : "")
      }
    }
    return nil
  }
}

extension Double {
  /// `60`, `0.5`: without a trailing `.0`.
  var formatted: String {
    self == rounded() && abs(self) < 1e15 ? String(Int64(self)) : String(self)
  }
}
