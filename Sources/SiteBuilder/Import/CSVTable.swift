import CSV
import Foundation
import ShopCore

/// A CSV file read into named rows; tolerates a UTF-8 byte-order mark and CRLF line endings.
struct CSVTable {
    let header: [String]
    /// Each row keyed by column name, with its 1-based row number (the header is row 1).
    let rows: [(number: Int, fields: [String: String])]

    init(path: String) throws(ImportError) {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ImportError(file: path, row: nil, message: "cannot read the file", hint: nil)
        }
        // Line ends inside quoted cells become LF too, so a description reads the same from any exporter.
        guard let text = TextInput.normalized(data) else {
            throw ImportError(file: path, row: nil, message: "the file is not UTF-8 text", hint: "export the CSV as UTF-8")
        }
        try self.init(text: text, file: path)
    }

    init(text: String, file: String) throws(ImportError) {
        let reader: CSVReader
        do {
            reader = try CSVReader(string: text, hasHeaderRow: true, trimFields: false)
        } catch {
            throw ImportError(file: file, row: 1, message: "not a CSV file: \(error)", hint: nil)
        }
        guard let header = reader.headerRow, !header.isEmpty else {
            throw ImportError(file: file, row: 1, message: "the file has no header row", hint: nil)
        }
        self.header = header.map { $0.trimmingCharacters(in: .whitespaces) }
        var rows: [(Int, [String: String])] = []
        var number = 1
        while let row = reader.next() {
            number += 1
            if row.allSatisfy({ $0.isEmpty }) { continue }
            var fields: [String: String] = [:]
            for (column, value) in zip(self.header, row) { fields[column] = value }
            rows.append((number, fields))
        }
        if let error = reader.error {
            throw ImportError(file: file, row: number + 1, message: "malformed CSV: \(error)", hint: "check for an unclosed quote")
        }
        self.rows = rows
    }
}
