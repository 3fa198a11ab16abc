package record

import (
	"fmt"
	"unicode/utf8"
)

// Codes of SyntaxError, stable names that a report can show or filter on.
const (
	CodeSyntax      = "syntax-error"  // the input is not valid JSON or YAML
	CodeInvalidUTF8 = "invalid-utf8"  // the input is not valid UTF-8 (or is UTF-16)
	CodeDuplicate   = "duplicate-key" // an object or mapping repeats a key
	CodeTooDeep     = "too-deep"      // nesting deeper than MaxDepth
	CodeTooLarge    = "too-large"     // a record larger than the limits allow
)

// SyntaxError reports input that cannot be read as records.
type SyntaxError struct {
	Position        // a line and column; Col counts characters (runes), not bytes
	Code     string // one of the Code constants
	Msg      string // lower-case, written for people who do not program
}

// Error returns "FILE:LINE:COL: MSG".
func (e *SyntaxError) Error() string {
	return e.Position.String() + ": " + e.Msg
}

// DescribeAt names the character that starts b, for messages such as
// "expected a value, found 'x'". b must not be empty. Invisible characters
// get a name, because quoting them would show nothing useful.
func DescribeAt(b []byte) string {
	c := b[0]
	switch c {
	case ' ':
		return "a space"
	case '\t':
		return "a tab"
	case '\n':
		return "a line break"
	case '\r':
		return "a carriage return"
	case '\'':
		return `"'"`
	}
	if c < 0x20 || c == 0x7f {
		return fmt.Sprintf("control character U+%04X", c)
	}
	if c < utf8.RuneSelf {
		return "'" + string(c) + "'"
	}
	r, _ := utf8.DecodeRune(b)
	switch {
	case r == utf8.RuneError:
		return fmt.Sprintf("byte 0x%02x", c)
	case r == '\ufeff':
		return "a byte order mark (U+FEFF)"
	case r == '\u00a0':
		return "a no-break space (U+00A0)"
	case r == '\u201c' || r == '\u201d':
		return fmt.Sprintf("a curly quote (%c); use a straight double quote (\")", r)
	case r == '\u2018' || r == '\u2019':
		return fmt.Sprintf("a curly quote (%c)", r)
	case r >= 0x80 && r < 0xa0, r == 0x2028, r == 0x2029:
		return fmt.Sprintf("control character U+%04X", r)
	}
	return "'" + string(r) + "'"
}

// QuoteKey shows a key in a message; %q keeps odd characters visible.
func QuoteKey(k string) string {
	const max = 60
	if utf8.RuneCountInString(k) > max {
		k = string([]rune(k)[:max]) + "…"
	}
	return fmt.Sprintf("%q", k)
}

// UTF16Error reports a file saved as UTF-16, which every reader rejects with
// the same advice.
func UTF16Error(file string) *SyntaxError {
	return &SyntaxError{Position: Position{File: file, Line: 1, Col: 1}, Code: CodeInvalidUTF8,
		Msg: "the file is encoded as UTF-16; save it as UTF-8"}
}

// LooksUTF16 tells whether the start of a file is a UTF-16 byte order mark,
// or an ASCII character stored in two bytes as UTF-16 does without one.
func LooksUTF16(b []byte) bool {
	if len(b) < 2 {
		return false
	}
	switch {
	case b[0] == 0xfe && b[1] == 0xff, b[0] == 0xff && b[1] == 0xfe:
		return true
	case b[0] == 0 && b[1] != 0 && b[1] < utf8.RuneSelf,
		b[1] == 0 && b[0] != 0 && b[0] < utf8.RuneSelf:
		return true
	}
	return false
}

// Codes of ImportError, besides CodeTooLarge, CodeInvalidUTF8 and
// CodeSyntax, which mean what they mean for a SyntaxError.
const (
	CodeNotWorkbook       = "not-a-workbook"     // not an .xlsx file, or a damaged one
	CodePasswordProtected = "password-protected" // an encrypted workbook
	CodeUnknownTable      = "unknown-table"      // a sheet or CSV file that is not part of the export
	CodeUnknownColumn     = "unknown-column"     // a column that is not part of its table, or a value without a header
	CodeDuplicateColumn   = "duplicate-column"   // two columns with the same header
	CodeMissingColumn     = "missing-column"     // a key column (id, <type>_id, <item>_index) is missing
	CodeBadIndex          = "bad-index"          // an index cell that is not a whole number from 1
	CodeDuplicateIndex    = "duplicate-index"    // two rows for the same item of the same list
	CodeOrphanRow         = "orphan-row"         // a link-table row whose record or enclosing item does not exist
	CodeDateTimeCell      = "date-time-cell"     // a note: a date-time cell was read as its day
	CodeHeaderRow         = "header-row"         // a row that repeats a table's headers: rows pasted from another table
	CodeFormulaCell       = "formula-cell"       // a note: a column of formulas was read as their computed values
	CodeFormulaError      = "formula-error"      // a formula cell with an error, or without a computed value
)

// ImportError reports an input that cannot be imported as it is: a file
// that is not a workbook, a sheet, file or column that is not part of the
// export, or a row of a link table that belongs nowhere. Its Position is
// the cell (for a workbook) or the line and column (for a CSV file) where
// the problem is; a problem with a whole file is at its line 1, column 1,
// as a SyntaxError would be.
//
// It is a separate type from SyntaxError because its codes are those of
// imports, and an import's problems are many where a reader stops at its
// first; both hold a Position, a Code and a Msg alike.
type ImportError struct {
	Position        // a cell, or a CSV file's line and column
	Code     string // one of the Code constants
	Msg      string // lower-case, written for people who do not program
}

// Error returns "FILE: Sheet!CELL: MSG" or "FILE:LINE:COL: MSG".
func (e *ImportError) Error() string { return e.Position.String() + ": " + e.Msg }
