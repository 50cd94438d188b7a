import Foundation
import Testing

/// The rows of `docs/errors.md`, read from the document itself so that it and the tests that hold
/// the product to it cannot drift apart. It lives in this small support target because test targets
/// cannot import each other, and both OutflowCLITests and OutflowServerTests hold the product to it.
///
/// A row is a markdown table line whose first cell is a backticked id; its cells are keyed by the
/// table's header (`id`, `input`, `command`, `exit`, `message`; API tables: `token`, `request`,
/// `status`, `body`). Backticks around a cell are dropped and `\|` is read as `|`.
///
/// ```swift
/// let rows = ErrorCatalogue.rows(where: { $0["exit"] != nil })
/// ```
public enum ErrorCatalogue {
    public struct Row: CustomTestStringConvertible, Sendable {
        public var cells: [String: String]
        public var id: String { cells["id"] ?? "" }
        public subscript(_ column: String) -> String? { cells[column] }
        public var testDescription: String { id }
    }

    public static let path = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("docs/errors.md").path

    /// Every row of every table, in document order.
    public static let all: [Row] = {
        guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { return [] }
        var rows: [Row] = []
        var header: [String] = []
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            guard line.hasPrefix("|") else {
                header = []
                continue
            }
            let cells = split(String(line))
            if header.isEmpty {
                header = cells
                continue
            }
            if cells.allSatisfy({ $0.allSatisfy { $0 == "-" || $0 == ":" } }) { continue }
            var row: [String: String] = [:]
            for (name, cell) in zip(header, cells) { row[name] = unquote(cell) }
            rows.append(Row(cells: row))
        }
        return rows
    }()

    public static func rows(where include: (Row) -> Bool) -> [Row] { all.filter(include) }

    /// The cells of `| a | b \| c |`: `["a", "b | c"]`, trimmed.
    public static func split(_ line: String) -> [String] {
        var cells: [String] = []
        var current = ""
        var characters = Array(line.dropFirst())[...]
        while let character = characters.popFirst() {
            if character == "\\", characters.first == "|" {
                current.append("|")
                characters.removeFirst()
            } else if character == "|" {
                cells.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
            } else {
                current.append(character)
            }
        }
        return cells
    }

    /// A cell without the backticks of inline code (one or two of them).
    public static func unquote(_ cell: String) -> String {
        for fence in ["`` ", "``", "`"] where cell.hasPrefix(fence) && cell.hasSuffix(String(fence.reversed())) && cell.count >= 2 * fence.count {
            return String(cell.dropFirst(fence.count).dropLast(fence.count))
        }
        return cell
    }

    /// Whether `line` is `expected`, where `…` in `expected` stands for any text.
    public static func matches(_ line: String, _ expected: String) -> Bool {
        let parts = expected.components(separatedBy: "…")
        guard parts.count > 1 else { return line == expected }
        guard line.hasPrefix(parts[0]), line.hasSuffix(parts[parts.count - 1]) else { return false }
        var rest = line.dropFirst(parts[0].count)
        for part in parts.dropFirst().dropLast() {
            guard let range = rest.range(of: part) else { return false }
            rest = rest[range.upperBound...]
        }
        return rest.count >= parts[parts.count - 1].count
    }
}
