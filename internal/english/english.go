// Package english makes the words of annals' messages agree: a noun with
// its number, and its article.
package english

import (
	"fmt"
	"strconv"
	"strings"
)

// Plural is the plural of a noun: "actors", "matches", "entries".
func Plural(noun string) string {
	switch {
	case strings.HasSuffix(noun, "s"), strings.HasSuffix(noun, "x"), strings.HasSuffix(noun, "sh"), strings.HasSuffix(noun, "ch"):
		return noun + "es"
	case strings.HasSuffix(noun, "y") && len(noun) > 1 && !strings.ContainsRune("aeiou", rune(noun[len(noun)-2])):
		return noun[:len(noun)-1] + "ies"
	}
	return noun + "s"
}

// Count is n and the noun, in the singular for one: "1 error", "3 errors".
func Count(n int, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return strconv.Itoa(n) + " " + Plural(noun)
}

// Article is the indefinite article of a noun, by its first letter: "an
// actor", "a source".
func Article(noun string) string {
	if noun != "" && strings.IndexByte("aeiou", noun[0]) >= 0 {
		return "an"
	}
	return "a"
}

// Thousands writes n with commas between its thousands, as messages show
// numbers: 1,234,567.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	sign := ""
	if n < 0 {
		sign, s = "-", s[1:]
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return sign + s
}

// MiB shows a size in bytes as messages state limits: "16 MiB" when it is
// a whole number of mebibytes, "1000 bytes" otherwise.
func MiB(n int) string {
	if n%(1<<20) == 0 {
		return fmt.Sprintf("%d MiB", n>>20)
	}
	return fmt.Sprintf("%d bytes", n)
}

// Capitalize returns s with its first letter in upper case, as a heading
// or the start of a sentence has it: "event attestations" gives "Event
// attestations". s starts with an ASCII letter or is left as it is.
func Capitalize(s string) string {
	if s == "" {
		return s
	}
	return strings.ToUpper(s[:1]) + s[1:]
}
