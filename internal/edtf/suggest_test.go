package edtf_test

import (
	"slices"
	"testing"

	"github.com/annals-project/annals/internal/edtf"
)

func TestSuggest(t *testing.T) {
	for _, c := range []struct {
		in   string
		want []string
	}{
		{"27/12/2021", []string{"2021-12-27"}},
		{"12/27/2021", []string{"2021-12-27"}},
		{"05/12/2021", []string{"2021-12-05", "2021-05-12"}},
		{"5/5/2021", []string{"2021-05-05"}},
		{"27.12.2021", []string{"2021-12-27"}},
		{"27-12-2021", []string{"2021-12-27"}},
		{"2021/12/27", []string{"2021-12-27"}},
		{"2021.12.27", []string{"2021-12-27"}},
		{"2021/12", []string{"2021-12"}},
		{"12/2021", []string{"2021-12"}},
		{"Dec 27 2021", []string{"2021-12-27"}},
		{"Dec. 27, 2021", []string{"2021-12-27"}},
		{"December 27th, 2021", []string{"2021-12-27"}},
		{"27 December 2021", []string{"2021-12-27"}},
		{"27th of December 2021", []string{"2021-12-27"}},
		{"1 Sept 2021", []string{"2021-09-01"}},
		{"2021 Dec 27", []string{"2021-12-27"}},
		{"December 2021", []string{"2021-12"}},
		{"dec 2021", []string{"2021-12"}},
		{"2021 December", []string{"2021-12"}},
		// Not dates, or not ones we can be sure of.
		{"2021-12-27", nil}, // already EDTF
		{"31/02/2021", nil}, // no such day
		{"13/13/2021", nil}, // no such month either way
		{"27/12/21", nil},   // two-digit year
		{"Dec 27", nil},     // no year
		{"Decx 2021", nil},  // not a month, nor an abbreviation
		{"Mon 27 Dec 2021", nil},
		{"2021-12-27?x", nil},
		{"", nil},
		{"last month", nil},
		{"1/2/3/2021", nil},
		{"2021/22", nil}, // 2021 to 2022, not summer 2021
		{"2020/21", nil},
		{"2021.22", nil},
		{"21/2021", nil},
		{"the 5th 2022", nil},
		{"13/2021", nil},
	} {
		if got := edtf.Suggest(c.in); !slices.Equal(got, c.want) {
			t.Errorf("Suggest(%q) = %q, want %q", c.in, got, c.want)
		}
	}
}

// Every suggestion is a valid date, whatever the input.
func FuzzSuggest(f *testing.F) {
	for _, s := range []string{"27/12/2021", "Dec 27 2021", "2021/12", "31.02.2021"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		for _, d := range edtf.Suggest(s) {
			if _, err := edtf.Parse(d); err != nil {
				t.Fatalf("Suggest(%q) gave %q, which does not parse: %v", s, d, err)
			}
		}
	})
}
