package jsonvalue

import "unicode/utf8"

// AppendString appends s to b as a JSON string, quotes included. Every
// writer of JSON text in annals (the canonical JSON and JSON Lines, JSON-LD)
// writes text so: the quote, the backslash and the control characters
// escaped (\n, \r and \t by their short forms, the others as \u00XX),
// everything else as it is, U+2028 and U+2029 included, as RFC 8785
// canonical JSON has them. Invalid UTF-8, which no reader of annals
// returns, is written as U+FFFD, so that the output is JSON whatever s
// holds.
func AppendString(b []byte, s string) []byte {
	b = append(b, '"')
	b = AppendStringBody(b, s)
	return append(b, '"')
}

// AppendStringBody appends s escaped as AppendString does, without the
// quotes: for a string written in parts.
func AppendStringBody(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if !plain[c] {
				b = appendEscape(append(b, s[start:i]...), c)
				start = i + 1
			}
			i++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			b = append(append(b, s[start:i]...), `\ufffd`...)
			start = i + 1
		}
		i += size
	}
	return append(b, s[start:]...)
}

const hex = "0123456789abcdef"

// appendEscape appends the escape of an ASCII character that a JSON
// string cannot hold as it is.
func appendEscape(b []byte, c byte) []byte {
	switch c {
	case '"', '\\':
		return append(b, '\\', c)
	case '\n':
		return append(b, '\\', 'n')
	case '\r':
		return append(b, '\\', 'r')
	case '\t':
		return append(b, '\\', 't')
	}
	return append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
}

// plain marks the ASCII characters that go into a JSON string as they
// are: all but the control characters, the quote and the backslash.
var plain = func() (t [utf8.RuneSelf]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()
