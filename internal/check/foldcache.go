package check

import (
	"strings"
	"sync"

	"github.com/annals-project/annals/internal/names"
	"github.com/annals-project/annals/internal/store"
)

// foldedSpelling is a spelling folded (see names.Fold) and split into
// words. The words are shared by every record that reports the spelling,
// and never changed.
type foldedSpelling struct {
	key   string
	words names.Words
}

// foldCaches remember spellings already folded: the same names are
// reported record after record, and folding one is the costliest step of
// examining the attestations. Each worker takes a cache from the pool for
// a record and gives it back after, so no two goroutines share one.
var foldCaches = sync.Pool{New: func() any { return store.NewMemo[foldedSpelling]() }}

func foldSpelling(spelling string) foldedSpelling {
	key := names.Fold(spelling)
	words := names.Words(strings.Fields(key))
	if words == nil {
		words = names.Words{} // folded to nothing, but known
	}
	return foldedSpelling{key: key, words: words}
}
