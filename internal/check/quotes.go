package check

import (
	"errors"
	"fmt"
	"io/fs"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/annals-project/annals/internal/quote"
	"github.com/annals-project/annals/internal/regularfile"
	"github.com/annals-project/annals/schema"
)

// MaxArchiveSize is the largest archived text read, in bytes: an article
// is some kilobytes, so a larger file is not one.
const MaxArchiveSize = 64 << 20

// An archived text is short enough for quote.Prepare: this fails to compile
// otherwise.
const _ = uint(quote.MaxArticle - MaxArchiveSize)

// pendingQuote is a quote to look for in its source's archived text once
// every source has been read.
type pendingQuote struct {
	source, quote string
	f             Finding // at the quote
}

// archivedSource is a source's archive path, with the finding to report
// if the file is missing.
type archivedSource struct {
	path string
	f    Finding // at the source's archive field
}

// archiveWanted reports whether the quotes are to be verified: an archive
// folder was given (--archive) or the manifest names one. dataset.Read
// reads the manifest first, so this is known before any record.
func (c *Checker) archiveWanted() bool {
	return c.Archive != "" || c.manifestArchive != ""
}

// archiveDir is the folder the sources' archive paths are relative to.
func (c *Checker) archiveDir() string {
	if c.Archive != "" {
		return c.Archive
	}
	return filepath.Join(c.manifestDir, filepath.FromSlash(c.manifestArchive))
}

func (c *Checker) indexArchive(r *recordCtx, obj map[string]any) {
	p, ok := obj["archive"].(string)
	if !ok || r.id == "" || r.failed["/archive"] || r.failed["/id"] || !c.archiveWanted() {
		return
	}
	if _, dup := c.archives[r.id]; !dup {
		c.archives[r.id] = archivedSource{path: p, f: r.finding("/archive", false, Warning, CodeArchiveMissing, "", "")}
	}
}

// sortQuotes keeps the quotes whose source names an archived text, and
// counts the others as not verifiable: their source names no file, or is
// no source. It needs the index of ids, so it runs before that is let go.
func (c *Checker) sortQuotes() {
	kept := c.quotes[:0]
	for _, q := range c.quotes {
		if _, ok := c.archives[q.source]; ok {
			kept = append(kept, q)
		} else if e, ok := c.index.get(q.source); ok && e.typeName() == schema.Source {
			c.quoteCoverage.NoArchiveFile++
		} else {
			c.quoteCoverage.NoSource++
		}
	}
	clear(c.quotes[len(kept):])
	c.quotes = kept
}

// verifyQuotes looks for every quote in its source's archived text. Each
// text is read and prepared once; sources are visited in the order of
// their first quote, so that the work is deterministic.
func (c *Checker) verifyQuotes() {
	if !c.archiveWanted() {
		return
	}
	dir := c.archiveDir()
	root, rootErr := c.openArchive()
	if rootErr == nil {
		defer root.Close()
	}
	bySource := map[string][]pendingQuote{}
	for _, q := range c.quotes {
		bySource[q.source] = append(bySource[q.source], q)
	}
	ids := make([]string, 0, len(c.archives))
	for id := range c.archives {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	for _, id := range ids {
		src := c.archives[id]
		var text string
		var err error
		if rootErr != nil {
			err = rootErr
		} else {
			text, err = readArchive(root, src.path)
		}
		var t *quote.Text
		if err == nil {
			t, err = quote.Prepare(text) // never too long: MaxArchiveSize is below quote.MaxArticle
		}
		if err != nil {
			f := src.f
			f.Code, f.Message = archiveProblem(err, dir, src.path, len(bySource[id]))
			c.add(f)
			c.quoteCoverage.TextUnavailable += len(bySource[id])
			continue
		}
		if c.severities[CodeQuoteNotFound] == "off" {
			// Looked for, but a quote not found would be dropped: no
			// verdict on it can be given.
			c.quoteCoverage.TurnedOff += len(bySource[id])
			continue
		}
		c.quoteCoverage.Verified += len(bySource[id])
		for _, q := range bySource[id] {
			m := t.Find(q.quote)
			if m.Found {
				continue
			}
			f := q.f
			f.Message = notFoundMessage(id, src.path, m)
			c.add(f)
		}
	}
}

// openArchive opens the archive folder. One the manifest names is opened
// beneath the manifest's folder, and no symbolic link may lead out of it:
// a dataset from a stranger (a pull request) could otherwise point it at
// /proc/self or /etc, and the quote findings, which show the closest
// passage, would print what they hold. A folder named with --archive is
// the user's own choice. Within the folder, os.Root keeps every archived
// text's path, links included, beneath it.
func (c *Checker) openArchive() (*os.Root, error) {
	if c.Archive != "" {
		return os.OpenRoot(c.Archive)
	}
	base, err := os.OpenRoot(c.manifestDir)
	if err != nil {
		return nil, err
	}
	defer base.Close()
	root, err := base.OpenRoot(filepath.FromSlash(c.manifestArchive))
	if isEscape(err) {
		return nil, errOutsideDataset
	}
	return root, err
}

var (
	// errNotText marks an archived file that is not UTF-8 text.
	errNotText = errors.New("not UTF-8 text")
	// errOutsideDataset marks an archive folder that leads out of the
	// dataset's folder.
	errOutsideDataset = errors.New("outside the dataset")
	// errOutsideArchive marks an archived text that leads out of the
	// archive folder.
	errOutsideArchive = errors.New("outside the archive folder")
	// errNotRegular marks an archived "text" that is a device, a pipe or
	// a folder.
	errNotRegular = errors.New("not a regular file")
)

// isEscape reports whether err is os.Root's refusal of a path that leads
// out of it (by "..", or by a symbolic link), whose error the os package
// does not export: the script archive-outside.txtar pins its text.
func isEscape(err error) bool {
	return err != nil && strings.Contains(err.Error(), "path escapes from parent")
}

func readArchive(root *os.Root, path string) (string, error) {
	f, _, err := regularfile.OpenIn(root, filepath.FromSlash(path))
	switch {
	case isEscape(err):
		return "", errOutsideArchive
	case errors.Is(err, regularfile.ErrNotRegular):
		return "", errNotRegular
	case err != nil:
		return "", err
	}
	defer f.Close()
	b, err := regularfile.ReadAll(f, MaxArchiveSize)
	var tooLarge *regularfile.TooLargeError
	switch {
	case errors.As(err, &tooLarge):
		return "", fmt.Errorf("larger than %d MiB", MaxArchiveSize>>20)
	case err != nil:
		return "", err
	case !utf8.Valid(b):
		return "", errNotText
	}
	return string(b), nil
}

// archiveProblem describes an archived text that cannot be used.
func archiveProblem(err error, dir, path string, quotes int) (code, msg string) {
	var unverified string
	switch quotes {
	case 0:
		unverified = "quotes citing it could not be verified"
	case 1:
		unverified = "the quote citing it is not verified"
	default:
		unverified = fmt.Sprintf("the %d quotes citing it are not verified", quotes)
	}
	switch {
	case errors.Is(err, fs.ErrNotExist):
		return CodeArchiveMissing, fmt.Sprintf("%q is not in the archive folder %s, so %s; add the file, correct the path, or name the folder with --archive", path, dir, unverified)
	case errors.Is(err, errNotText):
		return CodeArchiveUnreadable, fmt.Sprintf("%q in %s is not UTF-8 text, so %s; save the article as plain UTF-8 text", path, dir, unverified)
	case errors.Is(err, errOutsideDataset):
		return CodeArchiveUnreadable, fmt.Sprintf("the archive folder %s leads out of the dataset's folder (through a symbolic link), so annals reads nothing from it and %s; keep the archived texts in a folder inside the dataset, or name a folder with --archive", dir, unverified)
	case errors.Is(err, errOutsideArchive):
		return CodeArchiveUnreadable, fmt.Sprintf("%q leads out of the archive folder %s (through a symbolic link), so annals does not read it and %s; copy the article into the archive folder", path, dir, unverified)
	case errors.Is(err, errNotRegular):
		return CodeArchiveUnreadable, fmt.Sprintf("%q in %s is not a regular file (a folder, device or pipe), so %s; save the article there as a plain text file", path, dir, unverified)
	}
	var pe *fs.PathError
	if errors.As(err, &pe) {
		err = pe.Err
	}
	return CodeArchiveUnreadable, fmt.Sprintf("%q in %s cannot be read (%v), so %s", path, dir, err, unverified)
}

// maxPassage is how much of the closest passage a finding shows, in
// characters: enough to see a typo, short enough for one line of a report.
const maxPassage = 300

func notFoundMessage(source, path string, m quote.Match) string {
	msg := fmt.Sprintf("is not in the archived text of %q (%s)", source, path)
	switch {
	case m.Part == 0:
		msg += "; its first part (before the first [...]) is not there"
	case m.Part > 0:
		msg += fmt.Sprintf("; its parts between omissions ([...]) must appear in this order, and part %d does not follow the ones before it", m.Part+1)
	}
	if m.Passage == "" {
		return msg + "; check the quote and the source"
	}
	pct := int(math.Floor(m.Similarity * 100))
	passage := strings.Join(strings.Fields(m.Passage), " ") // line breaks of the text file, not of the article
	return msg + fmt.Sprintf("; the closest passage (%d%% alike) reads: %q; correct the quote, or mark what it leaves out with [...]", pct, ellipsize(passage, maxPassage))
}

// ellipsize shortens s to at most n characters, cutting the middle.
func ellipsize(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	half := (n - 1) / 2
	return string(r[:half]) + "…" + string(r[len(r)-half:])
}

// QuoteCoverage counts the quotes of a dataset's attestations by what
// became of them: looked for in their sources' archived texts, or not, and
// why not. A quote not looked for is neither right nor wrong; the summary
// says so, and validate --strict fails.
type QuoteCoverage struct {
	Quotes   int `json:"quotes"`
	Verified int `json:"verified"` // looked for: found, or reported as not found
	// Not verified:
	NoArchiveFolder int `json:"no_archive_folder"` // no archive folder known: no archive: in the manifest, no --archive
	NoArchiveFile   int `json:"no_archive_file"`   // the source names no archive: file
	TextUnavailable int `json:"text_unavailable"`  // the archived text is missing or unreadable (a warning says which)
	NoSource        int `json:"no_source"`         // the quote cites no source record
	Invalid         int `json:"invalid"`           // the quote or its source has an error of its own
	TurnedOff       int `json:"turned_off"`        // the manifest turns quote-not-found off
}

// Unverified is the number of quotes not looked for.
func (q QuoteCoverage) Unverified() int { return q.Quotes - q.Verified }

// String says, in a line, how many quotes were verified and why the
// others were not; "" when there are no quotes.
func (q QuoteCoverage) String() string {
	switch {
	case q.Quotes == 0:
		return ""
	case q.Unverified() == 0:
		return fmt.Sprintf("quotes: all %d looked for in their sources' archived texts", q.Quotes)
	case q.NoArchiveFolder == q.Quotes:
		return fmt.Sprintf("quotes: none of the %d was verified, as no archive folder is known: name the folder of the articles' texts with archive: in annals.yaml, or with --archive", q.Quotes)
	}
	var why []string
	for _, r := range []struct {
		n           int
		one, others string
	}{
		{q.NoArchiveFile, "cites a source that names no archive: file", "cite a source that names no archive: file"},
		{q.TextUnavailable, "cites a source whose archived text is missing or unreadable", "cite a source whose archived text is missing or unreadable"},
		{q.NoSource, "cites no source record", "cite no source record"},
		{q.Invalid, "has an error of its own, or its source has", "have an error of their own, or their source has"},
		{q.NoArchiveFolder, "was read with no archive folder known", "were read with no archive folder known"},
		{q.TurnedOff, "is in a dataset whose manifest turns quote-not-found off", "are in a dataset whose manifest turns quote-not-found off"},
	} {
		switch {
		case r.n == 1:
			why = append(why, "1 "+r.one)
		case r.n > 1:
			why = append(why, fmt.Sprintf("%d %s", r.n, r.others))
		}
	}
	if rest := q.Unverified() - q.NoArchiveFile - q.TextUnavailable - q.NoSource - q.Invalid - q.NoArchiveFolder - q.TurnedOff; rest > 0 {
		why = append(why, fmt.Sprintf("%d not looked for, as the dataset could not be checked whole", rest))
	}
	return fmt.Sprintf("quotes: %d of %d verified; not verified: %s", q.Verified, q.Quotes, strings.Join(why, ", "))
}
