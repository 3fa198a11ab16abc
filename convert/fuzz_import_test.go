package convert

import (
	"bytes"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/annals-project/annals/convert/csv"
	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/convert/xlsx"
	"github.com/annals-project/annals/schema"
)

// The fuzz targets of the importers' workbook side and of the round trip
// through the tabular exports. Their seeds run on every `go test`.

// FuzzRoundTrip exports a small dataset whose text and one number come
// from the fuzzer through the workbook and through the CSV export (in the
// ways of roundTripCSVVariants), imports it back and requires the same
// canonical records.
// text goes into text columns of every kind of table: a main table (an
// event's title, the name of its location, an object flattened into
// columns), a link table (an actor's alias), a list of plain values (a
// source's authors) and a link table inside another (a reported
// spelling); quote into a statement's summary, an event's description and
// an attestation's quote; number is an event's latitude, when it is a
// JSON number (no reader makes a number of anything else).
//
// Inputs whose records a reader could not yield are skipped: text that is
// not UTF-8, and records the schema refuses (blank text, a latitude out of
// range, two equal authors). The workbook is not tried with text longer
// than a cell holds, which the writer refuses (as it must: see
// xlsx.NewWriter), counting the seven characters of the escape of each
// character XML cannot hold.
func FuzzRoundTrip(f *testing.F) {
	v := converttest.Validator(f)
	ds := converttest.CSVDataset(f)
	if _, err := roundTripRecords(f, v, "Ferry line reopens", "It said \"soon\"; then, nothing.", "-33.9"); err != "" {
		f.Fatalf("the fixture with its own values is not valid: %s", err)
	}
	for _, s := range [][3]string{
		{"Ferry line reopens", `It said "soon"; then, nothing.`, ""},
		{"=SUM(A1)", "\t=cmd|' /C calc'!A0", "-0"},
		{"'already quoted", "''+1 \"quoted\", a, b", "1E1"},
		{"line one\r\nline two\rthree\n  padded  ", "\r@SUM(1+1)\r\n", "0.1000000000000000000001"},
		{"_x0041_ and _x005F_ and _x000D_", "bell\a and _x\x07_ and \ufdd00007 \ufffe\uffff nul\x00", "1e-7"},
		{"Zoë Łucja Nguyễn Öztürk 東京 🚢 \ufeff \u2028", "<b>&amp;</b> ]]> \u00a0 #N/A", "0.30000000000000004"},
		{"2022-01-10", "007", "12.345678901234567890"},
		// A cell's 32,767 UTF-16 code units, and past them.
		{strings.Repeat("é", xlsx.MaxCellChars), strings.Repeat("🚢", xlsx.MaxCellChars/2) + "a", ""},
		{strings.Repeat("\a", xlsx.MaxCellChars/7+1), strings.Repeat("x", xlsx.MaxCellChars+1), ""},
	} {
		f.Add(s[0], s[1], s[2])
	}
	f.Fuzz(func(t *testing.T, text, quote, number string) {
		if !utf8.ValidString(text) || !utf8.ValidString(quote) {
			t.Skip("records hold valid UTF-8 only")
		}
		recs, invalid := roundTripRecords(t, v, text, quote, number)
		if invalid != "" {
			t.Skip(invalid)
		}
		var b bytes.Buffer
		w := xlsx.NewWriter(&b, ds)
		var err error
		for _, rec := range recs {
			if err = w.Write(rec); err != nil {
				break
			}
		}
		if cerr := w.Close(); err == nil {
			err = cerr
		}
		refused := fitsNoCell(text) || fitsNoCell(quote)
		switch {
		case refused && err == nil:
			t.Fatal("the workbook writer took text longer than a cell holds")
		case !refused && err != nil:
			t.Fatalf("the workbook writer refused the records: %v", err)
		case !refused:
			got, errs := importXLSXBytes(t, b.Bytes(), table.ImportOptions{})
			converttest.CheckSame(t, "xlsx", got, errs, converttest.Values(recs))
		}
		for _, cv := range roundTripCSVVariants {
			importRoundTripCSV(t, ds, recs, cv)
		}
	})
}

// roundTripCSVVariants are the ways of writing the CSV export that read
// text differently: guarded as datapackage.json says, unguarded, and
// guarded with datapackage.json gone. A byte order mark changes only the
// header; leaving it out keeps an iteration fast.
var roundTripCSVVariants = []importCSVVariant{
	{opts: csv.Options{}},
	{opts: csv.Options{NoFormulaGuard: true}},
	{opts: csv.Options{BOM: true}, noPackage: true},
}

// fitsNoCell reports whether text is longer than a cell holds once the
// characters XML cannot hold are escaped.
func fitsNoCell(s string) bool {
	return !xlsx.FitsCell(s)
}

// jsonNumber is the grammar of a JSON number (RFC 8259, section 6).
var jsonNumber = regexp.MustCompile(`^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?$`)

// roundTripRecords returns the CSV fixture's records with the fuzzer's
// values in place (see FuzzRoundTrip), or why the schema refuses them.
func roundTripRecords(t testing.TB, v *schema.Validator, text, quote, number string) ([]*record.Record, string) {
	recs := converttest.Records(t, converttest.CSVFixture)
	obj := func(i int) map[string]any { return recs[i].Value.(map[string]any) }
	item := func(m map[string]any, list string, i int) map[string]any { return m[list].([]any)[i].(map[string]any) }
	actor, source, event, statement := obj(0), obj(1), obj(2), obj(4)
	item(actor, "aliases", 0)["name"] = text
	source["authors"].([]any)[1] = text
	event["title"] = text
	event["location"].(map[string]any)["name"] = text
	item(item(statement, "attestations", 0), "reported_names", 0)["spelling"] = text
	statement["summary"] = quote
	event["description"] = quote
	item(event, "attestations", 0)["quote"] = quote
	if jsonNumber.MatchString(number) {
		event["location"].(map[string]any)["coordinates"].(map[string]any)["latitude"] = json.Number(number)
	}
	for _, rec := range recs {
		o := rec.Value.(map[string]any)
		if vs := v.Validate(o["type"].(string), o); len(vs) > 0 {
			return nil, vs[0].Pointer + ": " + vs[0].Message
		}
	}
	return recs, ""
}
