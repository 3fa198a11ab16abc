package json

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/annals-project/annals/convert/internal/readertest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/testkit"
)

func TestJSONErrors(t *testing.T) {
	for _, tc := range readertest.JSONErrorCases {
		for _, rd := range readertest.Pieces {
			t.Run(tc.Name+"/"+rd.Name, func(t *testing.T) {
				r := NewReader(rd.Wrap(strings.NewReader(tc.In)), "in")
				for n := 0; ; n++ {
					rec, err := r.Read()
					if err == nil {
						if n >= tc.Recs {
							t.Fatalf("record %d read (%#v), want an error after %d", n, rec.Value, tc.Recs)
						}
						continue
					}
					if n != tc.Recs {
						t.Errorf("error after %d records, want %d", n, tc.Recs)
					}
					readertest.CheckSyntaxError(t, tc, err)
					break
				}
				// A .json reader cannot resynchronise after an error.
				for range 2 {
					if rec, err := r.Read(); err != io.EOF || rec != nil {
						t.Fatalf("after the error: Read = %v, %v; want nil, io.EOF", rec, err)
					}
				}
			})
		}
	}
}

func TestJSONRecords(t *testing.T) {
	for _, tc := range readertest.JSONRecordCases {
		for _, rd := range readertest.Pieces {
			t.Run(tc.Name+"/"+rd.Name, func(t *testing.T) {
				recs, errs := readertest.ReadAll(t, NewReader(rd.Wrap(strings.NewReader(tc.In)), "in"))
				if len(errs) > 0 {
					t.Fatalf("errors: %v", errs)
				}
				readertest.CheckRecords(t, recs, tc.Want)
			})
		}
	}
}

func TestJSONTooLarge(t *testing.T) {
	lim := record.Limits{RecordSize: 100}
	big := `"` + strings.Repeat("x", 200) + `"`
	cases := []readertest.ErrCase{
		{Name: "element", In: `[1, {"a": ` + big + `}, 2]`, Recs: 1, Line: 1, Col: 5, Code: record.CodeTooLarge, Msg: "this record is larger than the limit of 100 bytes"},
		{Name: "scalar element", In: `[` + strings.Repeat("1", 200) + `]`, Recs: 0, Line: 1, Col: 2, Code: record.CodeTooLarge, Msg: "larger than the limit"},
		{Name: "one record", In: "\n " + big, Recs: 0, Line: 2, Col: 2, Code: record.CodeTooLarge, Msg: "larger than the limit"},
	}
	for _, tc := range cases {
		t.Run(tc.Name, func(t *testing.T) {
			recs, errs := readertest.ReadAll(t, NewReaderLimits(strings.NewReader(tc.In), "in", lim))
			if len(recs) != tc.Recs || len(errs) != 1 {
				t.Fatalf("got %d records and errors %v", len(recs), errs)
			}
			readertest.CheckSyntaxError(t, tc, errs[0])
		})
	}
	// Just within the limit.
	exact := `["` + strings.Repeat("x", 98) + `"]`
	if recs, errs := readertest.ReadAll(t, NewReaderLimits(strings.NewReader(exact), "in", lim)); len(recs) != 1 || len(errs) != 0 {
		t.Fatalf("a record of exactly the limit: %d records, errors %v", len(recs), errs)
	}
}

// A record larger than the buffer makes it grow, and is read whole.
func TestJSONRecordLargerThanBuffer(t *testing.T) {
	s := strings.Repeat("é", 3*defaultBufSize)
	in := `[1, {"s": "` + s + `", "n": 2}, 3]`
	recs, errs := readertest.ReadAll(t, NewReader(iotest.HalfReader(strings.NewReader(in)), "in"))
	if len(errs) != 0 || len(recs) != 3 {
		t.Fatalf("got %d records, errors %v", len(recs), errs)
	}
	if got := recs[1].Value.(map[string]any)["s"]; got != s {
		t.Errorf("long string changed")
	}
	if line, col := recs[1].Locate("/n", false); line != 1 || col != 11+len([]rune(s))+9 {
		t.Errorf("Locate(/n) = %d:%d", line, col)
	}
	if recs[2].Col != 11+len([]rune(s))+13 {
		t.Errorf("third record at column %d", recs[2].Col)
	}
}

// arrayGenerator produces a .json array of n records lazily, as an
// io.Reader, remembering where each element ends.
type arrayGenerator struct {
	n, next int
	pending []byte
	served  int64   // bytes returned by Read so far
	ends    []int64 // offset just after each element
	size    int64   // bytes generated so far
	done    bool
}

const generatorPad = 1000

func (g *arrayGenerator) Read(p []byte) (int, error) {
	for len(g.pending) == 0 {
		if g.done {
			return 0, io.EOF
		}
		g.generate()
	}
	n := copy(p, g.pending)
	g.pending = g.pending[n:]
	g.served += int64(n)
	return n, nil
}

func (g *arrayGenerator) generate() {
	var b bytes.Buffer
	switch {
	case g.next == 0:
		b.WriteString("[\n")
	case g.next < g.n:
		b.WriteString(",\n")
	}
	if g.next == g.n {
		b.WriteString("\n]\n")
		g.done = true
	} else {
		fmt.Fprintf(&b, `{"i": %d, "pad": "%s"}`, g.next, strings.Repeat("é", generatorPad/2))
		g.ends = append(g.ends, g.size+int64(b.Len()))
		g.next++
	}
	g.size += int64(b.Len())
	g.pending = b.Bytes()
}

// A large .json array is read element by element: when a record is
// returned, the reader has read at most a buffer beyond it.
func TestJSONStreamsLargeArray(t *testing.T) {
	count := 100 << 20 / generatorPad // about 100 MB
	if testing.Short() || testkit.RaceEnabled {
		count /= 10
	}
	g := &arrayGenerator{n: count}
	r := NewReader(g, "big.json")
	const slack = 2 * defaultBufSize
	for i := 0; ; i++ {
		rec, err := r.Read()
		if err == io.EOF {
			if i != count {
				t.Fatalf("got %d records, want %d", i, count)
			}
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		if g.served > g.ends[i]+slack {
			t.Fatalf("record %d: %d bytes read, but the record ends at byte %d", i, g.served, g.ends[i])
		}
		if rec.Index != i || rec.Line != i+2 || rec.Col != 1 {
			t.Fatalf("record %d: #%d at %d:%d", i, rec.Index, rec.Line, rec.Col)
		}
		if got := rec.Value.(map[string]any)["i"]; got != json.Number(fmt.Sprint(i)) {
			t.Fatalf("record %d: i = %v", i, got)
		}
		if i%10_000 == 0 {
			if line, col := rec.Locate("/pad", false); line != i+2 || col != 16+len(fmt.Sprint(i)) {
				t.Fatalf("record %d: Locate(/pad) = %d:%d", i, line, col)
			}
		}
	}
}
