import Foundation
import MktCore
import Yams

/// Reads a fraud rules file — YAML, or JSON (read by the same parser, so both get line and
/// column) — into rules, with warnings for rules that can never fire or contradict another.
///
/// ```yaml
/// rules:
///   - name: brand-new-account
///     rule: review if account_age < 60s
///   - name: device-farm
///     rule: block if accounts_per_device >= 5 and amount_eur > 200
///     merchants: [M001, M002]
/// ```
public enum FraudRuleFile {
  /// The largest rules file: 1 MiB.
  public static let maximumBytes = 1 << 20

  /// The rules in `text`, read from `file`, and the warnings about them.
  ///
  /// - Throws: ``FraudError/invalidRules(_:message:)`` (65) with file:line:column.
  public static func read(_ text: String, file: String) throws(FraudError) -> (
    rules: FraudRuleSet, warnings: [String]
  ) {
    guard text.utf8.count <= maximumBytes else {
      throw .invalidRules(
        InputLocation(file: file),
        message: "the file is \(text.utf8.count) bytes; a rules file may hold at most 1 MiB")
    }
    let root: Node?
    do {
      root = try Yams.compose(yaml: text)
    } catch let error as YamlError {
      throw syntaxError(error, file: file)
    } catch {
      throw .invalidRules(InputLocation(file: file), message: "\(error)")
    }
    guard let root else {
      throw .invalidRules(InputLocation(file: file), message: "the file holds no rules")
    }
    let list: Node
    if case .sequence = root {
      list = root
    } else if case .mapping(let mapping) = root, let rules = mapping["rules"], mapping.count == 1 {
      list = rules
    } else {
      throw .invalidRules(
        location(root, file), message: "expected rules: [ … ] (a list of name, rule, merchants)")
    }
    guard case .sequence(let sequence) = list, sequence.count <= 1_000 else {
      throw .invalidRules(location(list, file), message: "rules must be a list of at most 1000")
    }
    var rules: [FraudRule] = []
    var seen: [String: InputLocation] = [:]
    for node in sequence {
      let rule = try decode(node, file: file)
      if let previous = seen[rule.name] {
        throw .invalidRules(
          rule.location, message: "rule name '\(rule.name)' is already used at \(previous)")
      }
      seen[rule.name] = rule.location
      rules.append(rule)
    }
    return (FraudRuleSet(rules: rules, file: file), warnings(rules))
  }

  // MARK: - Rules

  private static func decode(_ node: Node, file: String) throws(FraudError) -> FraudRule {
    guard case .mapping(let mapping) = node else {
      throw .invalidRules(
        location(node, file), message: "a rule is a mapping of name, rule and merchants")
    }
    var name: String?
    var expression: Node?
    var merchants: Set<String>?
    for (key, value) in mapping {
      switch key.string {
      case "name":
        guard let text = value.scalar?.string, !text.isEmpty, text.count <= 100 else {
          throw .invalidRules(location(value, file), message: "name must be 1 to 100 characters")
        }
        name = text
      case "rule": expression = value
      case "merchants":
        guard case .sequence(let list) = value else {
          throw .invalidRules(location(value, file), message: "merchants must be a list of ids")
        }
        merchants = Set(list.compactMap { $0.scalar?.string })
      default:
        throw .invalidRules(
          location(key, file),
          message: "unknown key '\(key.string ?? "")' in a rule (valid: merchants, name, rule)")
      }
    }
    guard let name else {
      throw .invalidRules(location(node, file), message: "the rule has no name")
    }
    guard let expression, let scalar = expression.scalar else {
      throw .invalidRules(
        location(node, file),
        message: "rule '\(name)' has no rule: (e.g. rule: review if account_age < 60s)")
    }
    // Columns inside the expression: a quoted scalar starts one past its mark.
    var start = location(expression, file)
    if scalar.style == .singleQuoted || scalar.style == .doubleQuoted {
      start.column = start.column.map { $0 + 1 }
    }
    let (action, conditions) = try FraudRuleParser.parse(scalar.string, at: start)
    return FraudRule(
      name: name, action: action, conditions: conditions, merchants: merchants,
      text: scalar.string, location: location(node, file))
  }

  // MARK: - Warnings

  /// Rules that can never fire, and pairs that test the same conditions with different
  /// actions.
  static func warnings(_ rules: [FraudRule]) -> [String] {
    var warnings: [String] = []
    for rule in rules {
      if let why = FraudRuleParser.neverFires(rule.conditions) {
        warnings.append("\(rule.location): rule '\(rule.name)' can never fire: \(why)")
      }
    }
    for (index, first) in rules.enumerated() {
      for second in rules[(index + 1)...]
      where first.action != second.action && first.merchants == second.merchants
        && Set(first.conditions) == Set(second.conditions)
      {
        let winner = [FraudAction.allow, .block, .review].first {
          $0 == first.action || $0 == second.action
        }
        warnings.append(
          "\(second.location): rules '\(first.name)' (\(first.action.rawValue)) and "
            + "'\(second.name)' (\(second.action.rawValue)) test the same conditions: they "
            + "contradict, and \(winner?.rawValue ?? "") wins")
      }
    }
    return warnings
  }

  static func location(_ node: Node, _ file: String) -> InputLocation {
    InputLocation(file: file, line: node.mark?.line, column: node.mark?.column)
  }

  private static func syntaxError(_ error: YamlError, file: String) -> FraudError {
    switch error {
    case .scanner(_, let problem, let mark, _), .parser(_, let problem, let mark, _),
      .composer(_, let problem, let mark, _):
      .invalidRules(
        InputLocation(file: file, line: mark.line, column: mark.column),
        message: "not valid YAML or JSON: \(problem)")
    case .duplicatedKeysInMapping(let duplicates, let context):
      .invalidRules(
        InputLocation(file: file, line: context.mark.line, column: context.mark.column),
        message: "duplicate keys: \(duplicates.joined(separator: ", "))")
    default: .invalidRules(InputLocation(file: file), message: "not valid YAML or JSON: \(error)")
    }
  }
}
