// Package progress counts what a long run has read and shows it as a bar
// on a terminal: how much of the input, how many records at what rate, and
// the time so far.
package progress

import (
	"io"
	"sync"
	"sync/atomic"
	"time"

	"github.com/annals-project/annals/internal/english"

	"github.com/schollz/progressbar/v3"
)

// Counter is what a run has done so far. It is safe for concurrent use:
// the run adds to it while the bar reads it.
type Counter struct {
	records, bytes atomic.Int64
}

// AddRecords counts n more records.
func (c *Counter) AddRecords(n int) { c.records.Add(int64(n)) }

// Records is the number of records counted.
func (c *Counter) Records() int64 { return c.records.Load() }

// Bytes is the number of bytes read through Reader.
func (c *Counter) Bytes() int64 { return c.bytes.Load() }

// Reader returns r, counting the bytes read from it.
func (c *Counter) Reader(r io.Reader) io.Reader { return &countingReader{r, c} }

type countingReader struct {
	r io.Reader
	c *Counter
}

func (r *countingReader) Read(p []byte) (int, error) {
	n, err := r.r.Read(p)
	r.c.bytes.Add(int64(n))
	return n, err
}

// Options say how the bar looks.
type Options struct {
	Total    int64         // the input's bytes; 0 or less when unknown (standard input)
	Color    bool          // colour the bar (off when NO_COLOR is set)
	Delay    time.Duration // nothing is drawn for a run shorter than this
	Interval time.Duration // between redraws; 200 ms when 0
}

// Show draws c on w, a terminal, until the returned stop is called; stop
// erases the bar and returns once nothing more will be written to w.
func Show(w io.Writer, c *Counter, o Options) (stop func()) {
	if o.Interval <= 0 {
		o.Interval = 200 * time.Millisecond
	}
	// The bar starts with the run, so that its rates and times are the
	// run's, but writes nothing before Delay.
	gate := &gatedWriter{w: w}
	bar := newBar(gate, o)
	done := make(chan struct{})
	var wg sync.WaitGroup
	wg.Go(func() {
		start := time.Now()
		tick := time.NewTicker(o.Interval)
		defer tick.Stop()
		for {
			select {
			case <-done:
				if gate.open.Load() {
					_ = bar.Clear()
				}
				return
			case <-tick.C:
				if time.Since(start) >= o.Delay {
					gate.open.Store(true)
				}
				update(bar, c, time.Since(start), o.Color)
			}
		}
	})
	var once sync.Once
	return func() {
		once.Do(func() {
			close(done)
			wg.Wait()
		})
	}
}

// gatedWriter drops what is written to it until it is opened.
type gatedWriter struct {
	w    io.Writer
	open atomic.Bool
}

func (g *gatedWriter) Write(p []byte) (int, error) {
	if !g.open.Load() {
		return len(p), nil
	}
	return g.w.Write(p)
}

func newBar(w io.Writer, o Options) *progressbar.ProgressBar {
	total := o.Total
	if total <= 0 {
		total = -1 // a spinner
	}
	theme := progressbar.Theme{Saucer: "=", SaucerHead: ">", SaucerPadding: " ", BarStart: "[", BarEnd: "]"}
	if o.Color {
		theme.Saucer, theme.SaucerHead = "[cyan]=[reset]", "[cyan]>[reset]"
	}
	return progressbar.NewOptions64(total,
		progressbar.OptionSetWriter(w),
		progressbar.OptionSetTheme(theme),
		progressbar.OptionEnableColorCodes(o.Color),
		progressbar.OptionShowBytes(true),
		progressbar.OptionSetWidth(24),
		progressbar.OptionThrottle(0),
		progressbar.OptionSetElapsedTime(true),
		progressbar.OptionSetPredictTime(o.Total > 0),
		progressbar.OptionShowDescriptionAtLineEnd(),
		progressbar.OptionClearOnFinish(),
		progressbar.OptionUseANSICodes(true),
		// Show redraws it; the library's own spinner goroutine would race
		// with Show (it reads the bar's state unlocked) and outlive it.
		progressbar.OptionSetSpinnerChangeInterval(0),
	)
}

func update(bar *progressbar.ProgressBar, c *Counter, elapsed time.Duration, color bool) {
	n := c.Records()
	rate := int64(0)
	if s := elapsed.Seconds(); s > 0 {
		rate = int64(float64(n) / s)
	}
	rateText := english.Thousands(rate) + " records/s"
	if color {
		rateText = "[cyan]" + rateText + "[reset]"
	}
	bar.Describe(english.Thousands(n) + " records, " + rateText)
	_ = bar.Set64(c.Bytes())
}
