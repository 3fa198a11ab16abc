package main

import (
	"os"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
)

// Memory. Go's collector lets the heap grow to twice what is live before
// it collects. For most inputs that is little, but checking a million
// records keeps an index of every id and actor (about 60 MB, none of it
// pointers the collector has to scan), and doubling it would make a
// command that needs 100 MB take 200. So annals caps the growth: after each collection it
// sets the runtime's memory limit to what is live plus heapHeadroom (or an
// eighth more, for heaps over 192 MiB, such as a million actors' names),
// so the heap grows by at most that much before the next collection. The pointer-free index costs each
// collection little, so collecting more often costs little. GOGC or
// GOMEMLIMIT in the environment turn this off, for whoever tunes it by hand.
const (
	heapHeadroom = 24 << 20
	minHeapLimit = 64 << 20
)

// boundHeap starts capping the heap's growth, unless the environment sets
// the collector's own knobs.
func boundHeap() {
	if os.Getenv("GOGC") != "" || os.Getenv("GOMEMLIMIT") != "" {
		return
	}
	debug.SetMemoryLimit(minHeapLimit)
	watchCollections()
}

// watchCollections calls adjustHeapLimit after every collection: a
// finalizer runs once the collector has found its object unreachable, and
// each run sets up the next.
func watchCollections() {
	runtime.SetFinalizer(new(collectionTick), func(*collectionTick) {
		adjustHeapLimit()
		watchCollections()
	})
}

type collectionTick struct{ _ [16]byte } // not a zero-size object, which has no finalizer

var liveHeap = []metrics.Sample{{Name: "/gc/heap/live:bytes"}}

// adjustHeapLimit sets the memory limit from the heap found live by the
// last collection.
func adjustHeapLimit() {
	metrics.Read(liveHeap)
	if liveHeap[0].Value.Kind() != metrics.KindUint64 {
		return
	}
	live := int64(liveHeap[0].Value.Uint64())
	debug.SetMemoryLimit(max(minHeapLimit, live+max(heapHeadroom, live/8)))
}
