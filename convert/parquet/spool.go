package parquet

import (
	"bufio"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"math"
	"os"

	pq "github.com/parquet-go/parquet-go"

	"github.com/annals-project/annals/internal/atomicfile"
)

// rowSpool keeps one table's rows, converted, in a nameless temporary
// file from Write to Close. A row has a value per column, each a tag and
// its payload, so rows need no framing.
type rowSpool struct {
	f    *os.File
	w    *bufio.Writer
	rows int
	size int64 // bytes written
	buf  []byte
}

// The tags of spooled values.
const (
	spoolNull byte = iota
	spoolBytes
	spoolInt64
	spoolInt32
	spoolDouble
	spoolFalse
	spoolTrue
)

// write appends a row, creating the file first.
func (s *rowSpool) write(row pq.Row) error {
	if s.f == nil {
		f, err := atomicfile.Spool("annals-parquet-*.rows")
		if err != nil {
			return fmt.Errorf("creating a temporary file for the rows: %w", err)
		}
		s.f, s.w = f, bufio.NewWriterSize(f, 32<<10)
	}
	b := s.buf[:0]
	for _, v := range row {
		if v.IsNull() {
			b = append(b, spoolNull)
			continue
		}
		switch v.Kind() {
		case pq.ByteArray:
			b = append(b, spoolBytes)
			b = binary.AppendUvarint(b, uint64(len(v.ByteArray())))
			b = append(b, v.ByteArray()...)
		case pq.Int64:
			b = binary.AppendVarint(append(b, spoolInt64), v.Int64())
		case pq.Int32:
			b = binary.AppendVarint(append(b, spoolInt32), int64(v.Int32()))
		case pq.Double:
			b = binary.LittleEndian.AppendUint64(append(b, spoolDouble), math.Float64bits(v.Double()))
		case pq.Boolean:
			if v.Boolean() {
				b = append(b, spoolTrue)
			} else {
				b = append(b, spoolFalse)
			}
		default:
			return fmt.Errorf("a value of kind %v", v.Kind())
		}
	}
	s.buf = b
	n, err := s.w.Write(b)
	s.size += int64(n)
	s.rows++
	return err
}

// each calls fn with every row, of cols values, in the order written;
// the rows are fn's to keep.
func (s *rowSpool) each(cols int, fn func(pq.Row) error) error {
	if s.f == nil {
		return nil
	}
	if err := s.w.Flush(); err != nil {
		return fmt.Errorf("writing the rows' temporary file: %w", err)
	}
	if _, err := s.f.Seek(0, io.SeekStart); err != nil {
		return fmt.Errorf("reading the rows' temporary file: %w", err)
	}
	r := bufio.NewReaderSize(s.f, 32<<10)
	for range s.rows {
		row := make(pq.Row, cols)
		for ci := range row {
			v, err := readValue(r)
			if err != nil {
				return fmt.Errorf("the rows' temporary file does not read back as written (%v): was it changed by another program?", err)
			}
			if v.IsNull() {
				row[ci] = v.Level(0, 0, ci)
			} else {
				row[ci] = v.Level(0, 1, ci)
			}
		}
		if err := fn(row); err != nil {
			return err
		}
	}
	return nil
}

// readValue reads one value.
func readValue(r *bufio.Reader) (pq.Value, error) {
	tag, err := r.ReadByte()
	if err != nil {
		return pq.Value{}, err
	}
	switch tag {
	case spoolNull:
		return pq.NullValue(), nil
	case spoolBytes:
		n, err := binary.ReadUvarint(r)
		if err != nil {
			return pq.Value{}, err
		}
		if n > math.MaxInt32 {
			return pq.Value{}, errors.New("a bad length")
		}
		b := make([]byte, n)
		if _, err := io.ReadFull(r, b); err != nil {
			return pq.Value{}, err
		}
		return pq.ByteArrayValue(b), nil
	case spoolInt64:
		i, err := binary.ReadVarint(r)
		return pq.Int64Value(i), err
	case spoolInt32:
		i, err := binary.ReadVarint(r)
		if i < math.MinInt32 || i > math.MaxInt32 {
			return pq.Value{}, errors.New("a bad date")
		}
		return pq.Int32Value(int32(i)), err
	case spoolDouble:
		var b [8]byte
		if _, err := io.ReadFull(r, b[:]); err != nil {
			return pq.Value{}, err
		}
		return pq.DoubleValue(math.Float64frombits(binary.LittleEndian.Uint64(b[:]))), nil
	case spoolFalse, spoolTrue:
		return pq.BooleanValue(tag == spoolTrue), nil
	}
	return pq.Value{}, fmt.Errorf("tag %d", tag)
}

// close closes and removes the file.
func (s *rowSpool) close() {
	if s.f != nil {
		atomicfile.CloseSpool(s.f)
		s.f = nil
	}
}
