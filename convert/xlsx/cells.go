package xlsx

import (
	"encoding/json"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf16"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/jsonvalue"
)

// Excel's limits.
const (
	// MaxCellChars is the most UTF-16 code units a cell holds; excelize
	// silently cuts longer text, so Write refuses it first.
	MaxCellChars = excelize.TotalCellChars
	// maxLinkLength is the longest link target Excel opens (XlsxWriter
	// enforces the same); longer URLs stay plain text.
	maxLinkLength = 2079
)

// Package variables so that tests can reach them with small data.
var (
	maxSheetRows  = excelize.TotalRows - 1 // data rows under the header
	maxSheetLinks = 65530                  // hyperlinks per worksheet
)

// FitsCell reports whether the text s fits in one cell of a workbook once
// written: at most 32,767 UTF-16 code units, after the characters XML
// cannot hold are escaped (see xMarked).
func FitsCell(s string) bool {
	marked, _ := xMarked(s)
	return !tooLong(marked)
}

// tooLong reports whether s is longer than a cell holds.
func tooLong(s string) bool {
	// Never more UTF-16 code units than bytes: most text is decided by its
	// byte length alone.
	return len(s) > MaxCellChars && textLength(s) > MaxCellChars
}

// textLength returns the length of s as Excel counts it, in UTF-16 code
// units.
func textLength(s string) int {
	n := 0
	for _, r := range s {
		n += utf16.RuneLen(r)
	}
	return n
}

// longText finds text in the record too long for a cell: the first one in
// the file when there are several. It returns its pointer and length.
func longText(rec *record.Record) (ptr string, n int, ok bool) {
	if !hasLongText(rec.Value) {
		return "", 0, false
	}
	type found struct {
		ptr       string
		n         int
		line, col int
	}
	var all []found
	walkLongText(rec.Value, "", func(ptr string, n int) {
		line, col := rec.Locate(ptr, false)
		all = append(all, found{ptr, n, line, col})
	})
	first := slices.MinFunc(all, func(a, b found) int {
		if a.line != b.line {
			return a.line - b.line
		}
		if a.col != b.col {
			return a.col - b.col
		}
		return strings.Compare(a.ptr, b.ptr)
	})
	return first.ptr, first.n, true
}

// hasLongText is the allocation-free check that every record pays for.
func hasLongText(v any) bool {
	switch v := v.(type) {
	case string:
		return tooLong(v)
	case map[string]any:
		for _, x := range v {
			if hasLongText(x) {
				return true
			}
		}
	case []any:
		for _, x := range v {
			if hasLongText(x) {
				return true
			}
		}
	}
	return false
}

func walkLongText(v any, ptr string, fn func(ptr string, n int)) {
	switch v := v.(type) {
	case string:
		if tooLong(v) {
			fn(ptr, textLength(v))
		}
	case map[string]any:
		for k, x := range v {
			walkLongText(x, ptr+"/"+record.EscapePointerToken(k), fn)
		}
	case []any:
		for i, x := range v {
			walkLongText(x, ptr+"/"+strconv.Itoa(i), fn)
		}
	}
}

// numberCell returns n as a float64 when that is exactly the number
// written, and as its text otherwise (more digits than a float64 holds, or
// out of its range), so that no digit is silently lost.
func numberCell(n json.Number) any {
	s := string(n)
	f, err := strconv.ParseFloat(s, 64)
	if err != nil {
		return s
	}
	if strconv.FormatFloat(f, 'f', -1, 64) == s {
		return f
	}
	if jsonvalue.SameNumber(s, strconv.FormatFloat(f, 'e', -1, 64)) {
		return f // "1E2", "0.50": another spelling of the same value
	}
	return s
}

// Excel's date range (in the default 1900 date system).
var (
	excelFirstDay = time.Date(1900, time.January, 1, 0, 0, 0, 0, time.UTC)
	excelLastDay  = time.Date(9999, time.December, 31, 0, 0, 0, 0, time.UTC)
)

// dayCell returns a day Excel can hold as a date, and others (EDTF allows
// years before 1900 and negative ones) as their ISO 8601 text.
func dayCell(t time.Time) any {
	if t.Before(excelFirstDay) || t.After(excelLastDay) {
		return table.FormatDay(t)
	}
	return t
}

// linkTarget reports whether the text of a URL cell may become a link:
// only web and mail addresses, never javascript: or file: ones, which a
// click would run or open.
func linkTarget(s string) bool {
	if len(s) > maxLinkLength || strings.ContainsFunc(s, isSpaceOrControl) {
		return false // not a URI a relationship part may hold
	}
	u, err := url.Parse(s)
	if err != nil {
		return false
	}
	switch strings.ToLower(u.Scheme) {
	case "http", "https":
		return u.Host != ""
	case "mailto":
		return u.Opaque != ""
	}
	return false
}

func isSpaceOrControl(r rune) bool { return r <= ' ' || r == 0x7f }

// Bounds of column widths, in characters.
const (
	minColumnWidth = 8
	maxColumnWidth = 60
)

// displayWidth returns the width of the longest line of s in character
// cells, wide (East Asian) characters counting two. It stops counting at
// limit: widths are clamped anyway.
func displayWidth(s string, limit int) int {
	longest, n := 0, 0
	for _, r := range s {
		switch {
		case r == '\n':
			n = 0
			continue
		case isWide(r):
			n += 2
		default:
			n++
		}
		if n > longest {
			longest = n
			if longest >= limit {
				return longest
			}
		}
	}
	return longest
}

// isWide reports whether r takes two cells: the main East Asian wide and
// full-width blocks, enough for a column width.
func isWide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r <= 0x115f, // Hangul Jamo
		r >= 0x2e80 && r <= 0xa4cf && r != 0x303f, // CJK radicals to Yi
		r >= 0xac00 && r <= 0xd7a3,                // Hangul syllables
		r >= 0xf900 && r <= 0xfaff,                // CJK compatibility ideographs
		r >= 0xfe30 && r <= 0xfe4f,                // CJK compatibility forms
		r >= 0xff00 && r <= 0xff60,                // full-width forms
		r >= 0xffe0 && r <= 0xffe6,
		r >= 0x1f300 && r <= 0x1f64f, // pictographs and emoji
		r >= 0x20000 && r <= 0x3fffd: // CJK extensions
		return true
	}
	return false
}

// valueWidth is the display width of a value as a sheet shows it.
func valueWidth(v any) int {
	switch v := v.(type) {
	case string:
		return displayWidth(v, maxColumnWidth)
	case json.Number:
		return len(v)
	case int:
		return len(strconv.Itoa(v))
	case bool:
		return len("FALSE")
	case time.Time:
		return len("2006-01-02")
	}
	return 0
}
