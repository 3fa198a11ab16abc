package check

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"slices"

	"github.com/annals-project/annals/internal/regularfile"
	"github.com/annals-project/annals/schema"
)

// maxExtensionSize bounds an extension schema: a codebook of a hundred
// fields takes some ten kilobytes.
const maxExtensionSize = 1 << 20

// extend reads the extension schemas the manifest names under extensions
// (relative to its folder dir, which they cannot leave) and from then on
// checks records against the canonical fields and the study's own. It is
// called while the manifest is read, before any record. A file that cannot
// be read or used is a finding at its entry in the manifest, and the
// records are then checked against the canonical fields alone (their
// extension fields are reported as unknown).
func (c *Checker) extend(r *recordCtx, dir string, entries map[string]any) {
	types := make([]string, 0, len(entries))
	for typ := range entries {
		types = append(types, typ)
	}
	slices.Sort(types)
	root, err := os.OpenRoot(dir)
	if err != nil {
		r.report("/extensions", false, CodeBadExtension, fmt.Sprintf("the manifest's folder cannot be opened (%v), so its extensions cannot be read", err))
		return
	}
	defer root.Close()
	exts := map[string]schema.Extension{}
	for _, typ := range types {
		path, _ := entries[typ].(string)
		if data, ok := c.carriedExtensions[typ]; ok {
			exts[typ] = schema.Extension{File: r.rec.File + " (" + path + ")", Data: data}
			continue
		}
		if c.readingCarried {
			r.report("/extensions/"+typ, false, CodeBadExtension, fmt.Sprintf("the export does not carry %s, the %s extension its manifest names; export the dataset again; the %s records are checked against the canonical fields alone", path, typ, typ))
			continue
		}
		file := filepath.ToSlash(filepath.Join(dir, path))
		data, err := readExtension(root, path)
		if err != nil {
			r.report("/extensions/"+typ, false, CodeBadExtension, fmt.Sprintf("%s %s; the %s records are checked against the canonical fields alone", file, err.Error(), typ))
			continue
		}
		exts[typ] = schema.Extension{File: file, Data: data}
	}
	// An extension that cannot be used is left out, and the others are
	// applied: one broken file does not make every type's fields unknown.
	for len(exts) > 0 {
		v, err := schema.Extend(exts)
		if err == nil {
			c.v = v
			return
		}
		bad := ""
		var ee *schema.ExtensionError
		if errors.As(err, &ee) {
			for typ, ext := range exts {
				if ext.File == ee.File {
					bad = typ
				}
			}
		}
		if bad == "" {
			r.report("/extensions", false, CodeBadExtension, err.Error()+"; until it is fixed, records are checked against the canonical fields alone")
			return
		}
		r.report("/extensions/"+bad, false, CodeBadExtension, fmt.Sprintf("%s; until it is fixed, the %s records are checked against the canonical fields alone", err.Error(), bad))
		delete(exts, bad)
	}
}

// readExtension reads the extension schema at path inside root.
func readExtension(root *os.Root, path string) ([]byte, error) {
	f, _, err := regularfile.OpenIn(root, filepath.FromSlash(path))
	switch {
	case isEscape(err):
		return nil, errors.New("leads out of the manifest's folder")
	case errors.Is(err, fs.ErrNotExist):
		return nil, errors.New("does not exist: write the extension's schema there, or correct the path")
	case errors.Is(err, regularfile.ErrNotRegular):
		return nil, errors.New("is not a regular file")
	case err != nil:
		return nil, fmt.Errorf("cannot be read (%v)", err)
	}
	defer f.Close()
	data, err := regularfile.ReadAll(f, maxExtensionSize)
	var tooLarge *regularfile.TooLargeError
	if errors.As(err, &tooLarge) {
		return nil, fmt.Errorf("is larger than %d MiB, more than an extension schema needs", maxExtensionSize>>20)
	}
	if err != nil {
		return nil, fmt.Errorf("cannot be read (%v)", err)
	}
	return data, nil
}

// Validator returns the validator records are checked against: the
// embedded schemas, with the extensions the manifest names once it has
// been read. Exports of the dataset lay out their columns by it.
func (c *Checker) Validator() *schema.Validator { return c.v }
