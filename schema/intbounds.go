package schema

import (
	"encoding/json"
	"math"
	"math/big"
)

// Numbers are compared exactly, as big.Rat does, but most numbers in
// records are small whole numbers written plainly ("3", "-12"), and most
// bounds are whole numbers too: those are compared as int64, without
// big.Rat's allocations. TestIntBoundsAgree and FuzzIntBoundsAgree hold
// the two ways to the same answers.

// maxSmallIntDigits is the most digits smallInt reads: any 18-digit
// number fits in an int64.
const maxSmallIntDigits = 18

// smallInt returns n as an int64 when it is written as a plain whole
// number ("-" and up to 18 digits, no fraction, no exponent), which is
// then exactly its value.
func smallInt(n json.Number) (int64, bool) {
	s := string(n)
	neg := len(s) > 0 && s[0] == '-'
	if neg {
		s = s[1:]
	}
	if len(s) == 0 || len(s) > maxSmallIntDigits {
		return 0, false
	}
	var v int64
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
}

// intBounds is a minimum and a maximum (either may be absent) as int64s,
// exact when both are whole numbers that fit.
type intBounds struct {
	exact    bool
	min, max int64 // math.MinInt64 and math.MaxInt64 when absent
}

func newIntBounds(minimum, maximum *big.Rat) intBounds {
	b := intBounds{exact: true, min: math.MinInt64, max: math.MaxInt64}
	for _, x := range []struct {
		r   *big.Rat
		out *int64
	}{{minimum, &b.min}, {maximum, &b.max}} {
		if x.r == nil {
			continue
		}
		if !x.r.IsInt() || !x.r.Num().IsInt64() {
			return intBounds{}
		}
		*x.out = x.r.Num().Int64()
	}
	return b
}

// holds reports whether min <= i <= max; only for exact bounds.
func (b intBounds) holds(i int64) bool { return b.min <= i && i <= b.max }
