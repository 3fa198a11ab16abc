package quote

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func FuzzFind(f *testing.F) {
	for _, seed := range []struct {
		article, quote string
		i, j           uint16
	}{
		{"The council voted on Tuesday to extend the ferry line.", "voted on Tuesday", 4, 30},
		{"The mayor said: “We won’t cut the night ferry.”", `"We won't cut the ferry"`, 10, 40},
		{"The ferry will\r\nleave  at\tnoon\u00a0sharp.", "ferry will […] noon", 0, 100},
		{"the 2019–2021 budget — was approved", "The 2019-2021 budget - was", 1, 2},
		{"We waited… and (…) waited", "We waited ... waited", 3, 17},
		{"a\u00ad\u200b b \xff\xe2\x80 c", "\xff", 0, 9},
		{"", "", 0, 0},
		{"«»", `"`, 0, 1},
		// Found by fuzzing: ". A" matches from the last full stop of the
		// "..." that "…" became, so the match covers the whole "…".
		{"000000000… A00000. A000", "0", 44, 17},
	} {
		f.Add(seed.article, seed.quote, seed.i, seed.j)
	}
	f.Fuzz(func(t *testing.T, article, q string, i, j uint16) {
		tx := mustPrepare(article)
		m := tx.Find(q)
		checkMatch(t, article, q, m)
		agree(t, tx, q, false)

		// Any passage of the article is found, unless it holds an elision.
		var bounds []int // rune boundaries
		for k := range article {
			bounds = append(bounds, k)
		}
		bounds = append(bounds, len(article))
		a, b := bounds[int(i)%len(bounds)], bounds[int(j)%len(bounds)]
		if a > b {
			a, b = b, a
		}
		sub := strings.TrimSpace(article[a:b])
		ns, _ := normalize(sub, false)
		if ns == "" || strings.Contains(strings.ReplaceAll(ns, " ", ""), "...") {
			return
		}
		m = tx.Find(sub)
		checkMatch(t, article, sub, m)
		agree(t, tx, sub, false)
		if !m.Found {
			t.Fatalf("Find(%q), a passage of %q, not found", sub, article)
		}
		got, _ := normalize(article[m.Start:m.End], false)
		if !coversQuote(got, ns) {
			t.Fatalf("Find(%q) covers %q", sub, article[m.Start:m.End])
		}
	})
}

func checkMatch(t *testing.T, article, q string, m Match) {
	t.Helper()
	if m.Start < 0 || m.Start > m.End || m.End > len(article) {
		t.Fatalf("Find(%q) = %+v: range out of %d bytes", q, m, len(article))
	}
	if m.Passage != article[m.Start:m.End] {
		t.Fatalf("Find(%q).Passage = %q, but article[Start:End] = %q", q, m.Passage, article[m.Start:m.End])
	}
	if !(m.Similarity >= 0 && m.Similarity <= 1) {
		t.Fatalf("Find(%q).Similarity = %v", q, m.Similarity)
	}
	if m.Found && (m.Similarity != 1 || m.Part != -1) {
		t.Fatalf("Find(%q) = %+v: found, but Similarity or Part is off", q, m)
	}
	if m.Part < -1 {
		t.Fatalf("Find(%q).Part = %d", q, m.Part)
	}
	if m.Passage != strings.TrimSpace(m.Passage) {
		t.Fatalf("Find(%q).Passage = %q has white space around it", q, m.Passage)
	}
}

// coversQuote reports whether got, the normalised text a match covers, is
// the normalised quote q. A match that starts or ends inside the "..." that
// an "…" became covers the whole "…", so got may have up to two more full
// stops at either end.
func coversQuote(got, q string) bool {
	for a := 0; a <= 2 && a <= len(got); a++ {
		for b := 0; b <= 2 && a+b <= len(got); b++ {
			if strings.Count(got[:a], ".") == a && strings.Count(got[len(got)-b:], ".") == b && equalButFirstLetter(got[a:len(got)-b], q) {
				return true
			}
		}
	}
	return false
}

// equalButFirstLetter reports whether a and b are equal except perhaps for
// the case of their first letter.
func equalButFirstLetter(a, b string) bool {
	i, ra := firstLetter(a)
	k, rb := firstLetter(b)
	if i < 0 || k < 0 {
		return a == b
	}
	return i == k && a[:i] == b[:k] && sameLetter(rb, ra) && a[i+utf8.RuneLen(ra):] == b[k+utf8.RuneLen(rb):]
}
