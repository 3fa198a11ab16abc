// Package convert reads research records from files and writes them in the
// formats researchers open.
//
// # Reading
//
// [NewReader] reads JSON, JSON Lines and YAML into the JSON data model, one
// record at a time, and reports input that cannot be read as a
// [SyntaxError] with an exact line and column. The JSON readers use a strict
// RFC 8259 parser of their own, because encoding/json accepts duplicate keys
// silently and reports only byte offsets. A .json array is read element by
// element, so the memory a reader needs is that of one record plus a
// buffer, however large the file. The YAML reader uses go.yaml.in/yaml/v3
// and converts its nodes. Each [Record] can locate any value inside it
// ([Record.Locate]) by a JSON pointer; the position is computed only when
// asked for, so that valid records pay nothing for it.
//
// # Importing
//
// [NewXLSXImporter] and [NewCSVImporter] read a workbook or CSV export that
// annals wrote, and a curator edited, back into records, tolerating what
// spreadsheets do (reordered columns, empty rows, numbers in text columns,
// date cells, the formula guard) and refusing what is not an export with an
// [ImportError] at its cell. Every value of an imported record is located
// at its sheet cell or CSV line and column ([Record.Position]).
//
// # Writing
//
// Every [Writer] takes valid records one at a time and holds none of them:
//
//   - [NewXLSXWriter]: an Excel workbook with a sheet per [Table], a
//     Codebook and an About sheet;
//   - [NewCSVWriter]: a CSV file per [Table] and a Frictionless
//     datapackage.json, with the OWASP formula guard ([formula.Guard]);
//   - [NewJSONLDWriter]: one JSON-LD document (schema.org and PROV-O) with
//     its context embedded ([JSONLDContext]);
//   - [NewJSONWriter], [NewJSONLWriter], [NewYAMLWriter]: the records in
//     canonical form, fields in schema order.
//
// [Canonical] rewrites a whole record file in canonical form, keeping YAML
// comments, for annals fmt.
//
// The tabular writers share one layout, derived from the schema by
// [Tables]: a main table per record type and a link table per list, so no
// cell packs several values; [Flatten] turns a record into their rows.
package convert
