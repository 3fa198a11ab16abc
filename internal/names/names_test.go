package names

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"unicode"
)

func TestFold(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"  Łódź–Centrum ", "lodz centrum"},
		{"O’Brien", "o brien"},
		{"Co-operation", "co operation"},
		{"Zoë  Öztürk", "zoe ozturk"},
		{"Straße", "strasse"},
		{"STRAẞE", "strasse"},
		{"Ærø", "aero"},
		{"Đoković", "dokovic"},
		{"Işıl İnan", "isil inan"},
		{"Nguyễn Tấn Dũng", "nguyen tan dung"},
		{"Guðmundsson", "gudmundsson"},
		{"d`Estaing, V. G.", "d estaing v g"},
		{"Natalʼya Natalʹya", "natal ya natal ya"},
		{"U.S.", "u s"},
		{"G-7\u00a0summit", "g 7 summit"},
		{"Сергей Рябков", "сергей рябков"},
		{"ПЁТР", "петр"},
		{"Σωκράτης", "σωκρατησ"},
		{"习近平", "习近平"},
		{"e\u0301tude", "etude"},             // decomposed accent
		{"Co\u00adoperation", "cooperation"}, // soft hyphen is a hint, not a break
		{"\t--\n", ""},
		{"", ""},
	} {
		if got := Fold(tc.in); got != tc.want {
			t.Errorf("Fold(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

// A mistyped table entry, such as a decomposed letter, would map a combining
// mark or an upper-case letter that Fold never looks up.
func TestFoldTable(t *testing.T) {
	for r, to := range foldTable {
		if r < 0x80 || !unicode.IsLetter(r) || unicode.ToLower(r) != r {
			t.Errorf("foldTable has %q (%U), not a non-ASCII lower-case letter", r, r)
		}
		if Fold(to) != to || to == "" {
			t.Errorf("foldTable[%q] = %q, which is not folded", r, to)
		}
	}
}

func TestCovers(t *testing.T) {
	for _, tc := range []struct {
		name, spelling string
		want           bool
	}{
		{"Sergei Ryabkov", "Ryabkov", true},
		{"Sergei Ryabkov", "sergei  ryabkov", true},
		{"Sergei Ryabkov", "Ryabkov, Sergei", true},
		{"Sergei Ryabkov", "RYABKOV", true},
		{"Sergei Alexeyevich Ryabkov", "Ryabkov", true},
		{"Sergei Alexeyevich Ryabkov", "Sergei Ryabkov", true},
		{"Organization for Security and Co-operation in Europe", "co-operation in europe", true},
		{"Lech Wałęsa", "Lech Walesa", true},
		{"Sergei Ryabkov", "Rybkov", false},
		{"Sergei Ryabkov", "Sergey Ryabkov", false},
		{"Sergei Ryabkov", "Ryab", false}, // whole words only
		{"Sergei Ryabkov", "Ryabkov Ryabkov", false},
		{"Ryabkov Ryabkov", "Ryabkov", true},
		{"Sergei Ryabkov", "Sergei Ryabkov Jr.", false},
		{"Sergei Ryabkov", "", false},
		{"Sergei Ryabkov", " ,. ", false},
		{"", "", false},
		{"", "Ryabkov", false},
	} {
		if got := Covers(tc.name, tc.spelling); got != tc.want {
			t.Errorf("Covers(%q, %q) = %v, want %v", tc.name, tc.spelling, got, tc.want)
		}
	}
}

func TestSkeleton(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"Sergei Lavrov", "sergei lavrov"},
		{"Volodymyr Zelenskyy", "volodimir zelenski"},
		{"Alexander", "aleksandr"},
		{"Yevgeny Prigozhin", "evgeni prigozhin"},
		{"Andreyev", "andrev"},
		{"Co-operation", "coperation"},
		{"Khrushchev", "hrushchev"},
		{"Tchaikovsky", "chaikovski"},
		{"Wassili", "vasili"},
		{"Joseph", "iosef"},
		{"Natal'ya", "natalia"},
		{"Юлия Тимошенко", "iulia timoshenko"},
		{"Ukraine’s", "ukraines"},
		{"Moscow–Kyiv", "moscov kiv"},
		{"习近平", "习近平"},
		{"Ъ", ""},
		{"", ""},
	} {
		if got := Skeleton(tc.in); got != tc.want {
			t.Errorf("Skeleton(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestSkeletonMerges(t *testing.T) {
	for _, group := range [][]string{
		{"Sergei Lavrov", "Sergey Lavrov", "Sergej Lavrov", "Сергей Лавров"},
		{"Yury Ushakov", "Yuri Ushakov", "Iurii Ushakov", "Yuriy Ushakov", "Юрий Ушаков"},
		{"Volodymyr Zelensky", "Volodymyr Zelenskyy", "Volodymyr Zelenskiy", "Володимир Зеленський"},
		{"Aleksandr Grushko", "Alexander Grushko", "Alexandr Grushko", "Александр Грушко"},
		{"Maria Zakharova", "Mariya Zakharova", "Мария Захарова"},
		{"Organization for Security and Co-operation in Europe", "Organization for Security and Cooperation in Europe"},
		{"Tchaikovsky", "Chaikovsky"},
		{"Khrushchev", "Hrushchev"},
		{"Vasily", "Vasiliy", "Wassili", "Vasilii"},
		{"Dmitry", "Dmitriy", "Dmitri", "Dmitrij"},
		{"Alexei", "Aleksey", "Alexey", "Aleksei", "Alexej"},
		{"Yevgeny", "Evgeny", "Evgeniy", "Jewgeni", "Евгений"},
		{"Yelena", "Elena", "Jelena"},
		{"Andreyev", "Andreev"},
		{"Dostoyevsky", "Dostoevsky", "Dostoievsky"},
		{"Sergei Alexeyevich Ryabkov", "Sergei Alekseevich Ryabkov"},
		{"Daria", "Darya", "Dar'ya", "Dariya"},
		{"Yanukovych", "Yanukovich", "Ianukovych", "Yanukovitch"},
		{"Kasyanov", "Kassyanov"},
		{"Gennady", "Genady", "Gennadiy"},
	} {
		want := Skeleton(group[0])
		for _, s := range group[1:] {
			if got := Skeleton(s); got != want {
				t.Errorf("Skeleton(%q) = %q, but Skeleton(%q) = %q", s, got, group[0], want)
			}
		}
	}
}

func TestSkeletonKeepsApart(t *testing.T) {
	for _, tc := range [][2]string{
		{"Russia", "Belarus"},
		{"NATO", "OSCE"},
		{"Joe Biden", "Jill Biden"},
		{"United States", "United Nations"},
		{"Putin", "Putina"},
		{"Ivanov", "Ivanova"},
		{"Sergei", "Sergio"},
		{"Maria", "Mario"},
		{"Maria", "Mara"},
		{"Julia", "Ula"},
		{"Yuri", "Yuli"},
		{"Iran", "Iraq"},
		{"Austria", "Australia"},
		{"Slovakia", "Slovenia"},
		{"Niger", "Nigeria"},
		{"Guinea", "Guyana"},
		{"Sudan", "South Sudan"},
		{"Korea", "North Korea"},
		{"Dmitry Medvedev", "Dmitry Peskov"},
		{"Dmitriev", "Dmitrieva"},
		{"Ryabkov Sergei", "Sergei Ryabkov"},
	} {
		if a, b := Skeleton(tc[0]), Skeleton(tc[1]); a == b {
			t.Errorf("Skeleton(%q) = Skeleton(%q) = %q", tc[0], tc[1], a)
		}
	}
}

func TestSkeletonIdempotent(t *testing.T) {
	r := rand.New(rand.NewPCG(7, 7))
	const alphabet = "aeiouyjxkhtcwpdnrs -'ЁеяйьхЯ"
	letters := []rune(alphabet)
	for range 20000 {
		rs := make([]rune, r.IntN(12))
		for i := range rs {
			rs[i] = letters[r.IntN(len(letters))]
		}
		s := Skeleton(string(rs))
		if again := Skeleton(s); again != s {
			t.Fatalf("Skeleton(%q) = %q, but Skeleton(%q) = %q", string(rs), s, s, again)
		}
	}
}

// index builds an Index of the skeletons of each owner's names, adding
// owners in the given order and each owner's names in reverse when rev is
// set.
func index(names map[string][]string, order []string, rev bool) *Index {
	x := NewIndex()
	for _, owner := range order {
		ns := slices.Clone(names[owner])
		if rev {
			slices.Reverse(ns)
		}
		for _, n := range ns {
			x.Add(owner, Skeleton(n))
		}
	}
	return x
}

func TestGroupsPairs(t *testing.T) {
	names := map[string][]string{
		"ryabkov":   {"Sergei Ryabkov"},
		"rybkov":    {"Sergei Rybkov"},
		"ryabkov-2": {"Ryabkov"},
		"ryoabkov":  {"Ryoabkov"},
		"lavrov":    {"Sergei Lavrov"},
		"lavrov-2":  {"Sergey Lavrov"},
		"grushko":   {"Aleksandr Grushko"},
		"grushko-2": {"Alexander Grushko"},
		"russia":    {"Russia", "Russian Federation"},
		"belarus":   {"Belarus"},
		"nato":      {"NATO", "North Atlantic Treaty Organization"},
		"osce":      {"OSCE", "Organization for Security and Co-operation in Europe"},
		"us":        {"United States"},
		"un":        {"United Nations"},
		"joe":       {"Joe Biden"},
		"jill":      {"Jill Biden"},
		"putin":     {"Vladimir Putin", "Vladimir Putin", "Putin", "Владимир Путин"},
	}
	want := [][2]string{{"grushko", "grushko-2"}, {"lavrov", "lavrov-2"}, {"ryabkov", "rybkov"}, {"ryabkov-2", "ryoabkov"}}
	var order []string
	for k := range names {
		order = append(order, k)
	}
	slices.Sort(order)
	r := rand.New(rand.NewPCG(1, 1))
	for i := range 20 {
		r.Shuffle(len(order), func(a, b int) { order[a], order[b] = order[b], order[a] })
		got := pairsOf(index(names, order, i%2 == 1).Groups())
		if !slices.Equal(got, want) {
			t.Fatalf("order %v:\n got %v\nwant %v", order, got, want)
		}
	}
}

// pairsOf lists the pairs of owners in the groups, once each, sorted.
func pairsOf(groups [][]string) [][2]string {
	var out [][2]string
	for _, g := range groups {
		for i, a := range g {
			for _, b := range g[i+1:] {
				out = append(out, [2]string{min(a, b), max(a, b)})
			}
		}
	}
	slices.SortFunc(out, func(p, q [2]string) int { return cmp.Or(strings.Compare(p[0], q[0]), strings.Compare(p[1], q[1])) })
	return slices.Compact(out)
}

// TestGroupsCliques: keys that differ in one place are one group, and a
// set of owners is given once, however many keys it shares.
func TestGroupsCliques(t *testing.T) {
	x := NewIndex()
	x.Add("b", "zzzzzz")
	x.Add("b", "abcdex")
	x.Add("b", "sergei lavrov")
	x.Add("a", "zzzzzz")
	x.Add("a", "abcdef")
	x.Add("a", "sergei lavrof")
	x.Add("c", "abcdeg")
	x.Add("c", "abcdeh")
	x.Add("d", "abcd") // too short to be alike, but for being equal
	x.Add("e", "abcd")
	got := x.Groups()
	want := [][]string{{"a", "b"}, {"a", "b", "c"}, {"d", "e"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("got  %v\nwant %v", got, want)
	}
}

func TestGroupsShortKeys(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"nato", "nato", true},
		{"nato", "nata", false},
		{"nato", "natos", false}, // both keys must be long
		{"iran", "iraq", false},
		{"putin", "putina", true}, // accepted: a surname and its feminine form are worth a look
		{"putin", "putn", false},
		{"gambia", "zambia", true}, // accepted false positive
		{"путин", "путан", true},   // runes, not bytes
		{"abcde", "abdce", false},  // a transposition is two edits
		{"abcdef", "abcd", false},
		{"a", "a", true},
		{"", "", false}, // empty keys are ignored
	} {
		x := NewIndex()
		x.Add("a", tc.a)
		x.Add("b", tc.b)
		if got := len(x.Groups()) == 1; got != tc.want {
			t.Errorf("%q and %q grouped: %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestGroupsSameOwner(t *testing.T) {
	x := NewIndex()
	x.Add("putin", Skeleton("Vladimir Putin"))
	x.Add("putin", Skeleton("Vladimir Putin"))
	x.Add("putin", Skeleton("Vladimir Putn"))
	if got := x.Groups(); len(got) != 0 {
		t.Errorf("an owner grouped with itself: %v", got)
	}
	var zero Index
	if got := zero.Groups(); len(got) != 0 {
		t.Errorf("empty index: %v", got)
	}
}

// TestGroupsBruteForce compares the pairs in Groups with the definition
// applied to every pair of keys, on keys dense enough to share many
// variants; then again with a hash base of 1, under which every anagram
// collides, so that telling collisions apart is exercised; and with the
// variants sorted a few at a time, in many passes.
func TestGroupsBruteForce(t *testing.T) {
	defaultMax := maxVariants
	t.Cleanup(func() { fixedBase, maxVariants = 0, defaultMax })
	for _, tc := range []struct {
		base        uint64
		maxVariants int
	}{{0, defaultMax}, {1, defaultMax}, {0, 7}} {
		base := tc.base
		fixedBase, maxVariants = tc.base, tc.maxVariants
		letters := []rune("abcж")
		for seed := range uint64(20) {
			r := rand.New(rand.NewPCG(seed, 3))
			type entry struct{ owner, key string }
			var es []entry
			x := NewIndex()
			for range 300 {
				rs := make([]rune, 3+r.IntN(5))
				for i := range rs {
					rs[i] = letters[r.IntN(len(letters))]
				}
				e := entry{fmt.Sprint("o", r.IntN(60)), string(rs)}
				es = append(es, e)
				x.Add(e.owner, e.key)
			}
			var want [][2]string
			for _, e := range es {
				for _, f := range es {
					if e.owner >= f.owner {
						continue
					}
					d := levenshtein(e.key, f.key)
					if d > 1 || d == 1 && (len([]rune(e.key)) < minFuzzy || len([]rune(f.key)) < minFuzzy) {
						continue
					}
					want = append(want, [2]string{e.owner, f.owner})
				}
			}
			slices.SortFunc(want, func(p, q [2]string) int { return cmp.Or(strings.Compare(p[0], q[0]), strings.Compare(p[1], q[1])) })
			want = slices.Compact(want)
			groups := x.Groups()
			if got := pairsOf(groups); !slices.Equal(got, want) {
				t.Fatalf("base %d, seed %d: %d pairs, want %d", base, seed, len(got), len(want))
			}
			// Every two keys of different owners in a group are alike: no
			// group claims more than the pairs.
			seen := map[string]bool{}
			for _, g := range groups {
				k := strings.Join(g, ",")
				if seen[k] {
					t.Fatalf("base %d, seed %d: group %v given twice", base, seed, g)
				}
				seen[k] = true
			}
		}
	}
}

// TestGroupsLinear: what made pairs quadratic is one group, and long keys
// are compared in time linear in their length.
func TestGroupsLinear(t *testing.T) {
	x := NewIndex()
	for i := range 8000 {
		x.Add(fmt.Sprint("spokesman-", i), "the spokesman")
	}
	if got := x.Groups(); len(got) != 1 || len(got[0]) != 8000 {
		t.Errorf("8000 owners of one key: %d groups", len(got))
	}
	long := strings.Repeat("abcdefghij", 42_000)
	y := NewIndex()
	y.Add("a", long)
	y.Add("b", long[:200_000]+"x"+long[200_001:])
	y.Add("c", long[:100_000]+long[100_001:])
	if got := y.Groups(); len(got) != 2 || !slices.Equal(got[0], []string{"a", "b"}) || !slices.Equal(got[1], []string{"a", "c"}) {
		t.Errorf("420 KB keys one edit apart: groups %v", got)
	}
	// Deleting any rune of a run leaves one string: a key of one rune
	// repeated has as many variants as runes, all the same.
	z := NewIndex()
	z.Add("a", strings.Repeat("ж", 200_000))
	z.Add("b", strings.Repeat("ж", 200_001))
	z.Add("c", strings.Repeat("ж", 200_001))
	if got := z.Groups(); len(got) != 2 || !slices.Equal(got[0], []string{"a", "b", "c"}) || !slices.Equal(got[1], []string{"b", "c"}) {
		t.Errorf("keys of one rune repeated: groups %v", got)
	}
	// Runs of two: each of the key's 200,000 pairs of variants is compared
	// once, not read anew from the key's start (which took minutes).
	pairs := strings.Repeat("1122", 100_000)
	w := NewIndex()
	w.Add("a", pairs)
	w.Add("b", pairs[:300_000]+pairs[300_001:])
	if got := w.Groups(); len(got) != 1 || !slices.Equal(got[0], []string{"a", "b"}) {
		t.Errorf("keys of runs of two: groups %v", got)
	}
}

// TestGroupsInvalidUTF8: keys read as runes, a byte that is not UTF-8 as
// U+FFFD; two keys that differ only there are both whole in a group.
func TestGroupsInvalidUTF8(t *testing.T) {
	x := NewIndex()
	x.Add("a", "abcde\xff")
	x.Add("b", "abcde\xfe")
	x.Add("c", "abcde\xffz")
	if got := pairsOf(x.Groups()); !slices.Equal(got, [][2]string{{"a", "b"}, {"a", "c"}, {"b", "c"}}) {
		t.Errorf("pairs %v", got)
	}
}

func levenshtein(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := range ra {
		cur := make([]int, len(rb)+1)
		cur[0] = i + 1
		for j := range rb {
			cost := 1
			if ra[i] == rb[j] {
				cost = 0
			}
			cur[j+1] = min(prev[j+1]+1, cur[j]+1, prev[j]+cost)
		}
		prev = cur
	}
	return prev[len(rb)]
}

func FuzzSkeleton(f *testing.F) {
	for _, s := range []string{"Sergei Ryabkov", "Co-operation", "Volodymyr Zelenskyy", "Ёж", "O’Brien", "\u00ad", "a\u0301-b", "\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		folded := Fold(s)
		if Fold(folded) != folded || strings.Contains(folded, "  ") || strings.TrimSpace(folded) != folded {
			t.Errorf("Fold(%q) = %q, which is not folded", s, folded)
		}
		if Covers(s, s) != (folded != "") {
			t.Errorf("Covers(%q, itself) = %v", s, Covers(s, s))
		}
		sk := Skeleton(s)
		if Skeleton(sk) != sk {
			t.Errorf("Skeleton(%q) = %q, Skeleton of that = %q", s, sk, Skeleton(sk))
		}
	})
}

// names generates n actor names: a given name and a surname of three or four
// syllables, and for one in ten a copy of an earlier name with one letter
// changed, as a typo would.
func names(n int) []string {
	r := rand.New(rand.NewPCG(1, 2))
	given := strings.Fields("Sergei Sergey Yury Iurii Maria Mariya Aleksandr Alexander Dmitry Olga Anna Ivan Yevgeny Elena Natalia Pyotr Mikhail Andrei Vasily Tatiana Joe Jill Mohammed Ali Fatima Chen Wei Jean Pierre Marie Hans Klaus Lech Jan Piotr Kim Lee Park Omar Leila")
	syl := strings.Fields("ko va len ry ab ov in sky ma ri to pe tro ga lu shi ne da vi mir zel ush gor bach ev ich an dre yu lia ser gei kin nov rov lev sha tin bor is")
	out := make([]string, 0, n)
	for len(out) < n {
		if len(out) > 0 && r.IntN(10) == 0 {
			rs := []rune(out[r.IntN(len(out))])
			rs[r.IntN(len(rs))] = rune('a' + r.IntN(26))
			out = append(out, string(rs))
			continue
		}
		var b strings.Builder
		b.WriteString(given[r.IntN(len(given))])
		b.WriteByte(' ')
		for range 3 + r.IntN(2) {
			b.WriteString(syl[r.IntN(len(syl))])
		}
		out = append(out, b.String())
	}
	return out
}

// BenchmarkGroups reports Groups over n generated names, one owner each;
// the time per key should stay about the same as n grows.
func BenchmarkGroups(b *testing.B) {
	for _, n := range []int{10_000, 100_000} {
		b.Run(fmt.Sprint("names=", n), func(b *testing.B) {
			x := NewIndex()
			for i, name := range names(n) {
				x.Add(fmt.Sprint("actor-", i), Skeleton(name))
			}
			b.ReportAllocs()
			b.ResetTimer()
			var groups int
			for b.Loop() {
				groups = len(x.Groups())
			}
			b.ReportMetric(float64(groups), "groups")
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/name")
		})
	}
}

func BenchmarkSkeleton(b *testing.B) {
	ns := names(1000)
	b.ReportAllocs()
	for b.Loop() {
		for _, n := range ns {
			Skeleton(n)
		}
	}
}

func TestSortHalves(t *testing.T) {
	for _, n := range []int{0, 1, 7, 1 << 16, 1<<16 + 3, 200_001} {
		v := make([]uint64, n)
		x := uint64(n) + 1
		for i := range v {
			x ^= x << 13
			x ^= x >> 7
			x ^= x << 17
			v[i] = x % 1000 // duplicates included
		}
		want := slices.Clone(v)
		slices.Sort(want)
		if sortHalves(v); !slices.Equal(v, want) {
			t.Errorf("n=%d: not sorted", n)
		}
	}
}
