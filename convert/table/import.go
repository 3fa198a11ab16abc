package table

import (
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/suggest"
	"github.com/annals-project/annals/schema"
)

// Importing reads the tables of an export back into records: the inverse
// of Flatten. xlsx.NewImporter reads a workbook, csv.NewImporter a
// directory of CSV files; both hand their rows to the importer below,
// which matches headers to the columns of [Tables], attaches the rows of
// link tables to their records and keeps, for every value, the cell it
// came from.

// DefaultMaxUnzippedSize is the limit on what a workbook may unzip to when
// ImportOptions leaves MaxUnzippedSize at 0. A sheet of Excel's full
// 1,048,576 rows of typical records unzips to a few hundred MiB, so 1 GiB
// admits every real workbook while a zip bomb is refused before any of it
// is inflated.
const DefaultMaxUnzippedSize int64 = 1 << 30

// ImportOptions are the choices of the importers.
type ImportOptions struct {
	// IgnoreUnknown skips sheets, CSV files and columns that are not part
	// of the export, instead of refusing the input.
	IgnoreUnknown bool
	// MaxUnzippedSize refuses workbooks whose parts unzip to more bytes
	// than this; 0 means DefaultMaxUnzippedSize.
	MaxUnzippedSize int64
	// MaxSharedStrings and MaxSharedText bound a workbook's shared
	// strings table (see DefaultMaxSharedStrings); 0 means the default.
	MaxSharedStrings, MaxSharedText int
	// Limits bound what one record may hold, as for the readers; a CSV
	// row is refused past Limits.RecordSize.
	Limits record.Limits
	// Note, when set, receives what the importer had to change in a value
	// to read it, such as a date-time cell read as its day. A note is not
	// an error: the record is returned all the same.
	Note func(*record.ImportError)
}

// DefaultMaxSharedStrings and DefaultMaxSharedText bound a workbook's
// shared strings table: a few megabytes can zip 200 million empty
// strings, which took 7.7 GB and 76 s to read. Excel's own tables, of
// workbooks of a million rows, hold a few million strings.
const (
	DefaultMaxSharedStrings = 16 << 20
	DefaultMaxSharedText    = 256 << 20 // bytes
)

// SharedStrings returns the bounds of a workbook's shared strings table:
// the number of strings, and their bytes of text.
func (o *ImportOptions) SharedStrings() (count, text int) {
	count, text = o.MaxSharedStrings, o.MaxSharedText
	if count <= 0 {
		count = DefaultMaxSharedStrings
	}
	if text <= 0 {
		text = DefaultMaxSharedText
	}
	return count, text
}

// MaxUnzipped returns the bound of what a workbook may unzip to:
// MaxUnzippedSize, or DefaultMaxUnzippedSize when that is 0.
func (o *ImportOptions) MaxUnzipped() int64 {
	if o.MaxUnzippedSize <= 0 {
		return DefaultMaxUnzippedSize
	}
	return o.MaxUnzippedSize
}

// RowReader reads the rows of one table: the header first, then the data.
// Rows hold only their non-empty cells, in column order; rows without any
// are skipped.
type RowReader interface {
	Next() (InputRow, error) // io.EOF after the last row
	Close() error
}

type InputRow struct {
	Num   int         // the sheet's row number, or the CSV line where the row starts
	Cells []InputCell // the non-empty cells, in the file's order
}

// Blank reports whether a row holds nothing but spaces: people leave such
// rows between records, and they are not records.
func (r InputRow) Blank() bool {
	for _, c := range r.Cells {
		if strings.TrimSpace(c.Text) != "" {
			return false
		}
	}
	return true
}

// at returns the row's cell in column col, or an empty cell.
func (r InputRow) at(col int) InputCell {
	for _, c := range r.Cells {
		if c.Col == col {
			return c
		}
	}
	return InputCell{Col: col}
}

// InputTable is one table as the input holds it: a sheet of a workbook or a
// CSV file of an export.
type InputTable struct {
	Open func() (RowReader, error)          // the rows from the first
	Pos  func(row, col int) record.Position // where a cell is
	Name func(t *Table) string              // how messages name a table: `the "Events" sheet`, `events.csv`
	Row  string                             // how messages name a row: "row" or "line"
}

// Importer reads the records of one input. The work is done type by type,
// in the order of [schema.RecordTypes]: the link tables of a type are
// loaded into memory, grouped by the record they belong to, and its main
// table is streamed, each row becoming a record with its lists attached.
type Importer struct {
	opts    ImportOptions
	tables  []Table
	types   []*typeImport
	next    int            // the type to start after the current one
	cur     *typeImport    // the type whose main table is being read
	rows    RowReader      // cur's main table, after its header; nil between types
	queue   []error        // errors to return before reading on
	counts  map[string]int // records so far, by file
	release func() error   // closes the input, or nil
	done    bool
}

// typeImport is the tables of one record type.
type typeImport struct {
	typ   string
	table *Table       // the main table
	main  *layout      // nil when the input has no such table
	links []*linkTable // every link table of the type, in Tables order
	roots []*linkTable // those whose lists belong to the record itself
	ids   map[string]bool
}

// linkTable is a link table and the rows loaded from it.
type linkTable struct {
	table    *Table
	lay      *layout // nil when the input has no such table
	rel      []string
	relPtr   string       // the list's pointer from the enclosing item: "/attestations"
	items    []string     // the item names of the index columns: "attestation", "name"
	children []*linkTable // the link tables of lists inside this one's items
	parent   *linkTable   // the table of the enclosing items, or nil
	scalar   int          // the value column when items are not objects, or -1
	groups   map[string][]linkRow
	used     map[string]bool
	orphaned map[string]bool // the rows reported as belonging nowhere, by key and index
}

// linkRow is one row of a link table, kept until its record is read.
type linkRow struct {
	row   InputRow
	index int // its own index column
}

// NewImporter returns the importer of the tables in files (by table
// name). problems are what the format-specific side already refused.
func NewImporter(v *schema.Validator, opts ImportOptions, files map[string]*InputTable, problems []error, release func() error) *Importer {
	tables := Tables(v)
	im := &Importer{opts: opts, tables: tables, queue: problems, counts: map[string]int{}, release: release}
	for i := range tables {
		t := &tables[i]
		if t.Path == "" {
			im.types = append(im.types, &typeImport{typ: t.Type, table: t, ids: map[string]bool{}})
		}
	}
	for i := range tables {
		t := &tables[i]
		tt := im.typeOf(t.Type)
		var lay *layout
		if tf := files[t.Name]; tf != nil {
			var errs []error
			lay, errs = bindTable(tf, t, v, opts)
			im.queue = append(im.queue, errs...)
		}
		if t.Path == "" {
			tt.main = lay
			continue
		}
		tt.addLink(newLinkTable(t, lay))
	}
	if len(im.queue) > 0 {
		// The layout is not what the tables say: reading the rows would
		// only add noise to the errors above.
		im.finish()
	}
	return im
}

func (im *Importer) typeOf(typ string) *typeImport {
	for _, tt := range im.types {
		if tt.typ == typ {
			return tt
		}
	}
	panic("convert: a link table of " + typ + " records, which have no main table")
}

func newLinkTable(t *Table, lay *layout) *linkTable {
	lt := &linkTable{table: t, lay: lay, scalar: -1}
	// "/attestations/*/reported_names/*": the list is reported_names, in
	// the items of the attestations table.
	base := strings.TrimSuffix(t.Path, "/*")
	if i := strings.LastIndex(base, "/*"); i >= 0 {
		base = base[i+2:]
	}
	lt.relPtr = base
	lt.rel, _ = record.SplitPointer(base)
	for i, c := range t.Columns {
		switch {
		case c.Kind == KindIndex:
			lt.items = append(lt.items, strings.TrimSuffix(c.Name, "_index"))
		case c.Kind == KindValue && len(c.toks) == 0:
			lt.scalar = i
		}
	}
	return lt
}

// addLink files lt under the table whose items hold its lists.
func (tt *typeImport) addLink(lt *linkTable) {
	tt.links = append(tt.links, lt)
	parent := strings.TrimSuffix(strings.TrimSuffix(lt.table.Path, "/*"), lt.relPtr)
	if parent == "" {
		tt.roots = append(tt.roots, lt)
		return
	}
	for _, p := range tt.links {
		if p.table.Path == parent {
			p.children = append(p.children, lt)
			lt.parent = p
			return
		}
	}
	panic("convert: link table " + lt.table.Name + " before its parent") // Tables lists parents first
}

// Read returns the next record, or an error about the input, or io.EOF.
// Errors about single rows (a bad index, a row that belongs nowhere) come
// among the records and reading goes on; an error about the whole input
// (an unknown column, a damaged file) is followed by io.EOF.
func (im *Importer) Read() (*record.Record, error) {
	for {
		if len(im.queue) > 0 {
			err := im.queue[0]
			im.queue = im.queue[1:]
			return nil, err
		}
		if im.done {
			return nil, io.EOF
		}
		rec, err := im.step()
		if err != nil {
			im.queue = append(im.queue, err)
			im.finish()
			continue
		}
		if rec != nil {
			return rec, nil
		}
	}
}

// Close releases the input. Read calls it at the end; call it when
// stopping before io.EOF.
func (im *Importer) Close() error { return im.finish() }

// finish closes what is open; Read returns io.EOF after it.
func (im *Importer) finish() error {
	var err error
	if im.rows != nil {
		err = im.rows.Close()
		im.rows = nil
	}
	if !im.done && im.release != nil {
		if rerr := im.release(); err == nil {
			err = rerr
		}
	}
	im.done = true
	return err
}

// step reads one main-table row, or moves to the next record type. It
// returns a record, or nothing when there was none to make.
func (im *Importer) step() (*record.Record, error) {
	if im.rows == nil {
		return nil, im.startType()
	}
	row, err := im.rows.Next()
	if err == io.EOF {
		im.rows.Close()
		im.rows = nil
		im.endType()
		return nil, nil
	}
	if err != nil || row.Blank() {
		return nil, err
	}
	if problem := im.headerRow(im.cur.main, row); problem != nil {
		im.queue = append(im.queue, problem)
		return nil, nil
	}
	return im.record(im.cur, row), nil
}

// headerRow reports a row that repeats the headers of a table, the same
// or another: the mark of rows pasted in from another sheet or file, header
// and all. Its cells from the first column on are that table's column
// names, two at least.
func (im *Importer) headerRow(lay *layout, row InputRow) *record.ImportError {
	if len(row.Cells) < 2 || row.Cells[0].Col != 1 {
		return nil
	}
	for i := range im.tables {
		t := &im.tables[i]
		if !isHeaderOf(t, row) {
			continue
		}
		if t.Name == lay.table.Name {
			return lay.problem(row.Num, 1, record.CodeHeaderRow, fmt.Sprintf(
				"this %s repeats the column headers, as when rows are pasted in with their header; delete it", lay.file.Row))
		}
		return lay.problem(row.Num, 1, record.CodeHeaderRow, fmt.Sprintf(
			"this %s holds the column headers of %s: rows of that table were pasted here, header and all; move them there and delete this %s",
			lay.file.Row, lay.file.Name(t), lay.file.Row))
	}
	return nil
}

// isHeaderOf reports whether the cells of row are column names of t, each
// in its place.
func isHeaderOf(t *Table, row InputRow) bool {
	for _, c := range row.Cells {
		if c.Col > len(t.Columns) || strings.TrimSpace(c.Text) != t.Columns[c.Col-1].Name {
			return false
		}
	}
	return true
}

// startType loads the link tables of the next record type and opens its
// main table.
func (im *Importer) startType() error {
	if im.next == len(im.types) {
		im.finish()
		return nil
	}
	tt := im.types[im.next]
	im.next++
	im.cur = tt
	for _, lt := range tt.links {
		if err := im.loadLinks(lt); err != nil {
			return err
		}
	}
	if tt.main == nil {
		im.endType()
		return nil
	}
	rows, err := tt.main.dataRows()
	if err != nil {
		return err
	}
	im.rows = rows
	return nil
}

// endType reports the link rows that no record took, and lets go of them.
func (im *Importer) endType() {
	tt := im.cur
	for _, lt := range tt.links { // parents first, so that their orphans explain their children's
		im.queue = append(im.queue, im.orphans(tt, lt)...)
	}
	for _, lt := range tt.links {
		lt.groups, lt.used, lt.orphaned = nil, nil, nil
	}
	tt.ids = nil
}

// record makes the record of a main-table row and attaches its lists.
func (im *Importer) record(tt *typeImport, row InputRow) *record.Record {
	obj := map[string]any{"type": tt.typ}
	im.fill(obj, tt.main, row)
	refs := []rowRef{{lay: tt.main, row: row.Num}}
	if id, ok := obj["id"].(string); ok {
		tt.ids[id] = true
		im.attach(obj, id, "", tt.roots, &refs)
	}
	start := tt.main.file.Pos(row.Num, tt.main.keyCol())
	n := im.counts[start.File]
	im.counts[start.File]++
	return record.NewAssembledRecord(start.File, n, obj, start, place(refs))
}

// attach sets in item the lists of kids whose rows belong to it: those
// filed under key (the record's id, then the indexes of the enclosing
// items). ptr is item's pointer in the record; refs gathers each item's
// row for positions.
func (im *Importer) attach(item map[string]any, key, ptr string, kids []*linkTable, refs *[]rowRef) {
	for _, lt := range kids {
		rows := lt.groups[key]
		if len(rows) == 0 {
			continue
		}
		lt.used[key] = true
		list := make([]any, len(rows))
		for i, r := range rows {
			itemPtr := ptr + lt.relPtr + "/" + strconv.Itoa(i)
			*refs = append(*refs, rowRef{ptr: itemPtr, lay: lt.lay, row: r.row.Num})
			list[i] = im.item(lt, r.row)
			if m, ok := list[i].(map[string]any); ok && len(lt.children) > 0 {
				im.attach(m, key+"\x00"+strconv.Itoa(r.index), itemPtr, lt.children, refs)
			}
		}
		setAt(item, lt.rel, list)
	}
}

// item returns the value of a link row: an object of its value columns,
// or the value itself for a list of plain values.
func (im *Importer) item(lt *linkTable, row InputRow) any {
	if lt.scalar < 0 {
		m := map[string]any{}
		im.fill(m, lt.lay, row)
		return m
	}
	col := lt.lay.colOf[lt.scalar]
	if col == 0 {
		return ""
	}
	v := im.value(lt.lay, lt.scalar, row.Num, row.at(col))
	if v == nil {
		// The row says there is an item; its empty cell is for the
		// checks to report, as "" would be in a record file.
		return ""
	}
	return v
}

// fill sets in obj the values of the row's cells in value columns.
func (im *Importer) fill(obj map[string]any, lay *layout, row InputRow) {
	for _, c := range row.Cells {
		ci := lay.column(c.Col)
		switch {
		case ci == colNoHeader:
			im.noHeader(lay, row.Num, c)
		case ci >= 0 && lay.table.Columns[ci].Kind == KindValue:
			if v := im.value(lay, ci, row.Num, c); v != nil {
				setAt(obj, lay.table.Columns[ci].toks, v)
			}
		}
	}
}

// value converts a cell of table column ci, noting what it changed.
func (im *Importer) value(lay *layout, ci, row int, c InputCell) any {
	col := &lay.table.Columns[ci]
	v := importValue(col, lay.trim[ci], c)
	im.formula(lay, row, c)
	if c.Kind == InputDateTime && col.Type == "string" && im.opts.Note != nil {
		im.opts.Note(&record.ImportError{Position: lay.file.Pos(row, c.Col), Code: record.CodeDateTimeCell, Msg: fmt.Sprintf(
			"the cell holds the date and time %s %s; it was read as the day %s, since an EDTF date-time needs its time zone: type it as text, such as %sT%s+00:00",
			c.Text, c.Clock, c.Text, c.Text, c.Clock)})
	}
	return v
}

// formula reports a formula cell whose value cannot be read, and notes,
// once per column, that the values of formulas were read.
func (im *Importer) formula(lay *layout, row int, c InputCell) {
	pos := lay.file.Pos(row, c.Col)
	switch {
	case c.Kind == InputError:
		im.queue = append(im.queue, &record.ImportError{Position: pos, Code: record.CodeFormulaError, Msg: fmt.Sprintf(
			"the cell shows the error %s, the result of a formula; correct the formula, or type the value instead", c.Text)})
	case c.Kind == InputUncomputed:
		im.queue = append(im.queue, &record.ImportError{Position: pos, Code: record.CodeFormulaError, Msg: fmt.Sprintf(
			"the cell holds the formula %s, but the workbook does not hold its result; open the workbook in Excel and save it, or type the value instead", c.Formula)})
	case c.Formula != "" && !lay.formulaNoted[c.Col] && im.opts.Note != nil:
		lay.formulaNoted[c.Col] = true
		im.opts.Note(&record.ImportError{Position: pos, Code: record.CodeFormulaCell, Msg: fmt.Sprintf(
			"this column holds formulas (this cell: %s); annals read the values they last gave, and will not keep the formulas", c.Formula)})
	}
}

// noHeader reports a value in a column without a header, once per column.
func (im *Importer) noHeader(lay *layout, row int, c InputCell) {
	if im.opts.IgnoreUnknown || lay.reported[c.Col] {
		return
	}
	lay.reported[c.Col] = true
	im.queue = append(im.queue, &record.ImportError{Position: lay.file.Pos(row, c.Col), Code: record.CodeUnknownColumn,
		Msg: "this cell has a value but its column has no header, so it belongs to no field; name the column or clear it"})
}

// setAt sets the value at the path toks in obj, making the objects on the
// way.
func setAt(obj map[string]any, toks []string, v any) {
	for _, tok := range toks[:len(toks)-1] {
		next, ok := obj[tok].(map[string]any)
		if !ok {
			next = map[string]any{}
			obj[tok] = next
		}
		obj = next
	}
	obj[toks[len(toks)-1]] = v
}

// rowRef is a row that a record was made from: the main row, or the row
// of one list item.
type rowRef struct {
	ptr string // the item's pointer in the record; "" for the main row
	lay *layout
	row int
}

// place returns the Position function of a record made from refs: a value
// is in its cell; anything else (a missing field, a list, the record
// itself) at the key cell of the row of the innermost item that holds it.
func place(refs []rowRef) func(ptr string, key bool) record.Position {
	return func(ptr string, _ bool) record.Position {
		best := refs[0]
		for _, r := range refs[1:] {
			if len(r.ptr) > len(best.ptr) && (ptr == r.ptr || strings.HasPrefix(ptr, r.ptr+"/")) {
				best = r
			}
		}
		toks, _ := record.SplitPointer(ptr[len(best.ptr):])
		return best.lay.file.Pos(best.row, best.lay.columnFor(toks))
	}
}

// linkKey reads the keys of a link row: the record's id, the indexes of
// the enclosing items and the row's own. It returns the key the row is
// filed under, or a problem.
func (lt *linkTable) linkKey(row InputRow) (key string, index int, problem *record.ImportError) {
	lay := lt.lay
	var b strings.Builder
	n := 0
	for ci, c := range lay.table.Columns {
		switch c.Kind {
		case KindParentID:
			x := row.at(lay.colOf[ci])
			id := strings.TrimSpace(x.Text)
			if id == "" {
				return "", 0, lay.problem(row.Num, x.Col, record.CodeOrphanRow,
					fmt.Sprintf("%s is empty; write the id of the %s this row belongs to", c.Name, lay.table.Type))
			}
			b.WriteString(id)
		case KindIndex:
			x := row.at(lay.colOf[ci])
			i, ok := parseIndex(x)
			if !ok {
				return "", 0, lay.problem(row.Num, x.Col, record.CodeBadIndex, fmt.Sprintf(
					"%s %s; write the position of the %s in its list, such as 1", c.Name, badIndex(x), lt.items[n]))
			}
			n++
			if n == len(lt.items) {
				return b.String(), i, nil
			}
			b.WriteString("\x00" + strconv.Itoa(i))
		}
	}
	return b.String(), 0, nil // no index column: bindTable refuses such a header
}

// loadLinks reads the rows of a link table into its groups.
func (im *Importer) loadLinks(lt *linkTable) error {
	lt.groups, lt.used = map[string][]linkRow{}, map[string]bool{}
	if lt.lay == nil {
		return nil
	}
	rows, err := lt.lay.dataRows()
	if err != nil {
		return err
	}
	defer rows.Close()
	var problems []*record.ImportError
	for {
		row, err := rows.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			return err
		}
		if row.Blank() {
			continue
		}
		key, index, problem := lt.linkKey(row)
		if problem != nil {
			problems = append(problems, problem)
			continue
		}
		lt.groups[key] = append(lt.groups[key], linkRow{row: row, index: index})
	}
	for key, rows := range lt.groups {
		lt.groups[key], problems = lt.dedupe(key, rows, problems)
	}
	im.queue = append(im.queue, sortProblems(problems)...)
	return nil
}

// dedupe orders a group's rows by their index and drops a row whose index
// an earlier row already has, reporting it.
func (lt *linkTable) dedupe(key string, rows []linkRow, problems []*record.ImportError) ([]linkRow, []*record.ImportError) {
	// Stable: rows came in sheet order, so the first of two equal
	// indexes is the one above.
	slices.SortStableFunc(rows, func(a, b linkRow) int { return a.index - b.index })
	out := rows[:1]
	for _, r := range rows[1:] {
		prev := out[len(out)-1]
		if r.index != prev.index {
			out = append(out, r)
			continue
		}
		lay := lt.lay
		ci := lay.table.ColumnIndex(lt.items[len(lt.items)-1] + "_index")
		problems = append(problems, lay.problem(r.row.Num, lay.colOf[ci], record.CodeDuplicateIndex, fmt.Sprintf(
			"%s %s already has %s %d, on %s %d; give each %s its own number",
			lay.table.Type, lt.describeKey(key), lt.items[len(lt.items)-1], r.index, lay.file.Row, prev.row.Num, lt.items[len(lt.items)-1])))
	}
	return out, problems
}

// describeKey names the owner of a group: `"geneva-talks"`, or
// `"geneva-talks" attestation 2` for a list inside an item.
func (lt *linkTable) describeKey(key string) string {
	parts := strings.Split(key, "\x00")
	s := strconv.Quote(parts[0])
	for i, idx := range parts[1:] {
		s += " " + lt.items[i] + " " + idx
	}
	return s
}

// orphans reports the rows of lt that no record took: their record does
// not exist, or the item they belong in does not. Rows inside an item
// whose own row was reported are not: that report covers them.
func (im *Importer) orphans(tt *typeImport, lt *linkTable) []error {
	var problems []*record.ImportError
	lay := lt.lay
	lt.orphaned = map[string]bool{}
	for key, rows := range lt.groups {
		if lt.used[key] {
			continue
		}
		parts := strings.Split(key, "\x00")
		for _, r := range rows {
			lt.orphaned[key+"\x00"+strconv.Itoa(r.index)] = true
			if lt.parent != nil && lt.parent.orphaned[key] {
				continue
			}
			if !tt.ids[parts[0]] {
				parent := lay.table.Columns[0]
				problems = append(problems, lay.problem(r.row.Num, lay.colOf[0], record.CodeOrphanRow, fmt.Sprintf(
					"%s %q matches no %s: no row of %s has that id; correct the id or delete this row",
					parent.Name, parts[0], tt.typ, lay.file.Name(tt.table))))
				continue
			}
			outer := len(parts) - 2 // the innermost enclosing item is the missing one
			ci := lay.table.ColumnIndex(lt.items[outer] + "_index")
			problems = append(problems, lay.problem(r.row.Num, lay.colOf[ci], record.CodeOrphanRow, fmt.Sprintf(
				"%s %s has no %s %s, so this row belongs nowhere; correct %s or delete this row",
				tt.typ, lt.describeKey(strings.Join(parts[:outer+1], "\x00")), lt.items[outer], parts[outer+1],
				lt.items[outer]+"_index")))
		}
	}
	return sortProblems(problems)
}

// sortProblems orders problems by row and column, so that the same input
// gives the same errors.
func sortProblems(ps []*record.ImportError) []error {
	slices.SortFunc(ps, func(a, b *record.ImportError) int {
		if a.Position.Line != b.Position.Line {
			return a.Position.Line - b.Position.Line
		}
		return a.Position.Col - b.Position.Col
	})
	out := make([]error, len(ps))
	for i, p := range ps {
		out[i] = p
	}
	return out
}

// parseIndex reads an index cell: a whole number from 1, typed as a
// number or as text.
func parseIndex(c InputCell) (int, bool) {
	text := strings.TrimSpace(c.Text)
	if c.Kind == InputNumber {
		text = c.Num
	}
	if text == "" || len(text) > 9 || strings.TrimLeft(text, "0123456789") != "" {
		return 0, false
	}
	n, err := strconv.Atoi(text)
	return n, err == nil && n >= 1
}

// badIndex says what is wrong with an index cell.
func badIndex(c InputCell) string {
	if strings.TrimSpace(c.Text) == "" {
		return "is empty"
	}
	return record.QuoteKey(c.Text) + " is not a whole number from 1"
}

// Column positions in a layout that are not table columns.
const (
	colIgnored  = -1 // a derived column, or one skipped with IgnoreUnknown
	colNoHeader = -2 // a column without a header
)

// layout is a table as its header lays it out in the input.
type layout struct {
	file     *InputTable
	table    *Table
	header   int          // the header's row number
	byCol    []int        // by input column - 1: the table column, or colIgnored or colNoHeader
	colOf    []int        // by table column: its input column, or 0 when the input lacks it
	trim     []bool       // by table column: spaces around a value are dropped
	reported map[int]bool // columns without a header already reported

	formulaNoted map[int]bool // columns whose formulas were noted
}

// column returns the table column of an input column.
func (lay *layout) column(col int) int {
	if col < 1 || col > len(lay.byCol) {
		return colNoHeader
	}
	return lay.byCol[col-1]
}

// keyCol is the input column that names a row: id in a main table,
// <type>_id in a link table.
func (lay *layout) keyCol() int {
	if c := lay.colOf[0]; c > 0 { // both are the first column of their table
		return c
	}
	return 1
}

// columnFor returns the input column of the value at toks in a row's item:
// the value's own column, the first column of an object, or the key
// column for anything else.
func (lay *layout) columnFor(toks []string) int {
	cols := lay.table.Columns
	for ci := range cols {
		if cols[ci].Kind == KindValue && lay.colOf[ci] > 0 && slices.Equal(cols[ci].toks, toks) {
			return lay.colOf[ci]
		}
	}
	for ci := range cols {
		c := &cols[ci]
		if len(toks) > 0 && c.Kind == KindValue && lay.colOf[ci] > 0 && len(c.toks) > len(toks) && slices.Equal(c.toks[:len(toks)], toks) {
			return lay.colOf[ci]
		}
	}
	return lay.keyCol()
}

func (lay *layout) problem(row, col int, code, msg string) *record.ImportError {
	return &record.ImportError{Position: lay.file.Pos(row, col), Code: code, Msg: msg}
}

// dataRows opens the table's rows after its header.
func (lay *layout) dataRows() (RowReader, error) {
	rows, err := lay.file.Open()
	if err != nil {
		return nil, err
	}
	for {
		row, err := rows.Next()
		if err != nil {
			if err == io.EOF {
				return rows, nil // the header is gone: nothing follows it
			}
			rows.Close()
			return nil, err
		}
		if row.Num >= lay.header {
			return rows, nil
		}
	}
}

// bindTable reads the header of a table and matches its names to the
// table's columns. It returns the problems that stop the import.
func bindTable(tf *InputTable, t *Table, v *schema.Validator, opts ImportOptions) (*layout, []error) {
	lay := &layout{file: tf, table: t, colOf: make([]int, len(t.Columns)), trim: trimColumns(t, v), reported: map[int]bool{}, formulaNoted: map[int]bool{}}
	header, err := firstRow(tf)
	if err != nil {
		return nil, []error{err}
	}
	lay.header = header.Num
	problems, whole := lay.bind(header, opts)
	if header.Num > 0 && !whole {
		problems = append(problems, missingKeys(lay, header.Num)...)
	}
	errs := make([]error, len(problems))
	for i, p := range problems {
		errs[i] = p
	}
	return lay, errs
}

// bind matches the names of a header's cells to the table's columns. whole
// is set when one problem explains the whole header.
func (lay *layout) bind(header InputRow, opts ImportOptions) (problems []*record.ImportError, whole bool) {
	t := lay.table
	names := map[string]int{}
	for ci, c := range t.Columns {
		names[strings.ToLower(c.Name)] = ci
	}
	for _, c := range header.Cells {
		name := strings.TrimSpace(c.Text)
		if name == "" {
			continue
		}
		for len(lay.byCol) < c.Col {
			lay.byCol = append(lay.byCol, colNoHeader)
		}
		ci, known := names[strings.ToLower(name)]
		switch {
		case !known && opts.IgnoreUnknown:
			lay.byCol[c.Col-1] = colIgnored
		case !known && semicolons(name):
			// One column holding the whole header: the other problems
			// would only repeat this one.
			return []*record.ImportError{lay.problem(header.Num, c.Col, record.CodeUnknownColumn, fmt.Sprintf(
				"the header %s looks like several columns separated by semicolons, as Excel writes CSV in some languages; save the file with commas between columns (CSV UTF-8)", record.QuoteKey(name)))}, true
		case !known:
			problems = append(problems, lay.problem(header.Num, c.Col, record.CodeUnknownColumn, unknownColumn(name, t)))
		case lay.colOf[ci] != 0:
			problems = append(problems, lay.problem(header.Num, c.Col, record.CodeDuplicateColumn, fmt.Sprintf(
				"a second %q column (the first is column %s); delete one of them", t.Columns[ci].Name, ColumnName(lay.colOf[ci]))))
		default:
			lay.colOf[ci] = c.Col
			lay.byCol[c.Col-1] = ci
			if k := t.Columns[ci].Kind; k != KindValue && k != KindParentID && k != KindIndex {
				lay.byCol[c.Col-1] = colIgnored // derived from the date beside it
			}
		}
	}
	return problems, false
}

// firstRow returns a table's header: its first row that is not blank, or
// an empty row for an empty table.
func firstRow(tf *InputTable) (InputRow, error) {
	rows, err := tf.Open()
	if err != nil {
		return InputRow{}, err
	}
	defer rows.Close()
	for {
		row, err := rows.Next()
		if err == io.EOF {
			return InputRow{}, nil
		}
		if err != nil {
			return InputRow{}, err
		}
		if !row.Blank() {
			return row, nil
		}
	}
}

// missingKeys reports the key columns the header lacks: without them no
// row can be put in its place.
func missingKeys(lay *layout, row int) []*record.ImportError {
	var out []*record.ImportError
	for ci, c := range lay.table.Columns {
		key := c.Kind == KindParentID || c.Kind == KindIndex || (lay.table.Path == "" && c.Name == "id")
		if !key || lay.colOf[ci] != 0 {
			continue
		}
		var why string
		switch c.Kind {
		case KindParentID:
			why = fmt.Sprintf("which says which %s each row belongs to", lay.table.Type)
		case KindIndex:
			why = fmt.Sprintf("which says which %s each row is", strings.TrimSuffix(c.Name, "_index"))
		default:
			why = "which holds each record's id"
		}
		out = append(out, lay.problem(row, 1, record.CodeMissingColumn, fmt.Sprintf(
			"%s has no %q column, %s; add it back as the export wrote it", lay.file.Name(lay.table), c.Name, why)))
	}
	return out
}

// semicolons reports whether a header cell holds a line of column names
// separated by semicolons.
func semicolons(name string) bool { return strings.Count(name, ";") >= 2 }

// unknownColumn explains a header that names no column of t.
func unknownColumn(name string, t *Table) string {
	var names []string
	for _, c := range t.Columns {
		names = append(names, c.Name)
	}
	msg := fmt.Sprintf("unknown column %s", record.QuoteKey(name))
	if s := suggest.Nearest(name, names); s != "" {
		msg += fmt.Sprintf("; did you mean %q?", s)
	}
	return msg + "; rename or delete it (the export's codebook lists the columns)"
}

// ColumnName returns the letters of a column number, as Excel shows them.
func ColumnName(col int) string {
	s := ""
	for ; col > 0; col = (col - 1) / 26 {
		s = string(rune('A'+(col-1)%26)) + s
	}
	return s
}

// ValidatorOrDefault returns v, or the validator of the record schemas
// annals embeds when v is nil.
func ValidatorOrDefault(v *schema.Validator) (*schema.Validator, error) {
	if v != nil {
		return v, nil
	}
	return schema.Default()
}

// WholeFileError reports a problem with a whole file.
func WholeFileError(file, code, msg string) *record.ImportError {
	return &record.ImportError{Position: record.Position{File: file, Line: 1, Col: 1}, Code: code, Msg: msg}
}

// FirstValue finds the first cell with a value in a table.
func FirstValue(tf *InputTable) (pos record.Position, found bool, err error) {
	rows, err := tf.Open()
	if err != nil {
		return pos, false, err
	}
	defer rows.Close()
	for {
		row, err := rows.Next()
		if err == io.EOF {
			return pos, false, nil
		}
		if err != nil {
			return pos, false, err
		}
		for _, c := range row.Cells {
			if strings.TrimSpace(c.Text) != "" {
				return tf.Pos(row.Num, c.Col), true, nil
			}
		}
	}
}
