package jsonvalue

import (
	"encoding/json"
	"strconv"
	"strings"
)

// CanonicalNumber returns the canonical spelling of the JSON number s: the
// shortest decimal of the same value, in the notation ECMAScript gives
// numbers (and RFC 8785 canonical JSON): plain from 10⁻⁶ up to 10²¹, an
// exponent outside, such as 1e+21 and 1.5e-7. Unlike ECMAScript it keeps
// every digit, so a number a float64 cannot hold is not rounded. Zero is
// 0, negative zero included; 1.50 is 1.5 and 1E2 is 100.
//
// The canonical writers spell every number so, which is what makes a
// round trip through a workbook, whose cells hold numbers and not their
// spelling, give the records back byte for byte.
func CanonicalNumber(s string) string {
	neg, digits, n, ok := decimalParts(s)
	if !ok {
		return s // not a JSON number: the readers do not produce one
	}
	if digits == "" {
		return "0"
	}
	var b strings.Builder
	if neg {
		b.WriteByte('-')
	}
	k := len(digits)
	switch {
	case k <= n && n <= 21:
		b.WriteString(digits)
		b.WriteString(strings.Repeat("0", n-k))
	case 0 < n && n <= 21:
		b.WriteString(digits[:n])
		b.WriteByte('.')
		b.WriteString(digits[n:])
	case -6 < n && n <= 0:
		b.WriteString("0.")
		b.WriteString(strings.Repeat("0", -n))
		b.WriteString(digits)
	default:
		b.WriteByte(digits[0])
		if k > 1 {
			b.WriteByte('.')
			b.WriteString(digits[1:])
		}
		b.WriteByte('e')
		if n-1 >= 0 {
			b.WriteByte('+')
		}
		b.WriteString(strconv.Itoa(n - 1))
	}
	return b.String()
}

// decimalParts writes a JSON number as ±0.DIGITS × 10^exp with no
// leading or trailing zero digits; zero is +0.× 10^0 with no digits.
func decimalParts(s string) (neg bool, digits string, exp int, ok bool) {
	s, neg = strings.CutPrefix(s, "-")
	mant, e, hasExp := strings.Cut(strings.ToLower(s), "e")
	if hasExp {
		var err error
		if exp, err = strconv.Atoi(e); err != nil || exp > maxExponent || exp < -maxExponent {
			return false, "", 0, false
		}
	}
	whole, frac, _ := strings.Cut(mant, ".")
	digits = whole + frac
	if digits == "" || strings.Trim(digits, "0123456789") != "" {
		return false, "", 0, false
	}
	exp += len(whole)
	for strings.HasPrefix(digits, "0") {
		digits, exp = digits[1:], exp-1
	}
	digits = strings.TrimRight(digits, "0")
	if digits == "" {
		return false, "", 0, true
	}
	return neg, digits, exp, true
}

// SameNumber compares two decimal numbers by value, without big-number
// arithmetic (an exponent like 1e-99999999 would make that expensive).
func SameNumber(a, b string) bool {
	an, ad, ae, aok := decimalParts(a)
	bn, bd, be, bok := decimalParts(b)
	return aok && bok && an == bn && ad == bd && ae == be
}

// Equal reports whether two decoded JSON values are equal, numbers
// compared by value: what JSON Schema's const and enum, and annals'
// round trips, call the same.
func Equal(a, b any) bool {
	switch x := a.(type) {
	case map[string]any:
		y, ok := b.(map[string]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for k, xv := range x {
			yv, ok := y[k]
			if !ok || !Equal(xv, yv) {
				return false
			}
		}
		return true
	case []any:
		y, ok := b.([]any)
		if !ok || len(x) != len(y) {
			return false
		}
		for i := range x {
			if !Equal(x[i], y[i]) {
				return false
			}
		}
		return true
	case json.Number:
		y, ok := b.(json.Number)
		return ok && (x == y || SameNumber(string(x), string(y)))
	default:
		return a == b
	}
}

// maxExponent bounds the exponents decimalParts reads, far beyond any
// float64 and far from overflowing an int.
const maxExponent = 1 << 40
