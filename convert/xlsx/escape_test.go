package xlsx

import "testing"

func TestXMarked(t *testing.T) {
	for in, want := range map[string]string{
		"plain":          "plain",
		"tab\tlf\ncr\r":  "tab\tlf\ncr\r",
		"bell\a":         "bell\uFDD00007",
		"\x00\x1f":       "\uFDD00000\uFDD0001F",
		"\ufdd0":         "\uFDD0FDD0",
		"\ufffe\uffff":   "\uFDD0FFFE\uFDD0FFFF",
		"\ufffd\ufdd1é🚢": "\ufffd\ufdd1é🚢",
	} {
		got, marked := xMarked(in)
		if got != want || marked != (in != want) {
			t.Errorf("xMarked(%q) = %q, %v; want %q", in, got, marked, want)
		}
	}
}
