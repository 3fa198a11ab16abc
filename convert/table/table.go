package table

import (
	"encoding/json"
	"strconv"
	"strings"
	"time"

	"github.com/annals-project/annals/internal/edtf"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/schema"
)

// Table is one table of the tabular exports: a sheet of the workbook and a
// CSV file. Each record type has a main table (one row per record) and a
// link table for every list in it (one row per item), so that no cell
// packs several values.
type Table struct {
	Name        string // "events", "event_attestations": the CSV file name without .csv
	Sheet       string // "Events", "Event attestations": the worksheet name (at most 31 characters)
	Type        string // the record type the rows come from
	Path        string // "" for a main table; the list's JSON pointer for a link table ("/attestations/*/reported_names")
	Description string
	Columns     []Column
	PrimaryKey  []string
	ForeignKeys []ForeignKey
	Derived     bool     // made from the other tables (the analysis table): written, never read back
	pathToks    []string // Path, split
}

// ColumnKind says where a column's values come from.
type ColumnKind int

const (
	KindValue       ColumnKind = iota // a value of the record
	KindParentID                      // the id of the record a link-table row belongs to
	KindIndex                         // the 1-based position of an item in its list
	KindEarliest                      // the earliest day an EDTF date can denote
	KindLatest                        // the latest day an EDTF date can denote
	KindPrecision                     // the precision of an EDTF date
	KindUncertain                     // whether an EDTF date is marked uncertain ("?" or "%")
	KindApproximate                   // whether an EDTF date is marked approximate ("~" or "%")
)

// Column is one column of a table.
type Column struct {
	Name        string
	Kind        ColumnKind
	Type        string // Table Schema type: "string", "integer", "number", "boolean" or "date"
	Format      string // for strings: "edtf", "uri", "email" or ""
	Enum        []string
	Minimum     string // a number's bounds, as the schema writes them, or ""
	Maximum     string
	RefersTo    string // record type whose id this column holds, or ""
	Required    bool
	Title       string
	Description string
	toks        []string // the value's JSON pointer, relative to the row's item, split
}

func tokens(ptr string) []string {
	if ptr == "" {
		return nil
	}
	return strings.Split(ptr[1:], "/")
}

// ForeignKey links columns of a table to the primary key of another.
type ForeignKey struct {
	Fields    []string
	Table     string
	RefFields []string
}

// Tables lays out the tables of every record type, in the order exports
// list them: each main table followed by its link tables.
func Tables(v *schema.Validator) []Table {
	var out []Table
	for _, typ := range schema.RecordTypes {
		out = append(out, typeTables(typ, v.Fields(typ))...)
	}
	return out
}

// frame is an enclosing list of a link table: its item name and the
// table its items are rows of.
type frame struct {
	item  string
	table string
	path  string // the items' pointer from the record: "/attestations/*"
}

func typeTables(typ string, fields []schema.Field) []Table {
	main := Table{
		Name: typ + "s", Sheet: english.Capitalize(typ) + "s", Type: typ,
		Description: "One row per " + typ + " record.",
		PrimaryKey:  []string{"id"},
	}
	var links []Table
	addFields(&main, &links, typ, nil, fields, "", "", true)
	return append([]Table{main}, links...)
}

// addFields adds the columns for fields (an object at pointer base, with
// column names prefixed by prefix) to t, and a link table to links for every
// list among them. A column is required only when its field and every
// object around it are: location_name is required in a location, but an
// event may have no location.
func addFields(t *Table, links *[]Table, typ string, frames []frame, fields []schema.Field, base, prefix string, required bool) {
	for i := range fields {
		f := &fields[i]
		if f.Const != "" && f.Name == "type" && base == "" {
			continue // the table says the type
		}
		name := prefix + f.Name
		ptr := base + "/" + f.Name
		switch {
		case f.Type == "array" && f.Items != nil:
			addLinkTable(links, typ, frames, f, ptr)
		case f.Type == "object" || f.Fields != nil:
			addFields(t, links, typ, frames, f.Fields, ptr, name+"_", required && f.Required)
		default:
			addValueColumns(t, f, name, ptr, required && f.Required)
		}
	}
}

func addValueColumns(t *Table, f *schema.Field, name, ptr string, required bool) {
	c := Column{
		Name: name, Kind: KindValue, Type: tableType(f.Type), Format: f.Format, Enum: f.Enum, Minimum: f.Minimum, Maximum: f.Maximum,
		RefersTo: f.RefersTo, Required: required, Title: f.Title, Description: f.Description, toks: tokens(ptr),
	}
	t.Columns = append(t.Columns, c)
	if c.RefersTo != "" {
		t.ForeignKeys = append(t.ForeignKeys, ForeignKey{Fields: []string{name}, Table: c.RefersTo + "s", RefFields: []string{"id"}})
	}
	if f.Format == "edtf" {
		t.Columns = append(t.Columns, dateColumns(name, f.Title, c.toks)...)
	}
}

// DateColumns are the columns derived from the EDTF date column name
// (whose title is title), in the order they follow it: what [DateCells]
// fills.
func DateColumns(name, title string) []Column { return dateColumns(name, title, nil) }

func dateColumns(name, title string, toks []string) []Column {
	var cols []Column
	for _, d := range []struct {
		kind          ColumnKind
		suffix, typ   string
		title, detail string
	}{
		{KindEarliest, "_earliest", "date", "earliest", "The earliest day that %s can denote, derived from its EDTF date; empty when the start is open or unknown, and in CSV when its year is before 0000 or after 9999."},
		{KindLatest, "_latest", "date", "latest", "The latest day that %s can denote, derived from its EDTF date; empty when the end is open or unknown, and in CSV when its year is before 0000 or after 9999."},
		{KindPrecision, "_precision", "string", "precision", "How precise %s is (year, season, month, day or second), derived from its EDTF date."},
		{KindUncertain, "_uncertain", "boolean", "uncertain", "Whether %s is marked uncertain in its EDTF date (\"?\" or \"%\"), derived from it."},
		{KindApproximate, "_approximate", "boolean", "approximate", "Whether %s is marked approximate in its EDTF date (\"~\" or \"%\"), derived from it."},
	} {
		dc := Column{
			Name: name + d.suffix, Kind: d.kind, Type: d.typ, toks: toks,
			Title:       title + " (" + d.title + ")",
			Description: strings.Replace(d.detail, "%s", strconv.Quote(name), 1),
		}
		if d.kind == KindPrecision {
			dc.Enum = []string{"year", "season", "month", "day", "second"}
		}
		cols = append(cols, dc)
	}
	return cols
}

// DateCells returns the cells of the columns [DateColumns] derives from
// the EDTF date text: all empty when it is not one.
func DateCells(text string) [5]Cell {
	var cells [5]Cell
	d, err := edtf.Parse(text)
	if err != nil {
		return cells
	}
	for i, k := range []ColumnKind{KindEarliest, KindLatest, KindPrecision, KindUncertain, KindApproximate} {
		cells[i] = dateCell(d, k)
	}
	return cells
}

// addLinkTable adds the table of the list f at pointer ptr, and recursively
// those of lists inside its items.
func addLinkTable(links *[]Table, typ string, frames []frame, f *schema.Field, ptr string) {
	name := typ + "_" + f.Table
	abs := ptr + "/*" // ptr is relative to the enclosing item
	if len(frames) > 0 {
		abs = frames[len(frames)-1].path + abs
	}
	lt := Table{
		Name: name, Sheet: english.Capitalize(strings.ReplaceAll(name, "_", " ")), Type: typ, Path: abs, pathToks: tokens(abs),
		Description: "One row per item of " + typ + " " + fieldPath(frames, f.Name) + ": " + schema.FirstSentence(f.Description) + ".",
	}
	parent := typ + "_id"
	lt.Columns = append(lt.Columns, Column{
		Name: parent, Kind: KindParentID, Type: "string", Required: true, RefersTo: typ,
		Title: english.Capitalize(typ) + " id", Description: "The id of the " + typ + " this row belongs to.",
	})
	keys := []string{parent}
	for _, fr := range frames {
		keys = append(keys, fr.item+"_index")
		lt.Columns = append(lt.Columns, indexColumn(fr.item))
	}
	owner := typ + "s"
	ownerKeys := []string{"id"}
	if len(frames) > 0 {
		owner, ownerKeys = frames[len(frames)-1].table, keys
	}
	lt.ForeignKeys = append(lt.ForeignKeys, ForeignKey{Fields: append([]string{}, keys...), Table: owner, RefFields: append([]string{}, ownerKeys...)})
	keys = append(keys, f.Item+"_index")
	lt.Columns = append(lt.Columns, indexColumn(f.Item))
	lt.PrimaryKey = keys
	inner := append(append([]frame{}, frames...), frame{item: f.Item, table: name, path: abs})
	*links = append(*links, lt)
	at := len(*links) - 1
	it := f.Items
	if it.Type == "object" || it.Fields != nil {
		var nested []Table
		addFields(&(*links)[at], &nested, typ, inner, it.Fields, "", "", true)
		*links = append(*links, nested...)
		return
	}
	item := *it
	if item.Title == "" {
		item.Title = english.Capitalize(f.Item)
	}
	if item.Description == "" {
		item.Description = f.Description
	}
	addValueColumns(&(*links)[at], &item, f.Item, "", true)
}

func indexColumn(item string) Column {
	return Column{
		Name: item + "_index", Kind: KindIndex, Type: "integer", Required: true,
		Title:       english.Capitalize(item) + " number",
		Description: "The position of the " + item + " in its list, from 1: it keeps the curator's order.",
	}
}

func fieldPath(frames []frame, name string) string {
	var parts []string
	for _, f := range frames {
		parts = append(parts, f.item)
	}
	return strings.Join(append(parts, name), " ")
}

func tableType(jsonType string) string {
	switch jsonType {
	case "number", "integer", "boolean":
		return jsonType
	}
	return "string"
}

// Row is one row of a table. Its values are nil (empty), string, int (an
// index), json.Number, bool, or time.Time (a day, for earliest and latest
// columns).
type Row []any

// Flatten returns the rows that record rec contributes to each table, by
// table index. The record must be valid: values of unexpected shape are
// left empty.
func Flatten(tables []Table, rec map[string]any) map[int][]Row {
	out := map[int][]Row{}
	EachRow(tables, rec, func(ti int, r *RowCells) {
		row := make(Row, len(r.t.Columns))
		for i := range row {
			row[i] = r.Next().Value()
		}
		out[ti] = append(out[ti], row)
	})
	return out
}

// EachRow calls fn for every row that record rec contributes, table by
// table in the order of tables and item by item in list order. The row's
// cells are read from r in column order; r is valid only during the call.
func EachRow(tables []Table, rec map[string]any, fn func(ti int, r *RowCells)) {
	typ, _ := rec["type"].(string)
	w := rowWalker{fn: fn}
	w.cells.id, _ = rec["id"].(string)
	for ti := range tables {
		if tables[ti].Type == typ {
			w.ti, w.cells.t = ti, &tables[ti]
			w.items(rec, w.cells.t.pathToks, 0)
		}
	}
}

// rowWalker finds the rows of one table in a record: the values at the
// table's path, where "*" stands for every item of a list.
type rowWalker struct {
	fn    func(ti int, r *RowCells)
	ti    int
	cells RowCells // reused for every row
	idx   [8]int   // the positions in the enclosing lists: a table nests a few deep
}

// items calls fn for every value at the path toks below v, depth lists
// deep.
func (w *rowWalker) items(v any, toks []string, depth int) {
	if len(toks) == 0 {
		c := &w.cells
		c.item, c.idx, c.col, c.n, c.dateOK = v, w.idx[:depth], 0, 0, false
		w.fn(w.ti, c)
		return
	}
	if toks[0] == "*" {
		a, _ := v.([]any)
		for i, x := range a {
			w.idx[depth] = i
			w.items(x, toks[1:], depth+1)
		}
		return
	}
	m, _ := v.(map[string]any)
	if x, ok := m[toks[0]]; ok {
		w.items(x, toks[1:], depth)
	}
}

// RowCells gives the cells of one row in column order, without building
// the row: the CSV export writes them straight into its buffer.
type RowCells struct {
	t      *Table
	item   any    // the record, or for a link table the item of its list
	id     string // the record's id
	idx    []int  // the item's position in each enclosing list, from 0
	col    int    // the next column
	n      int    // the next of idx
	date   edtf.Date
	dateOK bool // date holds the last date column's value, parsed
}

// CellKind says which field of a Cell holds its value.
type CellKind uint8

const (
	CellEmpty  CellKind = iota
	CellString          // Text
	CellNumber          // Text, a JSON number's text
	CellIndex           // Int, an index
	CellBool            // Int: 1 for true
	CellDay             // Day
)

// Cell is one value of a row on its way out: what a Row holds,
// without an interface.
type Cell struct {
	Kind CellKind
	Text string
	Int  int
	Day  time.Time
}

// Value returns the cell as a Row holds it.
func (c Cell) Value() any {
	switch c.Kind {
	case CellString:
		return c.Text
	case CellNumber:
		return json.Number(c.Text)
	case CellIndex:
		return c.Int
	case CellBool:
		return c.Int == 1
	case CellDay:
		return c.Day
	}
	return nil
}

// Next returns the cell of the next column. The derived columns of a date
// follow it, so each date is parsed once.
func (r *RowCells) Next() Cell {
	c := &r.t.Columns[r.col]
	r.col++
	switch c.Kind {
	case KindParentID:
		return Cell{Kind: CellString, Text: r.id}
	case KindIndex:
		r.n++
		return Cell{Kind: CellIndex, Int: r.idx[r.n-1] + 1} // positions count from 1 for people
	case KindValue:
		r.dateOK = false
		switch x := scalarAt(r.item, c.toks).(type) {
		case string:
			if c.Format == "edtf" {
				d, err := edtf.Parse(x)
				r.date, r.dateOK = d, err == nil
			}
			return Cell{Kind: CellString, Text: x}
		case json.Number:
			return Cell{Kind: CellNumber, Text: string(x)}
		case bool:
			if x {
				return Cell{Kind: CellBool, Int: 1}
			}
			return Cell{Kind: CellBool}
		}
		return Cell{}
	}
	if !r.dateOK {
		return Cell{}
	}
	return dateCell(r.date, c.Kind)
}

// dateCell is the cell of the column of kind k derived from d.
func dateCell(d edtf.Date, k ColumnKind) Cell {
	var t time.Time
	var ok bool
	switch k {
	case KindEarliest:
		t, ok = d.Earliest()
	case KindLatest:
		t, ok = d.Latest()
	case KindPrecision:
		if p := d.Precision(); p != edtf.PrecisionUnknown {
			return Cell{Kind: CellString, Text: p.String()}
		}
	case KindUncertain:
		return boolCell(d.Uncertain())
	case KindApproximate:
		return boolCell(d.Approximate())
	}
	if !ok {
		return Cell{}
	}
	return Cell{Kind: CellDay, Day: t}
}

func boolCell(b bool) Cell {
	if b {
		return Cell{Kind: CellBool, Int: 1}
	}
	return Cell{Kind: CellBool}
}

func scalarAt(v any, toks []string) any {
	for _, tok := range toks {
		m, ok := v.(map[string]any)
		if !ok {
			return nil
		}
		v = m[tok]
	}
	switch v.(type) {
	case string, json.Number, bool:
		return v
	}
	return nil
}

// FormatDay writes a day as the CSV and Table Schema "date" format wants it.
func FormatDay(t time.Time) string { return t.Format("2006-01-02") }

// ColumnIndex returns the position of the column named name, or -1.
func (t *Table) ColumnIndex(name string) int {
	for i, c := range t.Columns {
		if c.Name == name {
			return i
		}
	}
	return -1
}

// String is for debugging: the table's name and columns.
func (t Table) String() string {
	var cols []string
	for _, c := range t.Columns {
		cols = append(cols, c.Name)
	}
	return t.Name + "(" + strings.Join(cols, ", ") + ") key " + strings.Join(t.PrimaryKey, ",") + " fks " + strconv.Itoa(len(t.ForeignKeys))
}

// ExportFiles returns whether a file named name is one that an export of a
// file per table of v (named <table><ext>) writes, or one of others: an
// older export may be replaced, while a folder holding anything else is
// not. With no v, the tables of the record model.
func ExportFiles(v *schema.Validator, ext string, others ...string) func(name string) bool {
	names := map[string]bool{}
	for _, o := range others {
		names[o] = true
	}
	if v == nil {
		var err error
		if v, err = schema.Default(); err != nil {
			return func(string) bool { return false }
		}
	}
	for _, t := range Tables(v) {
		names[t.Name+ext] = true
	}
	return func(name string) bool { return names[name] }
}
