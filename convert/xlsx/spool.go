package xlsx

import (
	"bufio"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"time"

	"github.com/annals-project/annals/convert/table"
	"github.com/annals-project/annals/internal/atomicfile"
)

// rowSpool keeps the rows of one table in a temporary file from Write to
// Close. A sheet's column widths, data validations and hyperlinks must be
// set before its first row is streamed, and they depend on every row, so
// the rows wait on disk rather than in memory.
//
// Each value is a type tag followed by its payload: uvarint-prefixed bytes
// for text and numbers, a varint for indexes and days. Rows have as many
// values as the table has columns, so they need no framing.
type rowSpool struct {
	file *os.File
	w    *bufio.Writer
	rows int
	err  error // the first write error; bufio keeps failing after it anyway
	num  [binary.MaxVarintLen64]byte
}

const (
	tagNil byte = iota
	tagString
	tagNumber
	tagInt
	tagFalse
	tagTrue
	tagDay // seconds since the Unix epoch of midnight UTC
)

func newRowSpool() (*rowSpool, error) {
	f, err := atomicfile.Spool("annals-xlsx-*.rows")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for the workbook's rows: %w", err)
	}
	return &rowSpool{file: f, w: bufio.NewWriterSize(f, 64<<10)}, nil
}

// append adds one row. Values are those Flatten makes.
func (s *rowSpool) append(row table.Row) error {
	for _, v := range row {
		switch v := v.(type) {
		case nil:
			s.putByte(tagNil)
		case string:
			s.putBytes(tagString, v)
		case json.Number:
			s.putBytes(tagNumber, string(v))
		case int:
			s.putVarint(tagInt, int64(v))
		case bool:
			if v {
				s.putByte(tagTrue)
			} else {
				s.putByte(tagFalse)
			}
		case time.Time:
			s.putVarint(tagDay, v.Unix())
		default:
			return fmt.Errorf("cannot write a %T to a sheet", v)
		}
	}
	s.rows++
	if s.err != nil {
		return fmt.Errorf("writing the workbook's rows to a temporary file: %w", s.err)
	}
	return nil
}

func (s *rowSpool) putByte(b byte) {
	s.keep(s.w.WriteByte(b))
}

func (s *rowSpool) putBytes(tag byte, v string) {
	s.putByte(tag)
	n := binary.PutUvarint(s.num[:], uint64(len(v)))
	_, err := s.w.Write(s.num[:n])
	s.keep(err)
	_, err = s.w.WriteString(v)
	s.keep(err)
}

func (s *rowSpool) putVarint(tag byte, v int64) {
	s.putByte(tag)
	n := binary.PutVarint(s.num[:], v)
	_, err := s.w.Write(s.num[:n])
	s.keep(err)
}

// keep records the first write error, which append reports once per row.
func (s *rowSpool) keep(err error) {
	if err != nil && s.err == nil {
		s.err = err
	}
}

// reader returns a reader of the rows from the first, after flushing what
// is buffered.
func (s *rowSpool) reader(cols int) (*spoolReader, error) {
	if err := s.w.Flush(); err != nil {
		return nil, fmt.Errorf("writing the workbook's rows to a temporary file: %w", err)
	}
	if _, err := s.file.Seek(0, io.SeekStart); err != nil {
		return nil, fmt.Errorf("reading the workbook's rows back: %w", err)
	}
	return &spoolReader{r: bufio.NewReaderSize(s.file, 64<<10), row: make(table.Row, cols)}, nil
}

// remove closes and deletes the temporary file.
func (s *rowSpool) remove() { atomicfile.CloseSpool(s.file) }

// spoolReader reads rows back; the row it returns is reused by the next
// call.
type spoolReader struct {
	r   *bufio.Reader
	row table.Row
	buf []byte
}

func (sr *spoolReader) next() (table.Row, error) {
	for i := range sr.row {
		v, err := sr.value()
		if err != nil {
			return nil, fmt.Errorf("reading the workbook's rows back: %w", noEOF(err))
		}
		sr.row[i] = v
	}
	return sr.row, nil
}

func (sr *spoolReader) value() (any, error) {
	tag, err := sr.r.ReadByte()
	if err != nil {
		return nil, err
	}
	switch tag {
	case tagNil:
		return nil, nil
	case tagFalse:
		return false, nil
	case tagTrue:
		return true, nil
	case tagInt, tagDay:
		n, err := binary.ReadVarint(sr.r)
		if err != nil {
			return nil, err
		}
		if tag == tagDay {
			return time.Unix(n, 0).UTC(), nil
		}
		return int(n), nil
	case tagString, tagNumber:
		n, err := binary.ReadUvarint(sr.r)
		if err != nil {
			return nil, err
		}
		if uint64(cap(sr.buf)) < n {
			sr.buf = make([]byte, n)
		}
		b := sr.buf[:n]
		if _, err := io.ReadFull(sr.r, b); err != nil {
			return nil, err
		}
		if tag == tagNumber {
			return json.Number(b), nil
		}
		return string(b), nil
	}
	return nil, fmt.Errorf("unknown value tag %d", tag)
}

// noEOF turns a clean end of file in the middle of a row into the error it
// is: the spool is shorter than its row count says.
func noEOF(err error) error {
	if err == io.EOF {
		return io.ErrUnexpectedEOF
	}
	return err
}
