package convert

import (
	"fmt"
	"io"
	"runtime"
	"testing"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/gen"
)

// generatedRecords builds n generated records once per benchmark.
func generatedRecords(b *testing.B, n int) []*record.Record {
	b.Helper()
	recs := make([]*record.Record, 0, n)
	for v := range gen.Records(n, 1, 0) {
		// gen yields the JSON data model (maps, slices, strings), as readers do.
		recs = append(recs, &record.Record{File: "gen.jsonl", Line: len(recs) + 1, Col: 1, Value: v})
	}
	return recs
}

// benchWriter writes recs through a fresh writer on every iteration and
// reports records/s and allocs/record, counting only the writing: open
// (which makes the writer) and the done it returns, if any, run untimed.
func benchWriter(b *testing.B, recs []*record.Record, open func() (record.Writer, func())) {
	b.Helper()
	var mallocs uint64
	runs := 0
	var before, after runtime.MemStats
	for b.Loop() {
		b.StopTimer()
		w, done := open()
		runtime.ReadMemStats(&before)
		b.StartTimer()
		for _, r := range recs {
			if err := w.Write(r); err != nil {
				b.Fatal(err)
			}
		}
		if err := w.Close(); err != nil {
			b.Fatal(err)
		}
		b.StopTimer()
		runtime.ReadMemStats(&after)
		mallocs += after.Mallocs - before.Mallocs
		runs++
		if done != nil {
			done()
		}
		b.StartTimer()
	}
	total := float64(runs * len(recs))
	b.ReportMetric(total/b.Elapsed().Seconds(), "records/s")
	b.ReportMetric(float64(mallocs)/total, "allocs/record")
}

// BenchmarkCanonicalWriters measures the JSON, JSON Lines and YAML writers
// per record, at 10k and 100k generated records.
func BenchmarkCanonicalWriters(b *testing.B) {
	ds := canonDataset(b)
	for _, n := range []int{10_000, 100_000} {
		recs := generatedRecords(b, n)
		for _, w := range []struct {
			name string
			new  func(io.Writer, *record.Dataset) record.Writer
		}{{"json", NewJSONWriter}, {"jsonl", NewJSONLWriter}, {"yaml", NewYAMLWriter}} {
			b.Run(fmt.Sprintf("%s/%dk", w.name, n/1000), func(b *testing.B) {
				benchWriter(b, recs, func() (record.Writer, func()) { return w.new(io.Discard, ds), nil })
			})
		}
	}
}
