package quote

import (
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// The articles here are invented, about a ferry line and a city council.

func TestFindFound(t *testing.T) {
	for _, tc := range []struct {
		name, article, quote string
		want                 string // article[Start:End]
	}{
		{"exact",
			"The council voted on Tuesday to extend the ferry line to Harbour Point.",
			"voted on Tuesday to extend the ferry line",
			"voted on Tuesday to extend the ferry line"},
		{"whole article",
			"The ferry sails at noon.", "The ferry sails at noon.", "The ferry sails at noon."},
		{"curly in article, straight in quote",
			"The mayor said: “We won’t cut the night ferry.” Then she left.",
			`"We won't cut the night ferry."`,
			"“We won’t cut the night ferry.”"},
		{"straight in article, curly in quote",
			`The mayor said: "We won't cut the night ferry." Then she left.`,
			"“We won’t cut the night ferry.”",
			`"We won't cut the night ferry."`},
		{"low and guillemet double quotes",
			"Er sagte: „Die Fähre fährt“ und «pünktlich».",
			`"Die Fähre fährt" und "pünktlich"`,
			"„Die Fähre fährt“ und «pünktlich»"},
		{"apostrophe variants",
			"the harbour master’s report and the captain`s log and the crewʼs rota",
			"harbour master's report and the captain´s log and the crew's rota",
			"harbour master’s report and the captain`s log and the crewʼs rota"},
		{"line break, tab and double spaces",
			"The ferry will\r\nleave  at\tnoon\non Sundays.",
			"ferry will leave at noon on Sundays",
			"ferry will\r\nleave  at\tnoon\non Sundays"},
		{"white space in the quote",
			"The ferry will leave at noon.",
			"  ferry\twill \r\n leave at noon ",
			"ferry will leave at noon"},
		{"no-break space in article",
			"Boarding closes at 7\u00a0p.m. sharp.",
			"at 7 p.m. sharp",
			"at 7\u00a0p.m. sharp"},
		{"no-break and thin spaces in quote",
			"Boarding closes at 7 p.m. sharp, with 1 000 seats.",
			"at 7\u00a0p.m. sharp, with 1\u202f000\u2009seats",
			"at 7 p.m. sharp, with 1 000 seats"},
		{"dash variants in article",
			"the 2019–2021 budget — and the ferry‑line levy ― was approved",
			"the 2019-2021 budget - and the ferry-line levy - was approved",
			"the 2019–2021 budget — and the ferry‑line levy ― was approved"},
		{"dash variants in quote",
			"a rise of -2 degrees in the cold-water dock",
			"a rise of −2 degrees in the cold‒water dock",
			"a rise of -2 degrees in the cold-water dock"},
		{"first letter upper in quote",
			"The councillor said the talks will resume in May.",
			"The talks will resume in May.",
			"the talks will resume in May."},
		{"first letter lower in quote",
			"The talks will resume in May, the councillor said.",
			"the talks will resume in May",
			"The talks will resume in May"},
		{"first letter after a quotation mark",
			"He wrote that “the pier is unsafe” in his report.",
			"“The pier is unsafe”",
			"“the pier is unsafe”"},
		{"first letter non-ASCII",
			"Sie sprach über den neuen Fährplan.",
			"Über den neuen Fährplan",
			"über den neuen Fährplan"},
		{"first letter of each part",
			"Ferries run hourly. On Sundays tickets cost two euros.",
			"ferries run hourly [...] Tickets cost two euros",
			"Ferries run hourly. On Sundays tickets cost two euros"},
		{"soft hyphen and zero-width characters in article",
			"the ferry opera\u00adtor and the har\u200bbour\ufeff master",
			"the ferry operator and the harbour master",
			"the ferry opera\u00adtor and the har\u200bbour\ufeff master"},
		{"zero-width characters in quote",
			"the ferry operator and the harbour master",
			"\u200bthe ferry opera\u200dtor and the harbour\u00ad master\u2060",
			"the ferry operator and the harbour master"},
		{"elision [...]",
			"The council met on Monday. After a long debate it approved the new ferry timetable.",
			"The council met [...] it approved the new ferry timetable",
			"The council met on Monday. After a long debate it approved the new ferry timetable"},
		{"elision […]",
			"The council met on Monday. After a long debate it approved the new ferry timetable.",
			"The council met […] it approved the new ferry timetable",
			"The council met on Monday. After a long debate it approved the new ferry timetable"},
		{"elision [ … ]",
			"The council met on Monday. After a long debate it approved the new ferry timetable.",
			"The council met [ … ] it approved",
			"The council met on Monday. After a long debate it approved"},
		{"elision ...",
			"The council met on Monday. After a long debate it approved the new ferry timetable.",
			"The council met... it approved the new",
			"The council met on Monday. After a long debate it approved the new"},
		{"elision …",
			"The council met on Monday. After a long debate it approved the new ferry timetable.",
			"The council met…it approved",
			"The council met on Monday. After a long debate it approved"},
		{"elision . . .",
			"The council met on Monday. After a long debate it approved the new ferry timetable.",
			"The council met on Monday. . . . it approved",
			"The council met on Monday. After a long debate it approved"},
		{"three parts",
			"The ferry left late. Fog covered the bay. The captain waited. Then the ferry sailed.",
			"The ferry left late … the captain waited … Then the ferry sailed.",
			"The ferry left late. Fog covered the bay. The captain waited. Then the ferry sailed."},
		{"leading and trailing elisions",
			"The ferry left late. Fog covered the bay.",
			"[...] fog covered the bay …",
			"Fog covered the bay"},
		{"parts adjacent in article",
			"The ferry left late.",
			"The ferry [...] left late.",
			"The ferry left late."},
		{"ellipsis in article as elision in quote",
			"We waited… and waited for the ferry.",
			"We waited... and waited",
			"We waited… and waited"},
		{"(...) is text",
			"The plan (…) was approved by the council.",
			"The plan (...) was approved",
			"The plan (…) was approved"},
		{"outer quotes not in article",
			"She said we will not close the pier this winter.",
			"“We will not close the pier this winter.”",
			"we will not close the pier this winter."},
		{"outer straight quotes with elision not in article",
			"She said we will not close the pier this winter.",
			`"We will not [...] this winter"`,
			"we will not close the pier this winter"},
		{"outer single quotes",
			"She said we will not close the pier.",
			"‘we will not close the pier’",
			"we will not close the pier"},
		{"leftmost occurrence",
			"the ferry and the ferry",
			"the ferry",
			"the ferry"},
		{"parts placed leftmost and in order",
			"a ferry, a bridge, a ferry, a bridge",
			"a bridge [...] a bridge",
			"a bridge, a ferry, a bridge"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mustPrepare(tc.article).Find(tc.quote)
			if !m.Found {
				t.Fatalf("Find(%q) not found; closest %q (%.2f), part %d", tc.quote, m.Passage, m.Similarity, m.Part)
			}
			if got := tc.article[m.Start:m.End]; got != tc.want {
				t.Errorf("Find(%q) covers %q, want %q", tc.quote, got, tc.want)
			}
			if m.Passage != tc.article[m.Start:m.End] || m.Similarity != 1 || m.Part != -1 {
				t.Errorf("Find(%q) = %+v, want Passage = article[Start:End], Similarity 1, Part -1", tc.quote, m)
			}
		})
	}
}

func TestFindNotFound(t *testing.T) {
	const council = "The council met on Monday. After a long debate it approved the new ferry timetable. " +
		"The first boat will leave the harbour at six in the morning. Residents welcomed the decision."
	for _, tc := range []struct {
		name, article, quote string
		part                 int
		passage              string // "" to skip the check
		minSim               float64
	}{
		{"changed word", council,
			"The first boat will leave the harbour at seven in the morning.", -1,
			"The first boat will leave the harbour at six in the morning.", 0.8},
		{"changed word, first letter case",
			council, "the first boat will leave the port at six in the morning", -1,
			"The first boat will leave the harbour at six in the morning", 0.8},
		{"missing word", council,
			"it approved the ferry timetable", -1,
			"it approved the new ferry timetable", 0.8},
		{"case of a second letter", council, "tHe council met on Monday", -1,
			"The council met on Monday", 0.9},
		{"case of a later letter", council, "the Council met on Monday", -1,
			"The council met on Monday", 0.9},
		{"out of order", council,
			"Residents welcomed the decision [...] the council met on Monday", 1,
			"", 0},
		{"first part missing", council,
			"The mayor met on Monday [...] it approved the new ferry timetable", 0,
			"", 0},
		{"middle part missing", council,
			"The council met … it rejected … Residents welcomed the decision", 1,
			"", 0},
		{"last part changed", council,
			"The council met … it approved … Residents regretted the decision", 2,
			"", 0},
		{"one part after a leading elision", council,
			"… the ferry sank", -1,
			"", 0},
		{"(...) is not an elision", council,
			"The council met (...) on Monday", -1,
			"The council met on Monday", 0.7},
		{"quote longer than article", "The ferry left.",
			"The ferry left the harbour at six in the morning.", -1,
			"The ferry left.", 0.2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mustPrepare(tc.article).Find(tc.quote)
			if m.Found {
				t.Fatalf("Find(%q) found %q", tc.quote, tc.article[m.Start:m.End])
			}
			if m.Part != tc.part {
				t.Errorf("Find(%q).Part = %d, want %d", tc.quote, m.Part, tc.part)
			}
			if m.Passage != tc.article[m.Start:m.End] {
				t.Errorf("Passage %q is not article[%d:%d] = %q", m.Passage, m.Start, m.End, tc.article[m.Start:m.End])
			}
			if m.Similarity < 0 || m.Similarity >= 1 {
				t.Errorf("Similarity = %v, want in [0, 1)", m.Similarity)
			}
			if tc.passage != "" && m.Passage != tc.passage {
				t.Errorf("Passage = %q, want %q", m.Passage, tc.passage)
			}
			if m.Similarity < tc.minSim {
				t.Errorf("Similarity = %v (passage %q), want at least %v", m.Similarity, m.Passage, tc.minSim)
			}
		})
	}
}

// TestFindCovers checks that Start and End point at the original bytes,
// even with multi-byte characters, white-space runs and ignored characters
// around the parts.
func TestFindCovers(t *testing.T) {
	article := "Intro. «The  ferry\u00ad line» – said the mayor –\r\n will “close” at noon… Outro."
	for _, tc := range []struct {
		quote, first, last string
	}{
		{`"The ferry line" - said`, "«The", "said"},
		{"the ferry […] will \"close\"", "The", "“close”"},
		{"“The ferry […] will \"close\"", "«The", "“close”"},
		{"ferry line [...] mayor - will", "ferry", "will"},
		{"close\" at noon", "close", "noon"},
		{"close\" at noon.", "close", "noon…"}, // the first "." of the "..." that "…" is
	} {
		m := mustPrepare(article).Find(tc.quote)
		if !m.Found {
			t.Errorf("Find(%q) not found", tc.quote)
			continue
		}
		got := article[m.Start:m.End]
		if !strings.HasPrefix(got, tc.first) || !strings.HasSuffix(got, tc.last) {
			t.Errorf("Find(%q) covers %q, want it from %q to %q", tc.quote, got, tc.first, tc.last)
		}
	}
}

func TestFindEmpty(t *testing.T) {
	for _, tc := range []struct{ article, quote string }{
		{"", ""},
		{"", "the ferry"},
		{"", "the ferry [...] the pier"},
		{"The ferry left.", ""},
		{"The ferry left.", " \t\r\n\u00a0"},
		{"The ferry left.", "\u200b\u00ad"},
		{"The ferry left.", "[...]"},
		{"The ferry left.", "… […] ..."},
		{"The ferry left.", `""`},
		{" \n\t", "ferry"},
	} {
		m := mustPrepare(tc.article).Find(tc.quote)
		if m.Found || m.Similarity != 0 || m.Passage != "" || m.Start != 0 || m.End != 0 {
			t.Errorf("mustPrepare(%q).Find(%q) = %+v, want nothing", tc.article, tc.quote, m)
		}
		wantPart := -1
		if tc.quote == "the ferry [...] the pier" {
			wantPart = 0
		}
		if m.Part != wantPart {
			t.Errorf("mustPrepare(%q).Find(%q).Part = %d, want %d", tc.article, tc.quote, m.Part, wantPart)
		}
	}
}

func TestFindInvalidUTF8(t *testing.T) {
	article := "The ferry\xff left \xe2\x80 at noon\xc3. Fares \xf0\x9f\x9a rose."
	tx := mustPrepare(article)
	for _, tc := range []struct {
		quote string
		found bool
	}{
		{"ferry\xff left", true},
		{"ferry\ufffd left", true}, // invalid bytes read as U+FFFD
		{"ferry\xfe left", true},
		{"left \xe2\x80 at noon", true},
		{"noon\xc3. Fares", true},
		{"Fares \xf0\x9f\x9a rose", true},
		{"ferry left", false},
		{"\xff\xfe\xfd\xfc", false},
		{"\xf0\x9f\x9a", true},
		{"\x80", true},
	} {
		m := tx.Find(tc.quote)
		if m.Found != tc.found {
			t.Errorf("Find(%q).Found = %v, want %v", tc.quote, m.Found, tc.found)
		}
		if m.Start < 0 || m.Start > m.End || m.End > len(article) || m.Passage != article[m.Start:m.End] {
			t.Errorf("Find(%q) = %+v: bad range", tc.quote, m)
		}
	}
}

// TestClosestLongArticle exercises the trigram windows, which only long
// articles use.
func TestClosestLongArticle(t *testing.T) {
	article := syntheticArticle(1, 200_000)
	mid := len(article) / 2
	planted := "The harbour commission said the replacement ferry would be delivered in the spring of next year."
	article = article[:mid] + " " + planted + " " + article[mid:]
	tx := mustPrepare(article)
	if (len(tx.norm)+1)*(len(planted)+1) <= exactBudget {
		t.Fatal("article too short to use the trigram windows")
	}
	for _, tc := range []struct {
		quote  string
		minSim float64
	}{
		{"The harbour commission said the replacement ferry would be delivered in the autumn of next year.", 0.9},
		{"the harbour commission said that the new ferry would be delivered in the spring of next year", 0.8},
		// An elided quote is compared with its parts joined, so what the
		// elision leaves out counts against it.
		{"The harbour commission said the replacement ferry [...] in the autumn of next year.", 0.6},
	} {
		m := tx.Find(tc.quote)
		if m.Found {
			t.Fatalf("Find(%q) found", tc.quote)
		}
		if !strings.Contains(planted, m.Passage) || len(m.Passage) < len(planted)/2 {
			t.Errorf("Find(%q).Passage = %q, want most of %q", tc.quote, m.Passage, planted)
		}
		if m.Similarity < tc.minSim || m.Similarity >= 1 {
			t.Errorf("Find(%q).Similarity = %v, want at least %v", tc.quote, m.Similarity, tc.minSim)
		}
	}
	if m := tx.Find(planted); !m.Found || m.Passage != planted {
		t.Errorf("Find(planted) = %+v", m)
	}
}

// TestClosestPaths checks that the trigram windows find the same passage as
// a full alignment where the quote is a near-copy of one sentence.
func TestClosestPaths(t *testing.T) {
	r := rand.New(rand.NewPCG(2, 3))
	for range 20 {
		article := syntheticArticle(r.Uint64(), 20_000)
		tx := mustPrepare(article)
		sentences := strings.SplitAfter(article, ". ")
		s := strings.TrimSpace(sentences[r.IntN(len(sentences)-1)])
		if len(s) < 40 {
			continue
		}
		i := r.IntN(len(s) - 20)
		q := s[:i] + "ZQ" + s[i+2:]
		parts := []string{q}
		qr := []rune(q)
		fold := make([]bool, len(qr))
		fold[0] = true
		_, _, dFull := tx.alignIn(0, len(tx.norm), qr, fold)
		best := -1
		for _, w := range tx.index().windows(q, candidates) {
			lo, hi := tx.runeBounds(max(0, w-len(q)/2), min(len(tx.norm), w+len(q)+len(q)/2))
			if _, _, d := tx.alignIn(lo, hi, qr, fold); best < 0 || d < best {
				best = d
			}
		}
		if best != dFull {
			t.Errorf("quote %q: windows give distance %d, full alignment %d", q, best, dFull)
		}
		var m Match
		tx.closest(parts, &m, tx.index())
		if m.Similarity < 0.9 {
			t.Errorf("quote %q: closest %q (%.2f)", q, m.Passage, m.Similarity)
		}
	}
}

func TestSplitElisions(t *testing.T) {
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"a [...] b", []string{"a", "b"}},
		{"a[...]b", []string{"a", "b"}},
		{"a [ ... ] b", []string{"a", "b"}},
		{"a ... b", []string{"a", "b"}},
		{"a... b", []string{"a", "b"}},
		{"a.... b", []string{"a", "b"}},
		{"a. . . b", []string{"a", "b"}},
		{"a. . . . b", []string{"a", "b"}},
		{"a.. b", []string{"a.. b"}},
		{"a. . b", []string{"a. . b"}},
		{"a (...) b", []string{"a (...) b"}},
		{"a ( ... ) b", []string{"a ( ... ) b"}},
		{"a (... b", []string{"a (", "b"}},
		{"a [.. b", []string{"a [.. b"}},
		{"[...] a [...]", []string{"a"}},
		{"...", nil},
		{"", nil},
		{"a [...] [...] b", []string{"a", "b"}},
		{"a [... b", []string{"a [", "b"}},
	} {
		got := splitElisions(tc.q)
		if strings.Join(got, "|") != strings.Join(tc.want, "|") || len(got) != len(tc.want) {
			t.Errorf("splitElisions(%q) = %q, want %q", tc.q, got, tc.want)
		}
	}
}

func TestNormalize(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{" a \t\r\n b ", "a b"},
		{"a\u00a0\u2009\u202f\u3000b", "a b"},
		{"a \u200b b", "a b"},
		{"a\u00adb", "ab"},
		{"‘’‚‛′`´ʼ‹›'", "'''''''''''"},
		{"“”„‟″«»\"", `""""""""`},
		{"-‐‑‒–—―−", "--------"},
		{"a…b", "a...b"},
		{"\xff", "\ufffd"},
		{"Ab", "Ab"},
	} {
		got, start := normalize(tc.in, true)
		if got != tc.want {
			t.Errorf("normalize(%q) = %q, want %q", tc.in, got, tc.want)
		}
		if len(start) != len(got) {
			t.Fatalf("normalize(%q): %d offsets for %d bytes", tc.in, len(start), len(got))
		}
		for i := range start {
			if start[i] < 0 || start[i] >= len(tc.in) || (i > 0 && start[i] < start[i-1]) {
				t.Errorf("normalize(%q): byte %d from %d", tc.in, i, start[i])
			}
		}
	}
}

// syntheticArticle returns about size bytes of invented sentences about a
// ferry line and a city council.
func syntheticArticle(seed uint64, size int) string {
	r := rand.New(rand.NewPCG(seed, 0x5eed))
	subjects := []string{"The council", "The ferry operator", "A spokeswoman for the harbour", "Residents of the old town",
		"The mayor", "The transport committee", "Local traders", "The captain", "A group of commuters", "The port authority"}
	verbs := []string{"said", "argued", "announced", "warned", "confirmed", "denied", "suggested", "insisted", "noted", "claimed"}
	objects := []string{"the new timetable", "the evening crossing", "the fare increase", "the repairs to the pier",
		"the winter schedule", "the second vessel", "the budget for the quay", "the delays on Monday",
		"the plan for an electric ferry", "the parking near the terminal", "the vote on Thursday", "the tender for the bridge"}
	tails := []string{"would cost more than expected", "had been postponed again", "was good news for the island",
		"needed further study", "would start in the spring", "had divided the council", "was not yet funded",
		"would be discussed next week", "could reduce the queues", "had surprised many passengers"}
	var b strings.Builder
	for b.Len() < size {
		b.WriteString(subjects[r.IntN(len(subjects))])
		b.WriteByte(' ')
		b.WriteString(verbs[r.IntN(len(verbs))])
		b.WriteString(" that ")
		b.WriteString(objects[r.IntN(len(objects))])
		b.WriteByte(' ')
		b.WriteString(tails[r.IntN(len(tails))])
		if r.IntN(8) == 0 {
			b.WriteString(".\n\n")
		} else {
			b.WriteString(". ")
		}
	}
	return b.String()
}

func BenchmarkPrepare(b *testing.B) {
	article := syntheticArticle(1, 200_000)
	b.SetBytes(int64(len(article)))
	for b.Loop() {
		mustPrepare(article)
	}
}

func BenchmarkFindFound(b *testing.B) {
	article := syntheticArticle(1, 200_000)
	sentences := strings.SplitAfter(article, ". ")
	q := strings.TrimSpace(sentences[len(sentences)*3/4])
	tx := mustPrepare(article)
	if !tx.Find(q).Found {
		b.Fatalf("%q not found", q)
	}
	b.SetBytes(int64(len(article)))
	for b.Loop() {
		tx.Find(q)
	}
}

func BenchmarkFindMissing(b *testing.B) {
	article := syntheticArticle(1, 200_000)
	sentences := strings.SplitAfter(article, ". ")
	s := strings.TrimSpace(sentences[len(sentences)*3/4])
	q := strings.Replace(s, " that ", " then ", 1)
	tx := mustPrepare(article)
	if m := tx.Find(q); m.Found || m.Similarity < 0.9 || utf8.RuneCountInString(q) < 50 {
		b.Fatalf("Find(%q) = %+v", q, m)
	}
	b.SetBytes(int64(len(article)))
	for b.Loop() {
		tx.Find(q)
	}
}

// TestFindRandomPassages checks, on random text rich in what normalisation
// changes, that passages of an article are found, whole or elided.
func TestFindRandomPassages(t *testing.T) {
	alphabet := []string{"a", "b", "A", "B", "é", "É", "ǅ", "ǆ", "ı", "I", "i", " ", " ", "\u00a0", "\r\n", "\u2009",
		"'", "’", "`", "\"", "“", "«", "-", "–", "−", "\u00ad", "\u200b", "…", ".", ".", "[", "]", "(", ")", "\xff", "\xe2\x80"}
	r := rand.New(rand.NewPCG(7, 11))
	for range 5000 {
		var b strings.Builder
		for range 1 + r.IntN(60) {
			b.WriteString(alphabet[r.IntN(len(alphabet))])
		}
		article := b.String()
		tx := mustPrepare(article)
		var bounds []int
		for k := range article {
			bounds = append(bounds, k)
		}
		bounds = append(bounds, len(article))

		// Up to three pieces in order, joined by elisions.
		cuts := make([]int, 2*(1+r.IntN(3)))
		for k := range cuts {
			cuts[k] = bounds[r.IntN(len(bounds))]
		}
		slices.Sort(cuts)
		var pieces []string
		for k := 0; k < len(cuts); k += 2 {
			p := strings.TrimSpace(article[cuts[k]:cuts[k+1]])
			n, _ := normalize(p, false)
			if n == "" {
				continue
			}
			if strings.Contains(strings.ReplaceAll(n, " ", ""), "...") || strings.ContainsAny(n, "[]()") {
				pieces = nil
				break
			}
			pieces = append(pieces, p)
		}
		if len(pieces) == 0 {
			continue
		}
		q := strings.Join(pieces, " [...] ")
		m := tx.Find(q)
		if !m.Found {
			t.Fatalf("mustPrepare(%q).Find(%q) not found: %+v", article, q, m)
		}
		got := article[m.Start:m.End]
		first, _ := normalize(pieces[0], false)
		last, _ := normalize(pieces[len(pieces)-1], false)
		ng, _ := normalize(got, false)
		// The first letter of each piece may differ in case, and a match
		// may start or end inside the "..." that an "…" became.
		fb, fa := cutFirstLetter(first)
		_, la := cutFirstLetter(last)
		if !strings.Contains(ng, fb) || !strings.Contains(ng, fa) || !strings.Contains(ng, la) {
			t.Fatalf("mustPrepare(%q).Find(%q) covers %q", article, q, got)
		}
	}
}

// cutFirstLetter returns s up to its first letter, and after it.
func cutFirstLetter(s string) (before, after string) {
	i, r := firstLetter(s)
	if i < 0 {
		return s, ""
	}
	return s[:i], s[i+utf8.RuneLen(r):]
}

// TestFindLongQuote checks that a quote too long to align, such as a whole
// article pasted by mistake, still gets a passage, quickly.
func TestFindLongQuote(t *testing.T) {
	long := syntheticArticle(3, 50_000)
	short := long[:1000]
	for _, tc := range []struct {
		name, article, quote string
		from, to             int // the passage expected, give or take a few words
	}{
		{"long passage with a changed word", long, strings.Replace(long[10_000:16_000], " the ", " a ", 1), 10_000, 16_000},
		{"longer than the article", long, long + " And then the ferry sank.", 0, len(long)},
		{"aligned, longer than the article", short, short + " And then the ferry sank.", 0, len(short)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			m := mustPrepare(tc.article).Find(tc.quote)
			if m.Found {
				t.Fatal("found")
			}
			if abs(m.Start-tc.from) > 100 || abs(m.End-tc.to) > 100 {
				t.Errorf("passage %d..%d, want about %d..%d", m.Start, m.End, tc.from, tc.to)
			}
			if m.Similarity < 0.9 || m.Similarity >= 1 {
				t.Errorf("Similarity = %v", m.Similarity)
			}
		})
	}
}

func abs(x int) int { return max(x, -x) }
