package check

import (
	"hash/maphash"
	"strings"
	"sync"

	"github.com/annals-project/annals/internal/names"
)

// foldCache remembers spellings already folded: the same names are
// reported record after record, and folding one is the costliest step of
// examining the attestations. Each worker takes a cache from the pool for
// a record and gives it back after, so no two goroutines share one.
type foldCache struct {
	seed  maphash.Seed
	slots [foldSlots]foldedSpelling
}

// foldedSpelling is a spelling, folded (see names.Fold) and split into
// words. The words are shared by every record that reports the spelling,
// and never changed.
type foldedSpelling struct {
	spelling, key string
	words         names.Words
}

const foldSlots = 1024 // a power of two

var foldCaches = sync.Pool{New: func() any { return &foldCache{seed: maphash.MakeSeed()} }}

// fold returns the folded form of spelling and its words, from the cache
// when it has them; a slot keeps the last spelling that hashed to it.
func (fc *foldCache) fold(spelling string) (string, names.Words) {
	e := &fc.slots[maphash.String(fc.seed, spelling)&(foldSlots-1)]
	if e.words == nil || e.spelling != spelling {
		key := names.Fold(spelling)
		*e = foldedSpelling{spelling: spelling, key: key, words: strings.Fields(key)}
		if e.words == nil {
			e.words = names.Words{} // folded to nothing, but known
		}
	}
	return e.key, e.words
}
