package record

import (
	"fmt"
	"strings"
)

// Record is one record read from an input file: its decoded value in the JSON
// data model and what is needed to point back at the bytes it came from.
//
// Value holds map[string]any, []any, string, json.Number, bool or nil, the
// same shapes encoding/json produces with UseNumber. Numbers keep their exact
// text.
type Record struct {
	File  string // the path as the user named it ("-" for standard input)
	Index int    // 0-based position of the record in its file
	Line  int    // 1-based line where the record starts
	Col   int    // 1-based column (in characters) where the record starts
	Value any

	text   []byte // the record's JSON text, when it was read from JSON
	locate func(ptr string, key bool) (line, col int)
	// place, when set, locates values of records that were assembled from
	// several places, such as the rows of an imported workbook.
	place func(ptr string, key bool) Position
}

// Position is where a value came from: a line and column in a text file,
// or a cell of a spreadsheet (Sheet and Cell set), or a row of a CSV file.
type Position struct {
	File  string
	Line  int    // 1-based; for a CSV file or a sheet, the row's number
	Col   int    // 1-based; for a CSV file or a sheet, the column's number
	Sheet string // for a workbook: the sheet's name
	Cell  string // for a workbook: the cell, such as "D7"
}

// String formats the position as messages start with it:
// "events.yaml:14:9", "annals.xlsx: Events!D7", "csv/events.csv:7:4".
func (p Position) String() string {
	if p.Sheet != "" {
		return fmt.Sprintf("%s: %s!%s", p.File, quoteSheet(p.Sheet), p.Cell)
	}
	return fmt.Sprintf("%s:%d:%d", p.File, p.Line, p.Col)
}

// quoteSheet quotes a sheet name as Excel formulas do when it has spaces
// or punctuation: 'Event attestations'!D7.
func quoteSheet(name string) string {
	for _, r := range name {
		if !(r == '_' || r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9') {
			return "'" + strings.ReplaceAll(name, "'", "''") + "'"
		}
	}
	return name
}

// Position returns where the value at the JSON pointer ptr came from, as
// Locate does but for records of any origin.
func (r *Record) Position(ptr string, key bool) Position {
	if r.place != nil {
		return r.place(ptr, key)
	}
	line, col := r.Locate(ptr, key)
	return Position{File: r.File, Line: line, Col: col}
}

// Start returns where the record starts, without locating anything inside
// it.
func (r *Record) Start() Position {
	if r.place != nil {
		return r.place("", false)
	}
	return Position{File: r.File, Line: r.Line, Col: r.Col}
}

// NewAssembledRecord returns a record put together from several places
// (rows of a workbook or of CSV files), whose values place locates.
func NewAssembledRecord(file string, index int, value any, start Position, place func(ptr string, key bool) Position) *Record {
	return &Record{File: file, Index: index, Line: start.Line, Col: start.Col, Value: value, place: place}
}

// NewRecord returns a record read from text that starts at line:col,
// whose values locate finds (see [Record.Locate]). text is the record's
// JSON text, exactly as the input holds it, or nil when it was not JSON.
func NewRecord(file string, index, line, col int, value any, text []byte, locate func(ptr string, key bool) (line, col int)) *Record {
	return &Record{File: file, Index: index, Line: line, Col: col, Value: value, text: text, locate: locate}
}

// Locate returns the 1-based line and column of the value at the JSON pointer
// ptr (RFC 6901, "" is the whole record). With key set and ptr naming an
// object member, it returns the position of the member's key instead. When
// ptr does not exist in the record, it returns the position of the deepest
// ancestor that does.
//
// Positions are computed on demand, so only records that have something to
// report pay for them.
func (r *Record) Locate(ptr string, key bool) (line, col int) {
	if r.locate == nil {
		return r.Line, r.Col
	}
	return r.locate(ptr, key)
}

// Text returns the JSON text the record was read from, exactly as it was
// in the input (escapes included), or nil for a record read from YAML or
// assembled from a workbook. The caller must not change it.
func (r *Record) Text() []byte { return r.text }

// Reader reads records one at a time. Read returns io.EOF after the last
// record. After any other error the caller may call Read again: readers that
// can resume (JSON Lines, at the next line) do so, the others return io.EOF.
type Reader interface {
	Read() (*Record, error)
}
