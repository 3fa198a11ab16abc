package check

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/record"
)

// suspectNames names the characters that checkCharacters reports, other
// than the C0 and C1 control characters, which it names by code point.
var suspectNames = map[rune]string{
	'\u00AD': "SOFT HYPHEN",
	'\u200B': "ZERO WIDTH SPACE",
	'\u2060': "WORD JOINER",
	'\u202A': "LEFT-TO-RIGHT EMBEDDING",
	'\u202B': "RIGHT-TO-LEFT EMBEDDING",
	'\u202C': "POP DIRECTIONAL FORMATTING",
	'\u202D': "LEFT-TO-RIGHT OVERRIDE",
	'\u202E': "RIGHT-TO-LEFT OVERRIDE",
	'\u2066': "LEFT-TO-RIGHT ISOLATE",
	'\u2067': "RIGHT-TO-LEFT ISOLATE",
	'\u2068': "FIRST STRONG ISOLATE",
	'\u2069': "POP DIRECTIONAL ISOLATE",
	'\uFEFF': "ZERO WIDTH NO-BREAK SPACE (a byte order mark)",
	'\uFFFD': "REPLACEMENT CHARACTER",
}

// suspect reports whether r is a character that checkCharacters reports,
// and its description. Tabs and line breaks are text; the zero-width
// joiners (U+200C, U+200D) are not reported, since Persian, the Indic
// scripts and emoji need them.
func suspect(r rune) (string, bool) {
	switch {
	case r == '\t' || r == '\n' || r == '\r':
		return "", false
	case r < 0x20 || r >= 0x7F && r <= 0x9F:
		return fmt.Sprintf("U+%04X, a control character", r), true
	case r >= 0xFDD0 && r <= 0xFDEF || r&0xFFFE == 0xFFFE:
		return fmt.Sprintf("U+%04X, a noncharacter", r), true
	}
	if name, ok := suspectNames[r]; ok {
		return fmt.Sprintf("U+%04X %s", r, name), true
	}
	return "", false
}

// checkCharacters reports every text value of the record, keys included,
// that holds a suspect character, once per value, at its first one. The
// schema's findings come first: a value it already rejected is skipped.
// path is the reference tokens down to v; the pointer is built only for
// a value reported, as this runs on every value of every record.
func (c *Checker) checkCharacters(r *recordCtx, v any, path []string) {
	switch v := v.(type) {
	case map[string]any:
		for k, x := range v {
			path := append(path, k)
			if msg, ok := suspectMessage(k, "name"); ok {
				if ptr := pointerOf(path); !r.failed[ptr] {
					r.emit(ptr, true, Warning, CodeSuspectCharacter, "", msg)
				}
			}
			c.checkCharacters(r, x, path)
		}
	case []any:
		for i, x := range v {
			c.checkCharacters(r, x, append(path, strconv.Itoa(i)))
		}
	case string:
		if msg, ok := suspectMessage(v, "text"); ok {
			if ptr := pointerOf(path); !r.failed[ptr] {
				r.emit(ptr, false, Warning, CodeSuspectCharacter, "", msg)
			}
		}
	}
}

// mayHoldSuspect reports whether a record whose JSON text is raw may hold
// a suspect character, which checkCharacters then looks for value by
// value. Most records are plain text, and one pass over their bytes says
// so. An escape (\u, \b, \f) may stand for a suspect character; a record
// not read from JSON (raw is nil) may hold anything.
func mayHoldSuspect(raw []byte) bool {
	if raw == nil {
		return true
	}
	for i := bytes.IndexByte(raw, '\\'); i >= 0 && i+1 < len(raw); {
		switch raw[i+1] {
		case 'u', 'b', 'f':
			return true
		}
		j := bytes.IndexByte(raw[i+2:], '\\')
		if j < 0 {
			break
		}
		i += 2 + j
	}
	return hasSuspect(raw)
}

// pointerOf is the JSON pointer of the reference tokens path.
func pointerOf(path []string) string {
	var b strings.Builder
	for _, tok := range path {
		b.WriteString("/" + record.EscapePointerToken(tok))
	}
	return b.String()
}

// hasSuspect reports whether s holds a suspect character: the quick test
// every record's text takes. Printable ASCII passes eight bytes at a time;
// other characters one by one.
func hasSuspect[T string | []byte](s T) bool {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for i := 0; i < len(s); {
		for i+8 <= len(s) {
			w := load64(s[i : i+8])
			// A byte below 0x20, or above 0x7E (DEL and non-ASCII).
			if (w-0x20*ones)&^w&highs != 0 || ((w+ones)|w)&highs != 0 {
				break
			}
			i += 8
		}
		if i >= len(s) {
			break
		}
		c := s[i]
		if c >= 0x20 && c < 0x7F || c == '\t' || c == '\n' || c == '\r' {
			i++
			continue
		}
		if c < utf8.RuneSelf {
			return true // another control character, or DEL
		}
		// A two-byte character after U+00BF (Latin letters with accents,
		// Greek, Cyrillic, Hebrew, Arabic...) is never suspect; words of
		// them are passed over together.
		if c >= 0xC3 && c < 0xE0 && i+1 < len(s) && s[i+1]&0xC0 == 0x80 {
			i += 2
			for i+1 < len(s) && s[i] >= 0xC3 && s[i] < 0xE0 && s[i+1]&0xC0 == 0x80 {
				i += 2
			}
			continue
		}
		r, size := utf8.DecodeRuneInString(string(s[i:min(i+utf8.UTFMax, len(s))]))
		if isSuspect(r) {
			return true
		}
		i += size
	}
	return false
}

// load64 reads eight bytes, little-endian: the compiler makes it one load.
func load64[T string | []byte](b T) uint64 {
	_ = b[7]
	return uint64(b[0]) | uint64(b[1])<<8 | uint64(b[2])<<16 | uint64(b[3])<<24 |
		uint64(b[4])<<32 | uint64(b[5])<<40 | uint64(b[6])<<48 | uint64(b[7])<<56
}

// isSuspect is suspect's yes or no, without the description, for a
// character outside ASCII.
func isSuspect(r rune) bool {
	switch {
	case r <= 0x9F || r == 0xAD:
		return true
	case r < 0x200B:
		return false
	}
	_, ok := suspect(r)
	return ok
}

// suspectMessage says where s holds its first suspect character, which
// it is, and what to do; what is "text" or "name" (of a field).
func suspectMessage(s, what string) (string, bool) {
	if !hasSuspect(s) {
		return "", false
	}
	at, n := 0, 0
	var desc string
	var first rune
	for i, r := range s {
		if d, ok := suspect(r); ok {
			if n == 0 {
				at, desc, first = i, d, r
			}
			n++
		}
	}
	if n == 0 {
		return "", false
	}
	where := "at the start"
	if at > 0 {
		before := s[:at]
		if utf8.RuneCountInString(before) > 20 {
			runes := []rune(before)
			before = "…" + string(runes[len(runes)-20:])
		}
		where = fmt.Sprintf("after %q", before)
	}
	msg := fmt.Sprintf("the %s holds %s %s", what, desc, where)
	if n > 1 {
		msg += fmt.Sprintf(" (and %d more such characters)", n-1)
	}
	if first == '\uFFFD' {
		return msg + "; a wrong encoding damaged the text somewhere: copy it again from the source", true
	}
	if n > 1 {
		return msg + "; they were probably pasted with the text: delete them", true
	}
	return msg + "; it was probably pasted with the text: delete it", true
}
