package names

import (
	"fmt"
	"maps"
	"math/rand/v2"
	"slices"
	"testing"
)

// The differential test of Groups, written apart from it: random keys
// made to stress what Groups packs and shortcuts (runs of one rune, keys
// equal across owners and within one, keys one edit apart, collisions of
// the hash, many passes), against the definition applied to every pair,
// and every group given checked to be a clique of alike keys.

// revKeys is Keys, with each owner's centers (see computeCenters) once
// they are asked for.
type revKeys struct {
	keys    []string
	owners  []int
	centers map[int]map[string]bool
}

// computeCenters returns what owner o's keys can share with others': "="
// and a key (an equal key), a key of minFuzzy runes or more and "|w" (the
// key whole), and such a key with rune i deleted and "|i".
func computeCenters(k *revKeys, o int) map[string]bool {
	m := map[string]bool{}
	for j, s := range k.keys {
		if k.owners[j] != o || s == "" {
			continue
		}
		m["="+s] = true
		rs := []rune(s)
		if len(rs) < minFuzzy {
			continue
		}
		m[fmt.Sprint(s, "|w")] = true
		for i := range rs {
			m[fmt.Sprint(string(slices.Delete(slices.Clone(rs), i, i+1)), "|", i)] = true
		}
	}
	return m
}

func (k *revKeys) Len() int         { return len(k.keys) }
func (k *revKeys) Key(i int) string { return k.keys[i] }
func (k *revKeys) Owner(i int) int  { return k.owners[i] }

func revAlike(a, b string) bool {
	if a == "" || b == "" {
		return false
	}
	if a == b {
		return true
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) < minFuzzy || len(rb) < minFuzzy {
		return false
	}
	return levenshtein(a, b) == 1
}

// genKeys makes keys designed to stress runs, equal keys and near keys.
func genKeys(r *rand.Rand) *revKeys {
	alphabets := [][]rune{[]rune("a"), []rune("ab"), []rune("abж"), []rune("abcж"), []rune("aé")}
	alpha := alphabets[r.IntN(len(alphabets))]
	nOwners := 2 + r.IntN(30)
	nKeys := 1 + r.IntN(120)
	if r.IntN(8) == 0 {
		nKeys = 200 + r.IntN(200)
	}
	k := &revKeys{}
	randKey := func() string {
		n := r.IntN(13)
		if r.IntN(4) == 0 {
			n = 4 + r.IntN(9)
		}
		rs := make([]rune, n)
		switch r.IntN(5) {
		case 0: // one rune repeated
			for i := range rs {
				rs[i] = alpha[0]
			}
		case 1: // one run then others: aaaaab
			c := r.IntN(n + 1)
			for i := range rs {
				if i < c {
					rs[i] = alpha[0]
				} else {
					rs[i] = alpha[r.IntN(len(alpha))]
				}
			}
		case 2: // runs of two: aabb
			for i := range rs {
				rs[i] = alpha[(i/2)%len(alpha)]
			}
		case 3: // runs of random lengths
			i := 0
			for i < n {
				c := alpha[r.IntN(len(alpha))]
				l := 1 + r.IntN(4)
				for j := 0; j < l && i < n; j++ {
					rs[i] = c
					i++
				}
			}
		default:
			for i := range rs {
				rs[i] = alpha[r.IntN(len(alpha))]
			}
		}
		return string(rs)
	}
	edit := func(s string) string {
		rs := []rune(s)
		c := alpha[r.IntN(len(alpha))]
		switch op := r.IntN(3); {
		case op == 0 || len(rs) == 0:
			p := r.IntN(len(rs) + 1)
			rs = slices.Insert(rs, p, c)
		case op == 1:
			p := r.IntN(len(rs))
			rs = slices.Delete(rs, p, p+1)
		default:
			rs[r.IntN(len(rs))] = c
		}
		return string(rs)
	}
	for range nKeys {
		var s string
		owner := r.IntN(nOwners)
		if len(k.keys) > 0 && r.IntN(3) > 0 {
			j := r.IntN(len(k.keys))
			switch r.IntN(4) {
			case 0: // an equal key, another owner
				s = k.keys[j]
			case 1: // an equal key, same owner
				s, owner = k.keys[j], k.owners[j]
			default:
				s = edit(k.keys[j])
			}
		} else {
			s = randKey()
		}
		k.keys = append(k.keys, s)
		k.owners = append(k.owners, owner)
	}
	return k
}

func checkGroups(t *testing.T, k *revKeys, label string) {
	t.Helper()
	want := map[[2]int]bool{}
	for i := range k.keys {
		for j := range k.keys {
			if k.owners[i] < k.owners[j] && revAlike(k.keys[i], k.keys[j]) {
				want[[2]int{k.owners[i], k.owners[j]}] = true
			}
		}
	}
	got := map[[2]int]bool{}
	seen := map[string]bool{}
	Groups(k, func(owners []int) bool {
		if len(owners) < 2 || !slices.IsSorted(owners) || len(slices.Compact(slices.Clone(owners))) != len(owners) {
			t.Fatalf("%s: bad group %v", label, owners)
		}
		s := fmt.Sprint(owners)
		if seen[s] {
			t.Fatalf("%s: group %v given twice\nkeys %q\nowners %v", label, owners, k.keys, k.owners)
		}
		seen[s] = true
		// Clique: some choice of one key per owner alike pairwise. Check
		// the weaker pairwise condition and, by search, the clique.
		for a := range owners {
			for b := a + 1; b < len(owners); b++ {
				p := [2]int{owners[a], owners[b]}
				if !want[p] {
					t.Fatalf("%s: group %v claims %v, not alike\nkeys %q\nowners %v", label, owners, p, k.keys, k.owners)
				}
				got[p] = true
			}
		}
		if !hasClique(k, owners) {
			t.Fatalf("%s: group %v is no clique of alike keys\nkeys %q\nowners %v", label, owners, k.keys, k.owners)
		}
		return true
	})
	for p := range want {
		if !got[p] {
			t.Fatalf("%s: pair %v missing\nkeys %q\nowners %v", label, p, k.keys, k.owners)
		}
	}
}

// hasClique reports whether the owners share a center: one key equal for all, or a
// string v and position i such that each owner has a key of at least
// minFuzzy runes that is v with a rune inserted at i, or v itself.
func hasClique(k *revKeys, owners []int) bool {
	if k.centers == nil {
		k.centers = map[int]map[string]bool{}
	}
	centers := func(o int) map[string]bool {
		if m, ok := k.centers[o]; ok {
			return m
		}
		m := computeCenters(k, o)
		k.centers[o] = m
		return m
	}
	// A center all the owners share: an equal key, or a string with one
	// rune deleted at one place, or a key whole.
	common := maps.Clone(centers(owners[0]))
	for _, o := range owners[1:] {
		c := centers(o)
		for x := range maps.Clone(common) {
			if !c[x] {
				delete(common, x)
			}
		}
	}
	if len(common) > 0 {
		return true
	}
	// Or a string v and a place i: each owner has v itself, or v with a
	// rune inserted at i.
	vs := map[string]bool{}
	for j, s := range k.keys {
		if slices.Contains(owners, k.owners[j]) && len([]rune(s)) >= minFuzzy {
			vs[s] = true
		}
	}
	for v := range vs {
		n := len([]rune(v))
		for i := 0; i <= n; i++ {
			ok := true
			for _, o := range owners {
				c := centers(o)
				if !c[fmt.Sprint(v, "|w")] && !c[fmt.Sprint(v, "|", i)] {
					ok = false
					break
				}
			}
			if ok {
				return true
			}
		}
	}
	return false
}

// TestGroupsDifferential: see the top of this file.
func TestGroupsDifferential(t *testing.T) {
	defaultMax := maxVariants
	t.Cleanup(func() { fixedBase, maxVariants = 0, defaultMax })
	for _, base := range []uint64{0, 1, 2} {
		for _, mv := range []int{defaultMax, 1, 2, 3, 7, 40} {
			fixedBase, maxVariants = base, mv
			for seed := range uint64(60) {
				r := rand.New(rand.NewPCG(seed, base*1000+uint64(mv)))
				k := genKeys(r)
				checkGroups(t, k, fmt.Sprintf("base %d maxVariants %d seed %d", base, mv, seed))
			}
		}
	}
}
