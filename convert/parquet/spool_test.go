package parquet

import (
	"math"
	"testing"

	pq "github.com/parquet-go/parquet-go"
)

// TestRowSpoolRoundTrip checks that every kind of value a row holds comes
// back from the spool as written, at its column, nulls included.
func TestRowSpoolRoundTrip(t *testing.T) {
	rows := []pq.Row{
		{pq.ByteArrayValue([]byte("Tromsø")), pq.Int64Value(math.MinInt64), pq.Int32Value(math.MinInt32), pq.DoubleValue(math.Copysign(0, -1)), pq.BooleanValue(true), pq.NullValue()},
		{pq.ByteArrayValue([]byte{}), pq.Int64Value(math.MaxInt64), pq.Int32Value(math.MaxInt32), pq.DoubleValue(math.MaxFloat64), pq.BooleanValue(false), pq.ByteArrayValue([]byte("=SUM(A1)\r\n"))},
		{pq.NullValue(), pq.NullValue(), pq.NullValue(), pq.DoubleValue(5e-324), pq.NullValue(), pq.Int64Value(0)},
	}
	var s rowSpool
	defer s.close()
	for _, r := range rows {
		if err := s.write(r); err != nil {
			t.Fatal(err)
		}
	}
	i := 0
	err := s.each(6, func(got pq.Row) error {
		for ci, v := range got {
			want := rows[i][ci]
			if v.Column() != ci || v.IsNull() != want.IsNull() || !v.IsNull() && (v.Kind() != want.Kind() || !pq.Equal(v, want)) ||
				v.Kind() == pq.Double && math.Signbit(v.Double()) != math.Signbit(want.Double()) {
				t.Errorf("row %d, column %d: %v (column %d), want %v", i, ci, v, v.Column(), want)
			}
			if v.IsNull() && v.DefinitionLevel() != 0 || !v.IsNull() && v.DefinitionLevel() != 1 {
				t.Errorf("row %d, column %d: definition level %d", i, ci, v.DefinitionLevel())
			}
		}
		i++
		return nil
	})
	if err != nil || i != len(rows) {
		t.Errorf("each: %d rows, %v", i, err)
	}
}

// TestRowSpoolCorrupt checks that a spool that does not read back as
// written is an error, not rows made up.
func TestRowSpoolCorrupt(t *testing.T) {
	var s rowSpool
	defer s.close()
	if err := s.write(pq.Row{pq.Int64Value(7)}); err != nil {
		t.Fatal(err)
	}
	s.w.Write([]byte{99}) // a tag no value has
	s.rows++
	err := s.each(1, func(pq.Row) error { return nil })
	if err == nil {
		t.Error("a bad tag read back without an error")
	}
}
