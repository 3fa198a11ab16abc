// Package suggest finds the likely intended word behind a typo, for the
// "did you mean" part of messages.
package suggest

import "strings"

// Nearest returns the candidate closest to s (case-insensitively, by edit
// distance) when it is close enough to be a likely typo, or "". Words of up
// to 4 characters allow one edit, longer ones two, those over 10 three, and
// never as many as half the word.
func Nearest(s string, candidates []string) string {
	best, bestD := "", 1<<30
	ls := strings.ToLower(s)
	for _, c := range candidates {
		if d := Distance(ls, strings.ToLower(c)); d < bestD || (d == bestD && c < best) {
			best, bestD = c, d
		}
	}
	n := len([]rune(s))
	limit := 2
	if n <= 4 {
		limit = 1
	} else if n > 10 {
		limit = 3
	}
	// A word must keep more than half of itself: "b" is no typo of "a".
	limit = min(limit, (n-1)/2)
	if s != "" && best != s && bestD <= limit {
		return best
	}
	return ""
}

// Distance is the Levenshtein distance between a and b, in characters.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}
