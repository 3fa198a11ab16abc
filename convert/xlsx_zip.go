package convert

import (
	"archive/zip"
	"bytes"
	"cmp"
	"compress/flate"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"slices"
	"time"
)

// flateLevel is the compression of the workbook's parts. On 100,000
// generated records level 5 took three quarters of the time of the
// default (6) for a file 1.5% larger; level 1 made it 30% larger.
const flateLevel = 5

// zipTime is the modification time of every part of the workbook, and its
// creation and modification date: a fixed one, so that the same records
// always give the same bytes. It is the earliest time a zip entry can hold.
var zipTime = time.Date(1980, time.January, 1, 0, 0, 0, 0, time.UTC)

// zipSpool is the excelize.ZipWriter a workbook is saved through. It does
// three things excelize does not:
//
//   - It writes to a temporary file, then copies the compressed parts to the
//     output in name order. excelize saves streamed sheets in map order and
//     builds the whole archive in a bytes.Buffer; the copy makes the output
//     deterministic and keeps memory flat.
//   - It adds the hyperlinks of each sheet (the <hyperlinks> element and its
//     relationships) as the parts go by. excelize's SetCellHyperLink scans
//     every earlier link of the sheet, so 65,530 of them take minutes.
//   - It adds an <ignoredErrors> element, so that Excel does not flag
//     EDTF years and ids ("2022", "17") as numbers stored as text.
type zipSpool struct {
	file  *os.File
	zw    *zip.Writer
	parts map[string]*sheetParts // by worksheet part name
	rels  map[string]*sheetParts // by the name of the worksheet's relationships part
	open  interface{ finish() error }
}

// sheetParts is what zipSpool adds to one worksheet.
type sheetParts struct {
	name          string       // the worksheet part: "xl/worksheets/sheet3.xml"
	hyperlinks    bytes.Buffer // <hyperlink> elements
	relationships bytes.Buffer // their <Relationship> elements
	links         int
	escapes       bool // cell text holds the marks of xMarked
	seen, relSeen bool
}

func newZipSpool() (*zipSpool, error) {
	f, err := os.CreateTemp("", "annals-xlsx-*.zip")
	if err != nil {
		return nil, fmt.Errorf("creating a temporary file for the workbook: %w", err)
	}
	zw := zip.NewWriter(f)
	zw.RegisterCompressor(zip.Deflate, func(w io.Writer) (io.WriteCloser, error) {
		return flate.NewWriter(w, flateLevel)
	})
	return &zipSpool{
		file:  f,
		zw:    zw,
		parts: map[string]*sheetParts{},
		rels:  map[string]*sheetParts{},
	}, nil
}

// sheet registers the worksheet with excelize's sheet id, whose part names
// excelize derives from it.
func (z *zipSpool) sheet(id int) *sheetParts {
	p := &sheetParts{name: fmt.Sprintf("xl/worksheets/sheet%d.xml", id)}
	z.parts[p.name] = p
	z.rels[fmt.Sprintf("xl/worksheets/_rels/sheet%d.xml.rels", id)] = p
	return p
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

// Create starts the part called name, through a filter for the parts
// zipSpool adds to.
func (z *zipSpool) Create(name string) (io.Writer, error) {
	if err := z.finish(); err != nil {
		return nil, err
	}
	w, err := z.zw.CreateHeader(&zip.FileHeader{Name: name, Method: zip.Deflate, Modified: zipTime})
	if err != nil {
		return nil, err
	}
	if p := z.parts[name]; p != nil {
		p.seen = true
		sf := &sheetFilter{w: w, p: p}
		if p.escapes {
			sf.esc = &xEscaper{w: w}
			sf.w = sf.esc
		}
		z.open = sf
		return sf, nil
	}
	if p := z.rels[name]; p != nil && p.links > 0 {
		p.relSeen = true
		rf := &relsFilter{w: w, p: p}
		z.open = rf
		return rf, nil
	}
	return w, nil
}

// AddFS is part of excelize.ZipWriter; excelize does not call it.
func (z *zipSpool) AddFS(fs.FS) error {
	return errors.New("adding a file system to the workbook is not supported")
}

// Close finishes the temporary archive, adding the relationships part of
// any sheet whose links excelize gave no relationships of its own.
func (z *zipSpool) Close() error {
	if err := z.finish(); err != nil {
		return err
	}
	for relName, p := range z.rels {
		if !p.seen {
			return fmt.Errorf("excelize wrote no part %s", p.name)
		}
		if p.links == 0 || p.relSeen {
			continue
		}
		w, err := z.zw.CreateHeader(&zip.FileHeader{Name: relName, Method: zip.Deflate, Modified: zipTime})
		if err != nil {
			return err
		}
		rf := &relsFilter{w: w, p: p}
		rf.buf.WriteString(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n" +
			`<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"></Relationships>`)
		if err := rf.finish(); err != nil {
			return err
		}
	}
	return z.zw.Close()
}

func (z *zipSpool) finish() error {
	if z.open == nil {
		return nil
	}
	err := z.open.finish()
	z.open = nil
	return err
}

// copyTo writes the archive to w with its parts in name order,
// [Content_Types].xml first as Office writes it. The compressed bytes are
// copied, not compressed again.
func (z *zipSpool) copyTo(w io.Writer) error {
	size, err := z.file.Seek(0, io.SeekEnd)
	if err != nil {
		return err
	}
	r, err := zip.NewReader(z.file, size)
	if err != nil {
		return err
	}
	files := slices.Clone(r.File)
	slices.SortFunc(files, func(a, b *zip.File) int {
		return cmp.Or(
			cmp.Compare(partRank(a.Name), partRank(b.Name)),
			cmp.Compare(a.Name, b.Name))
	})
	out := zip.NewWriter(w)
	for _, f := range files {
		if err := out.Copy(f); err != nil {
			return err
		}
	}
	return out.Close()
}

func partRank(name string) int {
	if name == "[Content_Types].xml" {
		return 0
	}
	return 1
}

// remove closes and deletes the temporary file.
func (z *zipSpool) remove() {
	z.file.Close()
	os.Remove(z.file.Name())
}

var endSheetData = []byte("</sheetData>")

// sheetFilter passes a worksheet part through, holding back what follows
// </sheetData> (a few hundred bytes: data validations, table parts) to
// insert elements there. Cell text cannot contain the marker: excelize
// escapes every '<' in it.
type sheetFilter struct {
	w     io.Writer
	esc   *xEscaper // w, when the cells hold marks to rewrite
	p     *sheetParts
	held  []byte // the last bytes, up to len(marker)-1: a possible start of it
	tail  []byte // everything from the end of the marker on
	after bool   // the marker has been seen
}

func (s *sheetFilter) Write(b []byte) (int, error) {
	n := len(b)
	if s.after {
		s.tail = append(s.tail, b...)
		return n, nil
	}
	const k = len("</sheetData>") - 1
	if len(s.held) > 0 {
		// A marker that starts in the held bytes ends in the first k of b.
		var buf [2 * k]byte
		j := append(append(buf[:0], s.held...), b[:min(len(b), k)]...)
		if i := bytes.Index(j, endSheetData); i >= 0 {
			end := i + len(endSheetData)
			return n, s.found(j[:end], b[end-len(s.held):])
		}
		if len(b) < k { // all of b is in j
			cut := len(j) - min(len(j), k)
			s.held = append(s.held[:0], j[cut:]...)
			_, err := s.w.Write(j[:cut])
			return n, err
		}
		if _, err := s.w.Write(s.held); err != nil {
			return 0, err
		}
		s.held = s.held[:0]
	}
	if i := bytes.Index(b, endSheetData); i >= 0 {
		end := i + len(endSheetData)
		return n, s.found(b[:end], b[end:])
	}
	cut := len(b) - min(len(b), k)
	s.held = append(s.held, b[cut:]...)
	_, err := s.w.Write(b[:cut])
	return n, err
}

// found passes on head, which ends with the marker, and holds rest.
func (s *sheetFilter) found(head, rest []byte) error {
	s.after, s.held = true, nil
	s.tail = append(s.tail, rest...)
	_, err := s.w.Write(head)
	return err
}

// Elements of a worksheet that come after <hyperlinks> and after
// <ignoredErrors>, in the order of the schema (ECMA-376 Part 1, 18.3.1.99);
// "/worksheet" stands for the end of the part.
var (
	afterHyperlinks    = []string{"printOptions", "pageMargins", "pageSetup", "headerFooter", "rowBreaks", "colBreaks", "customProperties", "cellWatches", "ignoredErrors"}
	afterIgnoredErrors = []string{"smartTags", "drawing", "legacyDrawing", "legacyDrawingHF", "drawingHF", "picture", "oleObjects", "controls", "webPublishItems", "tableParts", "extLst", "/worksheet"}
)

// ignoredErrors tells Excel not to mark text that looks like a number.
const ignoredErrors = `<ignoredErrors><ignoredError sqref="A1:XFD1048576" numberStoredAsText="1"/></ignoredErrors>`

func (s *sheetFilter) finish() error {
	if !s.after {
		return fmt.Errorf("the worksheet part %s has no </sheetData>", s.p.name)
	}
	tail := s.tail
	var err error
	if s.p.links > 0 {
		links := "<hyperlinks>" + s.p.hyperlinks.String() + "</hyperlinks>"
		if tail, err = insertBefore(tail, slices.Concat(afterHyperlinks, afterIgnoredErrors), links); err != nil {
			return fmt.Errorf("%s: %w", s.p.name, err)
		}
	}
	if tail, err = insertBefore(tail, afterIgnoredErrors, ignoredErrors); err != nil {
		return fmt.Errorf("%s: %w", s.p.name, err)
	}
	if _, err = s.w.Write(tail); err != nil || s.esc == nil {
		return err
	}
	return s.esc.flush()
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

// relsFilter holds a sheet's relationships part, small, to add the links'
// relationships before its end.
type relsFilter struct {
	w   io.Writer
	p   *sheetParts
	buf bytes.Buffer
}

func (r *relsFilter) Write(b []byte) (int, error) { return r.buf.Write(b) }

func (r *relsFilter) finish() error {
	b := r.buf.Bytes()
	i := bytes.LastIndex(b, []byte("</Relationships>"))
	if i < 0 {
		return fmt.Errorf("the relationships of %s do not end in </Relationships>", r.p.name)
	}
	_, err := r.w.Write(slices.Concat(b[:i], r.p.relationships.Bytes(), b[i:]))
	return err
}
