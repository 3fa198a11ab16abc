package dataset

import (
	"runtime"
	"sync"

	"github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/progress"
)

// The pipeline checks one input on every core: this goroutine's reader
// hands batches of records to workers, which examine them (schema,
// characters: the checks that need no other record), and the batches come
// back in input order for the checker to add. A JSON Lines input is read
// a line at a time and its lines are decoded by the workers too, which
// would otherwise leave the reader the busiest goroutine. Findings and
// output are the same as one record at a time; only the wall time differs.

// batchSize is how many records travel together: enough to make the cost
// of a channel send small against their checks, few enough to keep every
// worker busy on small inputs.
const batchSize = 64

type batch struct {
	lines    []json.Line // when set, lines[i] is for the worker to decode into recs[i]
	recs     []*record.Record
	errs     []error // errs[i] is a read error in place of recs[i]
	exams    []*check.Examined
	prepared []any // what hooks.prepare returned for recs[i]
	done     chan struct{}
}

// hooks are what a command does with each record besides checking it:
// see Options.Prepare and Options.Each.
type hooks struct {
	prepare  func(*record.Record) any
	each     func(*record.Record, any)
	progress *progress.Counter
}

// source is one input for checkParallel: each passes every record (or
// JSON Line, when lines names the file) and read error to fn, in order.
type source struct {
	each  func(fn func(rec *record.Record, line json.Line, err error) error) error
	lines string
}

// checkParallel reads the records of one input into c, passing every
// record to h.each (if set) once it is added, and returns the source's
// error and the number of records read.
func checkParallel(c *check.Checker, name string, h hooks, src source) (int, error) {
	workers := runtime.GOMAXPROCS(0)
	work := make(chan *batch, workers)
	ordered := make(chan *batch, 2*workers)
	var wg sync.WaitGroup
	for range workers {
		dec := json.NewLineDecoder(src.lines)
		wg.Go(func() {
			for b := range work {
				for i := range b.recs {
					if b.lines != nil && b.errs[i] == nil {
						b.recs[i], b.errs[i] = dec.Decode(b.lines[i])
					}
					if b.errs[i] == nil {
						b.exams[i] = c.Examine(b.recs[i])
						if h.prepare != nil && h.each != nil {
							b.prepared[i] = h.prepare(b.recs[i])
						}
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
		b := newBatch(src.lines != "")
		send := func() {
			work <- b
			ordered <- b
			b = newBatch(src.lines != "")
		}
		err := src.each(func(rec *record.Record, line json.Line, err error) error {
			if b.lines != nil {
				b.lines = append(b.lines, line)
			}
			b.recs = append(b.recs, rec)
			b.errs = append(b.errs, err)
			b.exams = append(b.exams, nil)
			b.prepared = append(b.prepared, nil)
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
	var lines json.LineOrder // numbers the records of lines, in order
	for b := range ordered {
		<-b.done
		c.Warm(b.exams)
		for i, e := range b.exams {
			rec, err := b.recs[i], b.errs[i]
			if b.lines != nil {
				rec, err = lines.Done(rec, err)
			}
			if err != nil {
				c.ReadError(name, err)
				continue
			}
			n++
			c.Add(e)
			if h.each != nil {
				h.each(rec, b.prepared[i])
			}
		}
		if h.progress != nil {
			h.progress.AddRecords(len(b.exams))
		}
	}
	wg.Wait()
	return n, <-readErr
}

func newBatch(lines bool) *batch {
	b := &batch{
		recs:     make([]*record.Record, 0, batchSize),
		errs:     make([]error, 0, batchSize),
		exams:    make([]*check.Examined, 0, batchSize),
		prepared: make([]any, 0, batchSize),
		done:     make(chan struct{}),
	}
	if lines {
		b.lines = make([]json.Line, 0, batchSize)
	}
	return b
}
