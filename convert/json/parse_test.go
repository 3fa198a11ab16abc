package json

import "testing"

// FuzzNextSpecial holds the word-at-a-time scan of strings to a byte loop.
func FuzzNextSpecial(f *testing.F) {
	f.Add([]byte(`plain ascii text, then a "quote"`), 0)
	f.Add([]byte("caf\xc3\xa9 \\n tab\there\x00\x7f\xff"), 3)
	f.Add([]byte(`\\\\\\\\\\"`), 1)
	f.Fuzz(func(t *testing.T, d []byte, i int) {
		if i < 0 || i > len(d) {
			return
		}
		for _, nonASCII := range []bool{false, true} {
			want := i
			for want < len(d) {
				c := d[want]
				if c == '"' || c == '\\' || c < 0x20 || nonASCII && c >= 0x80 {
					break
				}
				want++
			}
			if got := nextSpecial(d, i, nonASCII); got != want {
				t.Fatalf("nextSpecial(%q, %d, %v) = %d, want %d", d, i, nonASCII, got, want)
			}
		}
	})
}
