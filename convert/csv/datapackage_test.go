package csv

import (
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"go.yaml.in/yaml/v3"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/record"
)

// These tests check exports of valid datasets against their own
// datapackage.json, as frictionless validate would: every required cell
// filled, every value of its type and among its allowed values, primary
// keys unique and foreign keys resolved. A constraint that valid data can
// break would make the whole package fail there.

func TestCSVSamplesSatisfyTheirSchema(t *testing.T) {
	ds := converttest.CSVDataset(t)
	manifest, err := os.ReadFile(filepath.Join(converttest.Samples, "annals.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	ds.Manifest = nil
	if err := yaml.Unmarshal(manifest, &ds.Manifest); err != nil {
		t.Fatal(err)
	}
	var recs []*record.Record
	for _, name := range []string{"actors", "sources", "events", "statements"} {
		recs = append(recs, converttest.ReadSamples(t, filepath.Join(converttest.Samples, name+".yaml"))...)
	}
	for _, opts := range []Options{{}, {BOM: true, NoFormulaGuard: true}} {
		csvCheckExport(t, csvExport(t, ds, recs, opts))
	}
}

func TestCSVGeneratedSatisfyTheirSchema(t *testing.T) {
	csvCheckExport(t, csvExport(t, converttest.CSVDataset(t), converttest.GeneratedRecords(500, 11), Options{}))
}

// csvCheckExport checks every file of the export in dir against its
// resource in datapackage.json.
func csvCheckExport(t *testing.T, dir string) {
	t.Helper()
	p := csvReadPackage(t, dir)
	if p.Name == "" || strings.Trim(p.Name, "abcdefghijklmnopqrstuvwxyz0123456789-._/") != "" {
		t.Errorf("package name %q is not lowercase letters, digits and -._/", p.Name)
	}
	keys := map[string]map[string]bool{} // resource → its primary key tuples
	rowsOf := map[string][][]string{}
	for i := range p.Resources {
		r := &p.Resources[i]
		rows := csvRead(t, filepath.Join(dir, r.Path))
		names := csvFieldNames(r)
		if !slices.Equal(rows[0], names) {
			t.Errorf("%s: header %v, fields %v", r.Name, rows[0], names)
		}
		rowsOf[r.Name] = rows[1:]
		keys[r.Name] = map[string]bool{}
		for n, row := range rows[1:] {
			for ci, v := range row {
				if msg := csvCheckCell(&r.Schema.Fields[ci], v); msg != "" {
					t.Errorf("%s row %d %s: %q %s", r.Name, n+2, names[ci], v, msg)
				}
			}
			k := csvTuple(names, row, r.Schema.PrimaryKey)
			if keys[r.Name][k] {
				t.Errorf("%s row %d: primary key %q repeats", r.Name, n+2, k)
			}
			keys[r.Name][k] = true
		}
	}
	for i := range p.Resources {
		r := &p.Resources[i]
		names := csvFieldNames(r)
		for _, fk := range r.Schema.ForeignKeys {
			target := fk.Reference.Resource
			if target == "" {
				target = r.Name
			}
			for n, row := range rowsOf[r.Name] {
				k := csvTuple(names, row, fk.Fields)
				if strings.Trim(k, "\x00") == "" {
					continue // no reference in this row
				}
				if !keys[target][k] {
					t.Errorf("%s row %d: %v = %q refers to no row of %s", r.Name, n+2, fk.Fields, k, target)
				}
			}
		}
	}
}

func csvFieldNames(r *dpResource) []string {
	var names []string
	for _, f := range r.Schema.Fields {
		names = append(names, f.Name)
	}
	return names
}

// csvTuple joins the values of the named columns.
func csvTuple(header, row, cols []string) string {
	var parts []string
	for _, c := range cols {
		parts = append(parts, row[slices.Index(header, c)])
	}
	return strings.Join(parts, "\x00")
}

// csvCheckCell returns what is wrong with value v of field f, or "".
func csvCheckCell(f *dpField, v string) string {
	c := f.Constraints
	if v == "" {
		if c != nil && c.Required {
			return "is missing in a required field"
		}
		return ""
	}
	if c != nil && c.Enum != nil && !slices.Contains(c.Enum, v) {
		return "is not one of the allowed values"
	}
	var err error
	switch f.Type {
	case "integer":
		_, err = strconv.ParseInt(v, 10, 64)
	case "number":
		_, err = strconv.ParseFloat(v, 64)
	case "boolean":
		_, err = strconv.ParseBool(v)
	case "date":
		_, err = time.Parse(time.DateOnly, v)
	}
	if err != nil {
		return "is not of type " + f.Type
	}
	return ""
}
