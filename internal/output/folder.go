package output

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"syscall"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/convert/canonical"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/internal/regularfile"
	"github.com/annals-project/annals/schema"
)

// folderWriter writes records into the folder t.Path as curators keep
// them: each record back into the file of the folder that holds it (a
// record of more-actors.yaml goes back there, not into actors.yaml), and
// a new one into its type's file (see folder.home). Every file of records
// of the folder is written, so that the folder holds what the input
// holds; a file that comes out the same, byte for byte, is left as it is.
// The files are written to temporary files and put in place together
// (atomicfile.CommitAll) once every one is complete.
type folderWriter struct {
	t       *Target
	ds      *record.Dataset
	folder  *folder
	guard   *inputGuard
	files   map[string]*fileWriter // by path
	homes   map[string]string      // a new record's file, by type
	written map[string]bool        // the ids written
	removed []Removed
	closed  bool
}

// fileWriter writes one file of the folder: into a temporary file, or,
// for a YAML file there already, into memory until commit.
type fileWriter struct {
	f    *atomicfile.File // nil until commit for a YAML file there already
	w    record.Writer
	same *sameWriter // for a JSON file there already: whether it comes out the same
	old  io.Closer   // what same compares with

	held *heldFile     // a YAML file there already: what it was,
	text []byte        // what it held,
	buf  *bytes.Buffer // and what it holds now
}

// Removed says how many records of a file of the folder the input did not
// hold: converting into the folder removed them.
type Removed struct {
	File    string
	Records int
}

func newFolderWriter(t *Target, ds *record.Dataset) (*folderWriter, error) {
	folder, err := readFolder(t.Path, t.Format)
	var pe *dataset.PathError
	if errors.As(err, &pe) {
		// A file there annals will not read may be a link to an input:
		// say so, as for any other output.
		if ierr := RefuseOverwritingInput(pe.Path, t.Inputs); ierr != nil {
			return nil, ierr
		}
	}
	if err != nil {
		return nil, err
	}
	guard, err := newInputGuard(t.Inputs)
	if err != nil {
		return nil, err
	}
	return &folderWriter{t: t, ds: ds, folder: folder, guard: guard, files: map[string]*fileWriter{},
		homes: map[string]string{}, written: map[string]bool{}}, nil
}

func (w *folderWriter) Write(rec *record.Record) error {
	m, _ := rec.Value.(map[string]any)
	typ, _ := m["type"].(string)
	id, _ := m["id"].(string)
	path := ""
	if held := w.folder.holder[id]; held.file != nil && id != "" {
		path = held.file.path
	} else if path = w.homes[typ]; path == "" {
		var err error
		if path, err = w.folder.home(typ); err != nil {
			return err
		}
		w.homes[typ] = path
	}
	fw, err := w.open(path)
	if err != nil {
		return err
	}
	w.written[id] = true
	return fw.w.Write(rec)
}

// open starts writing the file path: a file of the folder's, or a new one.
func (w *folderWriter) open(path string) (*fileWriter, error) {
	if fw := w.files[path]; fw != nil {
		return fw, nil
	}
	// No file written is an input, or a link to one.
	if err := w.guard.refuse(path); err != nil {
		var oe *OverwriteError
		if errors.As(err, &oe) {
			oe.Output = w.t.Path
		}
		return nil, err
	}
	held := w.folder.byPath[path]
	if held == nil {
		f, err := atomicfile.CreateNew(path)
		if err != nil {
			return nil, fmt.Errorf("-o %s: %w", w.t.Path, err)
		}
		rw, err := convert.NewWriter(w.t.Format, f, w.ds)
		if err != nil {
			f.Abort()
			return nil, err
		}
		fw := &fileWriter{f: f, w: rw}
		w.files[path] = fw
		return fw, nil
	}
	old, info, err := regularfile.Open(path)
	if err != nil {
		return nil, fmt.Errorf("-o %s: %w", w.t.Path, err)
	}
	if !os.SameFile(info, held.info) {
		old.Close()
		return nil, fmt.Errorf("-o %s: %s changed while convert was working (an edit saved meanwhile?); convert again", w.t.Path, path)
	}
	if w.t.Format == "yaml" {
		// The updater keeps what did not change as it is written in the
		// file; it writes a new file when the old one is larger than
		// annals reads (a byte past the limit tells it so). It holds the
		// file and writes the new one at Close, at once: that is kept in
		// memory until commit, which replaces the file only if it changed
		// (a file that comes out the same needs no temporary file, and so
		// no right to write in its folder).
		text, err := io.ReadAll(io.LimitReader(old, record.MaxYAMLSize+1))
		old.Close()
		if err != nil {
			return nil, err
		}
		fw := &fileWriter{held: held, text: text, buf: &bytes.Buffer{}}
		fw.w = canonical.NewYAMLUpdater(fw.buf, text, path, w.ds)
		w.files[path] = fw
		return fw, nil
	}
	f, err := atomicfile.Replace(path, held.info)
	if err != nil {
		old.Close()
		return nil, fmt.Errorf("-o %s: %s: %w", w.t.Path, path, err)
	}
	fw := &fileWriter{f: f, old: old, same: &sameWriter{w: f, old: old}}
	if fw.w, err = convert.NewWriter(w.t.Format, fw.same, w.ds); err != nil {
		f.Abort()
		old.Close()
		return nil, err
	}
	w.files[path] = fw
	return fw, nil
}

// Close opens every file of records of the folder that got no record
// (an empty one aside), so that the records the input does not hold are
// gone from it, and closes every writer. An input of no records is
// refused: it would empty every file, and is more likely a mistake (a
// failed export, a pipe that broke) than a wish.
func (w *folderWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	if len(w.written) == 0 && len(w.folder.holder) > 0 {
		w.abort()
		return fmt.Errorf("-o %s: the input holds no records: bringing it into the folder would remove all its %s; if that is what you want, delete the files instead",
			w.t.Path, english.Count(len(w.folder.holder), "record"))
	}
	var err error
	for _, held := range w.folder.files {
		if len(held.ids) == 0 {
			continue // an empty file, which nothing was added to: left as it is
		}
		if _, oerr := w.open(held.path); oerr != nil && err == nil {
			err = oerr
		}
		n := 0
		for _, id := range held.ids {
			if !w.written[id] {
				n++
			}
		}
		if n > 0 {
			w.removed = append(w.removed, Removed{File: held.path, Records: n})
		}
	}
	for _, path := range slices.Sorted(maps.Keys(w.files)) {
		if cerr := w.files[path].w.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// commit puts in place every file that changed, together; the others are
// left as they are.
func (w *folderWriter) commit() error {
	var changed []*atomicfile.File
	for _, path := range slices.Sorted(maps.Keys(w.files)) {
		fw := w.files[path]
		if fw.buf != nil { // a YAML file of the folder's, updated in memory
			if bytes.Equal(fw.buf.Bytes(), fw.text) {
				continue
			}
			f, err := atomicfile.Replace(path, fw.held.info)
			if err == nil {
				fw.f = f
				_, err = f.Write(fw.buf.Bytes())
			}
			if err != nil {
				w.abort()
				return fmt.Errorf("-o %s: %s: %w", w.t.Path, path, describeReplaceError(err))
			}
			changed = append(changed, f)
			continue
		}
		same := fw.same != nil && fw.same.same()
		if fw.old != nil {
			fw.old.Close()
		}
		if same {
			fw.f.Abort()
			continue
		}
		changed = append(changed, fw.f)
	}
	err := atomicfile.CommitAll(changed)
	if err != nil {
		var partial *atomicfile.PartialCommitError
		if !errors.As(err, &partial) {
			err = fmt.Errorf("-o %s: %w", w.t.Path, describeReplaceError(err))
		}
	}
	return err
}

// Discard gives up writing: nothing is put in place (see
// record.Discarder), and the files are not finished first.
func (w *folderWriter) Discard() {
	w.closed = true
	w.abort()
}

func (w *folderWriter) abort() {
	for _, fw := range w.files {
		if fw.old != nil {
			fw.old.Close()
			fw.old = nil
		}
		if fw.f != nil {
			fw.f.Abort()
		}
	}
}

// describeReplaceError says why a file of the folder could not be
// replaced, and what to do.
func describeReplaceError(err error) error {
	var links *atomicfile.HardLinksError
	var owner *atomicfile.OwnerError
	switch {
	case errors.Is(err, atomicfile.ErrReadOnly):
		return fmt.Errorf("%w; make it writable (chmod u+w) to bring records back into it", err)
	case errors.As(err, &links):
		return fmt.Errorf("%w, which replacing it would split; remove the other links, or convert into a new folder", err)
	case errors.As(err, &owner):
		return fmt.Errorf("%w; convert as its owner", err)
	case errors.Is(err, atomicfile.ErrChanged):
		return fmt.Errorf("%w, while convert was working (an edit saved meanwhile?); convert again", err)
	}
	return err
}

// sameWriter writes to w, and tells whether what it wrote is what old
// holds, byte for byte.
type sameWriter struct {
	w       io.Writer
	old     io.Reader
	buf     []byte
	differs bool
}

func (s *sameWriter) Write(p []byte) (int, error) {
	if !s.differs {
		if cap(s.buf) < len(p) {
			s.buf = make([]byte, len(p))
		}
		b := s.buf[:len(p)]
		if _, err := io.ReadFull(s.old, b); err != nil || !bytes.Equal(b, p) {
			s.differs = true
		}
	}
	return s.w.Write(p)
}

// same reports whether everything written is all old holds.
func (s *sameWriter) same() bool {
	if s.differs {
		return false
	}
	var b [1]byte
	_, err := io.ReadFull(s.old, b[:])
	return err == io.EOF
}

// folder is what a folder of records holds already, as annals validate
// reads it (its subfolders, .gitignore and the manifest's exclude:
// included): its files of records in the format written, and which file
// holds each record.
type folder struct {
	dir, format string
	exists      bool
	files       []*heldFile            // in the order annals reads them
	byPath      map[string]*heldFile   // by path, as read
	byReal      map[string]*heldFile   // by path, every link resolved
	holder      map[string]place       // by record id
	ofType      map[string][]*heldFile // the files that hold records of a type, most first
}

// heldFile is a file of records of the folder.
type heldFile struct {
	path string
	info os.FileInfo // before it was read
	ids  []string    // its records', in order; none for an empty file
}

// place is where a record is in the folder.
type place struct {
	file      *heldFile
	line, col int
}

// readFolder reads the files of records of the folder dir, if it exists,
// for an output in format. A file of records there that annals cannot
// read is an error: which records go back into it could not be told. So
// is a value of such a file that is not a record, a record that is in two
// files, and a file that holds records in another format than the one
// written (a JSON file when writing YAML: the folder would hold those
// records twice). A file of another tool (a YAML file without records)
// is left out; so is an empty file, unless a new record goes there.
func readFolder(dir, format string) (*folder, error) {
	f := &folder{dir: dir, format: format, byPath: map[string]*heldFile{}, byReal: map[string]*heldFile{},
		holder: map[string]place{}, ofType: map[string][]*heldFile{}}
	switch info, err := os.Stat(dir); {
	case errors.Is(err, fs.ErrNotExist):
		return f, nil
	case errors.Is(err, syscall.ENOTDIR), err == nil && !info.IsDir():
		return nil, fmt.Errorf("-o %s: not a folder", dir)
	case err != nil:
		return nil, err
	}
	f.exists = true
	// A separator at the end makes a walk go into a folder named by a
	// link (-o data-link), as it goes into one named itself.
	walked := dir
	if !strings.HasSuffix(walked, string(filepath.Separator)) && !strings.HasSuffix(walked, "/") {
		walked += string(filepath.Separator)
	}
	inputs, err := dataset.Expand([]string{walked}, "")
	if err != nil {
		return nil, fmt.Errorf("-o %s: the files there cannot be read (%w); annals brings each record back into the file of the folder that holds it, so it reads them first: fix that, or convert into a new folder", dir, err)
	}
	typeCount := map[string]map[*heldFile]int{}
	for _, in := range inputs {
		switch {
		case in.Manifest:
			if err := dataset.CheckManifestExclude(in.Path); err != nil {
				return nil, fmt.Errorf("-o %s: %v: annals cannot tell which files of the folder its exclude: leaves out, and would take them for the dataset's; fix the manifest (annals validate says how), then convert again", dir, err)
			}
			continue
		case in.Import != dataset.NoImport && filepath.Clean(in.Path) == filepath.Clean(dir):
			return nil, fmt.Errorf("-o %s is an export of annals (it has %s), not a folder of records: convert into the folder of record files, or into a new folder", dir, dataset.DataPackage)
		case in.Import != dataset.NoImport:
			return nil, fmt.Errorf("-o %s: %s is an export annals reads as records, with the folder's: the folder would hold its records twice; move it out of the folder (or list it under exclude: in annals.yaml), or convert into a new folder", dir, in.Path)
		}
		real, err := filepath.EvalSymlinks(in.Path)
		if err != nil {
			return nil, fmt.Errorf("-o %s: %w", dir, err)
		}
		if f.byReal[real] != nil {
			continue // a link to a file read already: the file is written, the link left as it is
		}
		info, err := os.Stat(in.Path)
		if err != nil {
			return nil, fmt.Errorf("-o %s: %w", dir, err)
		}
		held := &heldFile{path: in.Path, info: info}
		var places []place
		var types []string
		var notRecord *record.Record // the first value that is not one
		err = dataset.Records([]dataset.Input{in}, dataset.Options{}, func(rec *record.Record) error {
			m, _ := rec.Value.(map[string]any)
			typ, _ := m["type"].(string)
			id, _ := m["id"].(string)
			if !slices.Contains(schema.RecordTypes, typ) || id == "" {
				if notRecord == nil {
					notRecord = rec
				}
				return nil
			}
			held.ids = append(held.ids, id)
			places = append(places, place{held, rec.Line, rec.Col})
			types = append(types, typ)
			return nil
		})
		switch {
		case err != nil:
			return nil, fmt.Errorf("-o %s: %w; annals brings each record back into the file of the folder that holds it, so it reads them first: fix that file, or leave it out of the dataset (exclude: in annals.yaml), or convert into a new folder", dir, err)
		case notRecord != nil && len(held.ids) == 0:
			continue // another tool's file: left as it is
		case notRecord != nil:
			return nil, fmt.Errorf("-o %s: %s: this value is not a record (it has no type annals knows, or no id), though its file holds records: annals would not know what to bring back there; fix it (annals validate says how), or convert into a new folder",
				dir, position(notRecord))
		case in.Format.String() != format && len(held.ids) > 0:
			return nil, fmt.Errorf("-o %s: %s holds %s in %s, and this conversion writes %s: the folder would hold them twice; convert into a new folder",
				dir, in.Path, english.Count(len(held.ids), "record"), in.Format, format)
		case in.Format.String() != format:
			continue
		}
		for i, id := range held.ids {
			if was, dup := f.holder[id]; dup {
				return nil, fmt.Errorf("-o %s: the id %q is at %s and at %s: annals would not know which file the record goes back to; rename one (annals validate reports it, as duplicate-id), or convert into a new folder",
					dir, id, was, places[i])
			}
			f.holder[id] = places[i]
			if typeCount[types[i]] == nil {
				typeCount[types[i]] = map[*heldFile]int{}
			}
			typeCount[types[i]][held]++
		}
		f.files = append(f.files, held)
		f.byPath[held.path] = held
		f.byReal[real] = held
	}
	for typ, counts := range typeCount {
		for _, held := range f.files {
			if counts[held] > 0 {
				f.ofType[typ] = append(f.ofType[typ], held)
			}
		}
		slices.SortStableFunc(f.ofType[typ], func(a, b *heldFile) int { return counts[b] - counts[a] })
	}
	return f, nil
}

func (p place) String() string { return fmt.Sprintf("%s:%d:%d", p.file.path, p.line, p.col) }

// position is where a record starts, as findings name it.
func position(rec *record.Record) string {
	if rec.Line > 0 {
		return fmt.Sprintf("%s:%d:%d", rec.File, rec.Line, rec.Col)
	}
	return fmt.Sprintf("%s, record %d", rec.File, rec.Index+1)
}

// home is the file a new record of type typ goes to: the type's own file
// (actors.yaml for an actor) when it is a file of records of the folder;
// otherwise the file of the folder that holds most records of the type
// (the first such in the order annals reads them); otherwise the type's
// own file, new. A type's own file that is there but not a file of
// records annals reads (left out of the dataset, another tool's, a link
// out of the folder) is never written: with no other file for the type,
// that is an error.
func (f *folder) home(typ string) (string, error) {
	own := filepath.Join(f.dir, typ+"s."+f.format)
	_, err := os.Lstat(own)
	there := err == nil
	if there {
		if real, err := filepath.EvalSymlinks(own); err == nil && f.byReal[real] != nil {
			return f.byReal[real].path, nil
		}
	}
	if files := f.ofType[typ]; len(files) > 0 {
		return files[0].path, nil
	}
	if there {
		return "", fmt.Errorf("-o %s: a new %s would go to %s, which is there but is not a file of records annals reads (it is left out of the dataset, holds no records, or is not a regular file inside the folder): annals leaves it as it is; move it away, or add the %s to a file of records of the folder first",
			f.dir, typ, own, typ)
	}
	if f.exists {
		why, err := dataset.LeftOutOf(f.dir, filepath.Base(own))
		if err != nil {
			return "", fmt.Errorf("-o %s: %w", f.dir, err)
		}
		if why != "" {
			return "", fmt.Errorf("-o %s: a new %s would go to %s, which a reading of the folder leaves out (%s): annals would write records that validate does not read; add the %s to a file of records of the folder first, or change what is left out",
				f.dir, typ, own, why, typ)
		}
	}
	return own, nil
}

// RemovedText says what converting into a folder removed, for a line
// of the command's output: "" for nothing.
func RemovedText(removed []Removed) string {
	if len(removed) == 0 {
		return ""
	}
	n := 0
	var files []string
	for _, r := range removed {
		n += r.Records
		files = append(files, fmt.Sprintf("%s (%d)", r.File, r.Records))
	}
	return fmt.Sprintf("removed %s the input does not hold, from %s", english.Count(n, "record"), strings.Join(files, ", "))
}
