package dataset

import (
	"bufio"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/go-git/go-git/v5/plumbing/format/gitignore"

	"github.com/annals-project/annals/convert"
	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/regularfile"
)

// Files and folders a folder walk leaves out, as ripgrep and ruff do: what
// .gitignore files say (from the top of the git repository down), what
// the governing manifest's exclude: says (.gitignore patterns, relative to
// the manifest's folder), and the files other tools own that share the
// record files' extensions. A file named on the command line is always
// read.

// otherTools are the names of files, with extensions annals reads, that
// belong to other tools: a conda environment, a Quarto or MkDocs project,
// a Node package. A dataset folder often holds them beside its records.
var otherTools = []string{
	"_bookdown.yml", "_config.yml", "_output.yml", "_pkgdown.yml", "_quarto.yaml", "_quarto.yml", "_site.yml",
	"codemeta.json", "compose.yaml", "compose.yml", "composer.json", "deno.json", "docker-compose.yaml",
	"docker-compose.yml", "environment.yaml", "environment.yml", "mkdocs.yaml", "mkdocs.yml", "package-lock.json",
	"package.json", "pnpm-lock.yaml", "pubspec.yaml", "tsconfig.json", "vercel.json",
}

// otherFolders are folders that hold other tools' files, never records.
var otherFolders = []string{"__pycache__", "node_modules", "renv", "site-packages", "venv"}

// ignorer decides which files and folders a walk leaves out.
type ignorer struct {
	root     []string            // the folder walked: what it and its parents match does not count
	patterns []gitignore.Pattern // in increasing priority
	from     []string            // for each pattern, the file it comes from
	read     map[string]bool     // folders whose .gitignore has been read
	schemas  map[string]string   // the manifest's extension schemas, by absolute path: why they are not records
}

// parsePattern parses a line of .gitignore. git negates a character class
// with "[!" as well as "[^"; go-git hands the class to filepath.Match, for
// which only "^" negates.
func parsePattern(line string, domain []string) gitignore.Pattern {
	return gitignore.ParsePattern(strings.ReplaceAll(line, "[!", "[^"), domain)
}

// LeftOut is a file or folder a walk left out, and why: for the summary,
// since what is not read is not checked.
type LeftOut struct {
	Path string // a folder ends in /
	Why  string // ".gitignore", "exclude: in annals.yaml", "another tool's file"...
}

// split returns the parts of an absolute path, for the patterns.
func split(abs string) []string {
	return strings.Split(filepath.ToSlash(filepath.Clean(abs)), "/")
}

// gitRoot returns the top of the git repository that holds dir, or "".
func gitRoot(dir string) string {
	for d := dir; ; d = filepath.Dir(d) {
		if _, err := os.Lstat(filepath.Join(d, ".git")); err == nil {
			return d
		}
		if filepath.Dir(d) == d {
			return ""
		}
	}
}

// readGitignores reads the .gitignore files of dir and of the folders
// above it, up to the top of its git repository.
func (ig *ignorer) readGitignores(dir string) error {
	var dirs []string
	if top := gitRoot(dir); top != "" {
		for d := dir; ; d = filepath.Dir(d) {
			dirs = append(dirs, d)
			if d == top {
				break
			}
		}
	} else {
		dirs = []string{dir}
	}
	slices.Reverse(dirs) // the top's patterns first: the deeper ones take priority
	for _, d := range dirs {
		if err := ig.readGitignore(d); err != nil {
			return err
		}
	}
	return nil
}

// maxGitignore bounds the .gitignore files read: a real one is a few
// kilobytes.
const maxGitignore = 1 << 20

// readGitignore reads the .gitignore of dir, if it has one, once.
func (ig *ignorer) readGitignore(dir string) error {
	if ig.read[dir] {
		return nil
	}
	if ig.read == nil {
		ig.read = map[string]bool{}
	}
	ig.read[dir] = true
	f, _, err := regularfile.Open(filepath.Join(dir, ".gitignore"))
	if err != nil {
		return nil // none, not readable or not a file: git would ignore it too
	}
	defer f.Close()
	domain := split(dir)
	s := bufio.NewScanner(io.LimitReader(f, maxGitignore))
	s.Buffer(make([]byte, 0, 64<<10), maxGitignore) // a line may be as long as the file
	for s.Scan() {
		line := strings.TrimSuffix(s.Text(), "\r")
		if strings.HasPrefix(line, "#") || strings.TrimSpace(line) == "" {
			continue
		}
		ig.patterns = append(ig.patterns, parsePattern(line, domain))
		ig.from = append(ig.from, ".gitignore")
	}
	return nil
}

// exclude adds the exclude: patterns of the manifest at path, relative to
// its folder.
func (ig *ignorer) exclude(path string, patterns []string) {
	domain := split(filepath.Dir(path))
	for _, p := range patterns {
		if strings.TrimSpace(p) != "" {
			ig.patterns = append(ig.patterns, parsePattern(p, domain))
			ig.from = append(ig.from, "exclude: in "+filepath.Base(path))
		}
	}
}

// ignored says why the walk leaves out the file or folder at abs, or ""
// if it does not. As in git, the last pattern that matches decides.
func (ig *ignorer) ignored(abs string, isDir bool) string {
	name := filepath.Base(abs)
	switch {
	case isDir && slices.Contains(otherFolders, name):
		return "another tool's folder"
	case !isDir && slices.Contains(otherTools, strings.ToLower(name)):
		return "another tool's file"
	}
	if why, ok := ig.schemas[filepath.Clean(abs)]; ok && !isDir {
		return why
	}
	path := split(abs)
	for i := len(ig.patterns) - 1; i >= 0; i-- {
		switch ig.patterns[i].Match(path, isDir) {
		case gitignore.Exclude:
			// A pattern that names the folder walked, or one above it,
			// does not leave out what is in it: the user named it.
			if ig.root != nil && ig.patterns[i].Match(ig.root, true) == gitignore.Exclude {
				continue
			}
			return ig.from[i]
		case gitignore.Include:
			return ""
		}
	}
	return ""
}

// findManifest returns the manifest that governs dir: the nearest one in
// dir or a folder above it, up to the top of its git repository (or of the
// file system outside one), as git finds its repository; or "". A
// manifest that is a symbolic link out of its folder is refused, as a walk
// refuses one (a stranger's dataset could link it to a file of secrets,
// and findings quote the values they find wrong), and so is one that is
// not a regular file, rather than passed over for one further up.
func findManifest(dir string) (string, error) {
	top := gitRoot(dir)
	for d := dir; ; d = filepath.Dir(d) {
		for _, n := range ManifestNames {
			p := filepath.Join(d, n)
			info, err := os.Lstat(p)
			if err != nil {
				continue
			}
			if info.Mode()&fs.ModeSymlink != 0 {
				real, err := filepath.EvalSymlinks(p)
				if err != nil {
					return "", &PathError{Path: p, Err: describeOSError(err)}
				}
				realDir, err := filepath.EvalSymlinks(d)
				if err != nil || !within(real, realDir) {
					return "", &PathError{Path: p, Err: fmt.Errorf("is a symbolic link out of %s; annals reads no manifest through one: copy the manifest there, or name the file it leads to", d)}
				}
				if info, err = os.Stat(p); err != nil {
					return "", &PathError{Path: p, Err: describeOSError(err)}
				}
			}
			if !info.Mode().IsRegular() {
				return "", &PathError{Path: p, Err: errors.New("is not a regular file, so it cannot be the dataset's manifest; remove it, or make it the manifest file")}
			}
			return p, nil
		}
		if d == top || filepath.Dir(d) == d {
			return "", nil
		}
	}
}

// maxManifest bounds the manifest read for its exclude: list; a larger one
// is left to the checker, which says what is wrong with it.
const maxManifest = 1 << 20

// extensionSchemas leaves out the extension schemas of the manifest at
// path: they are JSON, but the records' schema, not records.
func (ig *ignorer) extensionSchemas(path string, files []string) {
	dir, err := filepath.Abs(filepath.Dir(path))
	if err != nil {
		return
	}
	for _, f := range files {
		if ig.schemas == nil {
			ig.schemas = map[string]string{}
		}
		ig.schemas[filepath.Join(dir, filepath.FromSlash(f))] = "an extension schema of " + filepath.Base(path)
	}
}

// manifestExclude returns the exclude: patterns of the manifest at path,
// and the extension schemas it names, or none if it cannot be read (the
// checker reports why).
func manifestExclude(path string) (exclude, schemas []string) {
	f, _, err := regularfile.Open(path)
	if err != nil {
		return nil, nil
	}
	defer f.Close()
	format, err := record.FormatOf(path)
	if err != nil {
		return nil, nil
	}
	rec, err := convert.NewReader(io.LimitReader(f, maxManifest), path, format).Read()
	if err != nil {
		return nil, nil
	}
	m, _ := rec.Value.(map[string]any)
	list, _ := m["exclude"].([]any)
	for _, x := range list {
		if s, ok := x.(string); ok {
			exclude = append(exclude, s)
		}
	}
	exts, _ := m["extensions"].(map[string]any)
	for _, x := range exts {
		if s, ok := x.(string); ok {
			schemas = append(schemas, s)
		}
	}
	return exclude, schemas
}

// isExtensionSchema reports whether the file at abs is one of the
// extension schemas the manifest m names.
func isExtensionSchema(m, abs string) bool {
	_, schemas := manifestExclude(m)
	dir, err := filepath.Abs(filepath.Dir(m))
	if err != nil {
		return false
	}
	for _, s := range schemas {
		if filepath.Join(dir, filepath.FromSlash(s)) == filepath.Clean(abs) {
			return true
		}
	}
	return false
}

// LeftOutOf says why reading the folder dir would leave out the file of
// that name in it, which need not exist yet (another tool's file, a
// .gitignore, the governing manifest's exclude:), or "" if a reading of
// dir would read it: for a command that writes a new file of records
// into a dataset's folder.
func LeftOutOf(dir, name string) (string, error) {
	abs, err := filepath.Abs(dir)
	if err != nil {
		return "", err
	}
	m, err := findManifest(abs)
	if err != nil {
		return "", err
	}
	ig := &ignorer{root: split(abs)}
	if err := ig.readGitignores(abs); err != nil {
		return "", err
	}
	if m != "" {
		exclude, schemas := manifestExclude(m)
		ig.exclude(m, exclude)
		ig.extensionSchemas(m, schemas)
	}
	return ig.ignored(filepath.Join(abs, name), false), nil
}

// CheckManifestExclude reports a manifest whose exclude: a reading of its
// folder cannot apply as written: one that cannot be read, or whose
// exclude: is not a list of paths. (A reading leaves such a list out and
// reads everything; validate reports it. A command that writes into the
// folder must not take the files it meant to leave out for records.)
func CheckManifestExclude(path string) error {
	f, _, err := regularfile.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	format, err := record.FormatOf(path)
	if err != nil {
		return err
	}
	rec, err := convert.NewReader(io.LimitReader(f, maxManifest), path, format).Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	m, _ := rec.Value.(map[string]any)
	x, ok := m["exclude"]
	if !ok {
		return nil
	}
	list, ok := x.([]any)
	if !ok {
		return fmt.Errorf("%s: exclude: is not a list of paths", path)
	}
	for _, p := range list {
		if _, ok := p.(string); !ok {
			return fmt.Errorf("%s: exclude: holds %v, which is not a path", path, p)
		}
	}
	return nil
}
