import ArgumentParser

/// The format a command prints its result in.
enum OutputFormat: String, EnumerableFlag, Sendable {
  case text, json, jsonl, csv, tsv

  static func help(for value: OutputFormat) -> ArgumentHelp? {
    switch value {
    case .text: "Print for people: aligned on a terminal, tab-separated into a pipe (default)."
    case .json: "Print one JSON document."
    case .jsonl: "Print one JSON object per line."
    case .csv: "Print CSV with a header row."
    case .tsv: "Print tab-separated values with a header row."
    }
  }
}

/// `--text` or `--json`, for commands that print one result.
struct OutputOptions: ParsableArguments {
  @Flag(help: "Print the result as one JSON document.") var json = false

  var format: OutputFormat { json ? .json : .text }
}

/// `--text --json --jsonl --csv --tsv`, for commands that print rows.
struct TableOutputOptions: ParsableArguments {
  @Flag var format: OutputFormat = .text
}

/// `--text --json --jsonl`, for commands that print findings: a stream of objects.
struct FindingsOutputOptions: ParsableArguments {
  enum Format: String, EnumerableFlag {
    case text, json, jsonl

    static func help(for value: Format) -> ArgumentHelp? {
      switch value {
      case .text: "Print findings and a summary for people (default)."
      case .json: "Print one JSON document: per feed, the summary and the findings."
      case .jsonl: "Print every finding as one JSON object per line."
      }
    }
  }

  @Flag var format: Format = .text

  var outputFormat: OutputFormat {
    switch format {
    case .text: .text
    case .json: .json
    case .jsonl: .jsonl
    }
  }
}
