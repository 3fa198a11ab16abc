package edtf_test

import (
	"regexp"
	"testing"

	"github.com/annals-project/annals/internal/edtf"
)

var pattern = regexp.MustCompile(edtf.Pattern)

// patternSeeds are dates of every form Parse accepts, and some it refuses.
var patternSeeds = []string{
	"2021", "2021-12", "2021-12-27", "2021-12-27?", "2021-12~", "2021%", "2021-21", "2021-24?",
	"201X", "20XX", "2004-XX", "1985-04-XX", "1985-XX-XX", "-1985", "-0001-02", "Y170000002", "Y-170000002",
	"2021-12-27T23:30:00", "2021-12-27T23:30:00Z", "2021-12-27T23:30:00-05", "2021-12-27T23:30:00+03:00",
	"2021-12-27/2021-12-28", "2021-12-27/..", "../2021", "/2021-12", "2021/", "2021?/2022~",
	"2021-02-31", "2021-13", "27/12/2021", "Dec 27 2021", "2021-12-27T23:30", "/", "../..", "2021-12-27T23:30:00?",
}

// Every date Parse accepts matches Pattern, so an editor using it never
// flags a valid date.
func TestPatternCoversParse(t *testing.T) {
	all := patternSeeds
	for _, c := range append(specCases, moreCases...) {
		all = append(all, c.in)
	}
	for _, c := range badCases {
		all = append(all, c.in)
	}
	for _, s := range all {
		if _, err := edtf.Parse(s); err == nil && !pattern.MatchString(s) {
			t.Errorf("Parse accepts %q, but Pattern does not match it", s)
		}
	}
}

// The spellings curators type by mistake do not match.
func TestPatternRefusesEverydaySpellings(t *testing.T) {
	for _, s := range []string{"27/12/2021", "12/27/2021", "27.12.2021", "2021/12/27", "Dec 27 2021",
		"27 December 2021", "December 2021", "2021-13-01", "2021-12-32", "21-12-27", "2021-1-5", "", "/", "../..",
		"2021-12-27 ", "2021-12-27T10:00", "201X-05"} {
		if pattern.MatchString(s) {
			t.Errorf("Pattern matches %q", s)
		}
	}
}

func FuzzPatternCoversParse(f *testing.F) {
	for _, s := range patternSeeds {
		f.Add(s)
	}
	for _, c := range append(specCases, moreCases...) {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if _, err := edtf.Parse(s); err == nil && !pattern.MatchString(s) {
			t.Fatalf("Parse accepts %q, but Pattern does not match it", s)
		}
	})
}
