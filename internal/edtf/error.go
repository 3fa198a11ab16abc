package edtf

import (
	"fmt"
	"unicode/utf8"
)

// Kind classifies why Parse rejected a string, so that a caller can report
// a reversed interval or a level 2 date differently from a typo.
type Kind int

const (
	// KindSyntax: the text is not an EDTF date at all ("2022/01/10").
	KindSyntax Kind = iota
	// KindRange: the text has the shape of a date but names a month, day
	// or time that does not exist ("2022-13-01", "2021-02-29").
	KindRange
	// KindReversed: an interval whose start is after its end.
	KindReversed
	// KindUnsupported: valid EDTF beyond level 1, such as "2022?-01",
	// "1X99" or "2022-25". Detection is best effort; some level 2 text
	// is reported as KindSyntax.
	KindUnsupported
)

var kindNames = [...]string{
	KindSyntax:      "syntax",
	KindRange:       "range",
	KindReversed:    "reversed",
	KindUnsupported: "unsupported",
}

func (k Kind) String() string {
	if k >= 0 && int(k) < len(kindNames) {
		return kindNames[k]
	}
	return fmt.Sprintf("Kind(%d)", int(k))
}

// Error is the error Parse returns.
type Error struct {
	Input  string
	Offset int    // byte offset in Input where the problem is (best effort)
	Reason string // lower-case, no final period, meant for a non-programmer
	Kind   Kind
}

func (e *Error) Error() string {
	return fmt.Sprintf("%q is not an EDTF date: %s", e.Input, e.Reason)
}

func newError(s string, kind Kind, at int, reason string) *Error {
	return &Error{Input: s, Offset: at, Reason: reason, Kind: kind}
}

// special explains the byte at s[at] when it is wrong wherever it
// appears: white space, control bytes, non-ASCII text, and characters
// that only EDTF level 2 uses. It returns nil for an ordinary character,
// whose meaning depends on where the scanner is.
func special(s string, at int) *Error {
	if at >= len(s) {
		return nil
	}
	c := s[at]
	switch {
	case c == ' ' || c == '\t' || c == '\n' || c == '\r':
		return newError(s, KindSyntax, at, whitespaceReason(s, at))
	case c == 0:
		return newError(s, KindSyntax, at, "contains a NUL byte")
	case c < 0x20 || c == 0x7f:
		return newError(s, KindSyntax, at, fmt.Sprintf("contains the control character %U", rune(c)))
	case c >= utf8.RuneSelf:
		return newError(s, KindSyntax, at, nonASCIIReason(s[at:]))
	case c == '?' || c == '~' || c == '%':
		return newError(s, KindUnsupported, at,
			"a qualifier (?, ~ or %) inside or before a date is an EDTF level 2 feature; at level 1 it can only end a date")
	case c == '[' || c == '{':
		return newError(s, KindUnsupported, at, "sets ([...] and {...}) are an EDTF level 2 feature")
	case c == 'E' && at > 0 && isDigit(s[at-1]):
		return newError(s, KindUnsupported, at, "exponential years (E) are an EDTF level 2 feature")
	case c == 'S' && at > 0 && isDigit(s[at-1]):
		return newError(s, KindUnsupported, at, "significant digits (S) are an EDTF level 2 feature")
	case c == 't' || c == 'x' || c == 'y' || c == 'z':
		return newError(s, KindSyntax, at, fmt.Sprintf("use upper-case %c, not %c", c-'a'+'A', c))
	}
	return nil
}

func whitespaceReason(s string, at int) string {
	name := "space"
	switch s[at] {
	case '\t':
		name = "tab"
	case '\n', '\r':
		name = "line break"
	}
	if at == 0 {
		return "leading " + name
	}
	for i := at; i < len(s); i++ {
		if c := s[i]; c != ' ' && c != '\t' && c != '\n' && c != '\r' {
			return name + " inside the date"
		}
	}
	return "trailing " + name
}

func nonASCIIReason(rest string) string {
	r, size := utf8.DecodeRuneInString(rest)
	if r == utf8.RuneError && size <= 1 {
		return "invalid UTF-8"
	}
	switch r {
	case '\u2010', '\u2011', '\u2012', '\u2013', '\u2014', '\u2015', '\u2212':
		// Word processors turn hyphens into dashes; say so plainly.
		return fmt.Sprintf("use a plain hyphen (-) instead of %q", r)
	case '\u00a0', '\u2009', '\u202f', '\u3000':
		return "unexpected non-breaking or typographic space"
	}
	return fmt.Sprintf("unexpected character %q", r)
}
