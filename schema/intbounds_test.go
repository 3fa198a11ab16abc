package schema

import (
	"encoding/json"
	"math/big"
	"strconv"
	"testing"
)

// ratInBounds is the plain twin of the int64 path: big.Rat throughout.
func ratInBounds(n json.Number, minimum, maximum *big.Rat) (isInt, holds, ok bool) {
	r, ok := new(big.Rat).SetString(string(n))
	if !ok {
		return false, false, false
	}
	return r.IsInt(), (minimum == nil || r.Cmp(minimum) >= 0) && (maximum == nil || r.Cmp(maximum) <= 0), true
}

// checkIntBounds holds the acceptor's answers for n between the bounds to
// big.Rat's.
func checkIntBounds(t *testing.T, n, lo, hi string) {
	t.Helper()
	var minimum, maximum *big.Rat
	if lo != "" {
		minimum, _ = new(big.Rat).SetString(lo)
	}
	if hi != "" {
		maximum, _ = new(big.Rat).SetString(hi)
	}
	if lo != "" && minimum == nil || hi != "" && maximum == nil {
		return
	}
	a := &acceptor{types: typeInteger, minimum: minimum, maximum: maximum}
	a.bounds = newIntBounds(minimum, maximum)
	isInt, holds, ok := ratInBounds(json.Number(n), minimum, maximum)
	if !ok {
		if _, small := smallInt(json.Number(n)); small {
			t.Errorf("smallInt(%q) reads a number big.Rat does not", n)
		}
		return
	}
	if got := a.hasType(json.Number(n)); got != isInt {
		t.Errorf("hasType(%q) as integer = %v, big.Rat says %v", n, got, isInt)
	}
	if got := a.acceptsNumber(json.Number(n)); got != holds {
		t.Errorf("acceptsNumber(%q) between %q and %q = %v, big.Rat says %v", n, lo, hi, got, holds)
	}
}

func TestIntBoundsAgree(t *testing.T) {
	numbers := []string{"0", "-0", "1", "-1", "5", "6", "007", "1.0", "1.5", "-1.5", "1e2", "1E2", "100", "101",
		"999999999999999999", "-999999999999999999", "1000000000000000000", "9223372036854775807",
		"9223372036854775808", "-9223372036854775808", "-9223372036854775809", "18446744073709551616",
		"123456789012345678901234567890", "0.0000001", "-", "", "1-", "--1", "+1", " 1"}
	bounds := []string{"", "0", "1", "5", "-5", "1.5", "100", "1e2", "999999999999999999", "9223372036854775807",
		"9223372036854775808", "-9223372036854775808", "-9223372036854775809"}
	for i := -20; i <= 20; i++ {
		numbers = append(numbers, strconv.Itoa(i))
	}
	for _, n := range numbers {
		for _, lo := range bounds {
			for _, hi := range bounds {
				checkIntBounds(t, n, lo, hi)
			}
		}
	}
}

func FuzzIntBoundsAgree(f *testing.F) {
	f.Add("5", "1", "5")
	f.Add("-9223372036854775808", "-9223372036854775809", "")
	f.Add("999999999999999999", "", "1e18")
	f.Fuzz(func(t *testing.T, n, lo, hi string) {
		checkIntBounds(t, n, lo, hi)
	})
}
