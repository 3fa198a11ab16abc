package convert

import (
	"bytes"
	"fmt"
	"io"
	"sync"
	"testing"

	"github.com/annals-project/annals/convert/internal/converttest"
	"github.com/annals-project/annals/convert/jsonld"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/convert/xlsx"
)

// Writers in several goroutines share one Dataset and its Validator (and
// the plans cached for it): each writes the same bytes, and go test -race
// (make check) finds no race between them.
func TestWritersShareDataset(t *testing.T) {
	ds := converttest.XLSXDataset(t)
	recs := converttest.DecodeRecords(t, converttest.XLSXFixture)
	for _, tc := range []struct {
		name string
		new  func(io.Writer, *record.Dataset) record.Writer
	}{
		{"xlsx", xlsx.NewWriter},
		{"jsonld", jsonld.NewWriter},
	} {
		t.Run(tc.name, func(t *testing.T) {
			write := func() ([]byte, error) {
				var b bytes.Buffer
				w := tc.new(&b, ds)
				for _, r := range recs {
					if err := w.Write(r); err != nil {
						return nil, err
					}
				}
				err := w.Close()
				return b.Bytes(), err
			}
			want, err := write()
			if err != nil {
				t.Fatal(err)
			}
			got := make([]error, 6)
			var wg sync.WaitGroup
			for i := range got {
				wg.Go(func() {
					b, err := write()
					if err == nil && !bytes.Equal(b, want) {
						err = fmt.Errorf("wrote %d bytes that differ from the %d written alone", len(b), len(want))
					}
					got[i] = err
				})
			}
			wg.Wait()
			for i, err := range got {
				if err != nil {
					t.Errorf("goroutine %d: %v", i, err)
				}
			}
		})
	}
}
