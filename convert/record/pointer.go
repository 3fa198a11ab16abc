package record

import (
	"strconv"
	"strings"
)

// pointerUnescaper undoes RFC 6901 escaping. A single left-to-right pass
// turns "~01" into "~1", as the RFC requires, not into "/".
var pointerUnescaper = strings.NewReplacer("~1", "/", "~0", "~")

var pointerEscaper = strings.NewReplacer("~", "~0", "/", "~1")

// EscapePointerToken escapes a field name for use as one reference token
// of a JSON pointer (RFC 6901): "a/b" becomes "a~1b".
func EscapePointerToken(s string) string { return pointerEscaper.Replace(s) }

// SplitPointer splits a JSON pointer (RFC 6901) into its unescaped
// reference tokens. "" is the whole document and has none; a pointer that
// does not start with '/' is not valid.
func SplitPointer(ptr string) (tokens []string, ok bool) {
	if ptr == "" {
		return nil, true
	}
	if ptr[0] != '/' {
		return nil, false
	}
	tokens = strings.Split(ptr[1:], "/")
	for i, t := range tokens {
		if strings.IndexByte(t, '~') >= 0 {
			tokens[i] = pointerUnescaper.Replace(t)
		}
	}
	return tokens, true
}

// ArrayIndex parses a reference token as an array index: decimal digits
// without leading zeros, as RFC 6901 requires ("-", the element after the
// last, never exists).
func ArrayIndex(token string) (int, bool) {
	if token == "" || len(token) > 1 && token[0] == '0' {
		return 0, false
	}
	for i := 0; i < len(token); i++ {
		if c := token[i]; c < '0' || c > '9' {
			return 0, false
		}
	}
	n, err := strconv.Atoi(token)
	return n, err == nil
}
