package dataset

import (
	"runtime"
	"sync"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/internal/check"
)

// The pipeline checks one input on every core: this goroutine's reader
// hands batches of records to workers, which examine them (schema,
// characters: the checks that need no other record), and the batches come
// back in input order for the checker to add. Findings and output are
// the same as one record at a time; only the wall time differs.

// batchSize is how many records travel together: enough to make the cost
// of a channel send small against their checks, few enough to keep every
// worker busy on small inputs.
const batchSize = 64

type batch struct {
	recs  []*convert.Record
	errs  []error // errs[i] is a read error in place of recs[i]
	exams []*check.Examined
	done  chan struct{}
}

// checkParallel reads the records of one input through each, into c,
// passing every record to then (if set) once it is added, and returns
// each's error and the number of records read.
func checkParallel(c *check.Checker, name string, then func(*convert.Record), each func(fn func(*convert.Record, error) error) error) (int, error) {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *batch, workers)
	ordered := make(chan *batch, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for b := range work {
				for i, rec := range b.recs {
					if b.errs[i] == nil {
						b.exams[i] = c.Examine(rec)
					}
				}
				close(b.done)
			}
		})
	}

	readErr := make(chan error, 1)
	go func() {
		defer close(ordered)
		defer close(work)
		b := newBatch()
		send := func() {
			work <- b
			ordered <- b
			b = newBatch()
		}
		err := each(func(rec *convert.Record, err error) error {
			b.recs = append(b.recs, rec)
			b.errs = append(b.errs, err)
			b.exams = append(b.exams, nil)
			if len(b.recs) == batchSize {
				send()
			}
			return nil
		})
		if len(b.recs) > 0 {
			send()
		}
		readErr <- err
	}()

	n := 0
	for b := range ordered {
		<-b.done
		for i, e := range b.exams {
			if e == nil {
				c.ReadError(name, b.errs[i])
				continue
			}
			n++
			c.Add(e)
			if then != nil {
				then(b.recs[i])
			}
		}
	}
	wg.Wait()
	return n, <-readErr
}

func newBatch() *batch {
	return &batch{
		recs:  make([]*convert.Record, 0, batchSize),
		errs:  make([]error, 0, batchSize),
		exams: make([]*check.Examined, 0, batchSize),
		done:  make(chan struct{}),
	}
}
