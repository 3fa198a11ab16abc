package xlsx

import (
	"fmt"
	"iter"
	"slices"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/schema"
)

// listSheet gathers the allowed values of dropdowns too long to give
// inline (the 250 country codes), one column each, for the hidden Lists
// sheet. Columns with the same values share one list.
type listSheet struct {
	columns []string
	values  [][]string
	index   map[string]int // by the values joined with NUL
}

// ref returns the Lists range holding values, adding it under a header
// named after the first column that uses it.
func (l *listSheet) ref(name string, values []string) string {
	key := strings.Join(values, "\x00")
	i, ok := l.index[key]
	if !ok {
		i = len(l.columns)
		l.index[key] = i
		for base, n := name, 2; slices.Contains(l.columns, name); n++ {
			name = fmt.Sprintf("%s_%d", base, n)
		}
		l.columns = append(l.columns, name)
		l.values = append(l.values, values)
	}
	col, _ := excelize.ColumnNumberToName(i + 1)
	return fmt.Sprintf("%s!$%s$2:$%s$%d", listsSheet, col, col, len(values)+1)
}

func (l *listSheet) plan() *sheetPlan {
	n := 0
	for _, v := range l.values {
		n = max(n, len(v))
	}
	rows := make([][]any, n)
	for i := range rows {
		rows[i] = make([]any, len(l.columns))
		for c, v := range l.values {
			if i < len(v) {
				rows[i][c] = v[i]
			}
		}
	}
	p := smallPlan(listsSheet, "lists", l.columns, rows)
	p.hidden = true // dropdowns show the values; the sheet only holds them
	return p
}

// codebookPlan describes every column of every table, for readers who
// open the workbook without the schema.
func codebookPlan(tables []table.Table) *sheetPlan {
	sheetOf := map[string]string{}
	for _, t := range tables {
		sheetOf[t.Name] = t.Sheet
	}
	var rows [][]any
	for _, t := range tables {
		for _, c := range t.Columns {
			var refers any
			if r := refersTo(&t, &c); r != "" {
				refers = sheetOf[r]
			}
			required := "no"
			if c.Required {
				required = "yes"
			}
			var allowed any
			if len(c.Enum) > 0 {
				allowed = strings.Join(c.Enum, ", ")
			}
			rows = append(rows, []any{t.Sheet, c.Name, codebookType(c), required, allowed, refers, c.Description})
		}
	}
	return smallPlan(codebookSheet, "codebook",
		[]string{"Sheet", "Column", "Type", "Required", "Allowed values", "Refers to", "Description"}, rows)
}

// refersTo returns the table a column's values point into: the record
// type's table for a reference, or for a position in a list (an
// attestation_index) the table of the list's items.
func refersTo(t *table.Table, c *table.Column) string {
	if c.RefersTo != "" {
		return c.RefersTo + "s"
	}
	for _, fk := range t.ForeignKeys {
		if slices.Contains(fk.Fields, c.Name) {
			return fk.Table
		}
	}
	return ""
}

// codebookType names a column's type in words a spreadsheet user knows.
func codebookType(c table.Column) string {
	switch c.Type {
	case "integer":
		return "whole number"
	case "number":
		return "number"
	case "date":
		return "date"
	case "boolean":
		return "true-false"
	}
	switch c.Format {
	case "edtf":
		return "EDTF date"
	case "uri":
		return "URL"
	case "email":
		return "email address"
	}
	return "text"
}

// conflictsPlan lists what the sources disagree on, a row per source and
// value, in long form so that a filter on record_id shows one conflict.
// The rows are made as they are written: there are about as many as
// records.
func conflictsPlan(conflicts iter.Seq[record.Conflict]) *sheetPlan {
	return lazyPlan(conflictsSheet, "conflicts",
		[]string{"record_type", "record_id", "field", "actor", "canonical", "source", "reported", "wording", "rank", "agrees"},
		func(yield func(row []any) error) error {
			row := make([]any, 10)
			for c := range conflicts {
				for _, v := range c.Values {
					row[0], row[1], row[2], row[3], row[4] = c.RecordType, c.RecordID, c.Field, nilIfEmpty(c.Actor), nilIfEmpty(c.Canonical)
					row[5], row[6], row[7], row[8], row[9] = v.Source, v.Value, nilIfEmpty(v.Wording), nilIfEmpty(v.Rank), v.Agrees
					if err := yield(row); err != nil {
						return err
					}
				}
			}
			return nil
		})
}

func nilIfEmpty(s string) any {
	if s == "" {
		return nil
	}
	return s
}

// aboutPlan lists the dataset's provenance: the manifest, the versions of
// annals and of the schema, the records, and every input file with its
// SHA-256, so that a reader can tell which data the workbook shows.
func aboutPlan(ds *record.Dataset) *sheetPlan {
	var rows [][]any
	add := func(field string, value any) {
		if value != nil && value != "" {
			rows = append(rows, []any{field, value, nil, nil})
		}
	}
	m := ds.Manifest
	add("Title", m["title"])
	add("Description", m["description"])
	add("License", m["license"])
	add("Version", m["version"])
	for _, c := range curators(m) {
		add("Curator", c)
	}
	if kw := strings.Join(textList(m["keywords"]), ", "); kw != "" {
		add("Keywords", kw)
	}
	add("Base IRI", m["base_iri"])
	add("Archive folder", m["archive"])
	add(manifestField, carriedManifestJSON(m))
	if exts := ds.Validator.CarriedExtensions(); len(exts) > 0 && len(exts) <= MaxCellChars {
		add(extensionsField, string(exts))
	}
	add("annals version", ds.Version)
	add("Schema version", schema.Version)
	for _, typ := range schema.RecordTypes {
		rows = append(rows, []any{english.Capitalize(typ) + " records", ds.Counts[typ], nil, nil})
	}
	for _, in := range ds.Inputs {
		rows = append(rows, []any{"Input file", in.Path, in.SHA256, in.Records})
	}
	return smallPlan(AboutSheet, "about", []string{"Field", "Value", "SHA-256", "Records"}, rows)
}

// curators describes each curator of the manifest in one line:
// "Name (role), ORCID 0000-0002-1825-0097, name@example.org".
func curators(m map[string]any) []string {
	list, _ := m["curators"].([]any)
	var out []string
	for _, c := range list {
		c, _ := c.(map[string]any)
		name, _ := c["name"].(string)
		if role, _ := c["role"].(string); role != "" {
			name += " (" + role + ")"
		}
		parts := []string{name}
		if orcid, _ := c["orcid"].(string); orcid != "" {
			parts = append(parts, "ORCID "+orcid)
		}
		if email, _ := c["email"].(string); email != "" {
			parts = append(parts, email)
		}
		out = append(out, strings.Join(parts, ", "))
	}
	return out
}

func textList(v any) []string {
	list, _ := v.([]any)
	var out []string
	for _, x := range list {
		if s, ok := x.(string); ok {
			out = append(out, s)
		}
	}
	return out
}

// docProps are the workbook's document properties, from the manifest,
// with fixed dates so that the same input gives the same bytes.
func docProps(ds *record.Dataset) *excelize.DocProperties {
	m := ds.Manifest
	text := func(k string) string { s, _ := m[k].(string); return s }
	var names []string
	list, _ := m["curators"].([]any)
	for _, c := range list {
		c, _ := c.(map[string]any)
		if name, _ := c["name"].(string); name != "" {
			names = append(names, name)
		}
	}
	creator := strings.Join(names, "; ")
	if creator == "" {
		creator = "annals"
	}
	stamp := zipTime.Format("2006-01-02T15:04:05Z")
	return &excelize.DocProperties{
		Title:       text("title"),
		Description: text("description"),
		Keywords:    strings.Join(textList(m["keywords"]), ", "),
		Version:     text("version"),
		Creator:     creator,
		Created:     stamp,
		Modified:    stamp,
	}
}

// smallPlan lays out a sheet whose rows are in memory.
func smallPlan(name, table string, columns []string, rows [][]any) *sheetPlan {
	return lazyPlan(name, table, columns, func(yield func(row []any) error) error {
		for _, row := range rows {
			if err := yield(row); err != nil {
				return err
			}
		}
		return nil
	})
}

// lazyPlan lays out a sheet whose rows each makes, as often as asked:
// once here to count them and measure the columns, once to write them.
func lazyPlan(name, table string, columns []string, each func(yield func(row []any) error) error) *sheetPlan {
	p := &sheetPlan{
		name: name, table: table, columns: columns, each: each,
		widths: make([]int, len(columns)), styles: make([]int, len(columns)), links: make([]bool, len(columns)),
	}
	for i, c := range columns {
		p.widths[i] = headerWidth(c)
	}
	_ = each(func(row []any) error { // only yield fails
		p.rows++
		for i, v := range row {
			p.widths[i] = max(p.widths[i], valueWidth(v))
		}
		return nil
	})
	return p
}
