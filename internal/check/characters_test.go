package check

import (
	"strings"
	"testing"
)

func TestSuspectCharacters(t *testing.T) {
	tests := []struct {
		name, json string
		want       []string // "field: message fragment", in order
	}{
		{"clean text, tabs, line breaks and joiners",
			`{"type":"actor","id":"a","name":"Tab\there,\nline\r\nand \u0645\u06cc\u200c\u062e\u0648\u0627\u0647\u0645 \ud83d\udc69\u200d\ud83d\udd2c","kind":"person"}`, nil},
		{"zero width space in a name",
			`{"type":"actor","id":"a","name":"Sergei\u200b Ryabkov","kind":"person"}`,
			[]string{`name: the text holds U+200B ZERO WIDTH SPACE after "Sergei"; it was probably pasted`}},
		{"control character at the start, and more",
			`{"type":"actor","id":"a","name":"\u0007Bell\u0007s","kind":"person"}`,
			[]string{`name: the text holds U+0007, a control character at the start (and 1 more such characters); they were`}},
		{"C1 control from a Windows-1252 apostrophe",
			`{"type":"actor","id":"a","name":"O\u0092Brien","kind":"person"}`,
			[]string{`name: the text holds U+0092, a control character after "O"`}},
		{"replacement character",
			`{"type":"actor","id":"a","name":"Lavrov \ufffd","kind":"person"}`,
			[]string{`name: the text holds U+FFFD REPLACEMENT CHARACTER after "Lavrov "; a wrong encoding`}},
		{"right-to-left override in a nested value, long prefix cut",
			`{"type":"actor","id":"a","name":"A","kind":"person","aliases":[{"name":"An alias that is rather long\u202egnol","kind":"other"}]}`,
			[]string{`aliases[0].name: the text holds U+202E RIGHT-TO-LEFT OVERRIDE after "… that is rather long"`}},
		{"noncharacter in a key the schema rejects is reported once, by the schema",
			`{"type":"actor","id":"a","name":"A","kind":"person","x\ufdd0":1}`,
			[]string{`x`}},
		{"byte order mark in an id the schema rejects is reported once, by the schema",
			`{"type":"actor","id":"\ufeffa","name":"A","kind":"person"}`,
			[]string{`id: "\ufeffa" is not a valid identifier`}},
		{"zero width space written as itself, not escaped",
			`{"type":"actor","id":"a","name":"Sergei` + "\u200b" + ` Ryabkov","kind":"person"}`,
			[]string{`name: the text holds U+200B ZERO WIDTH SPACE after "Sergei"`}},
		{"C1 control written as itself",
			`{"type":"actor","id":"a","name":"O` + "\u0092" + `Brien","kind":"person"}`,
			[]string{`name: the text holds U+0092, a control character after "O"`}},
		{"escaped backslashes before u, b and f are plain text",
			`{"type":"actor","id":"a","name":"A","kind":"person","note":"C:\\users\\bob\\fred\\"}`, nil},
		{"backspace escape",
			`{"type":"actor","id":"a","name":"A","kind":"person","note":"typo\b"}`,
			[]string{`note: the text holds U+0008, a control character after "typo"`}},
		{"byte order mark in a note",
			`{"type":"actor","id":"a","name":"A","kind":"person","note":"\ufeffNote"}`,
			[]string{`note: the text holds U+FEFF ZERO WIDTH NO-BREAK SPACE (a byte order mark) at the start`}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			rep := runCheck(t, map[string]string{"a.jsonl": tc.json}, []string{"a.jsonl"})
			var got []Finding
			for _, f := range rep.Findings {
				if f.Code == CodeSuspectCharacter || strings.Contains(tc.name, "schema rejects") {
					got = append(got, f)
				}
			}
			if len(got) != len(tc.want) {
				t.Fatalf("got %d findings, want %d: %v", len(got), len(tc.want), rep.Findings)
			}
			for i, f := range got {
				if s := f.Field + ": " + f.Message; !strings.HasPrefix(s, tc.want[i]) {
					t.Errorf("finding %d = %q, want it to start with %q", i, s, tc.want[i])
				}
				if f.Code == CodeSuspectCharacter && (f.Severity != Warning || f.Line != 1 || f.Column < 1) {
					t.Errorf("finding %d: severity %v at %d:%d, want a warning at a position on line 1", i, f.Severity, f.Line, f.Column)
				}
			}
		})
	}
}

// hasSuspectSlow is hasSuspect one character at a time, as the reference.
func hasSuspectSlow(s string) bool {
	for _, r := range s {
		if _, ok := suspect(r); ok {
			return true
		}
	}
	return false
}

// FuzzHasSuspect holds the eight-bytes-at-a-time scan to the reference.
func FuzzHasSuspect(f *testing.F) {
	for _, s := range []string{"", "plain ASCII text, long enough for words", "tab\there\nand\r\n",
		"Sergei\u200b Ryabkov", "переговоры in Geneva", "O\u0092Brien", "\x7f", "twelve bytes\x00",
		"\xff broken", "0123456789abcde\u00ad", "Zoë Nguyễn \ufffd", "\ufdd0", "\U0001FFFE", "abcdefgh\u202e"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := hasSuspect(s), hasSuspectSlow(s); got != want {
			t.Errorf("hasSuspect(%q) = %v, want %v", s, got, want)
		}
	})
}
