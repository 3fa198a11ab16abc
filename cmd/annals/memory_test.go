package main

import (
	"math"
	"runtime"
	"runtime/debug"
	"testing"
)

// TestHeapLimitFollowsLiveHeap checks that the limit set after a
// collection leaves the heap room to grow by the headroom above what is
// live, and never less than the floor.
func TestHeapLimitFollowsLiveHeap(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	held := make([]byte, 96<<20) // live, and bigger than the floor
	runtime.GC()
	adjustHeapLimit()
	limit := debug.SetMemoryLimit(-1)
	runtime.KeepAlive(held)
	if limit < int64(len(held))+heapHeadroom {
		t.Errorf("limit %d MiB with %d MiB live: no room for the headroom", limit>>20, len(held)>>20)
	}
	if limit > int64(len(held))+heapHeadroom+64<<20 {
		t.Errorf("limit %d MiB with %d MiB live: far more than the headroom", limit>>20, len(held)>>20)
	}

	held = nil
	runtime.GC()
	adjustHeapLimit()
	if limit := debug.SetMemoryLimit(-1); limit != minHeapLimit {
		t.Errorf("limit %d MiB with little live: want the floor, %d MiB", limit>>20, minHeapLimit>>20)
	}
}

// TestHeapLimitLeftToEnvironment checks that GOGC or GOMEMLIMIT in the
// environment leave the collector alone.
func TestHeapLimitLeftToEnvironment(t *testing.T) {
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(-1))
	debug.SetMemoryLimit(math.MaxInt64)
	for _, env := range []string{"GOGC", "GOMEMLIMIT"} {
		t.Run(env, func(t *testing.T) {
			t.Setenv(env, "200")
			boundHeap()
			if limit := debug.SetMemoryLimit(-1); limit != math.MaxInt64 {
				t.Errorf("%s set, but the limit is now %d", env, limit)
			}
		})
	}
}
