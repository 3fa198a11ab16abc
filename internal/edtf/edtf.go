package edtf

import (
	"fmt"
	"strings"
	"time"
)

// Precision of a date: the finest unit it states. The constants are
// ordered from coarse to fine, so the coarser of two is the smaller.
type Precision int

const (
	PrecisionUnknown Precision = iota // the zero Date, which Parse never returns
	Year
	Season // level 1 seasons 21–24
	Month
	Day
	Second // a date with a time of day, which EDTF requires to the second
)

var precisionNames = [...]string{
	PrecisionUnknown: "unknown",
	Year:             "year",
	Season:           "season",
	Month:            "month",
	Day:              "day",
	Second:           "second",
}

// String returns the lower-case name, fit for a CSV column.
func (p Precision) String() string {
	if p >= 0 && int(p) < len(precisionNames) {
		return precisionNames[p]
	}
	return fmt.Sprintf("Precision(%d)", int(p))
}

// Date is a parsed EDTF string. The zero Date is not a valid date: its
// precision is PrecisionUnknown and it has no earliest or latest day.
type Date struct {
	text string
	// A single date is stored as an interval whose ends are the same, so
	// the accessors need no special case.
	start, end endpoint
	interval   bool
}

// Parse parses an EDTF level 0 or level 1 string. The text must be exactly
// the date: no surrounding white space. On failure the error is an *Error.
func Parse(s string) (Date, error) {
	if s == "" {
		return Date{}, newError(s, KindSyntax, 0, "empty date")
	}
	slash := strings.IndexByte(s, '/')
	if slash < 0 {
		if s[0] == '.' {
			return Date{}, newError(s, KindSyntax, 0, `".." can only be used as an interval end, as in "1985/.."`)
		}
		sc := scanner{s: s, end: len(s)}
		ep, err := sc.date(false)
		if err != nil {
			return Date{}, err
		}
		return Date{text: s, start: ep, end: ep}, nil
	}
	if second := strings.IndexByte(s[slash+1:], '/'); second >= 0 {
		return Date{}, newError(s, KindSyntax, slash+1+second,
			`more than one "/": write dates as YYYY-MM-DD and use "/" only between the two ends of an interval`)
	}
	start, err := parseEnd(s, 0, slash)
	if err != nil {
		return Date{}, err
	}
	end, err := parseEnd(s, slash+1, len(s))
	if err != nil {
		return Date{}, err
	}
	if start.kind != endDate && end.kind != endDate {
		return Date{}, newError(s, KindSyntax, 0, "an interval needs at least one end that is a date")
	}
	if start.kind == endDate && end.kind == endDate && end.hi.before(start.lo) {
		return Date{}, newError(s, KindReversed, slash+1,
			fmt.Sprintf("interval ends (%s) before it starts (%s)", s[slash+1:], s[:slash]))
	}
	return Date{text: s, start: start, end: end, interval: true}, nil
}

// parseEnd parses s[from:to], one side of an interval.
func parseEnd(s string, from, to int) (endpoint, *Error) {
	switch {
	case from == to:
		return endpoint{kind: endUnknown}, nil
	case s[from:to] == "..":
		return endpoint{kind: endOpen}, nil
	case s[from] == '.':
		return endpoint{}, newError(s, KindSyntax, from, `".." must stand alone as an open interval end, as in "1985/.."`)
	}
	sc := scanner{s: s, i: from, end: to}
	return sc.date(true)
}

// String returns the original text.
func (d Date) String() string { return d.text }

// Earliest returns the first day the date can denote, as midnight UTC of
// that calendar day. It reports false when the start is open or unknown,
// or is a Y-prefixed year.
func (d Date) Earliest() (time.Time, bool) { return d.start.day(d.start.lo) }

// Latest returns the last day the date can denote, as midnight UTC of
// that calendar day. It reports false when the end is open or unknown, or
// is a Y-prefixed year.
func (d Date) Latest() (time.Time, bool) { return d.end.day(d.end.hi) }

// Precision returns the precision of a single date, or for an interval
// the coarser of the precisions of its ends that are dates.
func (d Date) Precision() Precision {
	switch {
	case d.start.kind == endDate && d.end.kind == endDate:
		return min(d.start.prec, d.end.prec)
	case d.start.kind == endDate:
		return d.start.prec
	case d.end.kind == endDate:
		return d.end.prec
	}
	return PrecisionUnknown
}

// IsInterval reports whether the text has a start and an end separated
// by "/", including open and unknown ends.
func (d Date) IsInterval() bool { return d.interval }

// Uncertain reports whether any part carries "?" or "%".
func (d Date) Uncertain() bool { return d.start.uncertain || d.end.uncertain }

// Approximate reports whether any part carries "~" or "%".
func (d Date) Approximate() bool { return d.start.approximate || d.end.approximate }

// IsPlainISO reports whether the date is a level 0 calendar date or
// date-time (YYYY, YYYY-MM, YYYY-MM-DD or YYYY-MM-DDThh:mm:ss with an
// optional offset), which plain ISO 8601 consumers understand as is. It is
// false for intervals and for anything using a level 1 feature, negative
// years included.
func (d Date) IsPlainISO() bool { return !d.interval && d.start.plain }
