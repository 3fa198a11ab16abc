package jsonvalue

import (
	"encoding/json"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestAppendString(t *testing.T) {
	for in, want := range map[string]string{
		"":                  `""`,
		"plain":             `"plain"`,
		`say "hi" \ bye`:    `"say \"hi\" \\ bye"`,
		"a\nb\rc\td":        `"a\nb\rc\td"`,
		"\x00\x01\x1f\x7f":  `"\u0000\u0001\u001f` + "\x7f\"",
		"\b\f":              `"\u0008\u000c"`,
		"é 🚢 \u2028 \u2029": "\"é 🚢 \u2028 \u2029\"",
		"<a href=x>&</a>":   `"<a href=x>&</a>"`,
		"bad \xff byte":     `"bad \ufffd byte"`,
		"cut \xe2\x82":      `"cut \ufffd\ufffd"`,
	} {
		if got := string(AppendString(nil, in)); got != want {
			t.Errorf("AppendString(%q) = %s, want %s", in, got, want)
		}
	}
}

// FuzzAppendString holds the escaper to encoding/json: what it writes is
// JSON, and reads back as the text (invalid UTF-8 as U+FFFD, as
// encoding/json reads it too).
func FuzzAppendString(f *testing.F) {
	for _, s := range []string{"", "a\"b\\c", "\x00\u2028\xff", "é\t🚢"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		out := AppendString(nil, s)
		var got string
		if err := json.Unmarshal(out, &got); err != nil {
			t.Fatalf("AppendString(%q) = %s, not JSON: %v", s, out, err)
		}
		var want strings.Builder // each byte that is not UTF-8 as U+FFFD
		for _, r := range s {
			want.WriteRune(r)
		}
		if got != want.String() {
			t.Fatalf("AppendString(%q) reads back as %q, want %q", s, got, want.String())
		}
		if !utf8.Valid(out) {
			t.Fatalf("AppendString(%q) = %q, not UTF-8", s, out)
		}
	})
}
