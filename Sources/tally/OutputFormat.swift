/// How a report is printed: text for people, JSON (CONTRACT.md section 6) for scripts, CSV
/// for spreadsheets.
enum OutputFormat {
    case text, json, csv
}
