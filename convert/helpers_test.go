package convert

import (
	"encoding/json"
	"errors"
	"io"
	"strings"
	"testing"

	"github.com/annals-project/annals/convert/record"
)

// readAll reads r to the end, returning the records and the errors met on
// the way. It fails the test if r does not reach io.EOF in a bounded number
// of calls.
func readAll(t testing.TB, r record.Reader) (recs []*record.Record, errs []error) {
	t.Helper()
	for range 100_000 {
		rec, err := r.Read()
		switch {
		case err == io.EOF:
			return recs, errs
		case err != nil:
			if rec != nil {
				t.Fatalf("Read returned both a record and the error %v", err)
			}
			errs = append(errs, err)
		case rec == nil:
			t.Fatal("Read returned neither a record nor an error")
		default:
			recs = append(recs, rec)
		}
	}
	t.Fatal("reader did not reach io.EOF")
	return nil, nil
}

// errCase is an input whose reading stops at, or includes, one error.
type errCase struct {
	name      string
	in        string
	recs      int // records read before the error
	line, col int
	code      string
	msg       string // the message, or a distinctive part of it
}

// checkSyntaxError checks that err is a *SyntaxError as tc describes.
func checkSyntaxError(t *testing.T, tc errCase, err error) {
	t.Helper()
	var se *record.SyntaxError
	if !errors.As(err, &se) {
		t.Fatalf("error %v (%T) is not a *SyntaxError", err, err)
	}
	if se.File != "in" || se.Line != tc.line || se.Col != tc.col || se.Code != tc.code {
		t.Errorf("got %s:%d:%d [%s], want in:%d:%d [%s]\n(message: %s)",
			se.File, se.Line, se.Col, se.Code, tc.line, tc.col, tc.code, se.Msg)
	}
	if !strings.Contains(se.Msg, tc.msg) {
		t.Errorf("message %q does not contain %q", se.Msg, tc.msg)
	}
	if se.Msg != strings.ToLower(se.Msg[:1])+se.Msg[1:] {
		t.Errorf("message %q does not start in lower case", se.Msg)
	}
}

// setLimit changes a package limit for one test.
func setLimit(t *testing.T, v *int, n int) {
	old := *v
	*v = n
	t.Cleanup(func() { *v = old })
}

// canonicalNumbers returns v with every number spelled as the canonical
// writers spell it.
func canonicalNumbers(v any) any {
	switch x := v.(type) {
	case map[string]any:
		m := make(map[string]any, len(x))
		for k, e := range x {
			m[k] = canonicalNumbers(e)
		}
		return m
	case []any:
		l := make([]any, len(x))
		for i, e := range x {
			l[i] = canonicalNumbers(e)
		}
		return l
	case json.Number:
		return json.Number(canonicalNumber(string(x)))
	}
	return v
}
