package xlsx

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/annals-project/annals/convert/analysis"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/english"
)

// NewWriter returns a Writer of an Excel workbook to w: a sheet per
// table of [table.Tables], in that order, then a Codebook sheet describing every
// column and an About sheet with the dataset's provenance (and a hidden
// Lists sheet holding the allowed values of long dropdowns).
//
// Rows wait in temporary files until Close, which lays out each sheet
// (column widths, dropdowns, links) and streams its rows into the
// workbook, compressing the sheets concurrently, so memory does not grow
// with the number of records. Nothing is written to w before Close, nor
// by a Close that fails. The same records and dataset give the same
// bytes: the workbook holds no current time.
//
// Text is never a formula, EDTF dates stay text, and the *_earliest and
// *_latest columns are real dates. Write refuses a record with text longer
// than a cell holds (32,767 characters) rather than cutting it.
func NewWriter(w io.Writer, ds *record.Dataset) record.Writer {
	if ds == nil {
		ds = &record.Dataset{}
	}
	x := &xlsxWriter{out: w, ds: ds}
	v, err := ds.Schema()
	if err != nil {
		x.err = err
		return x
	}
	x.tables = table.Tables(v)
	x.analysis = analysis.NewLayout(v)
	x.joiner = analysis.NewJoiner(x.analysis)
	x.sheets = make([]tableSheet, len(x.tables))
	for i, t := range x.tables {
		x.sheets[i].widths = make([]int, len(t.Columns))
		for j, c := range t.Columns {
			x.sheets[i].widths[j] = headerWidth(c.Name)
		}
	}
	return x
}

type xlsxWriter struct {
	out      io.Writer
	ds       *record.Dataset
	tables   []table.Table
	sheets   []tableSheet // by table
	analysis *analysis.Layout
	joiner   *analysis.Joiner // the Analysis sheet's rows
	err      error            // an error that stops every later Write
	first    error            // the first error Write returned: Close writes nothing after one
	closed   bool
	result   error // what Close returned
}

// tableSheet is what Write gathers for one table's sheet.
type tableSheet struct {
	spool  *rowSpool // nil until the first row
	widths []int     // display width of the widest value of each column
}

func (s *tableSheet) rows() int {
	if s.spool == nil {
		return 0
	}
	return s.spool.rows
}

func (s *tableSheet) append(row table.Row) error {
	if s.spool == nil {
		sp, err := newRowSpool()
		if err != nil {
			return err
		}
		s.spool = sp
	}
	for i, v := range row {
		if s.widths[i] < maxColumnWidth {
			s.widths[i] = max(s.widths[i], valueWidth(v))
		}
	}
	return s.spool.append(row)
}

func (x *xlsxWriter) Write(rec *record.Record) error {
	switch {
	case x.closed:
		return errors.New("write to a closed workbook")
	case x.err != nil:
		return x.err
	}
	err := x.write(rec)
	if err != nil && x.first == nil {
		x.first = err
	}
	return err
}

func (x *xlsxWriter) write(rec *record.Record) error {
	obj, ok := rec.Value.(map[string]any)
	if !ok {
		return record.ErrorAt(rec, "", errors.New("the record is not an object"))
	}
	if ptr, n, long := longText(rec); long {
		return record.ErrorAt(rec, ptr, fmt.Errorf(
			"text of %s characters is longer than the 32,767 an Excel cell can hold; shorten it or export to CSV or JSON", english.Thousands(int64(n))))
	}
	rows := table.Flatten(x.tables, obj)
	// Check every sheet before writing any row, so that a refused record
	// leaves nothing behind.
	for ti := range x.tables {
		if x.sheets[ti].rows()+len(rows[ti]) > maxSheetRows {
			return tooManyRows(x.tables[ti].Sheet)
		}
	}
	if x.joiner.Len()+analysis.RowsOf(rec) > maxSheetRows {
		return tooManyRows(analysis.Sheet)
	}
	for ti := range x.tables {
		for _, row := range rows[ti] {
			if err := x.sheets[ti].append(row); err != nil {
				x.err = err
				return err
			}
		}
	}
	if err := x.joiner.Add(rec); err != nil {
		x.err = err
		return err
	}
	return nil
}

func tooManyRows(sheet string) error {
	return fmt.Errorf("the %q sheet would have more than the %s rows an Excel sheet can hold; export to CSV, Parquet or JSON instead",
		sheet, english.Thousands(int64(maxSheetRows)))
}

// Discard removes the temporary files without writing the workbook (see
// record.Discarder).
func (x *xlsxWriter) Discard() {
	x.err = cmp.Or(x.err, record.ErrDiscarded)
	x.Close()
}

// Close writes the workbook to w and removes the temporary files. After a
// failed Write it only removes them, and returns that Write's error.
func (x *xlsxWriter) Close() error {
	if x.closed {
		return x.result
	}
	x.closed = true
	defer x.removeSpools()
	switch {
	case x.first != nil:
		x.result = x.first
	case x.err != nil:
		x.result = x.err
	default:
		x.result = x.writeWorkbook()
	}
	return x.result
}

func (x *xlsxWriter) removeSpools() {
	if x.joiner != nil {
		x.joiner.Close()
	}
	for i := range x.sheets {
		if sp := x.sheets[i].spool; sp != nil {
			sp.remove()
			x.sheets[i].spool = nil
		}
	}
}

// The fixed sheets after the tables.
const (
	conflictsSheet = "Conflicts"
	codebookSheet  = "Codebook"
	AboutSheet     = "About"
	listsSheet     = "Lists"
)

func (x *xlsxWriter) writeWorkbook() (err error) {
	f := excelize.NewFile()
	defer func() {
		// Close removes excelize's own temporary files.
		if cerr := f.Close(); cerr != nil && err == nil {
			err = fmt.Errorf("removing the workbook's temporary files: %w", cerr)
		}
	}()
	st, err := newStyles(f)
	if err != nil {
		return err
	}
	plans, err := x.plans(st)
	if err != nil {
		return err
	}
	if err := addSheets(f, plans); err != nil {
		return err
	}
	z := newZipSpool()
	defer z.remove()
	for _, p := range plans {
		if err := writeSheet(f, z, st, p); err != nil {
			return fmt.Errorf("writing the %q sheet: %w", p.name, err)
		}
	}
	if err := f.SetDocProps(docProps(x.ds)); err != nil {
		return fmt.Errorf("setting the workbook's properties: %w", err)
	}
	f.ZipWriter = func(io.Writer) excelize.ZipWriter { return z }
	if err := f.Write(io.Discard); err != nil { // the parts go to z, not to io.Discard
		return fmt.Errorf("saving the workbook: %w", err)
	}
	if err := z.writeTo(x.out, st); err != nil {
		return fmt.Errorf("writing the workbook: %w", err)
	}
	return nil
}

// plans lays out every sheet, in the workbook's order.
func (x *xlsxWriter) plans(st styles) ([]*sheetPlan, error) {
	lists := &listSheet{index: map[string]int{}}
	plans := x.tablePlans(st, lists)
	p, err := x.analysisPlan(st, lists)
	if err != nil {
		return nil, err
	}
	plans = append(plans, p)
	if x.ds.Conflicts != nil {
		if p := conflictsPlan(x.ds.Conflicts); p.rows > 0 {
			plans = append(plans, p)
		}
	}
	plans = append(plans, codebookPlan(append(slices.Clone(x.tables), x.analysis.Table)), aboutPlan(x.ds))
	if len(lists.columns) > 0 {
		plans = append(plans, lists.plan())
	}
	return plans, nil
}

// addSheets creates the sheets in order, renaming excelize's default sheet
// to the first. It hides sheets before any is streamed: SetSheetVisible
// reads every worksheet back, which would parse whole streamed sheets.
func addSheets(f *excelize.File, plans []*sheetPlan) error {
	for i, p := range plans {
		var err error
		if i == 0 {
			err = f.SetSheetName(f.GetSheetName(0), p.name)
		} else {
			_, err = f.NewSheet(p.name)
		}
		if err != nil {
			return fmt.Errorf("adding the %q sheet: %w", p.name, err)
		}
	}
	for _, p := range plans {
		if p.hidden {
			if err := f.SetSheetVisible(p.name, false); err != nil {
				return fmt.Errorf("hiding the %q sheet: %w", p.name, err)
			}
		}
	}
	return nil
}

// styles are the cell styles of the workbook.
type styles struct {
	header, text, date, link int
}

func newStyles(f *excelize.File) (styles, error) {
	var st styles
	dayFormat := "yyyy-mm-dd"
	for _, s := range []struct {
		id    *int
		style *excelize.Style
	}{
		{&st.header, &excelize.Style{
			Font:   &excelize.Font{Bold: true},
			Fill:   excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}},
			Border: []excelize.Border{{Type: "bottom", Color: "8EA9DB", Style: 1}},
		}},
		// "@": Excel keeps what is typed into these cells as text too.
		{&st.text, &excelize.Style{NumFmt: 49}},
		{&st.date, &excelize.Style{CustomNumFmt: &dayFormat}},
		{&st.link, &excelize.Style{NumFmt: 49, Font: &excelize.Font{Color: "0563C1", Underline: "single"}}},
	} {
		id, err := f.NewStyle(s.style)
		if err != nil {
			return st, fmt.Errorf("adding a cell style: %w", err)
		}
		*s.id = id
	}
	return st, nil
}

// sheetPlan is everything needed to write one sheet.
type sheetPlan struct {
	name    string
	table   string // the name of the Excel table over its cells, unique in the workbook
	columns []string
	widths  []int      // display width of each column's widest value or header
	styles  []int      // each column's cell style; 0 for General
	drops   []dropList // dropdowns
	links   []bool     // columns whose web and mail addresses become links
	rows    int
	each    func(yield func(row []any) error) error // the rows, in order
	hidden  bool
}

// dropList is a dropdown of allowed values on a column, given inline or as
// a reference to a range of the Lists sheet.
type dropList struct {
	col    int
	values []string
	ref    string
}

func (x *xlsxWriter) tablePlans(st styles, lists *listSheet) []*sheetPlan {
	plans := make([]*sheetPlan, len(x.tables))
	for ti := range x.tables {
		t, s := &x.tables[ti], &x.sheets[ti]
		p := columnsPlan(t, st, lists)
		p.widths, p.rows = s.widths, s.rows()
		p.each = spoolRows(s.spool, len(t.Columns))
		plans[ti] = p
	}
	return plans
}

// columnsPlan lays out the sheet of t but for its rows: the columns, their
// styles, links and dropdowns.
func columnsPlan(t *table.Table, st styles, lists *listSheet) *sheetPlan {
	p := &sheetPlan{
		name: t.Sheet, table: t.Name,
		styles: make([]int, len(t.Columns)), links: make([]bool, len(t.Columns)),
	}
	for i, c := range t.Columns {
		p.columns = append(p.columns, c.Name)
		switch c.Type {
		case "string":
			p.styles[i] = st.text
		case "date":
			p.styles[i] = st.date
		}
		p.links[i] = c.Format == "uri"
		if len(c.Enum) > 0 {
			d := dropList{col: i, values: c.Enum}
			if !fitsInline(c.Enum) {
				d = dropList{col: i, ref: lists.ref(c.Name, c.Enum)}
			}
			p.drops = append(p.drops, d)
		}
	}
	return p
}

// analysisPlan lays out the Analysis sheet (see package analysis): a
// first reading of its rows measures the columns, and refuses a cell
// longer than Excel holds (participants' names joined, say), naming the
// record; the second writes them.
func (x *xlsxWriter) analysisPlan(st styles, lists *listSheet) (*sheetPlan, error) {
	t := &x.analysis.Table
	p := columnsPlan(t, st, lists)
	p.rows = x.joiner.Len()
	p.widths = make([]int, len(t.Columns))
	for i, c := range t.Columns {
		p.widths[i] = headerWidth(c.Name)
	}
	id := t.ColumnIndex("record_id")
	err := x.joiner.Rows(func(cells []table.Cell) error {
		for i, c := range cells {
			v := c.Value()
			if s, ok := v.(string); ok && tooLong(s) {
				return fmt.Errorf("the %q sheet: the %s of %q is %s characters long, more than the 32,767 an Excel cell can hold; export to CSV or Parquet instead",
					analysis.Sheet, t.Columns[i].Name, cells[id].Text, english.Thousands(int64(textLength(s))))
			}
			if p.widths[i] < maxColumnWidth {
				p.widths[i] = max(p.widths[i], valueWidth(v))
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p.each = func(yield func(row []any) error) error {
		row := make([]any, len(t.Columns))
		return x.joiner.Rows(func(cells []table.Cell) error {
			for i, c := range cells {
				row[i] = cellValue(c.Value())
			}
			return yield(row)
		})
	}
	return p, nil
}

// spoolRows yields a table's rows from its spool as cell values.
func spoolRows(sp *rowSpool, cols int) func(yield func(row []any) error) error {
	return func(yield func(row []any) error) error {
		if sp == nil {
			return nil
		}
		r, err := sp.reader(cols)
		if err != nil {
			return err
		}
		for range sp.rows {
			row, err := r.next()
			if err != nil {
				return err
			}
			for i, v := range row {
				row[i] = cellValue(v)
			}
			if err := yield(row); err != nil {
				return err
			}
		}
		return nil
	}
}

// cellValue turns a Row value into what the stream writer should write.
func cellValue(v any) any {
	switch v := v.(type) {
	case json.Number:
		return numberCell(v)
	case time.Time:
		return dayCell(v)
	}
	return v
}

// fitsInline reports whether a dropdown's values fit in the list Excel
// accepts inline: 255 characters, commas separating them.
func fitsInline(values []string) bool {
	for _, v := range values {
		if strings.Contains(v, ",") {
			return false
		}
	}
	return textLength(strings.Join(values, ",")) <= excelize.MaxFieldLength
}

// The header row stays in view, and the rest scrolls under it.
var frozenHeader = excelize.Panes{
	Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft",
	Selection: []excelize.Selection{{SQRef: "A2", ActiveCell: "A2", Pane: "bottomLeft"}},
}

// writeSheet lays out one sheet in excelize: what must precede the rows,
// the header, and an Excel table over the rows for filters. The rows are
// z's to write (see rowWriter).
func writeSheet(f *excelize.File, z *zipSpool, st styles, p *sheetPlan) error {
	last := max(p.rows+1, 2) // a table needs a row under its header
	for _, d := range p.drops {
		if err := addDropList(f, p.name, d, last); err != nil {
			return err
		}
	}
	// The used range, which the stream writer leaves at A1: readers such as
	// openpyxl's read-only mode trust it.
	if err := f.SetSheetDimension(p.name, "A1:"+cellName(len(p.columns), p.rows+1)); err != nil {
		return err
	}
	sw, err := f.NewStreamWriter(p.name)
	if err != nil {
		return err
	}
	z.sheet(sw.SheetID, p)
	if err := setColumns(sw, p); err != nil {
		return err
	}
	if err := sw.SetPanes(&frozenHeader); err != nil {
		return err
	}
	header := make([]any, len(p.columns))
	for i, c := range p.columns {
		header[i] = excelize.Cell{StyleID: st.header, Value: c}
	}
	if err := sw.SetRow("A1", header); err != nil {
		return err
	}
	if err := sw.AddTable(&excelize.Table{
		Range: "A1:" + cellName(len(p.columns), last), Name: p.table, StyleName: "TableStyleLight1",
	}); err != nil {
		return err
	}
	return sw.Flush()
}

// setColumns sets the width of every column, and the style of cells typed
// into it later. The rows' cells carry their styles themselves: excelize's
// StreamWriter.SetRow gives every cell without one the style of the row's
// first column, so that column gets none.
func setColumns(sw *excelize.StreamWriter, p *sheetPlan) error {
	// Backwards: excelize puts each column it sets first in <cols>, and
	// Excel wants them in order.
	for i := len(p.columns) - 1; i >= 0; i-- {
		col := i + 1
		width := float64(min(max(p.widths[i]+1, minColumnWidth), maxColumnWidth))
		if err := sw.SetColWidth(col, col, width); err != nil {
			return err
		}
		if p.styles[i] != 0 && col > 1 {
			if err := sw.SetColStyle(col, col, p.styles[i]); err != nil {
				return err
			}
		}
	}
	return nil
}

// cellName returns the A1 reference of a cell; col and row are in range.
func cellName(col, row int) string {
	name, _ := excelize.ColumnNumberToName(col)
	return name + strconv.Itoa(row)
}

func addDropList(f *excelize.File, sheet string, d dropList, lastRow int) error {
	dv := excelize.NewDataValidation(true)
	col, _ := excelize.ColumnNumberToName(d.col + 1)
	dv.Sqref = col + "2:" + col + strconv.Itoa(lastRow)
	if d.ref != "" {
		dv.SetSqrefDropList(d.ref)
	} else if err := dv.SetDropList(d.values); err != nil {
		return err
	}
	dv.SetError(excelize.DataValidationErrorStyleStop, "Value not allowed",
		"Choose one of the values in the list; the Codebook sheet lists them.")
	return f.AddDataValidation(sheet, dv)
}

// headerWidth is the width a header needs, with room for the filter
// button.
func headerWidth(name string) int { return displayWidth(name, maxColumnWidth) + 2 }
