package convert

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
	File      string
	Line, Col int    // 1-based; Col counts characters (runes), not bytes
	Code      string // one of the Code constants
	Msg       string // lower-case, written for people who do not program
}

// Error returns "FILE:LINE:COL: MSG".
func (e *SyntaxError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Line, e.Col, e.Msg)
}

// describeAt names the character that starts b, for messages such as
// "expected a value, found 'x'". b must not be empty. Invisible characters
// get a name, because quoting them would show nothing useful.
func describeAt(b []byte) string {
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

// mib shows a byte limit in messages.
func mib(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// quoteKey shows a key in a message; %q keeps odd characters visible.
func quoteKey(k string) string {
	const max = 60
	if utf8.RuneCountInString(k) > max {
		k = string([]rune(k)[:max]) + "…"
	}
	return fmt.Sprintf("%q", k)
}

// utf16Error reports a file saved as UTF-16, which every reader rejects with
// the same advice.
func utf16Error(file string) *SyntaxError {
	return &SyntaxError{File: file, Line: 1, Col: 1, Code: CodeInvalidUTF8,
		Msg: "the file is encoded as UTF-16; save it as UTF-8"}
}

// looksUTF16 tells whether the start of a file is a UTF-16 byte order mark,
// or an ASCII character stored in two bytes as UTF-16 does without one.
func looksUTF16(b []byte) bool {
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
