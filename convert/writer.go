package convert

import (
	"fmt"

	"github.com/annals-project/annals/schema"
)

// Writer writes records in one output format. Records come in input order
// and are valid: the caller validates the whole input first. Close finishes
// the output and must be called; after any error the output is incomplete,
// and the caller discards it (outputs are written to a temporary file and
// renamed only on success).
type Writer interface {
	Write(rec *Record) error
	Close() error
}

// Dataset is what writers may need besides the records themselves.
type Dataset struct {
	Validator *schema.Validator
	Manifest  map[string]any // the dataset manifest (annals.yaml), or nil
	Inputs    []InputFile    // the files read, in order
	Counts    map[string]int // records per record type
	Version   string         // the annals version that writes the output
	Conflicts []Conflict     // what the sources disagree on, for the workbook's Conflicts sheet
}

// InputFile describes one input file, for provenance in exports.
type InputFile struct {
	Path    string
	SHA256  string // hex
	Records int
}

// RecordError reports a record that cannot be written in a format, such as
// text longer than a spreadsheet cell can hold.
type RecordError struct {
	File      string
	Line, Col int
	Type, ID  string
	Pointer   string // JSON pointer of the offending value
	Err       error
}

func (e *RecordError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s %q: %s: %v", e.File, e.Line, e.Col, e.Type, e.ID, schema.FieldPath(e.Pointer), e.Err)
}

func (e *RecordError) Unwrap() error { return e.Err }

// recordError locates ptr in rec and wraps err.
func recordError(rec *Record, ptr string, err error) *RecordError {
	line, col := rec.Locate(ptr, false)
	obj, _ := rec.Value.(map[string]any)
	typ, _ := obj["type"].(string)
	id, _ := obj["id"].(string)
	return &RecordError{File: rec.File, Line: line, Col: col, Type: typ, ID: id, Pointer: ptr, Err: err}
}
