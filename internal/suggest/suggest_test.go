package suggest

import "testing"

func TestNearest(t *testing.T) {
	for _, tc := range []struct {
		s    string
		cand []string
		want string
	}{
		{"occured", []string{"scheduled", "occurred", "cancelled"}, "occurred"},
		{"evnt", []string{"actor", "source", "event", "statement"}, "event"},
		{"Event", []string{"actor", "event"}, "event"},
		{"event", []string{"actor", "event"}, ""}, // an exact match is no typo
		{"banana", []string{"actor", "event"}, ""},
		{"partisipants", []string{"participants", "parent"}, "participants"},
		{"", []string{"a"}, ""},
		{"b", []string{"a"}, ""},
		{"UA", []string{"UGA", "USA"}, ""},
		{"pol", []string{"POL", "PRT"}, "POL"},
	} {
		if got := Nearest(tc.s, tc.cand); got != tc.want {
			t.Errorf("Nearest(%q) = %q, want %q", tc.s, got, tc.want)
		}
	}
}

func TestDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{{"", "", 0}, {"ryabkov", "rybkov", 1}, {"ryabkov", "ryoabkov", 1}, {"sergei", "sergey", 1}, {"ü", "u", 1}, {"abc", "", 3}} {
		if got := Distance(tc.a, tc.b); got != tc.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
}
