package table

import (
	"encoding/json"
	"strconv"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/schema"
)

// InputKind says what a cell held in its file. CSV fields are all text; a
// workbook's cells have types, and people's edits change them (Excel
// turns a typed 2022-01-10 into a date and a typed 2022 into a number).
type InputKind uint8

const (
	InputText       InputKind = iota // text
	InputNumber                      // a number: Num is its shortest decimal form
	InputBool                        // a boolean: Text is TRUE or FALSE, Num 1 or 0
	InputDate                        // a date: Text is YYYY-MM-DD, Num its serial number
	InputDateTime                    // a date with a time of day: Text is the day, Clock the time
	InputError                       // an error a formula gave, such as #N/A: Text is as shown
	InputUncomputed                  // a formula whose result the workbook does not hold: Text is the formula
)

// InputCell is one non-empty cell of a row.
type InputCell struct {
	Col   int // 1-based
	Kind  InputKind
	Text  string // the value as text: what a text column takes
	Num   string // for numbers, booleans and dates: the number, for number columns
	Clock string // for date-times: the time of day, hh:mm:ss

	Formula string // in a workbook, the cell's formula, "=…", if it has one
}

// importValue returns the JSON value of cell c in column col, or nil when
// the cell is empty. A value that does not fit the column's type (text in
// a number column) is returned as text, for the checks to report where
// it is; a value never fails here.
func importValue(col *Column, trim bool, c InputCell) any {
	text := c.Text
	if trim {
		text = strings.TrimSpace(text)
	}
	if text == "" {
		return nil
	}
	switch col.Type {
	case "number", "integer":
		switch c.Kind {
		case InputText:
			// As typed: the export writes a number that a float64 cannot
			// hold exactly as text, and "1.50" must stay "1.50".
			if isJSONNumber(text) {
				return json.Number(text)
			}
		case InputNumber, InputDate, InputDateTime:
			if isJSONNumber(c.Num) {
				return json.Number(c.Num)
			}
		}
	case "boolean":
		switch {
		case c.Kind == InputBool:
			return c.Num == "1"
		case strings.EqualFold(text, "true"):
			return true
		case strings.EqualFold(text, "false"):
			return false
		}
	}
	return text
}

// isJSONNumber reports whether s is a number as JSON writes them.
func isJSONNumber(s string) bool {
	i := 0
	if i < len(s) && s[i] == '-' {
		i++
	}
	switch {
	case i < len(s) && s[i] == '0':
		i++
	case i < len(s) && isDigit(s[i]):
		i = skipDigitsString(s, i)
	default:
		return false
	}
	if i < len(s) && s[i] == '.' {
		if i++; i == len(s) || !isDigit(s[i]) {
			return false
		}
		i = skipDigitsString(s, i)
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') {
		i++
		if i < len(s) && (s[i] == '+' || s[i] == '-') {
			i++
		}
		if i == len(s) || !isDigit(s[i]) {
			return false
		}
		i = skipDigitsString(s, i)
	}
	return i == len(s)
}

// FormatNumber writes a number cell's value in the shortest decimal form
// that reads back as the same float64, without an exponent: the form in
// which xlsx.NewWriter's numbers (and Excel's) are stored, so that a
// number the export wrote comes back as the export wrote it.
func FormatNumber(f float64) string {
	return strconv.FormatFloat(f, 'f', -1, 64)
}

// trimColumns says, for each column of t, whether spaces around a value
// are dropped. They are where the schema rules them out, so that nothing
// valid changes: keys and indexes, numbers and booleans, dates, links,
// codes from a list, references, and text whose pattern is anchored and
// admits no space (ids, language tags). Free text and paths keep them:
// a quote may begin with a space, and an archived file's name may end
// with one.
func trimColumns(t *Table, v *schema.Validator) []bool {
	out := make([]bool, len(t.Columns))
	fields := v.Fields(t.Type)
	for i, c := range t.Columns {
		if c.Kind != KindValue || c.Type != "string" || c.Format != "" || len(c.Enum) > 0 || c.RefersTo != "" {
			out[i] = true
			continue
		}
		ptr := t.Path
		for _, tok := range c.toks {
			ptr += "/" + tok
		}
		if f := fieldAt(fields, ptr); f != nil {
			out[i] = spacelessPattern(f.Pattern)
		}
	}
	return out
}

// spacelessPattern reports whether a pattern matches whole values only
// and has no way to match a space: no space, \s, dot or negated class.
func spacelessPattern(p string) bool {
	return strings.HasPrefix(p, "^") && strings.HasSuffix(p, "$") &&
		!strings.ContainsAny(p, " .") && !strings.Contains(p, `\s`) && !strings.Contains(p, "[^")
}

// fieldAt returns the field at ptr, a pointer with "*" for array items.
func fieldAt(fields []schema.Field, ptr string) *schema.Field {
	toks, _ := record.SplitPointer(ptr)
	var f *schema.Field
	for _, tok := range toks {
		if tok == "*" {
			if f == nil || f.Items == nil {
				return nil
			}
			f = f.Items
			fields = f.Fields
			continue
		}
		f = nil
		for i := range fields {
			if fields[i].Name == tok {
				f = &fields[i]
			}
		}
		if f == nil {
			return nil
		}
		fields = f.Fields
	}
	return f
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

// skipDigitsString returns the index of the first byte at or after i in s
// that is not an ASCII digit.
func skipDigitsString(s string, i int) int {
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	return i
}
