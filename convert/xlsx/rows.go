package xlsx

import (
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/english"
)

// rowWriter writes the <row> elements of a sheet's data rows. excelize's
// StreamWriter spent most of a large export's time on them and held every
// sheet in memory until the workbook was saved, so the rows bypass it:
// the worksheet excelize writes holds only the header, and zipSpool adds
// these rows before its </sheetData> (issue 7).
//
// The XML is what the StreamWriter writes for the same values, byte for
// byte, but where excelize loses text (see escapeLiteralEscapes): text as
// inline strings, numbers and days as numbers, booleans as t="b", nil as
// no cell.
type rowWriter struct {
	p     *sheetPlan
	parts *sheetParts
	cols  []string // the column letters
	style []string // each column's ` s="N"` attribute, or ""
	link  string   // the attribute of a link's style
	date  string   // of a day in a column without a style
	num   []byte   // the row number being written
}

func newRowWriter(p *sheetPlan, st styles, parts *sheetParts) *rowWriter {
	rw := &rowWriter{p: p, parts: parts, link: styleAttr(st.link), date: styleAttr(st.date)}
	for i := range p.columns {
		col, _ := excelize.ColumnNumberToName(i + 1)
		rw.cols = append(rw.cols, col)
		rw.style = append(rw.style, styleAttr(p.styles[i]))
	}
	return rw
}

func styleAttr(id int) string {
	if id == 0 {
		return ""
	}
	return ` s="` + strconv.Itoa(id) + `"`
}

// writeRows writes every data row of the sheet to w, the first as row 2,
// stopping early when stop returns true.
func (rw *rowWriter) writeRows(w io.Writer, stop func() bool) error {
	buf := make([]byte, 0, 128<<10)
	r := 2
	err := rw.p.each(func(row []any) error {
		if stop() {
			return errStopped
		}
		var err error
		if buf, err = rw.appendRow(buf, r, row); err != nil {
			return err
		}
		r++
		if len(buf) >= 64<<10 {
			_, err = w.Write(buf)
			buf = buf[:0]
		}
		return err
	})
	if err != nil {
		return err
	}
	_, err = w.Write(buf)
	return err
}

// errStopped ends the rows of a sheet early, another sheet having failed.
var errStopped = errors.New("stopped")

// appendRow appends row number r to b.
func (rw *rowWriter) appendRow(b []byte, r int, row []any) ([]byte, error) {
	rw.num = strconv.AppendInt(rw.num[:0], int64(r), 10)
	b = append(b, `<row r="`...)
	b = append(b, rw.num...)
	b = append(b, `">`...)
	for i, v := range row {
		var err error
		if b, err = rw.appendCell(b, i, v); err != nil {
			return b, err
		}
	}
	return append(b, `</row>`...), nil
}

// appendCell appends the cell of column i, if v is not nil.
func (rw *rowWriter) appendCell(b []byte, i int, v any) ([]byte, error) {
	style := rw.style[i]
	switch v := v.(type) {
	case nil:
		return b, nil
	case string:
		return rw.appendText(b, i, v)
	case float64:
		if math.IsNaN(v) || math.IsInf(v, 0) {
			b, _ = appendInline(rw.appendCellStart(b, i, style, "inlineStr"), fmt.Sprint(v))
			return b, nil
		}
		b = append(rw.appendCellStart(b, i, style, ""), "<v>"...)
		b = strconv.AppendFloat(b, v, 'f', -1, 64)
	case int:
		b = append(rw.appendCellStart(b, i, style, ""), "<v>"...)
		b = strconv.AppendInt(b, int64(v), 10)
	case bool:
		b = append(rw.appendCellStart(b, i, style, "b"), "<v>"...)
		if v {
			b = append(b, '1')
		} else {
			b = append(b, '0')
		}
	case time.Time:
		day, ok := dayCell(v).(time.Time)
		if !ok {
			return rw.appendText(b, i, table.FormatDay(v))
		}
		if style == "" { // excelize would add a date style of its own
			style = rw.date
		}
		b = append(rw.appendCellStart(b, i, style, ""), "<v>"...)
		b = appendSerial(b, day)
	default: // a json.Number among the About sheet's manifest values, say
		return rw.appendText(b, i, fmt.Sprint(v))
	}
	return append(b, "</v></c>"...), nil
}

// appendCellStart appends a cell's start tag: <c r="B7" s="3" t="b">.
func (rw *rowWriter) appendCellStart(b []byte, i int, style, typ string) []byte {
	b = append(b, `<c r="`...)
	b = append(b, rw.cols[i]...)
	b = append(b, rw.num...)
	b = append(b, '"')
	b = append(b, style...)
	if typ != "" {
		b = append(b, ` t="`...)
		b = append(b, typ...)
		b = append(b, '"')
	}
	return append(b, '>')
}

// appendText appends a text cell, after the checks the workbook makes of
// all text: its length, and whether it becomes a link.
func (rw *rowWriter) appendText(b []byte, i int, s string) ([]byte, error) {
	if tooLong(s) { // Write checked the records': this guards the other sheets
		return b, fmt.Errorf("text of %s characters is longer than the 32,767 an Excel cell can hold", english.Thousands(int64(textLength(s))))
	}
	style := rw.style[i]
	if rw.p.links[i] && rw.parts.links < maxSheetLinks && linkTarget(s) {
		rw.parts.addLink(rw.cols[i]+string(rw.num), s)
		style = rw.link
	}
	b, escaped := appendInline(rw.appendCellStart(b, i, style, "inlineStr"), s)
	if escaped {
		if marked, _ := xMarked(s); textLength(marked) > MaxCellChars {
			return b, fmt.Errorf("text of %s characters, control characters among them, is too long for an Excel cell: remove the control characters", english.Thousands(int64(textLength(s))))
		}
	}
	return b, nil
}

// appendInline appends the inline string of a cell whose start tag is in
// b, and the end tag. It reports whether the text holds characters that
// XML cannot carry (see appendCellText).
func appendInline(b []byte, s string) ([]byte, bool) {
	b = append(b, "<is><t"...)
	if s != "" && (isXMLSpace(s[0]) || isXMLSpace(s[len(s)-1])) {
		b = append(b, ` xml:space="preserve"`...)
	}
	b = append(b, '>')
	if strings.Contains(s, "_x") {
		s = escapeLiteralEscapes(s)
	}
	b, escaped := appendCellText(b, s)
	return append(b, "</t></is></c>"...), escaped
}

// isXMLSpace reports whether a text beginning or ending with c needs
// xml:space="preserve" to keep it, as excelize decides.
func isXMLSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

// textEscape is how appendCellText writes each ASCII character: "" as
// itself, else its escape. Other bytes need a look at their character.
var textEscape = func() (t [utf8.RuneSelf]string) {
	for c := range t {
		if xUnsafe(rune(c)) {
			t[c] = fmt.Sprintf("_x%04X_", c)
		}
	}
	// As encoding/xml's EscapeText writes them, but for the line feed,
	// which excelize keeps.
	t['"'], t['\''], t['&'], t['<'], t['>'] = "&#34;", "&#39;", "&amp;", "&lt;", "&gt;"
	t['\t'], t['\r'] = "&#x9;", "&#xD;"
	return t
}()

// appendCellText appends s as the text of a cell: XML-escaped as excelize
// writes it, and the characters XML 1.0 cannot carry as _xHHHH_ escapes
// (see xMarked), which it reports. Bytes that are not UTF-8 become U+FFFD.
func appendCellText(b []byte, s string) ([]byte, bool) {
	last, escaped := 0, false
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if esc := textEscape[c]; esc != "" {
				b = append(append(b, s[last:i]...), esc...)
				last = i + 1
				escaped = escaped || esc[0] == '_' // an _xHHHH_ escape, not an entity
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			b = append(append(b, s[last:i]...), "\uFFFD"...)
		case xUnsafe(r):
			b = append(b, s[last:i]...)
			b = fmt.Appendf(b, "_x%04X_", r)
			escaped = true
		default:
			i += size
			continue
		}
		i += size
		last = i
	}
	return append(b, s[last:]...), escaped
}

// escapeLiteralEscapes escapes text that reads as an _xHHHH_ escape, so
// that it reads back as itself: the '_' that starts it is written as
// _x005F_, the escape of '_', and _x0041_ becomes _x005F_x0041_. It is
// what excelize writes, but for its losses: it drops escapes of UTF-16
// surrogates (_xD800_), and misses escapes that overlap (_x0041_x0042_)
// or follow a lower-case _x005f_.
func escapeLiteralEscapes(s string) string {
	var b strings.Builder
	last := 0
	for i := 0; ; i++ {
		j := strings.Index(s[i:], "_x")
		if j < 0 {
			break
		}
		i += j
		if isXEscape(s[i:]) {
			if b.Len() == 0 {
				b.Grow(len(s) + 12)
			}
			b.WriteString(s[last:i])
			b.WriteString("_x005F_")
			last = i + 1
		}
	}
	if last == 0 {
		return s
	}
	b.WriteString(s[last:])
	return b.String()
}

// isXEscape reports whether s starts with an _xHHHH_ escape.
func isXEscape(s string) bool {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return false
	}
	for _, c := range []byte(s[2:6]) {
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F') {
			return false
		}
	}
	return true
}

// excelEpoch is day 0 of Excel's 1900 date system.
var excelEpoch = time.Date(1899, time.December, 31, 0, 0, 0, 0, time.UTC)

// excelLeapDay is the first day after the 29 February 1900 that Excel
// counts (from Lotus 1-2-3) though it never was.
var excelLeapDay = time.Date(1900, time.March, 1, 0, 0, 0, 0, time.UTC)

// appendSerial appends t as Excel's serial number of days, as excelize
// writes it; t is in Excel's range (see dayCell).
func appendSerial(b []byte, t time.Time) []byte {
	days := float64(t.Unix()-excelEpoch.Unix()) / 86400
	if !t.Before(excelLeapDay) {
		days++
	}
	return strconv.AppendFloat(b, days, 'f', -1, 64)
}
