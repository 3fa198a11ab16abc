package gen_test

import (
	"bytes"
	"encoding/json"
	"io"
	"testing"

	annalsjson "github.com/annals-project/annals/convert/json"
	"github.com/annals-project/annals/internal/check"
	"github.com/annals-project/annals/internal/gen"
	"github.com/annals-project/annals/schema"
)

func checkGenerated(t *testing.T, n int, invalid float64) *check.Report {
	t.Helper()
	var buf bytes.Buffer
	for rec := range gen.Records(n, 7, invalid) {
		b, err := json.Marshal(rec)
		if err != nil {
			t.Fatal(err)
		}
		buf.Write(append(b, '\n'))
	}
	v, err := schema.Default()
	if err != nil {
		t.Fatal(err)
	}
	c := check.New(v)
	rd := annalsjson.NewLinesReader(&buf, "gen.jsonl")
	for {
		rec, err := rd.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		c.Record(rec)
	}
	return c.Finish()
}

func TestGeneratedRecordsAreValid(t *testing.T) {
	if rep := checkGenerated(t, 1000, 0); rep.Errors > 0 {
		t.Fatalf("%d errors in generated data, first: %v", rep.Errors, rep.Findings[0])
	}
}

func TestInvalidFraction(t *testing.T) {
	if rep := checkGenerated(t, 1000, 0.05); rep.Errors == 0 {
		t.Fatal("no errors with 5% invalid records")
	}
}
