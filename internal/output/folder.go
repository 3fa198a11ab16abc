package output

import (
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/atomicfile"
	"github.com/annals-project/annals/internal/dataset"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/schema"
)

// folderWriter writes records into the folder t.Path as curators keep
// them: each record back into the file of the folder that holds it (a
// record of the folder's more-actors.yaml goes back there, not into
// actors.yaml), and a new record into its type's file (see
// folderFiles.home). Every record file of the folder is written, so that
// the folder holds what the input holds: a file whose records are all
// gone is emptied. Each goes to a temporary file first; they are renamed
// into place together once every one is complete.
type folderWriter struct {
	t      *Target
	ds     *record.Dataset
	folder *folderFiles
	files  map[string]*folderFile // by path
	closed bool
}

type folderFile struct {
	f *atomicfile.File
	w record.Writer
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
	return &folderWriter{t: t, ds: ds, folder: folder, files: map[string]*folderFile{}}, nil
}

func (w *folderWriter) open(path string) (*folderFile, error) {
	if ff := w.files[path]; ff != nil {
		return ff, nil
	}
	// The folder was checked, but a file in it may be a link to an input.
	if err := RefuseOverwritingInput(path, w.t.Inputs); err != nil {
		return nil, err
	}
	f, err := atomicfile.Create(path)
	if err != nil {
		return nil, err
	}
	rw, err := newFileWriter(w.t.Format, path, f, w.ds)
	if err != nil {
		f.Abort()
		return nil, err
	}
	ff := &folderFile{f: f, w: rw}
	w.files[path] = ff
	return ff, nil
}

func (w *folderWriter) Write(rec *record.Record) error {
	typ, _ := rec.Value.(map[string]any)["type"].(string)
	id, _ := rec.Value.(map[string]any)["id"].(string)
	path, ok := w.folder.holder[recordKey{typ, id}]
	if !ok {
		path = w.folder.home(typ)
	}
	ff, err := w.open(path)
	if err != nil {
		return err
	}
	return ff.w.Write(rec)
}

// Close writes every record file of the folder that got no record (it
// is emptied, so that the folder holds what the input holds), and closes
// every writer.
func (w *folderWriter) Close() error {
	if w.closed {
		return nil
	}
	w.closed = true
	var err error
	for _, path := range w.folder.files {
		if _, oerr := w.open(path); oerr != nil && err == nil {
			err = oerr
		}
	}
	for _, path := range slices.Sorted(maps.Keys(w.files)) {
		if cerr := w.files[path].w.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

func (w *folderWriter) commit() error {
	for _, path := range slices.Sorted(maps.Keys(w.files)) {
		if err := w.files[path].f.Commit(); err != nil {
			return err
		}
	}
	return nil
}

func (w *folderWriter) abort() {
	for _, ff := range w.files {
		ff.f.Abort()
	}
}

// recordKey names a record: its type and id.
type recordKey struct{ typ, id string }

// folderFiles is what a folder holds already: its record files in the
// format written, as annals validate reads the folder (its subfolders,
// .gitignore and the manifest's exclude: included), and which file holds
// each record.
type folderFiles struct {
	dir    string
	format string
	files  []string             // in the order annals reads them
	holder map[recordKey]string // the first file that holds the record
	count  map[string]map[string]int
}

// readFolder reads the record files of the folder dir, if it exists, for
// an output in format. A record file annals cannot read there is an
// error: which of its records come back into it could not be told. So is
// one that holds records in another format than the one written (a JSON
// file when writing YAML): the folder would hold those records twice.
func readFolder(dir, format string) (*folderFiles, error) {
	ff := &folderFiles{dir: dir, format: format, holder: map[recordKey]string{}, count: map[string]map[string]int{}}
	if info, err := os.Stat(dir); errors.Is(err, os.ErrNotExist) {
		return ff, nil
	} else if err != nil {
		return nil, err
	} else if !info.IsDir() {
		return nil, fmt.Errorf("-o %s: not a folder", dir)
	}
	inputs, err := dataset.Expand([]string{dir}, "")
	if err != nil {
		return nil, fmt.Errorf("-o %s: the records there cannot be read (%w); annals brings each record back into the file that holds it, so it reads them first: fix that, or convert into a new folder", dir, err)
	}
	inputs, err = oneNameEach(inputs)
	if err != nil {
		return nil, fmt.Errorf("-o %s: %w", dir, err)
	}
	for _, in := range inputs {
		if in.Manifest || in.Import != dataset.NoImport {
			continue
		}
		var keys []recordKey
		records := true // every value of the file is a record annals writes
		err := dataset.Records([]dataset.Input{in}, dataset.Options{}, func(rec *record.Record) error {
			m, _ := rec.Value.(map[string]any)
			typ, _ := m["type"].(string)
			id, _ := m["id"].(string)
			if !slices.Contains(schema.RecordTypes, typ) || id == "" {
				records = false
			}
			keys = append(keys, recordKey{typ, id})
			return nil
		})
		switch {
		case err != nil:
			return nil, fmt.Errorf("-o %s: %w; annals brings each record back into the file of the folder that holds it, so it reads them first: fix that file, or convert into a new folder", dir, err)
		case !records:
			continue // not a file of records: annals validate says so, and it is left as it is
		case in.Format.String() != format && len(keys) > 0:
			return nil, fmt.Errorf("-o %s: %s holds %s in %s, and this conversion writes %s: the folder would hold them twice; convert into a new folder, or --to %s",
				dir, in.Path, english.Count(len(keys), "record"), in.Format, format, in.Format)
		case in.Format.String() != format:
			continue
		}
		ff.files = append(ff.files, in.Path)
		for _, k := range keys {
			if _, dup := ff.holder[k]; !dup {
				ff.holder[k] = in.Path
			}
			if ff.count[k.typ] == nil {
				ff.count[k.typ] = map[string]int{}
			}
			ff.count[k.typ][in.Path]++
		}
	}
	return ff, nil
}

// oneNameEach leaves out of inputs a symbolic link to another of them:
// the file is written under its own name and the link left as it is. Two
// hard links to one file are an error: writing one name would part them.
func oneNameEach(inputs []dataset.Input) ([]dataset.Input, error) {
	type file struct {
		path string
		info os.FileInfo
	}
	var regular []file
	var links []dataset.Input
	var out []dataset.Input
	for _, in := range inputs {
		linfo, lerr := os.Lstat(in.Path)
		info, err := os.Stat(in.Path)
		if lerr != nil || err != nil {
			out = append(out, in) // reading it says what is wrong
			continue
		}
		if linfo.Mode()&os.ModeSymlink != 0 {
			links = append(links, in)
			continue
		}
		for _, f := range regular {
			if os.SameFile(f.info, info) {
				return nil, fmt.Errorf("%s and %s are one file (hard links): writing one would part them; remove one of the names, or convert into a new folder", f.path, in.Path)
			}
		}
		regular = append(regular, file{in.Path, info})
		out = append(out, in)
	}
	for _, in := range links {
		info, _ := os.Stat(in.Path)
		if !slices.ContainsFunc(regular, func(f file) bool { return os.SameFile(f.info, info) }) {
			out = append(out, in)
		}
	}
	// In the order annals reads them.
	slices.SortStableFunc(out, func(a, b dataset.Input) int {
		return slices.IndexFunc(inputs, func(in dataset.Input) bool { return in.Path == a.Path }) -
			slices.IndexFunc(inputs, func(in dataset.Input) bool { return in.Path == b.Path })
	})
	return out, nil
}

// home is the file a new record of type typ goes to: the type's own file
// (actors.yaml for an actor) when the folder has it; otherwise the file
// that holds most records of the type (the first such in the order annals
// reads them); otherwise the type's own file, new.
func (ff *folderFiles) home(typ string) string {
	own := filepath.Join(ff.dir, typ+"s."+ff.format) // Join cleans it
	best, most := "", 0
	for _, path := range ff.files {
		if filepath.Clean(path) == own {
			return path
		}
		if n := ff.count[typ][path]; n > most {
			best, most = path, n
		}
	}
	if best != "" {
		return best
	}
	return own
}
