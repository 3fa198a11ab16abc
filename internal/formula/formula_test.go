package formula

import (
	"fmt"
	"strings"
	"testing"
)

// guardCases are values and how GuardFormula writes them.
var guardCases = []struct{ in, want string }{
	{"", ""},
	{"plain text", "plain text"},
	{"=SUM(A1)", "'=SUM(A1)"},
	{"+7 495 000 00 00", "'+7 495 000 00 00"},
	{"-33.9", "'-33.9"},
	{"@channel", "'@channel"},
	{"\tindented", "'\tindented"},
	{"\rreturn", "'\rreturn"},
	{"'", "''"},
	{"''", "'''"},
	{"'=1", "''=1"},
	{"'tis the season", "''tis the season"},
	{"=", "'="},
	{" =1", " =1"},     // the rule looks at the first character only
	{"\n=1", "\n=1"},   // a line feed is not a trigger
	{"＝1", "＝1"},       // nor is a full-width equals sign
	{"x=1", "x=1"},     // nor a trigger further in
	{"é", "é"},         // multi-byte first character
	{"\xff=", "\xff="}, // invalid UTF-8 passes through
	{"don't", "don't"}, // an apostrophe further in
	{"=HYPERLINK(\"http://example.org\",\"x\")", "'=HYPERLINK(\"http://example.org\",\"x\")"},
}

func TestGuard(t *testing.T) {
	for _, c := range guardCases {
		if got := Guard(c.in); got != c.want {
			t.Errorf("Guard(%q) = %q, want %q", c.in, got, c.want)
		}
		if got := Unguard(c.want); got != c.in {
			t.Errorf("Unguard(%q) = %q, want %q", c.want, got, c.in)
		}
	}
	// Text the guard did not write is left alone.
	for _, s := range []string{"'", "'x", "x'", "'é"} {
		if got := Unguard(s); got != s {
			t.Errorf("Unguard(%q) = %q, want it unchanged", s, got)
		}
	}
}

// FuzzGuard holds Guard and Unguard to their promises: Unguard undoes
// Guard, a guarded value never starts with a trigger, and Guard adds one
// apostrophe at most.
func FuzzGuard(f *testing.F) {
	for _, c := range guardCases {
		f.Add(c.in)
	}
	f.Fuzz(func(t *testing.T, s string) {
		g := Guard(s)
		if got := Unguard(g); got != s {
			t.Fatalf("Unguard(Guard(%q)) = %q", s, got)
		}
		if g != "" && strings.IndexByte(Triggers, g[0]) >= 0 {
			t.Fatalf("Guard(%q) = %q starts with a formula trigger", s, g)
		}
		if g != s && g != "'"+s {
			t.Fatalf("Guard(%q) = %q: more than one leading '", s, g)
		}
	})
}

func ExampleGuard() {
	for _, s := range []string{"=SUM(A1)", "'=SUM(A1)", "-33.9", "plain"} {
		g := Guard(s)
		fmt.Printf("%-10s %-11s %s\n", s, g, Unguard(g))
	}
	// Output:
	// =SUM(A1)   '=SUM(A1)   =SUM(A1)
	// '=SUM(A1)  ''=SUM(A1)  '=SUM(A1)
	// -33.9      '-33.9      -33.9
	// plain      plain       plain
}
