package english

import "testing"

func TestWords(t *testing.T) {
	for noun, want := range map[string]string{"actor": "actors", "match": "matches", "entry": "entries", "day": "days",
		"box": "boxes", "bus": "buses", "wish": "wishes", "manifest": "manifests", "y": "ys"} {
		if got := Plural(noun); got != want {
			t.Errorf("Plural(%q) = %q, want %q", noun, got, want)
		}
	}
	for _, tc := range []struct {
		n          int
		noun, want string
	}{{0, "error", "0 errors"}, {1, "error", "1 error"}, {2, "entry", "2 entries"}, {1000, "record", "1000 records"}} {
		if got := Count(tc.n, tc.noun); got != tc.want {
			t.Errorf("Count(%d, %q) = %q, want %q", tc.n, tc.noun, got, tc.want)
		}
	}
	for noun, want := range map[string]string{"actor": "an", "event": "an", "source": "a", "": "a", "statement": "a"} {
		if got := Article(noun); got != want {
			t.Errorf("Article(%q) = %q, want %q", noun, got, want)
		}
	}
}

func TestThousands(t *testing.T) {
	for n, want := range map[int64]string{0: "0", 999: "999", 1000: "1,000", 32767: "32,767", 1234567: "1,234,567",
		-1: "-1", -123456: "-123,456", -1234567: "-1,234,567"} {
		if got := Thousands(n); got != want {
			t.Errorf("Thousands(%d) = %q, want %q", n, got, want)
		}
	}
}
