// Package convert reads research records from JSON, JSON Lines and YAML
// files into the JSON data model, one record at a time, and reports input
// that cannot be read as a SyntaxError with an exact line and column.
//
// The JSON readers use a strict RFC 8259 parser of their own, because
// encoding/json accepts duplicate keys silently and reports only byte
// offsets. A .json array is read element by element, so the memory a reader
// needs is that of one record plus a buffer, however large the file. The
// YAML reader uses go.yaml.in/yaml/v3 and converts its nodes.
//
// Each Record can locate any value inside it (Record.Locate) by a JSON
// pointer; the position is computed only when asked for, so that valid
// records pay nothing for it.
package convert
