package check

import (
	"cmp"
	"fmt"
	"slices"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/schema"
)

// Severity says whether a finding makes the dataset invalid.
type Severity int

const (
	Error Severity = iota
	Warning
	Info
)

func (s Severity) String() string {
	switch s {
	case Warning:
		return "warning"
	case Info:
		return "info"
	}
	return "error"
}

// MarshalText makes severities read as words in JSON output.
func (s Severity) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// Codes of the dataset-level findings; schema violations use the codes of
// package schema, and unreadable input the codes of package convert.
const (
	CodeNotARecord        = "not-a-record"       // a list item or document that is not a mapping
	CodeMissingType       = "missing-type"       // a record without "type"
	CodeUnknownType       = "unknown-type"       // "type" is not a record type
	CodeDuplicateID       = "duplicate-id"       // two records share an id
	CodeDanglingReference = "dangling-reference" // a reference to an id no record has
	CodeWrongReference    = "wrong-reference"    // a reference to a record of the wrong type
	CodeIntervalReversed  = "interval-reversed"  // a role that ends before it starts
	CodeDateAfterSources  = "date-after-sources" // a statement dated after every source reporting it
	CodeUnreadable        = "unreadable"         // the file could not be read at all
)

// Finding is one problem found in the input, located as precisely as the
// input allows.
type Finding struct {
	File       string   `json:"file"`
	Line       int      `json:"line"`
	Column     int      `json:"column"`
	Sheet      string   `json:"sheet,omitempty"` // for records read from a workbook
	Cell       string   `json:"cell,omitempty"`
	RecordType string   `json:"record_type,omitempty"`
	RecordID   string   `json:"record_id,omitempty"`
	Pointer    string   `json:"pointer"`
	Field      string   `json:"field,omitempty"`
	Keyword    string   `json:"keyword,omitempty"`
	Severity   Severity `json:"severity"`
	Code       string   `json:"code"`
	Message    string   `json:"message"`

	fileOrder int // position of File among the inputs, for sorting
	index     int // 1-based record number in its file, for records without id
}

// Label names the record a finding is about, as a researcher reads it:
// `event "geneva-talks"`, `statement #3` (the third record in its file,
// which has no id), or "" for problems outside any record.
func (f Finding) Label() string {
	switch {
	case f.RecordType != "" && f.RecordID != "":
		return fmt.Sprintf("%s %q", f.RecordType, f.RecordID)
	case f.RecordType == schema.Manifest:
		return f.RecordType // a dataset has one
	case f.RecordType != "" && f.index > 0:
		return fmt.Sprintf("%s #%d", f.RecordType, f.index)
	case f.RecordType != "":
		return f.RecordType
	case f.RecordID != "":
		return fmt.Sprintf("record %q", f.RecordID)
	case f.index > 0:
		return fmt.Sprintf("record #%d", f.index)
	}
	return ""
}

// String formats the finding as one line:
// FILE:LINE:COL: [warning: ]LABEL: FIELD: MESSAGE [CODE]. The code at the
// end, as compilers and linters print theirs, is what `annals explain`
// and the manifest's checks: take.
func (f Finding) String() string {
	var b strings.Builder
	b.WriteString(f.Position().String() + ": ")
	if f.Severity != Error {
		b.WriteString(f.Severity.String() + ": ")
	}
	if l := f.Label(); l != "" {
		b.WriteString(l + ": ")
	}
	if f.Field != "" {
		b.WriteString(f.Field + ": ")
	}
	b.WriteString(f.Message)
	if f.Code != "" {
		b.WriteString(" [" + f.Code + "]")
	}
	return b.String()
}

// Position is where the finding points.
func (f Finding) Position() record.Position {
	return record.Position{File: f.File, Line: f.Line, Col: f.Column, Sheet: f.Sheet, Cell: f.Cell}
}

// sortFindings orders findings by input file (in the order the files were
// read), position, severity (errors first), code and message, so that the
// same input always prints the same bytes.
func sortFindings(fs []Finding) {
	slices.SortStableFunc(fs, compareFindings)
}

func compareFindings(a, b Finding) int {
	return cmp.Or(
		cmp.Compare(a.fileOrder, b.fileOrder),
		// One input can name several files (the tables of a CSV export)
		// and sheets (of a workbook).
		strings.Compare(a.File, b.File),
		strings.Compare(a.Sheet, b.Sheet),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Severity, b.Severity), // errors first
		strings.Compare(a.Code, b.Code),
		strings.Compare(a.Message, b.Message),
	)
}
