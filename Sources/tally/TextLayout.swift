/// Pads text to a column width, in the columns a terminal gives it: Chinese, Japanese and
/// Korean characters and emoji take two, so that tables of such names stay aligned.
func column(_ text: String, _ width: Int) -> String {
    let used = text.utf8.allSatisfy { $0 < 0x80 } ? text.utf8.count : text.reduce(0) { $0 + $1.terminalColumns }
    return used >= width ? text : text + String(repeating: " ", count: width - used)
}

extension Character {
    /// How many terminal columns the character takes: two for East Asian wide and
    /// full-width characters and for emoji, else one.
    var terminalColumns: Int {
        guard let first = unicodeScalars.first else { return 0 }
        if unicodeScalars.contains("\u{FE0F}") || (first.value >= 0x231A && first.properties.isEmojiPresentation) { return 2 }
        switch first.value {
        case 0x1100...0x115F, 0x2E80...0x303E, 0x3041...0x33FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xA000...0xA4CF,
             0xAC00...0xD7A3, 0xF900...0xFAFF, 0xFE30...0xFE4F, 0xFF00...0xFF60, 0xFFE0...0xFFE6, 0x20000...0x3FFFD:
            return 2
        default:
            return 1
        }
    }
}

/// A table line: each cell padded to its column's width (``column(_:_:)``) but the last
/// one that is not empty, which is left as it is, so that no line ends in spaces; cells
/// separated by a space.
func tableLine(_ cells: [String], widths: [Int]) -> String {
    let shown = cells[..<(cells.lastIndex { !$0.isEmpty }.map { $0 + 1 } ?? 0)]
    return zip(shown, widths).enumerated().map { index, cell in index == shown.count - 1 ? cell.0 : column(cell.0, cell.1) }.joined(separator: " ")
}

/// `count` and the noun phrase that goes with it: `one` for 1, else `many`.
func counted(_ count: Int, _ one: String, _ many: String) -> String { "\(count) \(count == 1 ? one : many)" }

/// `count` and its share of `total` to a tenth of a percent: `1570 (11.8%)`; `count` alone
/// when `total` is 0.
func countWithShare(_ count: Int, of total: Int) -> String {
    guard total > 0 else { return "\(count)" }
    let tenths = (count * 1000 + total / 2) / total
    return "\(count) (\(tenths / 10).\(tenths % 10)%)"
}
