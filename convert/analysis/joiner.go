package analysis

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/maphash"
	"io"
	"os"
	"strings"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/jsonvalue"
	"github.com/annals-project/annals/internal/store"
	"github.com/annals-project/annals/schema"
)

// A Joiner makes the analysis table's rows. Add takes every record, in
// input order; Rows then gives one row per attestation of every event and
// statement, in the order the records came, with the speaker's, the
// participants' and the source's fields joined in. Close removes its
// temporary file.
//
// Each row's own values wait in a temporary file, so memory does not grow
// with the events and statements; so do what the joins need (an actor's
// name, a source's outlet, headline and date), which the first Rows loads
// packed (store.IDIndex and store.Lists): by then the checks, which hold
// the most memory while the records stream, are done, and the two are
// never held at once.
type Joiner struct {
	layout              *Layout
	rowSpool, joinSpool spool
	index               *store.IDIndex // loaded from joinSpool by the first Rows
	lists               store.Lists    // an actor's [name]; a source's [outlet, headline, published, publisher]
	rows                int
	err                 error
	buf                 []byte
}

// spool is a temporary file written in order and then read from the
// start.
type spool struct {
	f *os.File
	w *bufio.Writer
}

// write appends b, after its length, creating the file first.
func (s *spool) write(b []byte) error {
	if s.f == nil {
		f, err := atomicfile.Spool("annals-analysis-*.rows")
		if err != nil {
			return fmt.Errorf("creating a temporary file for the analysis table: %w", err)
		}
		s.f, s.w = f, bufio.NewWriterSize(f, 64<<10)
	}
	var n [binary.MaxVarintLen64]byte
	s.w.Write(n[:binary.PutUvarint(n[:], uint64(len(b)))])
	_, err := s.w.Write(b)
	return err
}

// reader flushes the file and returns a reader of it from the start, or
// nil if nothing was written.
func (s *spool) reader() (*bufio.Reader, error) {
	if s.f == nil {
		return nil, nil
	}
	if err := s.w.Flush(); err != nil {
		return nil, fmt.Errorf("writing the analysis table's temporary file: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("reading the analysis table's temporary file: %w", err)
	}
	return bufio.NewReaderSize(s.f, 64<<10), nil
}

// next reads the next piece written, into buf.
func next(r *bufio.Reader, buf []byte) ([]byte, error) {
	n, err := binary.ReadUvarint(r)
	if err != nil {
		return nil, corrupt(err)
	}
	if uint64(cap(buf)) < n {
		buf = make([]byte, n)
	}
	buf = buf[:n]
	if _, err := io.ReadFull(r, buf); err != nil {
		return nil, corrupt(err)
	}
	return buf, nil
}

// close closes and removes the file.
func (s *spool) close() error {
	if s.f == nil {
		return nil
	}
	f := s.f
	s.f = nil
	return atomicfile.CloseSpool(f)
}

// The kinds of ids the index keeps.
const (
	kindActor uint8 = 1 + iota
	kindSource
)

// NewJoiner returns a Joiner of the rows of l.
func NewJoiner(l *Layout) *Joiner {
	return &Joiner{layout: l}
}

// Add takes one record: an actor or source for the joins, an event or a
// statement for its rows. A record that is none of these is passed over.
func (j *Joiner) Add(rec *record.Record) error {
	if j.err != nil {
		return j.err
	}
	obj, ok := rec.Value.(map[string]any)
	if !ok {
		return nil
	}
	typ, _ := obj["type"].(string)
	id, _ := obj["id"].(string)
	switch typ {
	case schema.Actor:
		j.keep(id, kindActor, str(obj, "name"))
	case schema.Source:
		j.keep(id, kindSource, str(obj, "outlet"), str(obj, "headline"), str(obj, "published"), str(obj, "publisher"))
	case schema.Event, schema.Statement:
		j.addRows(typ, id, obj)
	}
	return j.err
}

// keep spools what the joins need of an actor or a source: its kind, id
// and fields.
func (j *Joiner) keep(id string, kind uint8, fields ...string) {
	b := append(j.buf[:0], kind)
	for _, s := range append([]string{id}, fields...) {
		b = appendBytes(b, s)
	}
	j.buf = b
	if err := j.joinSpool.write(b); err != nil {
		j.err = err
	}
}

// load reads what keep spooled into the index and lists, once, in the
// order it came (the first record of an id is the one joined, as it is
// everywhere), and removes the file.
func (j *Joiner) load() error {
	if j.index != nil {
		return nil
	}
	j.index = store.NewIDIndex(maphash.MakeSeed())
	r, err := j.joinSpool.reader()
	if r == nil || err != nil {
		return err
	}
	defer j.joinSpool.close()
	var buf []byte
	fields := make([]string, 0, 4)
	for {
		if _, err := r.Peek(1); err == io.EOF {
			return nil
		}
		if buf, err = next(r, buf); err != nil {
			return err
		}
		if len(buf) == 0 {
			return corrupt(errors.New("an empty entry"))
		}
		kind, b := buf[0], buf[1:]
		fields = fields[:0]
		for len(b) > 0 {
			n, k := binary.Uvarint(b)
			if k <= 0 || n > uint64(len(b)-k) {
				return corrupt(errors.New("a bad length"))
			}
			fields = append(fields, string(b[k:k+int(n)]))
			b = b[k+int(n):]
		}
		if (kind != kindActor || len(fields) != 2) && (kind != kindSource || len(fields) != 5) {
			return corrupt(fmt.Errorf("an entry of kind %d with %d fields", kind, len(fields)))
		}
		n := j.lists.Append(fields[1:]...)
		if err := j.lists.Err(); err != nil {
			return err
		}
		id := fields[0]
		if _, _, err := j.index.Add(id, j.index.Hash(id), store.Value{A: uint32(n), Kind: kind}); err != nil {
			return err
		}
	}
}

// lookup returns the i-th field kept for id, if it is of kind.
func (j *Joiner) lookup(id string, kind uint8, i int) string {
	if id == "" {
		return ""
	}
	n, ok := j.index.Find(id, j.index.Hash(id))
	if !ok {
		return ""
	}
	v := j.index.Value(n)
	if v.Kind != kind {
		return ""
	}
	return j.lists.Get(int(v.A), i)
}

// addRows spools the rows of an event or a statement: for each
// attestation, the values of the columns that come from the record, in
// the layout's order (the joined ones are filled by Rows).
func (j *Joiner) addRows(typ, id string, obj map[string]any) {
	atts, _ := obj["attestations"].([]any)
	if len(atts) == 0 {
		return
	}
	var participants string
	if parts, ok := obj["participants"].([]any); ok {
		ids := make([]string, 0, len(parts))
		for _, p := range parts {
			if m, ok := p.(map[string]any); ok {
				if a, ok := m["actor"].(string); ok {
					ids = append(ids, a)
				}
			}
		}
		participants = strings.Join(ids, Separator)
	}
	loc, _ := obj["location"].(map[string]any)
	for i, x := range atts {
		att, _ := x.(map[string]any)
		b := j.buf[:0]
		for _, c := range j.layout.columns {
			var v any
			switch c.from {
			case fromRecordType:
				v = typ
			case fromRecordID:
				v = id
			case fromAttestationIndex:
				b = append(b, tagInt)
				b = binary.AppendUvarint(b, uint64(i+1))
				continue
			case fromTitle:
				if typ == schema.Event {
					v = obj["title"]
				}
			case fromSummary:
				if typ == schema.Statement {
					v = obj["summary"]
				}
			case fromSpeaker:
				v = obj["speaker"]
			case fromSpeakerRole:
				v = obj["speaker_role"]
			case fromParticipants:
				v = participants
			case fromDate:
				v = obj["date"]
			case fromLocationName:
				v = loc["name"]
			case fromLocationCountry:
				v = loc["country"]
			case fromSource:
				v = att["source"]
			case fromRank:
				v = att["rank"]
			case fromReportedDate:
				v = att["reported_date"]
			case fromReportedDateText:
				v = att["reported_date_text"]
			case fromReportedPlace:
				v = att["reported_place"]
			case fromQuote:
				v = att["quote"]
			case fromQuoteKind:
				v = att["quote_kind"]
			case fromQuoteLanguage:
				v = att["quote_language"]
			case fromCreditedTo:
				v = att["credited_to"]
			case fromCreditedActor:
				v = att["credited_actor"]
			case fromOwn:
				v = obj[c.Name]
			default:
				continue // joined by Rows
			}
			b = appendValue(b, v)
		}
		j.buf = b
		if err := j.rowSpool.write(b); err != nil {
			j.err = err
			return
		}
		j.rows++
	}
}

// The tags of spooled values.
const (
	tagNil byte = iota
	tagString
	tagNumber
	tagFalse
	tagTrue
	tagInt
)

// appendValue appends the spooled form of one value: a string, a JSON
// number, a boolean, or a list of them (a study's list field), which
// becomes one string.
func appendValue(b []byte, v any) []byte {
	switch v := v.(type) {
	case string:
		if v == "" {
			return append(b, tagNil)
		}
		return appendBytes(append(b, tagString), v)
	case json.Number:
		return appendBytes(append(b, tagNumber), string(v))
	case bool:
		if v {
			return append(b, tagTrue)
		}
		return append(b, tagFalse)
	case []any:
		parts := make([]string, 0, len(v))
		for _, x := range v {
			switch x := x.(type) {
			case string:
				parts = append(parts, x)
			case json.Number:
				parts = append(parts, jsonvalue.CanonicalNumber(string(x)))
			case bool:
				parts = append(parts, fmt.Sprint(x))
			}
		}
		if len(parts) == 0 {
			return append(b, tagNil)
		}
		return appendBytes(append(b, tagString), strings.Join(parts, Separator))
	}
	return append(b, tagNil)
}

func appendBytes(b []byte, s string) []byte {
	b = binary.AppendUvarint(b, uint64(len(s)))
	return append(b, s...)
}

// Len is the number of rows so far.
func (j *Joiner) Len() int { return j.rows }

// RowsOf is the number of rows a record gives: one per attestation of
// an event or a statement.
func RowsOf(rec *record.Record) int {
	obj, _ := rec.Value.(map[string]any)
	switch obj["type"] {
	case schema.Event, schema.Statement:
		atts, _ := obj["attestations"].([]any)
		return len(atts)
	}
	return 0
}

// Rows calls fn with each row's cells, in the order of the layout's
// Table.Columns; fn must not keep them. It stops at fn's first error and
// returns it. Call it after the last Add, as many times as needed (the
// workbook measures its columns, then writes them).
func (j *Joiner) Rows(fn func(cells []table.Cell) error) error {
	if j.err != nil {
		return j.err
	}
	if err := j.load(); err != nil {
		j.err = err
		return err
	}
	r, err := j.rowSpool.reader()
	if r == nil || err != nil {
		j.err = err
		return err
	}
	cells := make([]table.Cell, 0, len(j.layout.Table.Columns))
	var row []byte
	for range j.rows {
		if row, err = next(r, row); err != nil {
			return err
		}
		cells, err = j.decode(cells[:0], row)
		if err != nil {
			return err
		}
		if err := fn(cells); err != nil {
			return err
		}
	}
	return nil
}

// decode appends the cells of one spooled row to cells, joining in what
// the other records say.
func (j *Joiner) decode(cells []table.Cell, b []byte) ([]table.Cell, error) {
	var speaker, participants, source, credited string
	for _, c := range j.layout.columns {
		var cell table.Cell
		switch c.from {
		case fromSpeakerName:
			cell = text(j.lookup(speaker, kindActor, 0))
		case fromParticipantNames:
			if participants != "" {
				ids := strings.Split(participants, Separator)
				for i, id := range ids {
					ids[i] = j.lookup(id, kindActor, 0)
				}
				cell = text(strings.Join(ids, Separator))
			}
		case fromOutlet:
			cell = text(j.lookup(source, kindSource, 0))
		case fromHeadline:
			cell = text(j.lookup(source, kindSource, 1))
		case fromPublished:
			cell = text(j.lookup(source, kindSource, 2))
		case fromPublisher:
			cell = text(j.lookup(source, kindSource, 3))
		case fromPublisherName:
			cell = text(j.lookup(j.lookup(source, kindSource, 3), kindActor, 0))
		case fromCreditedActorName:
			cell = text(j.lookup(credited, kindActor, 0))
		default:
			var err error
			cell, b, err = nextCell(b)
			if err != nil {
				return nil, err
			}
		}
		switch c.from {
		case fromSpeaker:
			speaker = cell.Text
		case fromParticipants:
			participants = cell.Text
		case fromSource:
			source = cell.Text
		case fromCreditedActor:
			credited = cell.Text
		}
		cells = append(cells, cell)
		if c.date {
			d := table.DateCells(cell.Text)
			cells = append(cells, d[:]...)
		}
	}
	if len(b) != 0 {
		return nil, corrupt(errors.New("bytes left over"))
	}
	return cells, nil
}

func text(s string) table.Cell {
	if s == "" {
		return table.Cell{}
	}
	return table.Cell{Kind: table.CellString, Text: s}
}

// nextCell decodes the value at the start of b.
func nextCell(b []byte) (table.Cell, []byte, error) {
	if len(b) == 0 {
		return table.Cell{}, nil, corrupt(io.ErrUnexpectedEOF)
	}
	tag, b := b[0], b[1:]
	switch tag {
	case tagNil:
		return table.Cell{}, b, nil
	case tagFalse:
		return table.Cell{Kind: table.CellBool}, b, nil
	case tagTrue:
		return table.Cell{Kind: table.CellBool, Int: 1}, b, nil
	case tagInt:
		n, k := binary.Uvarint(b)
		if k <= 0 {
			return table.Cell{}, nil, corrupt(errors.New("a bad number"))
		}
		return table.Cell{Kind: table.CellIndex, Int: int(n)}, b[k:], nil
	case tagString, tagNumber:
		n, k := binary.Uvarint(b)
		if k <= 0 || n > uint64(len(b)-k) {
			return table.Cell{}, nil, corrupt(errors.New("a bad length"))
		}
		kind := table.CellString
		if tag == tagNumber {
			kind = table.CellNumber
		}
		return table.Cell{Kind: kind, Text: string(b[k : k+int(n)])}, b[k+int(n):], nil
	}
	return table.Cell{}, nil, corrupt(fmt.Errorf("tag %d", tag))
}

// corrupt is the error of a temporary file that does not read back as
// written: another process wrote to it, or the disk failed.
func corrupt(err error) error {
	return fmt.Errorf("the analysis table's temporary file does not read back as written (%v): was it changed by another program?", err)
}

// Close removes the temporary files.
func (j *Joiner) Close() error {
	err := j.rowSpool.close()
	if e := j.joinSpool.close(); err == nil {
		err = e
	}
	return err
}

func str(obj map[string]any, key string) string {
	s, _ := obj[key].(string)
	return s
}
