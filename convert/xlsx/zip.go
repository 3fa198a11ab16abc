package xlsx

import (
	"archive/zip"
	"bufio"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"io/fs"
	"maps"
	"os"
	"runtime"
	"slices"
	"sync"
	"sync/atomic"
	"time"

	"github.com/annals-project/annals/internal/atomicfile"
)

// flateLevel is the compression of the workbook's parts. On 100,000
// generated records level 5 took three quarters of the time of the
// default (6) for a file 1.5% larger; level 1 made it 30% larger.
const flateLevel = 5

// zipTime is the modification time of every part of the workbook, and its
// creation and modification date: a fixed one, so that the same records
// always give the same bytes. It is the earliest time a zip entry can hold.
var zipTime = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// zipSpool is the excelize.ZipWriter a workbook is saved through. excelize
// writes every part to it, the worksheets without their data rows, and it
// holds them in memory (they are small) until writeTo writes the workbook.
// writeTo does what excelize does not:
//
//   - It adds the data rows to each worksheet, written by rowWriter from
//     the row spools, and compresses the worksheets concurrently, each
//     into a temporary file: memory does not grow with the rows, and a
//     large export uses every core.
//   - It writes the parts in name order, [Content_Types].xml first as
//     Office writes it: excelize saves streamed sheets in map order. The
//     output is deterministic, whatever the order the sheets finish in.
//   - It adds the hyperlinks of each sheet (the <hyperlinks> element and
//     its relationships). excelize's SetCellHyperLink scans every earlier
//     link of the sheet, so 65,530 of them take minutes.
//   - It adds an <ignoredErrors> element, so that Excel does not flag
//     EDTF years and ids ("2022", "17") as numbers stored as text.
type zipSpool struct {
	parts  map[string]*bytes.Buffer // what excelize wrote, by part name
	sheets map[string]*sheetParts   // by worksheet part name
	files  []*os.File               // the temporary files of compressed worksheets
}

// sheetParts is what zipSpool adds to one worksheet.
type sheetParts struct {
	name          string // the worksheet part: "xl/worksheets/sheet3.xml"
	rels          string // its relationships part
	order         int    // the sheet's place in the workbook
	plan          *sheetPlan
	hyperlinks    bytes.Buffer // <hyperlink> elements
	relationships bytes.Buffer // their <Relationship> elements
	links         int
	packed        packedPart // the worksheet, rows and all
}

// packedPart is a part compressed before the archive is written.
type packedPart struct {
	r      io.ReaderAt
	off, n int64 // the compressed bytes, at off in r
	crc32  uint32
	size   int64 // uncompressed
}

func newZipSpool() *zipSpool {
	return &zipSpool{parts: map[string]*bytes.Buffer{}, sheets: map[string]*sheetParts{}}
}

// sheet registers the worksheet with excelize's sheet id, whose part names
// excelize derives from it, and the plan of its rows.
func (z *zipSpool) sheet(id int, p *sheetPlan) *sheetParts {
	s := &sheetParts{
		name:  fmt.Sprintf("xl/worksheets/sheet%d.xml", id),
		rels:  fmt.Sprintf("xl/worksheets/_rels/sheet%d.xml.rels", id),
		order: len(z.sheets),
		plan:  p,
	}
	z.sheets[s.name] = s
	return s
}

// addLink makes the cell at ref a link to the absolute URL target.
func (p *sheetParts) addLink(ref, target string) {
	p.links++
	id := fmt.Sprintf("rIdLink%d", p.links)
	fmt.Fprintf(&p.hyperlinks, `<hyperlink ref="%s" r:id="%s"/>`, ref, id)
	fmt.Fprintf(&p.relationships, `<Relationship Id="%s" Type="%s" Target="`, id, hyperlinkRelType)
	_ = xml.EscapeText(&p.relationships, []byte(target)) // a bytes.Buffer does not fail
	p.relationships.WriteString(`" TargetMode="External"/>`)
}

const hyperlinkRelType = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/hyperlink"

// Create starts the part called name.
func (z *zipSpool) Create(name string) (io.Writer, error) {
	b := new(bytes.Buffer)
	z.parts[name] = b
	return b, nil
}

// AddFS is part of excelize.ZipWriter; excelize does not call it.
func (z *zipSpool) AddFS(fs.FS) error {
	return errors.New("adding a file system to the workbook is not supported")
}

// Close is part of excelize.ZipWriter: the parts wait for writeTo.
func (z *zipSpool) Close() error { return nil }

// writeTo writes the workbook to w. It writes nothing to w before every
// sheet is complete, so that an error in a sheet leaves w untouched.
func (z *zipSpool) writeTo(w io.Writer, st styles) error {
	sheets := slices.SortedFunc(maps.Values(z.sheets), func(a, b *sheetParts) int { return a.order - b.order })
	for _, s := range sheets {
		if z.parts[s.name] == nil {
			return fmt.Errorf("excelize wrote no part %s", s.name)
		}
	}
	if err := z.packSheets(sheets, st); err != nil {
		return err
	}
	for _, s := range sheets {
		if s.links == 0 {
			continue
		}
		rels := z.parts[s.rels]
		if rels == nil { // excelize wrote none
			rels = bytes.NewBufferString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
				`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`)
		}
		b, err := addRelationships(rels.Bytes(), s)
		if err != nil {
			return err
		}
		z.parts[s.rels] = bytes.NewBuffer(b)
	}
	names := slices.SortedFunc(maps.Keys(z.parts), func(a, b string) int {
		return cmp.Or(cmp.Compare(partRank(a), partRank(b)), cmp.Compare(a, b))
	})
	fw, err := flate.NewWriter(nil, flateLevel)
	if err != nil {
		return err
	}
	zw := zip.NewWriter(w)
	for _, name := range names {
		p := packedPart{}
		if s := z.sheets[name]; s != nil {
			p = s.packed
		} else if p, err = packBytes(fw, z.parts[name].Bytes()); err != nil {
			return err
		}
		out, err := zw.CreateRaw(partHeader(name, p))
		if err != nil {
			return err
		}
		if _, err := io.Copy(out, io.NewSectionReader(p.r, p.off, p.n)); err != nil {
			return err
		}
	}
	return zw.Close()
}

func partRank(name string) int {
	if name == "[Content_Types].xml" {
		return 0
	}
	return 1
}

// partHeader is the zip header of a compressed part: the one
// zip.Writer.CreateHeader would write for it, sizes in a data descriptor.
func partHeader(name string, p packedPart) *zip.FileHeader {
	fh := &zip.FileHeader{
		Name:               name,
		CreatorVersion:     20,
		ReaderVersion:      20,
		Flags:              0x8,
		Method:             zip.Deflate,
		Modified:           zipTime,
		CRC32:              p.crc32,
		CompressedSize64:   uint64(p.n),
		UncompressedSize64: uint64(p.size),
	}
	// CreateRaw writes the MS-DOS date and time as they are: only
	// CreateHeader derives them from Modified.
	//lint:ignore SA1019 the fields are deprecated for callers of CreateHeader
	fh.ModifiedDate, fh.ModifiedTime = uint16((zipTime.Year()-1980)<<9|int(zipTime.Month())<<5|zipTime.Day()),
		uint16(zipTime.Hour()<<11|zipTime.Minute()<<5|zipTime.Second()/2)
	if p.n >= 1<<32-1 || p.size >= 1<<32-1 {
		fh.ReaderVersion = 45 // ZIP64
	}
	return fh
}

// packBytes compresses a part held in memory.
func packBytes(fw *flate.Writer, b []byte) (packedPart, error) {
	var out bytes.Buffer
	fw.Reset(&out)
	if _, err := fw.Write(b); err != nil {
		return packedPart{}, err
	}
	if err := fw.Close(); err != nil {
		return packedPart{}, err
	}
	return packedPart{
		r: bytes.NewReader(out.Bytes()), n: int64(out.Len()),
		crc32: crc32.ChecksumIEEE(b), size: int64(len(b)),
	}, nil
}

// packSheets writes and compresses the worksheets, a goroutine per core
// taking them largest first, so that they finish together. When a sheet
// fails, the sheets after it in the workbook stop, and the error is that
// of the first sheet that failed in the workbook's order, as if they had
// been written one after another.
func (z *zipSpool) packSheets(sheets []*sheetParts, st styles) error {
	queue := slices.Clone(sheets)
	slices.SortStableFunc(queue, func(a, b *sheetParts) int {
		return cmp.Compare(b.plan.rows*len(b.plan.columns), a.plan.rows*len(a.plan.columns))
	})
	jobs := make(chan *sheetParts, len(queue))
	for _, s := range queue {
		jobs <- s
	}
	close(jobs)
	var (
		failed atomic.Int64 // the order of the first sheet that failed
		errs   = make([]error, len(sheets))
		wg     sync.WaitGroup
	)
	failed.Store(int64(len(sheets)))
	fail := func(order int, err error) {
		errs[order] = err
		for {
			f := failed.Load()
			if int64(order) >= f || failed.CompareAndSwap(f, int64(order)) {
				return
			}
		}
	}
	workers := min(runtime.GOMAXPROCS(0), len(queue))
	packers := make([]*packer, workers)
	for i := range workers {
		wg.Go(func() {
			for s := range jobs {
				if int64(s.order) > failed.Load() {
					continue
				}
				if packers[i] == nil {
					pk, err := newPacker()
					if err != nil {
						fail(s.order, err)
						continue
					}
					packers[i] = pk
				}
				stop := func() bool { return int64(s.order) > failed.Load() }
				if err := packers[i].pack(s, z.parts[s.name].Bytes(), st, stop); err != nil {
					fail(s.order, fmt.Errorf("writing the %q sheet: %w", s.plan.name, err))
				}
			}
		})
	}
	wg.Wait()
	for _, pk := range packers {
		if pk != nil {
			z.files = append(z.files, pk.file)
		}
	}
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	for _, pk := range packers {
		if pk == nil {
			continue
		}
		if err := pk.w.Flush(); err != nil {
			return fmt.Errorf("writing the workbook to a temporary file: %w", err)
		}
	}
	return nil
}

// remove closes and deletes the temporary files.
func (z *zipSpool) remove() {
	for _, f := range z.files {
		atomicfile.CloseSpool(f)
	}
	z.files = nil
}

// packer compresses worksheets one after another into a temporary file.
type packer struct {
	file *os.File
	w    *bufio.Writer
	n    int64 // bytes written to w
	fw   *flate.Writer
}

func newPacker() (*packer, error) {
	f, err := atomicfile.Spool("annals-xlsx-*.zip")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for the workbook: %w", err)
	}
	pk := &packer{file: f, w: bufio.NewWriterSize(f, 256<<10)}
	pk.fw, err = flate.NewWriter(pk, flateLevel)
	if err != nil {
		atomicfile.CloseSpool(f)
		return nil, err
	}
	return pk, nil
}

func (pk *packer) Write(b []byte) (int, error) {
	n, err := pk.w.Write(b)
	pk.n += int64(n)
	return n, err
}

// pack writes the worksheet whose frame excelize wrote, its data rows
// before </sheetData>, to the temporary file, compressed.
func (pk *packer) pack(s *sheetParts, frame []byte, st styles, stop func() bool) error {
	i := bytes.Index(frame, endSheetData)
	if i < 0 {
		return fmt.Errorf("the worksheet part %s has no </sheetData>", s.name)
	}
	start := pk.n
	pk.fw.Reset(pk)
	cw := &crcWriter{w: pk.fw}
	if _, err := cw.Write(frame[:i]); err != nil {
		return err
	}
	if err := newRowWriter(s.plan, st, s).writeRows(cw, stop); err != nil {
		return err
	}
	tail, err := s.finishTail(frame[i:])
	if err != nil {
		return err
	}
	if _, err := cw.Write(tail); err != nil {
		return err
	}
	if err := pk.fw.Close(); err != nil {
		return err
	}
	s.packed = packedPart{r: pk.file, off: start, n: pk.n - start, crc32: cw.crc, size: cw.n}
	return nil
}

// crcWriter passes writes on, keeping their CRC-32 and length.
type crcWriter struct {
	w   io.Writer
	crc uint32
	n   int64
}

func (c *crcWriter) Write(b []byte) (int, error) {
	c.crc = crc32.Update(c.crc, crc32.IEEETable, b)
	c.n += int64(len(b))
	return c.w.Write(b)
}

var endSheetData = []byte("</sheetData>")

// Elements of a worksheet that come after <hyperlinks> and after
// <ignoredErrors>, in the order of the schema (ECMA-376 Part 1, 18.3.1.99);
// "/worksheet" stands for the end of the part.
var (
	afterHyperlinks    = []string{"printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors"}
	afterIgnoredErrors = []string{"smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst", "/worksheet"}
)

// ignoredErrors tells Excel not to mark text that looks like a number.
const ignoredErrors = `<ignoredErrors><ignoredError sqref="A1:XFD1048576" numberStoredAsText="1"/></ignoredErrors>`

// finishTail adds the sheet's hyperlinks and ignoredErrors to the end of
// its part, from </sheetData> on.
func (s *sheetParts) finishTail(tail []byte) ([]byte, error) {
	var err error
	if s.links > 0 {
		links := "<hyperlinks>" + s.hyperlinks.String() + "</hyperlinks>"
		if tail, err = insertBefore(tail, slices.Concat(afterHyperlinks, afterIgnoredErrors), links); err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
	}
	if tail, err = insertBefore(tail, afterIgnoredErrors, ignoredErrors); err != nil {
		return nil, fmt.Errorf("%s: %w", s.name, err)
	}
	return tail, nil
}

// insertBefore inserts frag before the first element of tail named in
// names.
func insertBefore(tail []byte, names []string, frag string) ([]byte, error) {
	at := -1
	for _, name := range names {
		if i := findTag(tail, name); i >= 0 && (at < 0 || i < at) {
			at = i
		}
	}
	if at < 0 {
		return nil, errors.New("the worksheet does not end in </worksheet>")
	}
	return slices.Concat(tail[:at], []byte(frag), tail[at:]), nil
}

// findTag returns the index of the first tag <name in b (not a longer
// name that starts the same), or -1.
func findTag(b []byte, name string) int {
	tag := "<" + name
	for off := 0; ; {
		i := bytes.Index(b[off:], []byte(tag))
		if i < 0 {
			return -1
		}
		end := off + i + len(tag)
		if end < len(b) && (b[end] == ' ' || b[end] == '/' || b[end] == '>') {
			return off + i
		}
		off = end
	}
}

// addRelationships adds the relationships of the sheet's links to its
// relationships part.
func addRelationships(b []byte, s *sheetParts) ([]byte, error) {
	i := bytes.LastIndex(b, []byte("</Relationships>"))
	if i < 0 {
		return nil, fmt.Errorf("the relationships of %s do not end in </Relationships>", s.name)
	}
	return slices.Concat(b[:i], s.relationships.Bytes(), b[i:]), nil
}
