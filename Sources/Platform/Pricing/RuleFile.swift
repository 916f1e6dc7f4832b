import Foundation
import MktCore
import Yams

/// Reads a rules file — YAML, or JSON (read by the same YAML parser, so both get line
/// numbers) — into validated rules: `rules: [ … ]` or a bare list.
public enum RuleFile {
  /// The rules in `text`, read from `file`.
  ///
  /// - Throws: ``PricingError/invalidRules(_:message:)`` with file:line:column for syntax
  ///   errors, unknown keys or kinds, bad values, duplicate ids; ``PricingError/conflict`` for
  ///   two rules whose order would be arbitrary.
  public static func read(_ text: String, file: String) throws(PricingError) -> [PricingRule] {
    guard text.utf8.count <= maximumBytes else {
      throw .invalidRules(
        InputLocation(file: file),
        message: "the file is \(text.utf8.count) bytes; a rules file may hold at most "
          + "\(maximumBytes) (\(maximumBytes >> 20) MiB)")
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
    // Aliases (`*name`) repeat an anchored node (`&name`) without copying it in the file: a
    // few hundred bytes can stand for billions of nodes. Count them as they would expand,
    // and stop counting at the limit, before anything walks the expansion.
    var budget = maximumNodes
    guard fits(root, &budget) else {
      throw .invalidRules(
        location(root, file),
        message: "the file expands to more than \(maximumNodes) YAML nodes through its "
          + "anchors and aliases (&name, *name); refused before expanding them")
    }
    let list: Node
    if case .sequence = root {
      list = root
    } else if case .mapping(let mapping) = root, let rules = mapping["rules"] {
      for (key, _) in mapping where key.string != "rules" {
        throw .invalidRules(
          location(key, file), message: "unknown top-level key '\(key.string ?? "")' (use rules:)")
      }
      list = rules
    } else {
      throw .invalidRules(location(root, file), message: "expected a list of rules or rules: […]")
    }
    guard case .sequence(let sequence) = list else {
      throw .invalidRules(location(list, file), message: "rules must be a list")
    }
    var rules: [PricingRule] = []
    var seen: [String: String] = [:]
    for node in sequence {
      var rule = try decode(node, file: file)
      let here = "\(file):\(node.mark?.line ?? 0)"
      rule.source = here
      if let previous = seen[rule.id] {
        throw .invalidRules(
          location(node, file), message: "rule id '\(rule.id)' is already used at \(previous)")
      }
      seen[rule.id] = here
      try RuleValidation.check(rule, at: location(node, file))
      rules.append(rule)
    }
    try RuleValidation.checkConflicts(rules, file: file)
    return rules
  }

  /// The largest rules file: 16 MiB.
  public static let maximumBytes = 16 << 20
  /// The most YAML nodes a rules file may hold once its aliases are expanded.
  public static let maximumNodes = 1_000_000

  /// Whether `node` holds at most `budget` nodes, aliases counted as often as they appear.
  private static func fits(_ node: Node, _ budget: inout Int) -> Bool {
    budget -= 1
    guard budget >= 0 else { return false }
    switch node {
    case .scalar, .alias: return true
    case .sequence(let sequence):
      for child in sequence where !fits(child, &budget) { return false }
      return true
    case .mapping(let mapping):
      for (key, value) in mapping where !fits(key, &budget) || !fits(value, &budget) {
        return false
      }
      return true
    }
  }

  // MARK: - YAML nodes to rules

  /// Keys each mapping may hold, by the key that leads to it.
  private static let allowedKeys: [String: Set<String>] = [
    "rule": Set(PricingRule.CodingKeys.allStrings),
    "scope": ["merchants", "countries", "categories", "brands", "products", "customer_groups"],
    "schedule": ["start", "end", "timezone", "daily_from", "daily_to", "days"],
    "tiers": ["min_quantity", "percent", "amount"],
    "limits": ["uses", "per_customer"],
    "dynamic": ["signal", "threshold", "step", "floor", "ceiling"],
  ]
  private static let integerKeys: Set<String> = [
    "priority", "buy", "get", "min_quantity", "uses", "per_customer", "threshold",
  ]
  private static let booleanKeys: Set<String> = ["stackable", "stop_further_rules"]

  private static func decode(_ node: Node, file: String) throws(PricingError) -> PricingRule {
    guard case .mapping = node else {
      throw .invalidRules(
        location(node, file),
        message: "a rule is a mapping of keys (id, kind, …), not a "
          + (node.scalar != nil ? "single value" : "list"))
    }
    let json = try jsonValue(node, context: "rule", key: nil, file: file)
    // JSONSerialization traps (rather than throws) on anything but an object or array.
    guard JSONSerialization.isValidJSONObject(json) else {
      throw .invalidRules(location(node, file), message: "the rule cannot be read")
    }
    do {
      let data = try JSONSerialization.data(withJSONObject: json)
      return try JSONDecoder().decode(PricingRule.self, from: data)
    } catch let error as DecodingError {
      throw decodingError(error, root: node, file: file)
    } catch {
      throw .invalidRules(location(node, file), message: "\(error)")
    }
  }

  /// The node as a JSON value: scalars become strings (never floats: amounts and percentages
  /// stay exact text), except integer and boolean keys.
  private static func jsonValue(_ node: Node, context: String, key: String?, file: String)
    throws(PricingError) -> Any
  {
    switch node {
    case .scalar(let scalar):
      if let key, integerKeys.contains(key) {
        guard let value = Int(scalar.string) else {
          throw .invalidRules(
            location(node, file), message: "\(key) must be a whole number, not '\(scalar.string)'")
        }
        return value
      }
      if let key, booleanKeys.contains(key) {
        guard let value = node.bool else {
          throw .invalidRules(
            location(node, file), message: "\(key) must be true or false, not '\(scalar.string)'")
        }
        return value
      }
      return scalar.string
    case .sequence(let sequence):
      var values: [Any] = []
      for item in sequence {
        values.append(try jsonValue(item, context: key ?? context, key: key, file: file))
      }
      return values
    case .mapping(let mapping):
      let allowed = allowedKeys[key ?? context] ?? []
      var object: [String: Any] = [:]
      for (keyNode, value) in mapping {
        let name = keyNode.string ?? ""
        guard allowed.contains(name) else {
          throw .invalidRules(
            location(keyNode, file),
            message:
              "unknown key '\(name)' in \(key ?? context) (valid: \(allowed.sorted().joined(separator: ", ")))"
          )
        }
        object[name] = try jsonValue(value, context: name, key: name, file: file)
      }
      return object
    case .alias:
      throw .invalidRules(location(node, file), message: "YAML aliases are not supported")
    }
  }

  private static func decodingError(_ error: DecodingError, root: Node, file: String)
    -> PricingError
  {
    let (path, message): ([any CodingKey], String) =
      switch error {
      case .dataCorrupted(let context): (context.codingPath, context.debugDescription)
      case .keyNotFound(let key, let context):
        (context.codingPath, "missing required key '\(key.stringValue)'")
      case .typeMismatch(_, let context):
        (context.codingPath, "wrong type: \(context.debugDescription)")
      case .valueNotFound(_, let context): (context.codingPath, "missing value")
      @unknown default: ([], "\(error)")
      }
    var node = root
    for key in path {
      if let index = key.intValue, case .sequence(let sequence) = node, index < sequence.count {
        node = sequence[index]
      } else if let child = node[key.stringValue] {
        node = child
      }
    }
    var text = message
    if path.last?.stringValue == "kind" {
      text =
        "unknown kind '\(node.string ?? "")' (valid: "
        + PricingRule.Kind.allCases.map(\.rawValue).joined(separator: ", ") + ")"
    }
    let field = path.map { $0.intValue.map(String.init) ?? $0.stringValue }.joined(separator: ".")
    return .invalidRules(location(node, file), message: field.isEmpty ? text : "\(field): \(text)")
  }

  static func location(_ node: Node, _ file: String) -> InputLocation {
    InputLocation(file: file, line: node.mark?.line, column: node.mark?.column)
  }

  private static func syntaxError(_ error: YamlError, file: String) -> PricingError {
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

extension PricingRule.CodingKeys {
  static var allStrings: [String] { allCases.map(\.stringValue) }
}
