package convert

import (
	"bytes"
	"math/rand/v2"
	"testing"
)

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

// TestXEscaper writes marked text in pieces of every size: the escapes
// come out the same wherever a write ends.
func TestXEscaper(t *testing.T) {
	marked, _ := xMarked("a\x07b\ufdd0\ufdd0c\x00\x01 ﬀ\uffff_x0041_\x1f")
	in := []byte("<t>" + marked + "</t>")
	want := "<t>a_x0007_b_xFDD0__xFDD0_c_x0000__x0001_ ﬀ_xFFFF__x0041__x001F_</t>"
	r := rand.New(rand.NewPCG(1, 2))
	for size := 1; size <= len(in)+1; size++ {
		for _, random := range []bool{false, true} {
			var out bytes.Buffer
			x := &xEscaper{w: &out}
			for rest := in; len(rest) > 0; {
				k := min(size, len(rest))
				if random {
					k = 1 + r.IntN(k)
				}
				chunk := bytes.Clone(rest[:k])
				if n, err := x.Write(chunk); n != k || err != nil {
					t.Fatalf("Write = %d, %v", n, err)
				}
				if !bytes.Equal(chunk, rest[:k]) {
					t.Fatal("Write changed its argument")
				}
				rest = rest[k:]
			}
			if err := x.flush(); err != nil {
				t.Fatal(err)
			}
			if out.String() != want {
				t.Fatalf("pieces of %d (random %v):\n got %s\nwant %s", size, random, out.String(), want)
			}
		}
	}
}
