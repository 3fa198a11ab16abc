package edtf

import (
	"strconv"
	"strings"
)

// Suggest reads s as the everyday spellings of a date that people type
// where EDTF is wanted, and returns the EDTF dates it could mean: one
// ("27/12/2021" is 2021-12-27), two where the order of day and month is
// ambiguous ("05/12/2021" is 2021-12-05 or 2021-05-12, the day-first
// reading first), or none where s is no such spelling. It knows days,
// months and years separated by "/", "." or "-" (day first, month first
// or year first), English month names and their three-letter abbreviations
// ("Dec 27 2021", "December 27th, 2021", "27 Dec. 2021", "December 2021"),
// and year and month separated by "/" or "." ("2021/12"). Two-digit years
// are not read: the century is a guess. Every date returned is valid:
// "31/02/2021" gives none.
func Suggest(s string) []string {
	s = strings.TrimSpace(s)
	if _, err := Parse(s); err == nil || s == "" || len(s) > 40 {
		return nil
	}
	var out []string
	for _, c := range candidates(tokens(s)) {
		if _, err := Parse(c); err == nil && !contains(out, c) {
			out = append(out, c)
		}
	}
	return out
}

// token is a run of digits or of letters; separators are dropped, but
// whether digits were split by "/", "." or "-" is kept, since words and
// spaces change how the numbers read.
type token struct {
	text   string
	number bool
}

func tokens(s string) []token {
	var out []token
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case isDigit(c):
			j := i
			for j < len(s) && isDigit(s[j]) {
				j++
			}
			out = append(out, token{s[i:j], true})
			i = j
		case isLetter(c):
			j := i
			for j < len(s) && isLetter(s[j]) {
				j++
			}
			out = append(out, token{strings.ToLower(s[i:j]), false})
			i = j
		case c == ' ' || c == ',' || c == '.' || c == '/' || c == '-':
			i++
		default:
			return nil // any other character: not a date we can read
		}
	}
	return out
}

func candidates(tt []token) []string {
	// Drop the ordinal endings of "27th", "1st", "2nd", "3rd".
	var words, numbers []string
	var shape []byte // n for a number, m for a month name
	ordinal := false // a number was written as a day is: 5th
	for i := 0; i < len(tt); i++ {
		t := tt[i]
		if t.number {
			numbers = append(numbers, t.text)
			shape = append(shape, 'n')
			if i+1 < len(tt) && isOrdinal(tt[i+1].text) {
				ordinal = true
				i++
			}
			continue
		}
		if t.text == "of" || t.text == "the" {
			continue
		}
		m := monthNumber(t.text)
		if m == 0 {
			return nil
		}
		words = append(words, strconv.Itoa(m))
		shape = append(shape, 'm')
	}
	switch string(shape) {
	case "nnn":
		a, b, c := numbers[0], numbers[1], numbers[2]
		if len(a) == 4 { // 2021/12/27
			return []string{ymd(a, b, c)}
		}
		if len(c) != 4 || len(a) > 2 || len(b) > 2 {
			return nil
		}
		// 27/12/2021 is day first; 12/27/2021 month first; 05/12/2021 either.
		return []string{ymd(c, b, a), ymd(c, a, b)}
	case "nn":
		// 2021/12 and 12/2021, but not 2021/22 (2021 to 2022, where EDTF
		// 2021-22 would be summer 2021), nor "the 5th 2022".
		if ordinal {
			return nil
		}
		if len(numbers[0]) == 4 && len(numbers[1]) <= 2 && isMonth(numbers[1]) {
			return []string{ym(numbers[0], numbers[1])}
		}
		if len(numbers[1]) == 4 && len(numbers[0]) <= 2 && isMonth(numbers[0]) {
			return []string{ym(numbers[1], numbers[0])}
		}
	case "mnn": // Dec 27 2021, December 27th, 2021
		if len(numbers[1]) == 4 && len(numbers[0]) <= 2 {
			return []string{ymd(numbers[1], words[0], numbers[0])}
		}
	case "nmn": // 27 December 2021, 2021 Dec 27
		if len(numbers[1]) == 4 && len(numbers[0]) <= 2 {
			return []string{ymd(numbers[1], words[0], numbers[0])}
		}
		if len(numbers[0]) == 4 && len(numbers[1]) <= 2 {
			return []string{ymd(numbers[0], words[0], numbers[1])}
		}
	case "mn", "nm": // December 2021, 2021 December
		var y string
		if len(numbers[0]) == 4 {
			y = numbers[0]
		}
		if y != "" {
			return []string{ym(y, words[0])}
		}
	}
	return nil
}

func ymd(y, m, d string) string { return y + "-" + pad(m) + "-" + pad(d) }
func ym(y, m string) string     { return y + "-" + pad(m) }

func pad(s string) string {
	if len(s) == 1 {
		return "0" + s
	}
	return s
}

var months = []string{"january", "february", "march", "april", "may", "june",
	"july", "august", "september", "october", "november", "december"}

// monthNumber reads an English month name or its abbreviation ("sept"
// too); 0 means none.
func monthNumber(w string) int {
	for i, m := range months {
		if w == m || (len(w) >= 3 && strings.HasPrefix(m, w)) {
			return i + 1
		}
	}
	return 0
}

// isMonth reports whether the digits s are a month, 1 to 12.
func isMonth(s string) bool {
	n, err := strconv.Atoi(s)
	return err == nil && n >= 1 && n <= 12
}

func isOrdinal(w string) bool { return w == "st" || w == "nd" || w == "rd" || w == "th" }
func isLetter(c byte) bool    { return 'a' <= c|0x20 && c|0x20 <= 'z' }

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
