package xlsx

import (
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/english"
)

// sheetRows streams the rows of a worksheet part.
type sheetRows struct {
	wb    *workbook
	sheet sheetPart
	rc    io.ReadCloser
	dec   *xml.Decoder
	last  int // the number of the last row read
	done  bool
}

func (wb *workbook) openSheet(sh sheetPart) (table.RowReader, error) {
	zf := wb.parts[strings.ToLower(sh.part)]
	if zf == nil {
		return nil, wb.damaged(sh.part, errors.New("the part is missing"))
	}
	rc, err := zf.Open()
	if err != nil {
		return nil, wb.damaged(sh.part, err)
	}
	return &sheetRows{wb: wb, sheet: sh, rc: rc, dec: xml.NewDecoder(rc)}, nil
}

func (s *sheetRows) Close() error { return s.rc.Close() }

// Next returns the next row that has a cell with a value.
func (s *sheetRows) Next() (table.InputRow, error) {
	for !s.done {
		tok, err := s.dec.RawToken()
		if err == io.EOF {
			break
		}
		if err != nil {
			return table.InputRow{}, s.damaged(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "row" {
				continue
			}
			row, err := s.row(t)
			if err != nil || len(row.Cells) > 0 {
				return row, err
			}
		case xml.EndElement:
			if t.Name.Local == "sheetData" {
				s.done = true // what follows is not cells
			}
		}
	}
	s.done = true
	return table.InputRow{}, io.EOF
}

// row reads a <row> element's cells.
func (s *sheetRows) row(start xml.StartElement) (table.InputRow, error) {
	row := table.InputRow{Num: s.last + 1}
	if r, ok := attr(start, "r"); ok {
		n, err := strconv.Atoi(r)
		if err != nil || n < 1 {
			return row, s.damaged(fmt.Errorf("row number %q", r))
		}
		row.Num = n
	}
	// Rows come in order, each number once, as Excel requires: two rows
	// of one number would put two values at one position, and problems,
	// which are sorted by position, would come in no set order.
	switch {
	case row.Num > excelize.TotalRows:
		return row, s.damaged(fmt.Errorf("row %d is past the last row of a sheet, %s", row.Num, english.Thousands(int64(excelize.TotalRows))))
	case row.Num <= s.last:
		return row, s.damaged(fmt.Errorf("row %d follows row %d", row.Num, s.last))
	}
	s.last = row.Num
	col := 0
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			return row, s.damaged(noEOF(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if t.Name.Local != "c" {
				continue
			}
			c, err := s.cell(t, row.Num, col+1)
			if err != nil {
				return row, err
			}
			col = c.Col
			if c.Text != "" {
				row.Cells = append(row.Cells, c)
			}
		case xml.EndElement:
			if t.Name.Local == "row" {
				return row, nil
			}
		}
	}
}

// cell reads a <c> element: its column (col when it does not say), its
// type and style, and its value, as a cell. A cell without a value has no
// text.
func (s *sheetRows) cell(start xml.StartElement, row, col int) (table.InputCell, error) {
	var typ, v, inline, formula string
	hasFormula := false
	style := 0
	for _, a := range start.Attr {
		switch a.Name.Local {
		case "r":
			c, ok := refColumn(a.Value)
			if !ok {
				return table.InputCell{}, s.damaged(fmt.Errorf("cell reference %q", a.Value))
			}
			col = c
		case "s":
			style, _ = strconv.Atoi(a.Value)
		case "t":
			typ = a.Value
		}
	}
	for {
		tok, err := s.dec.RawToken()
		if err != nil {
			return table.InputCell{}, s.damaged(noEOF(err))
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "v":
				if v, err = elementText(s.dec, "v"); err != nil {
					return table.InputCell{}, s.damaged(err)
				}
			case "is":
				if inline, err = richText(s.dec, "is"); err != nil {
					return table.InputCell{}, s.damaged(err)
				}
			case "f":
				// A shared formula's later cells have an empty <f/>.
				if formula, err = elementText(s.dec, "f"); err != nil {
					return table.InputCell{}, s.damaged(err)
				}
				hasFormula = true
			}
		case xml.EndElement:
			if t.Name.Local != "c" {
				continue
			}
			c, err := s.wb.makeCell(col, typ, style, v, inline, s.sheet.name, row)
			if err != nil || !hasFormula {
				return c, err
			}
			c.Formula = "=" + formula
			if c.Text == "" {
				c.Kind, c.Text = table.InputUncomputed, c.Formula
			}
			return c, nil
		}
	}
}

// makeCell turns a cell's type, style and value into a cell.
func (wb *workbook) makeCell(col int, typ string, style int, v, inline, sheet string, row int) (table.InputCell, error) {
	c := table.InputCell{Col: col}
	switch typ {
	case "s":
		i, err := strconv.Atoi(strings.TrimSpace(v))
		if err != nil || i < 0 || i >= wb.strings.Len() {
			return c, &record.ImportError{Position: record.Position{File: wb.path, Sheet: sheet, Cell: cellRef(col, row), Line: row, Col: col}, Code: record.CodeNotWorkbook,
				Msg: "the workbook is damaged: the cell refers to text the workbook does not hold; open it in Excel and save it again"}
		}
		c.Text = wb.strings.Get(i)
	case "inlineStr":
		c.Text = inline
	case "b":
		c.Kind, c.Num, c.Text = table.InputBool, "0", "FALSE"
		if strings.TrimSpace(v) == "1" {
			c.Num, c.Text = "1", "TRUE"
		}
	case "d":
		return isoDateCell(c, v), nil
	case "", "n":
		return wb.numberCell(c, v, style), nil
	case "e": // an error such as #N/A
		c.Kind, c.Text = table.InputError, v
	default: // "str", a formula's text
		c.Text = v
	}
	return c, nil
}

// numberCell reads a number cell, which is a date when its style shows
// one.
func (wb *workbook) numberCell(c table.InputCell, v string, style int) table.InputCell {
	v = strings.TrimSpace(v)
	f, err := strconv.ParseFloat(v, 64)
	if err != nil || math.IsInf(f, 0) || math.IsNaN(f) {
		c.Text = v
		return c
	}
	c.Kind, c.Num = table.InputNumber, table.FormatNumber(f)
	c.Text = c.Num
	if style >= 0 && style < len(wb.dates) && wb.dates[style] {
		return wb.dateCell(c, f)
	}
	return c
}

// lastSerial is the serial number of 9999-12-31, Excel's last day.
const lastSerial = 2958465

// dateCell reads a number in a date format as its day.
func (wb *workbook) dateCell(c table.InputCell, f float64) table.InputCell {
	if f < 0 || f >= lastSerial+1 {
		return c
	}
	t, err := excelize.ExcelDateToTime(f, wb.date1904)
	if err != nil {
		return c
	}
	return importDay(c, t)
}

func importDay(c table.InputCell, t time.Time) table.InputCell {
	c.Kind, c.Text = table.InputDate, t.Format(time.DateOnly)
	if t.Hour() != 0 || t.Minute() != 0 || t.Second() != 0 {
		c.Kind, c.Clock = table.InputDateTime, t.Format(time.TimeOnly)
	}
	return c
}

// isoDateCell reads a cell of type d, which holds an ISO 8601 date or
// date-time as text; it stays text when it is neither.
func isoDateCell(c table.InputCell, v string) table.InputCell {
	c.Text = v
	for _, layout := range []string{"2006-01-02T15:04:05.999999999Z07:00", "2006-01-02T15:04:05.999999999", "2006-01-02"} {
		if t, err := time.Parse(layout, v); err == nil {
			c.Num = v
			return importDay(c, t)
		}
	}
	return c
}

// refColumn returns the column of an A1 cell reference.
func refColumn(ref string) (int, bool) {
	col, i := 0, 0
	for ; i < len(ref) && i < 4; i++ {
		ch := ref[i] | 0x20
		if ch < 'a' || ch > 'z' {
			break
		}
		col = col*26 + int(ch-'a'+1)
	}
	if i == 0 || col > excelize.MaxColumns || i == len(ref) || !isDigit(ref[i]) {
		return 0, false
	}
	return col, true
}

// elementText reads the text of an element up to its end tag.
func elementText(dec *xml.Decoder, end string) (string, error) {
	var b strings.Builder
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return "", noEOF(err)
		}
		switch t := tok.(type) {
		case xml.CharData:
			b.Write(t)
		case xml.EndElement:
			if t.Name.Local == end {
				return b.String(), nil
			}
		}
	}
}

// richText reads the text of an <si> or <is> element, up to its end tag:
// its <t> elements, whether plain or in runs of formatting, but not the
// phonetic guides (<rPh>) that Japanese text may carry, which are not the
// cell's text. Escapes such as _x000D_ are decoded.
func richText(dec *xml.Decoder, end string) (string, error) {
	var b strings.Builder
	inText, phonetic := false, 0
	for {
		tok, err := dec.RawToken()
		if err != nil {
			return "", noEOF(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			switch t.Name.Local {
			case "t":
				inText = true
			case "rPh":
				phonetic++
			}
		case xml.EndElement:
			switch t.Name.Local {
			case "t":
				inText = false
			case "rPh":
				phonetic--
			case end:
				return decodeXString(b.String()), nil
			}
		case xml.CharData:
			if inText && phonetic == 0 {
				b.Write(t)
			}
		}
	}
}

// decodeXString decodes the escapes of OOXML text (ST_Xstring): _xHHHH_
// is the UTF-16 code unit HHHH, which is how characters that XML cannot
// hold are written, and _x005F_ is a literal _ (so "_x005F_x0041_" is the
// Text "_x0041_"). Excel and excelize write them; NewWriter's excelize
// escapes literal ones this way.
func decodeXString(s string) string {
	if !strings.Contains(s, "_x") {
		return s
	}
	var b strings.Builder
	var units []uint16 // consecutive escapes, so that surrogate pairs join
	flush := func() {
		b.WriteString(string(utf16.Decode(units)))
		units = units[:0]
	}
	for i := 0; i < len(s); {
		if u, ok := xEscape(s[i:]); ok {
			units = append(units, u)
			i += 7
			continue
		}
		flush()
		b.WriteByte(s[i])
		i++
	}
	flush()
	return b.String()
}

// xEscape reads an _xHHHH_ escape at the start of s.
func xEscape(s string) (uint16, bool) {
	if len(s) < 7 || s[0] != '_' || s[1] != 'x' || s[6] != '_' {
		return 0, false
	}
	n, err := strconv.ParseUint(s[2:6], 16, 16)
	return uint16(n), err == nil
}

// damaged reports a sheet whose XML cannot be read.
func (s *sheetRows) damaged(err error) error {
	return &record.ImportError{
		Position: record.Position{File: s.wb.path, Sheet: s.sheet.name, Cell: cellRef(1, max(s.last, 1)), Line: max(s.last, 1), Col: 1},
		Code:     record.CodeNotWorkbook,
		Msg:      fmt.Sprintf("the sheet is damaged after this row (%s); open the workbook in Excel and save it again", printable(err.Error())),
	}
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }
