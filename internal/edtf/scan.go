package edtf

import (
	"fmt"
	"time"
	"unicode/utf8"
)

// civil is a day of the proleptic Gregorian calendar. Parse compares these
// rather than time.Time values so that Y-prefixed years, which have no
// useful time.Time, still take part in the reversed-interval check.
type civil struct {
	year  int64
	month int8
	day   int8
}

func (c civil) before(o civil) bool {
	if c.year != o.year {
		return c.year < o.year
	}
	if c.month != o.month {
		return c.month < o.month
	}
	return c.day < o.day
}

type endKind uint8

const (
	endNone    endKind = iota // zero Date
	endDate                   // a date
	endOpen                   // ".."
	endUnknown                // empty
)

// endpoint is one parsed date: a single date, or one side of an interval.
type endpoint struct {
	lo, hi      civil // first and last day the date can denote
	prec        Precision
	kind        endKind
	uncertain   bool
	approximate bool
	longYear    bool // Y-prefixed, so lo and hi are not offered as time.Time
	plain       bool // level 0 only; see Date.IsPlainISO
}

func (e *endpoint) day(c civil) (time.Time, bool) {
	if e.kind != endDate || e.longYear {
		return time.Time{}, false
	}
	return time.Date(int(c.year), time.Month(c.month), int(c.day), 0, 0, 0, 0, time.UTC), true
}

// scanner reads one date from s[i:end]. It keeps the whole input so that
// error offsets and messages refer to what the user wrote.
type scanner struct {
	s   string
	i   int
	end int
}

func (sc *scanner) more() bool { return sc.i < sc.end }

// is reports whether the next byte is c.
func (sc *scanner) is(c byte) bool { return sc.i < sc.end && sc.s[sc.i] == c }

func (sc *scanner) fail(kind Kind, at int, reason string) *Error {
	return newError(sc.s, kind, at, reason)
}

// expected reports a problem at byte at, preferring the character-specific
// explanation of special when there is one.
func (sc *scanner) expected(at int, reason string) *Error {
	if at < sc.end {
		if err := special(sc.s, at); err != nil {
			return err
		}
	}
	return sc.fail(KindSyntax, at, reason)
}

// unexpected reports the byte at sc.i, which cannot follow what was read;
// where names that, as in "after the month".
func (sc *scanner) unexpected(where string) *Error {
	if err := special(sc.s, sc.i); err != nil {
		return err
	}
	return sc.fail(KindSyntax, sc.i, fmt.Sprintf("unexpected %q %s", sc.s[sc.i:sc.i+1], where))
}

// short reports a component cut short after n characters. A lower-case x,
// a control byte or non-ASCII text is blamed instead, as the likelier
// mistake; a space is not, so that "10 January 2022" hears about the year.
func (sc *scanner) short(at, n int, reason string) *Error {
	if stop := at + n; stop < sc.end {
		if c := sc.s[stop]; c == 'x' || c >= utf8.RuneSelf || (c < ' ' && c != '\t' && c != '\n' && c != '\r') {
			return special(sc.s, stop)
		}
	}
	return sc.fail(KindSyntax, at, reason)
}

// run counts the digits and X from sc.i on, without consuming them.
func (sc *scanner) run() int {
	n := 0
	for j := sc.i; j < sc.end && (isDigit(sc.s[j]) || sc.s[j] == 'X'); j++ {
		n++
	}
	return n
}

func isDigit(c byte) bool { return '0' <= c && c <= '9' }

func isQualifier(c byte) bool { return c == '?' || c == '~' || c == '%' }

// draft carries what date has read so far to the steps after the year.
type draft struct {
	ep     endpoint
	yearAt int  // where the year, with its sign, starts
	neg    bool // negative year
	level1 bool // uses X or a negative year, so not plain ISO
}

// date parses a whole date, which must run to sc.end. Inside an interval
// a time of day is not allowed.
func (sc *scanner) date(inInterval bool) (endpoint, *Error) {
	d := draft{ep: endpoint{kind: endDate}, yearAt: sc.i}
	if sc.is('Y') {
		return d.ep, sc.longYear(&d.ep)
	}
	d.neg = sc.is('-')
	if d.neg {
		sc.i++
	}
	lo, hi, err := sc.year(d.neg)
	if err != nil {
		return d.ep, err
	}
	d.level1 = d.neg || lo != hi
	d.ep.prec = Year
	d.ep.lo = civil{lo, 1, 1}
	d.ep.hi = civil{hi, 12, 31}
	switch {
	case sc.is('T'):
		return d.ep, sc.fail(KindSyntax, sc.i, "a time of day needs a complete date (YYYY-MM-DDThh:mm:ss)")
	case !sc.is('-'):
		return d.ep, sc.finish(&d.ep, d.level1, "after the year")
	case lo != hi:
		return d.ep, sc.fail(KindUnsupported, sc.i,
			"a year with X followed by a month or season is an EDTF level 2 feature")
	}
	sc.i++
	err = sc.month(&d, inInterval)
	return d.ep, err
}

// month continues date after "YYYY-" with a month or a season.
func (sc *scanner) month(d *draft, inInterval bool) *Error {
	y := d.ep.lo.year
	at := sc.i
	m, unspec, err := sc.twoDigitsOrX("month")
	switch {
	case err != nil:
		return err
	case unspec:
		d.level1 = true
		d.ep.prec = Month
	case 1 <= m && m <= 12:
		d.ep.prec = Month
		d.ep.lo = civil{y, int8(m), 1}
		d.ep.hi = civil{y, int8(m), daysIn(y, m)}
	case 21 <= m && m <= 24:
		d.ep.prec = Season
		d.ep.lo, d.ep.hi = seasonBounds(y, m)
		if sc.is('-') {
			return sc.fail(KindSyntax, sc.i, fmt.Sprintf("a season (%02d) cannot be followed by a day", m))
		}
		return sc.finish(&d.ep, true, "after the season")
	case 25 <= m && m <= 41:
		return sc.fail(KindUnsupported, at,
			fmt.Sprintf("sub-year grouping %02d is an EDTF level 2 feature; level 1 has only the seasons 21 to 24", m))
	default:
		return sc.fail(KindRange, at, fmt.Sprintf("month %02d does not exist", m))
	}
	switch {
	case sc.is('T'):
		return sc.fail(KindSyntax, sc.i, "a time of day needs a complete date (YYYY-MM-DDThh:mm:ss)")
	case !sc.is('-'):
		return sc.finish(&d.ep, d.level1, "after the month")
	}
	sc.i++
	return sc.day(d, m, unspec, inInterval)
}

// day continues date after "YYYY-MM-" with a day and perhaps a time.
// m is the month, which is unknown when monthUnspec.
func (sc *scanner) day(d *draft, m int, monthUnspec, inInterval bool) *Error {
	y := d.ep.lo.year
	at := sc.i
	v, unspec, err := sc.twoDigitsOrX("day")
	d.ep.prec = Day
	switch {
	case err != nil:
		return err
	case unspec:
		d.level1 = true // the span stays the month's, or the year's
	case monthUnspec:
		return sc.fail(KindUnsupported, at, "a day after an unspecified month (XX) is an EDTF level 2 feature")
	default:
		if err := sc.checkDay(y, m, v, d.yearAt, at); err != nil {
			return err
		}
		d.ep.lo = civil{y, int8(m), int8(v)}
		d.ep.hi = d.ep.lo
	}
	switch {
	case sc.is('-'):
		return sc.fail(KindSyntax, sc.i, `unexpected "-" after the day`)
	case !sc.is('T'):
		return sc.finish(&d.ep, d.level1, "after the day")
	case inInterval:
		return sc.fail(KindSyntax, sc.i, "an interval cannot contain a time of day: EDTF intervals are made of dates only")
	case monthUnspec || unspec:
		return sc.fail(KindSyntax, sc.i, "a time of day needs a complete date without X")
	}
	d.ep.prec = Second
	return sc.time(&d.ep, d.neg)
}

// year reads the four characters of a year, digits or a trailing X or
// XX, and returns the range of years they allow.
func (sc *scanner) year(neg bool) (lo, hi int64, err *Error) {
	at := sc.i
	n := sc.run()
	switch {
	case n == 0:
		return 0, 0, sc.expected(at, "expected 4-digit year")
	case n < 4:
		return 0, 0, sc.short(at, n, "expected 4-digit year")
	case n > 4:
		return 0, 0, sc.fail(KindSyntax, at,
			"expected 4-digit year; years beyond 9999 need the Y prefix, as in Y12345")
	}
	xs := 0
	for k := at; k < at+4; k++ {
		c := sc.s[k]
		if c == 'X' {
			xs++
			lo, hi = lo*10, hi*10+9
			continue
		}
		if xs > 0 {
			return 0, 0, sc.fail(KindUnsupported, at,
				"an X before a digit in a year is an EDTF level 2 feature; level 1 allows X only as the last one or two digits")
		}
		lo, hi = lo*10+int64(c-'0'), hi*10+int64(c-'0')
	}
	if xs > 2 {
		return 0, 0, sc.fail(KindUnsupported, at,
			"more than two X in a year is an EDTF level 2 feature; level 1 allows X only as the last one or two digits")
	}
	sc.i += 4
	if !neg {
		return lo, hi, nil
	}
	if hi == 0 {
		return 0, 0, sc.fail(KindRange, at-1, "year -0000 does not exist: write 0000")
	}
	return -hi, -lo, nil
}

// twoDigitsOrX reads a month or day: two digits, or XX for unspecified.
func (sc *scanner) twoDigitsOrX(name string) (v int, unspec bool, err *Error) {
	at := sc.i
	switch n := sc.run(); {
	case n == 0:
		return 0, false, sc.expected(at, fmt.Sprintf(`expected a 2-digit %s after "-"`, name))
	case n != 2:
		return 0, false, sc.short(at, n, fmt.Sprintf("%s must have 2 digits", name))
	}
	a, b := sc.s[at], sc.s[at+1]
	sc.i += 2
	switch {
	case a == 'X' && b == 'X':
		return 0, true, nil
	case a == 'X' || b == 'X':
		return 0, false, sc.fail(KindUnsupported, at,
			fmt.Sprintf("a partly unspecified %s (%c%c) is an EDTF level 2 feature; level 1 allows only XX", name, a, b))
	}
	return int(a-'0')*10 + int(b-'0'), false, nil
}

func (sc *scanner) checkDay(y int64, m, d, yearAt, dAt int) *Error {
	last := int(daysIn(y, m))
	switch {
	case 1 <= d && d <= last:
		return nil
	case d == 0 || d > 31:
		return sc.fail(KindRange, dAt, fmt.Sprintf("day %02d does not exist", d))
	case m == 2 && d == 29:
		return sc.fail(KindRange, dAt, fmt.Sprintf("day 29 does not exist in %s: %s is not a leap year",
			sc.s[yearAt:dAt-1], sc.s[yearAt:dAt-4]))
	}
	return sc.fail(KindRange, dAt, fmt.Sprintf("day %02d does not exist in %s", d, sc.s[yearAt:dAt-1]))
}

// time reads the time of day after "T" and an optional offset. The date is
// already complete, so it only validates: the date's days do not change.
func (sc *scanner) time(ep *endpoint, neg bool) *Error {
	sc.i++ // T
	if err := sc.clock("hour", 23, false); err != nil {
		return err
	}
	if err := sc.clock("minute", 59, true); err != nil {
		return err
	}
	if !sc.is(':') {
		if !sc.more() || sc.is('Z') || sc.is('+') || sc.is('-') {
			return sc.fail(KindSyntax, sc.i, "a time of day must include seconds (hh:mm:ss)")
		}
		return sc.unexpected("after the minutes")
	}
	// ISO 8601 allows second 60 for a leap second.
	if err := sc.clock("second", 60, true); err != nil {
		return err
	}
	if sc.is('.') || sc.is(',') {
		return sc.fail(KindSyntax, sc.i, "fractional seconds are not allowed in EDTF")
	}
	switch {
	case sc.is('Z'):
		sc.i++
	case sc.is('+') || sc.is('-'):
		if err := sc.offset(); err != nil {
			return err
		}
	}
	if sc.more() {
		if isQualifier(sc.s[sc.i]) {
			return sc.fail(KindSyntax, sc.i, "a date with a time of day cannot be qualified")
		}
		return sc.unexpected("after the time")
	}
	ep.plain = !neg
	return nil
}

// clock reads one two-digit clock component, after ":" when colon is set.
func (sc *scanner) clock(name string, limit int, colon bool) *Error {
	if colon {
		if !sc.is(':') {
			return sc.expected(sc.i, fmt.Sprintf(`expected ":" before the %s`, name))
		}
		sc.i++
	}
	at := sc.i
	if sc.end-at < 2 || !isDigit(sc.s[at]) || !isDigit(sc.s[at+1]) || (at+2 < sc.end && isDigit(sc.s[at+2])) {
		return sc.expected(at, fmt.Sprintf("expected a 2-digit %s", name))
	}
	v := int(sc.s[at]-'0')*10 + int(sc.s[at+1]-'0')
	if v > limit {
		return sc.fail(KindRange, at, fmt.Sprintf("%s %02d does not exist", name, v))
	}
	sc.i += 2
	return nil
}

// offset reads a time shift, ±hh or ±hh:mm.
func (sc *scanner) offset() *Error {
	sc.i++ // sign
	if at := sc.i; sc.end-at >= 3 && isDigit(sc.s[at]) && isDigit(sc.s[at+1]) && isDigit(sc.s[at+2]) {
		return sc.fail(KindSyntax, at, "write the time zone offset as ±hh or ±hh:mm")
	}
	if err := sc.clock("offset hour", 23, false); err != nil {
		return err
	}
	if !sc.is(':') {
		return nil
	}
	return sc.clock("offset minute", 59, true)
}

// longYear reads a level 1 Y-prefixed year, whose value must exceed
// four digits.
func (sc *scanner) longYear(ep *endpoint) *Error {
	sc.i++ // Y
	neg := sc.is('-')
	if neg {
		sc.i++
	}
	at := sc.i
	for sc.more() && isDigit(sc.s[sc.i]) {
		sc.i++
	}
	digits := sc.s[at:sc.i]
	switch {
	case digits != "" && (sc.is('E') || sc.is('S')):
		return special(sc.s, sc.i)
	case digits == "":
		return sc.expected(at, "expected digits after Y")
	case digits[0] == '0':
		return sc.fail(KindSyntax, at, "a Y-prefixed year cannot start with 0")
	case len(digits) <= 4:
		return sc.fail(KindSyntax, at,
			"the Y prefix is only for years with more than 4 digits; write the year as 4 digits instead")
	case len(digits) > 18:
		return sc.fail(KindRange, at, "year has too many digits")
	}
	var y int64
	for k := 0; k < len(digits); k++ {
		y = y*10 + int64(digits[k]-'0')
	}
	if neg {
		y = -y
	}
	switch {
	case sc.is('X'):
		return sc.fail(KindUnsupported, sc.i, "an X in a Y-prefixed year is an EDTF level 2 feature")
	case sc.is('-'):
		return sc.fail(KindSyntax, sc.i, "a Y-prefixed year cannot have a month or day")
	}
	ep.prec = Year
	ep.longYear = true
	ep.lo = civil{y, 1, 1}
	ep.hi = civil{y, 12, 31}
	return sc.finish(ep, true, "after the year")
}

// finish reads the optional qualifier that ends a date and checks that
// nothing follows it.
func (sc *scanner) finish(ep *endpoint, level1 bool, where string) *Error {
	if !sc.more() {
		ep.plain = !level1
		return nil
	}
	switch sc.s[sc.i] {
	case '?':
		ep.uncertain = true
	case '~':
		ep.approximate = true
	case '%':
		ep.uncertain, ep.approximate = true, true
	default:
		return sc.unexpected(where)
	}
	sc.i++
	if !sc.more() {
		return nil
	}
	switch c := sc.s[sc.i]; {
	case isQualifier(c):
		return sc.fail(KindSyntax, sc.i, "a date takes one qualifier: use % for uncertain and approximate")
	case c == '-':
		return sc.fail(KindUnsupported, sc.i-1,
			"a qualifier inside a date is an EDTF level 2 feature; at level 1 it can only end the date")
	}
	return sc.unexpected("after the qualifier")
}

func isLeap(y int64) bool { return y%4 == 0 && (y%100 != 0 || y%400 == 0) }

func daysIn(y int64, m int) int8 {
	switch m {
	case 2:
		if isLeap(y) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// seasonBounds spans a level 1 season by the northern-hemisphere
// meteorological convention; winter runs into the following year.
func seasonBounds(y int64, season int) (lo, hi civil) {
	switch season {
	case 21:
		return civil{y, 3, 1}, civil{y, 5, 31}
	case 22:
		return civil{y, 6, 1}, civil{y, 8, 31}
	case 23:
		return civil{y, 9, 1}, civil{y, 11, 30}
	}
	return civil{y, 12, 1}, civil{y + 1, 2, daysIn(y+1, 2)}
}
