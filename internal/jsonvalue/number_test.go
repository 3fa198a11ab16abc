package jsonvalue

import (
	"encoding/json"
	"math/big"
	"regexp"
	"testing"
)

func TestCanonicalNumber(t *testing.T) {
	for in, want := range map[string]string{
		"0": "0", "-0": "0", "0.0": "0", "-0.0e5": "0", "0e-999": "0",
		"1": "1", "-1": "-1", "1.50": "1.5", "1E2": "100", "1e+2": "100", "100e-2": "1",
		"19.4560": "19.456", "-33.90": "-33.9", "0.5": "0.5", "5e-1": "0.5",
		"0.000001": "0.000001", "1e-6": "0.000001", "1e-7": "1e-7", "1.5e-7": "1.5e-7", "-12e-8": "-1.2e-7",
		"1e20": "100000000000000000000", "1e21": "1e+21", "123e19": "1.23e+21", "1e400": "1e+400",
		"12345678901234567890":      "12345678901234567890",
		"0.1000000000000000000001":  "0.1000000000000000000001",
		"12.345678901234567890":     "12.34567890123456789",
		"89.999999999999":           "89.999999999999",
		"0.30000000000000004":       "0.30000000000000004",
		"1e99999999999999999999999": "1e99999999999999999999999", // beyond the exponents read: as it is
	} {
		if got := CanonicalNumber(in); got != want {
			t.Errorf("CanonicalNumber(%s) = %s, want %s", in, got, want)
		}
		if got := CanonicalNumber(want); got != want {
			t.Errorf("CanonicalNumber(%s) = %s: not a fixed point", want, got)
		}
	}
}

func TestEqual(t *testing.T) {
	a := map[string]any{"n": json.Number("1.50"), "l": []any{json.Number("1E2"), "x", true, nil}}
	b := map[string]any{"n": json.Number("1.5"), "l": []any{json.Number("100"), "x", true, nil}}
	if !Equal(a, b) {
		t.Error("numbers of the same value differ")
	}
	// Past the exponents SameNumber reads (|e| > 2^40), numbers are the
	// same only as the same text: exact arithmetic on them would take
	// more memory than any machine has.
	huge := json.Number("1e1099511627777")
	if !Equal(huge, huge) || Equal(huge, json.Number("10e1099511627776")) || SameNumber("1e1099511627777", "1e1099511627777") {
		t.Error("numbers past the exponent bound: equal only as the same text")
	}
	if !SameNumber("1e1099511627775", "10e1099511627774") {
		t.Error("numbers within the exponent bound compare by value")
	}
	for _, c := range []any{
		map[string]any{"n": json.Number("1.51"), "l": b["l"]},
		map[string]any{"n": "1.5", "l": b["l"]},
		map[string]any{"n": b["n"], "l": []any{json.Number("100"), "x", true}},
		map[string]any{"n": b["n"]},
		[]any{b},
	} {
		if Equal(a, c) {
			t.Errorf("%#v and %#v are the same", a, c)
		}
	}
}

// ratEqual is the plain twin of Equal for numbers: their values as exact
// fractions, compared.
func ratEqual(a, b string) (equal, ok bool) {
	ra, ok1 := new(big.Rat).SetString(a)
	rb, ok2 := new(big.Rat).SetString(b)
	return ok1 && ok2 && ra.Cmp(rb) == 0, ok1 && ok2
}

// FuzzSameNumber holds SameNumber, and CanonicalNumber, to exact
// arithmetic, for numbers whose exponents big.Rat reads quickly.
func FuzzSameNumber(f *testing.F) {
	for _, s := range [][2]string{{"1.50", "1.5"}, {"-0", "0"}, {"1e2", "100"}, {"0.1", "1e-1"}, {"12e-8", "1.2e-7"}, {"1", "2"}, {"-1", "1"}} {
		f.Add(s[0], s[1])
	}
	number := regexp.MustCompile(`^-?(0|[1-9][0-9]{0,40})(\.[0-9]{1,40})?([eE][-+]?[0-9]{1,3})?$`)
	f.Fuzz(func(t *testing.T, a, b string) {
		if !number.MatchString(a) || !number.MatchString(b) {
			return
		}
		want, ok := ratEqual(a, b)
		if !ok {
			t.Fatalf("big.Rat cannot read %q or %q", a, b)
		}
		if got := SameNumber(a, b); got != want {
			t.Fatalf("SameNumber(%s, %s) = %v, exact arithmetic says %v", a, b, got, want)
		}
		if same, _ := ratEqual(a, CanonicalNumber(a)); !same {
			t.Fatalf("CanonicalNumber(%s) = %s, another value", a, CanonicalNumber(a))
		}
	})
}
