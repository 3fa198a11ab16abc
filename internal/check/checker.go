package check

import (
	"errors"
	"fmt"
	"hash/maphash"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/annals-project/annals/convert/record"
	"github.com/annals-project/annals/internal/edtf"
	"github.com/annals-project/annals/internal/english"
	"github.com/annals-project/annals/internal/store"
	"github.com/annals-project/annals/internal/suggest"
	"github.com/annals-project/annals/schema"
)

// Checker validates records one at a time and runs the checks that span
// records (unique ids, references, dates against sources) when all have
// been seen. What it keeps per record is an index entry, not the record:
// memory grows with the number of ids, not with the size of the input.
//
// A Checker is not safe for concurrent use, except Examine: a pipeline
// examines records on every core and adds them (Add) in input order.
type Checker struct {
	// Archive is the folder of the sources' archived texts, which
	// overrides the manifest's archive folder. Set it before the first
	// record.
	Archive string

	// List, when set, says which findings the Report lists; the others
	// still count in its totals. Findings are offered to it with the
	// severity the manifest's checks give them.
	List func(Finding) bool

	// MaxFindings, when above 0, is the most findings the Report lists:
	// the first ones in sorted order. Report.Omitted counts the others.
	// The Checker then holds at most twice as many findings in memory,
	// however many the input has.
	MaxFindings int

	// KeepConflicts makes the Checker keep every conflict between the
	// record and its sources for Conflicts; without it they are only
	// counted and listed as findings.
	KeepConflicts bool

	v        *schema.Validator
	index    *idIndex
	refs     []pendingRef
	refStrs  *store.Arena // the strings of the pending references and their marks
	sweepAt  int          // the number of records at which to sweep refs next
	memo     idMemo
	warmed   uint32 // what Warm read, kept so that its reads are not optimised away
	dates    []pendingDate
	findings []Finding // listed so far (see add)
	omitted  int       // listable findings dropped by MaxFindings
	totals   [Info + 1]int
	counts   map[string]int
	records  int // every record read, with a valid type or not
	inputs   int // the inputs registered with File
	files    map[string]int

	// Where records start, for the index (idindex.go).
	fileNames   []string
	fileNumbers map[string]int32
	places      []record.Position
	idsByType   map[string][]string // for nearID, made in Finish
	manifest    map[string]any      // the first manifest's value

	// Source integrity (integrity.go, quotes.go).
	manifestDir string // the manifest's folder, which its archive path is relative to
	// carriedExtensions are the extension schemas an export carries, by
	// record type, while its manifest is read.
	carriedExtensions map[string][]byte
	readingCarried    bool // while an export's manifest is read
	manifestArchive   string
	manifestFile      string            // the file of the manifest that governs
	severities        map[string]string // the manifest's checks: code → error, warning, info or off
	actors            *actorTable
	archives          map[string]archivedSource
	quotes            []pendingQuote
	quoteCoverage     QuoteCoverage
	nameGroups        []nameGroup // decided at Finish: an actor they name came later
	unlisted          map[spellingKey]*unlistedSpelling
	misspellings      *misspellings
	nameGroupSeq      uint64   // counts the name groups decided (see decideNames)
	unread            *Finding // the first read error that may have lost records
	conflicts         conflictStore

	// limit is the first limit of its memory the Checker reached, and
	// where: its verdict is then incomplete (see Report.Incomplete).
	limit   error
	limitAt Finding
}

// fail records that the Checker reached a limit of its memory (err, when
// not nil): Finish then reports the verdict incomplete.
func (c *Checker) fail(err error) { c.failAt(nil, err) }

// failAt is fail while the record r is added, which the finding then
// points at.
func (c *Checker) failAt(r *recordCtx, err error) {
	if err == nil || c.limit != nil {
		return
	}
	c.limit = err
	if r != nil {
		c.limitAt = r.unlocated("", Error, CodeBeyondLimits, "")
		c.limitAt.locate(r.rec.Start())
	} else { // in Finish: the dataset as a whole
		c.limitAt = Finding{Severity: Error, Code: CodeBeyondLimits, Line: 1, Column: 1}
		if len(c.fileNames) > 0 {
			c.limitAt.File = c.fileNames[0]
		}
	}
	// First of all findings, so that no --max-findings leaves it out: it
	// says what the others are worth.
	c.limitAt.fileOrder = -1
}

// pendingRef is a reference whose target was not yet known when its record
// was read. Its finding is filled in, position included, in case it never
// resolves.
type pendingRef struct {
	at     mark      // its strings in refStrs
	id     store.Ref // in refStrs
	target uint8     // an index into schema.RecordTypes
}

// minSweep is the fewest records read between two sweeps of the pending
// references.
const minSweep = 1 << 12

// sweepRefs checks the pending references whose targets have been read
// since they were held, and keeps the others, with their strings copied
// into a fresh arena, so that references that resolve later in the input
// (an actor's alias seen in a source listed after it) cost no memory once
// they have. The next sweep comes after as many records as references are
// still pending, so the work of sweeping stays proportional to the input.
func (c *Checker) sweepRefs() {
	strs := new(store.Arena)
	kept := c.refs[:0]
	for _, p := range c.refs {
		id, target := c.refStrs.String(p.id), schema.RecordTypes[p.target]
		if e, ok := c.index.get(id); ok {
			if msg := wrongType(id, e.typeName(), target); msg != "" {
				f := c.markFinding(c.refStrs, p.at, Error, CodeWrongReference)
				f.RecordID, f.Pointer, f.Message = strings.Clone(f.RecordID), strings.Clone(f.Pointer), msg
				c.add(f)
			}
			continue
		}
		p.id, p.at.id, p.at.ptr = strs.Add(id), strs.Add(c.refStrs.String(p.at.id)), strs.Add(c.refStrs.String(p.at.ptr))
		kept = append(kept, p)
	}
	if cap(kept) > 4*len(kept) {
		kept = slices.Clone(kept)
	}
	c.fail(c.refStrs.Err())
	c.refs, c.refStrs = kept, strs
	c.sweepAt = c.records + max(len(kept), minSweep)
}

// idMemo is the last few ids looked up for the record being added, with
// what the index says of them: a record names the same actor and the same
// sources several times, and each lookup in a large index is a few cache
// misses. It is emptied whenever the index may have changed.
type idMemo struct {
	n     int
	ids   [8]string
	ents  [8]entry
	found [8]bool
}

// lookup is c.index.get through the memo.
func (c *Checker) lookup(id string) (entry, bool) { return c.lookupHashed(id, c.index.hash(id)) }

// lookupHashed is lookup with the hash of id already known.
func (c *Checker) lookupHashed(id string, h uint64) (entry, bool) {
	m := &c.memo
	for i := range m.n {
		if m.ids[i] == id {
			return m.ents[i], m.found[i]
		}
	}
	e, ok := c.index.getHashed(id, h)
	if m.n < len(m.ids) {
		m.ids[m.n], m.ents[m.n], m.found[m.n] = id, e, ok
		m.n++
	}
	return e, ok
}

// pendingDate is a statement's date, to be compared with the publication
// dates of the sources that report it once they have all been read.
type pendingDate struct {
	f        Finding
	date     string
	earliest time.Time
	sources  []string
}

// New returns a Checker that validates against v.
func New(v *schema.Validator) *Checker {
	seed := maphash.MakeSeed() // shared by the indexes: an id's hash serves both
	index := newIDIndex(seed)
	return &Checker{
		v:       v,
		index:   index,
		refStrs: new(store.Arena),

		fileNumbers: map[string]int32{},
		counts:      map[string]int{},
		files:       map[string]int{},

		severities:   map[string]string{},
		actors:       new(actorTable),
		unlisted:     map[spellingKey]*unlistedSpelling{},
		misspellings: newMisspellings(seed, index),
		archives:     map[string]archivedSource{},
	}
}

// recordCtx carries what every finding about one record repeats.
type recordCtx struct {
	c      *Checker
	rec    *record.Record
	typ    string
	id     string
	failed map[string]bool // pointers the schema already reported

	// While the record is examined (Examine), its findings wait here to
	// be counted and listed in input order (Add), with what Examine
	// learned for the checks that span records.
	examining bool
	held      []heldFinding
	broken    bool // not a record of a known type: nothing more to check
	refs      []heldRef
	idHash    uint64       // of id, in the index
	date      *pendingDate // a statement's date and sources, for checkStatementDate
	actor     *actorNames  // an actor's names, for indexActor
	names     *nameGroup
	conflicts []record.Conflict // kept for Conflicts
}

// heldFinding is a finding of Examine, for Add to emit.
type heldFinding struct {
	ptr, at       string
	key           bool
	sev           Severity
	code, keyword string
	msg           func() string
}

// heldRef is a reference a record makes, for Add to resolve.
type heldRef struct {
	id   string
	hash uint64        // of id, in the index
	ref  int           // which of the type's references
	at   schema.Cursor // where, for the reference's Pointer
}

func (r *recordCtx) finding(ptr string, key bool, sev Severity, code, keyword, msg string) Finding {
	f := r.unlocated(ptr, sev, code, keyword)
	f.locate(r.rec.Position(ptr, key))
	f.Message = msg
	return f
}

// unlocated is a finding about the value at ptr, not yet located.
func (r *recordCtx) unlocated(ptr string, sev Severity, code, keyword string) Finding {
	return Finding{
		RecordType: r.typ, RecordID: r.id,
		Pointer: ptr, Field: schema.FieldPath(ptr), Keyword: keyword,
		Severity: sev, Code: code,
		fileOrder: r.c.inputs - 1, index: r.rec.Index + 1,
	}
}

// locate gives the finding a position.
func (f *Finding) locate(pos record.Position) {
	f.File, f.Line, f.Column, f.Sheet, f.Cell = pos.File, pos.Line, pos.Col, pos.Sheet, pos.Cell
}

func (r *recordCtx) report(ptr string, key bool, code, msg string) {
	r.emit(ptr, key, Error, code, "", msg)
}

// emit adds a finding about the record, located in the input only if it
// is listed: most notes, and every finding past MaxFindings, are only
// counted.
func (r *recordCtx) emit(ptr string, key bool, sev Severity, code, keyword, msg string) {
	r.emitAt(ptr, ptr, key, sev, code, keyword, func() string { return msg })
}

// emitAt adds a finding about the value at ptr, located at the value at
// at (which may differ: a conflict without a value of the record's own is
// shown at the first source's), whose message is made only if it is
// listed.
func (r *recordCtx) emitAt(ptr, at string, key bool, sev Severity, code, keyword string, msg func() string) {
	if r.examining {
		r.held = append(r.held, heldFinding{ptr, at, key, sev, code, keyword, msg})
		return
	}
	f, ok := r.c.count(r.unlocated(ptr, sev, code, keyword))
	if !ok {
		return
	}
	f.locate(r.rec.Position(at, key))
	f.Message = msg()
	r.c.list(f)
}

// File registers the next input: the findings that follow belong to it and
// sort after those of earlier inputs, whatever files (the sheets of a
// workbook, the tables of a CSV export) they name.
func (c *Checker) File(name string) {
	if _, ok := c.files[name]; !ok {
		c.files[name] = len(c.files)
	}
	c.inputs = len(c.files)
}

// Record checks one record against its type's schema and indexes it for the
// cross-record checks. It is Add(Examine(rec)).
func (c *Checker) Record(rec *record.Record) { c.Add(c.Examine(rec)) }

// Examined is a record after the checks that need no other record (its
// type, the schema, its characters), waiting for Add.
type Examined struct{ r *recordCtx }

// Examine runs the checks of a record that need no other record. Unlike
// the rest of the Checker, it is safe for concurrent use, once the
// manifest has been read: a pipeline examines records on every core and
// adds them in input order. Examine does not read the record's Index,
// which such a pipeline may set only once the records are back in order,
// before Add.
func (c *Checker) Examine(rec *record.Record) *Examined {
	r := &recordCtx{c: c, rec: rec, examining: true}
	defer func() { r.examining = false }()
	obj, ok := rec.Value.(map[string]any)
	if !ok {
		r.broken = true
		r.report("", false, CodeNotARecord, fmt.Sprintf("is %s, but every record must be a group of fields with a type and an id", schema.DescribeValue(rec.Value)))
		return &Examined{r}
	}
	if id, ok := obj["id"].(string); ok {
		r.id, r.idHash = id, c.index.hash(id)
	}
	t, present := obj["type"]
	typ, _ := t.(string)
	switch {
	case !present:
		r.broken = true
		r.report("/type", false, CodeMissingType, "is required but missing; add type: one of "+strings.Join(schema.RecordTypes, ", "))
		return &Examined{r}
	case !isRecordType(typ):
		r.broken = true
		msg := fmt.Sprintf("%s is not a record type; use one of %s", schema.DescribeValue(t), strings.Join(schema.RecordTypes, ", "))
		if s := suggestType(typ); s != "" {
			msg += fmt.Sprintf(" (did you mean %q?)", s)
		}
		r.report("/type", false, CodeUnknownType, msg)
		return &Examined{r}
	}
	r.typ = typ
	for _, v := range c.v.Validate(typ, obj) {
		if r.failed == nil {
			r.failed = map[string]bool{}
		}
		r.failed[v.Pointer] = true
		r.emit(v.Pointer, v.Key, Error, v.Code, v.Keyword, v.Message)
	}
	if mayHoldSuspect(rec.Text()) {
		c.checkCharacters(r, obj, nil)
	}
	r.refs = c.examineReferences(r, obj)
	switch typ {
	case schema.Actor:
		c.checkRoles(r, obj)
		r.actor = examineActorNames(obj)
	case schema.Event, schema.Statement:
		c.examineAttestations(r, obj)
	}
	if typ == schema.Statement {
		c.examineStatementDate(r, obj)
	}
	return &Examined{r}
}

// Add counts and lists the findings of an examined record and runs the
// checks that span records. Records must be added in input order.
func (c *Checker) Add(e *Examined) {
	r := e.r
	c.records++
	for _, h := range r.held {
		r.emitAt(h.ptr, h.at, h.key, h.sev, h.code, h.keyword, h.msg)
	}
	r.held = nil
	if r.broken {
		return
	}
	c.counts[r.typ]++
	if c.limit != nil {
		return // the checks that span records stopped at the limit
	}
	obj := r.rec.Value.(map[string]any)
	n, owns := c.indexRecord(r, obj)
	c.checkReferences(r)
	switch r.typ {
	case schema.Actor:
		if owns {
			c.indexActor(r, n)
		}
	case schema.Source:
		c.indexArchive(r, obj)
	case schema.Statement:
		c.checkStatementDate(r)
	}
	if r.typ == schema.Event || r.typ == schema.Statement {
		c.addAttestations(r, obj)
	}
}

// Warm prepares the adding of a batch of examined records, about to be
// added in turn: it brings the index entries their references will look
// up into the processor's cache, all at once, so that the waits for
// memory overlap. It changes nothing; calling it is only faster.
func (c *Checker) Warm(batch []*Examined) {
	var sink uint32
	for _, e := range batch {
		if e == nil || e.r.broken {
			continue
		}
		r := e.r
		if r.id != "" {
			sink += c.index.touch(r.idHash)
		}
		for _, h := range r.refs {
			sink += c.index.touch(h.hash)
		}
		if r.names != nil {
			for _, n := range r.names.names {
				sink += c.index.touch(n.actorHash)
			}
		}
	}
	// Then what the spellings' checks read of their actors, which the
	// loads above lead to.
	for _, e := range batch {
		if e != nil && !e.r.broken && e.r.names != nil {
			for _, n := range e.r.names.names {
				sink += c.touchActor(n.actorHash)
			}
		}
	}
	c.warmed += sink
}

// Manifest checks the dataset manifest. Call it before Record: the
// severities its checks set apply to the findings that follow.
func (c *Checker) Manifest(rec *record.Record) {
	r := &recordCtx{c: c, rec: rec, typ: schema.Manifest}
	c.counts[schema.Manifest]++
	if _, ok := rec.Value.(map[string]any); !ok {
		r.report("", false, CodeNotARecord, fmt.Sprintf("is %s, but the manifest must be a group of fields such as title, license and curators", schema.DescribeValue(rec.Value)))
		return
	}
	failed := map[string]bool{}
	for _, v := range c.v.Validate(schema.Manifest, rec.Value) {
		failed[v.Pointer] = true
		if code, ok := strings.CutPrefix(v.Pointer, "/checks/"); ok && v.Key {
			if info, known := LookupCode(code); known && !info.Adjustable {
				v.Message = fmt.Sprintf("%q cannot be changed or turned off: it marks records that are broken, not a judgement call; the checks a dataset can adjust are %s",
					code, strings.Join(AdjustableCodes(), ", "))
			}
		}
		c.add(r.finding(v.Pointer, v.Key, Error, v.Code, v.Keyword, v.Message))
	}
	m := rec.Value.(map[string]any)
	if c.manifest != nil {
		// One manifest governs a dataset. A second, further down (an
		// example dataset, or a stranger's pull request), must not turn
		// the dataset's checks off: it is validated, and not applied.
		f := r.finding("", false, Warning, CodeExtraManifest, "", "")
		f.Message = fmt.Sprintf("is a second manifest: %s governs this dataset, and annals applies one manifest's checks, archive folder and exclusions, so this one's are not applied; validate it as a dataset of its own, or delete it", c.manifestFile)
		c.add(f)
		return
	}
	c.manifest, c.manifestFile = m, rec.File
	if a, ok := m["archive"].(string); ok && !failed["/archive"] && c.manifestArchive == "" {
		c.manifestDir, c.manifestArchive = filepath.Dir(rec.File), a
	}
	checks, _ := m["checks"].(map[string]any)
	for code, v := range checks {
		if s, ok := v.(string); ok && !failed["/checks/"+code] {
			c.severities[code] = s
		}
	}
	if exts, ok := m["extensions"].(map[string]any); ok && len(exts) > 0 && !failedBelow(failed, "/extensions") {
		c.extend(r, filepath.Dir(rec.File), exts)
	}
}

// failedBelow reports whether a violation was found at ptr or inside it.
func failedBelow(failed map[string]bool, ptr string) bool {
	for p := range failed {
		if p == ptr || strings.HasPrefix(p, ptr+"/") {
			return true
		}
	}
	return false
}

// CarriedManifest reads the manifest an export carries, with the extension
// schemas it carries (by record type): the export's folder does not hold
// the files its manifest names.
func (c *Checker) CarriedManifest(rec *record.Record, extensions map[string][]byte) {
	c.carriedExtensions, c.readingCarried = extensions, true
	c.Manifest(rec)
	c.carriedExtensions, c.readingCarried = nil, false
}

// ManifestData returns the value of the manifest read, or nil.
func (c *Checker) ManifestData() map[string]any { return c.manifest }

// Errors returns the number of errors found so far: a conversion that
// writes as it checks stops at the first.
func (c *Checker) Errors() int { return c.totals[Error] }

// ReadError records a problem reading an input: a syntax error, invalid
// UTF-8, a duplicate key, a workbook or CSV export that cannot be read back,
// or a file that cannot be read at all.
func (c *Checker) ReadError(file string, err error) { c.readError(file, err, true) }

// ManifestError records a problem reading the manifest. Unlike a records
// file's, it loses no records, so references are still checked one by one.
func (c *Checker) ManifestError(file string, err error) { c.readError(file, err, false) }

// readError records a problem reading an input, which may have lost
// records if lossy.
func (c *Checker) readError(file string, err error, lossy bool) {
	f := Finding{File: file, Line: 1, Column: 1, Severity: Error, Code: CodeUnreadable, Message: err.Error()}
	var se *record.SyntaxError
	var ie *record.ImportError
	switch {
	case errors.As(err, &se):
		f.Line, f.Column, f.Code, f.Message = se.Line, se.Col, se.Code, se.Msg
	case errors.As(err, &ie):
		p := ie.Position
		f.File, f.Line, f.Column, f.Sheet, f.Cell, f.Code, f.Message = p.File, p.Line, p.Col, p.Sheet, p.Cell, ie.Code, ie.Msg
		if info, ok := LookupCode(ie.Code); ok {
			f.Severity = info.Severity // the notes of an import are warnings
		}
	}
	f.fileOrder = c.inputs - 1
	if lossy && f.Severity == Error && c.unread == nil {
		c.unread = &f // records may be missing: see finishDataset
	}
	c.add(f)
}

// indexRecord adds the record's id to the index, and reports whether the
// record owns it (references to the id are to this record, and to no
// later one with the same id), and the number of its entry if it does.
func (c *Checker) indexRecord(r *recordCtx, obj map[string]any) (int, bool) {
	// The schema limits ids to 100 characters; the index counts on it.
	if r.id == "" || r.failed["/id"] || len(r.id) > maxIDBytes {
		return 0, false
	}
	var published *int64
	if r.typ == schema.Source {
		if d, ok := parseDate(obj["published"]); ok {
			if t, ok := d.Latest(); ok {
				u := t.Unix()
				published = &u
			}
		}
	}
	n, added, err := c.index.addHashed(r.id, r.idHash, entry{typ: typeIndex(r.typ), start: c.startOf(r.rec)}, published)
	if err != nil {
		c.failAt(r, err)
		return 0, false
	}
	if !added {
		prev := c.index.entry(n)
		at := c.position(prev.start)
		msg := fmt.Sprintf("%q is already the id of the %s at %s; ids must be unique across the dataset, so rename one of them", r.id, prev.typeName(), at)
		if at.File != r.rec.File {
			// Often the whole file is a copy: an export written into the
			// dataset's folder, read back with the records.
			msg += duplicateFileHint
		}
		r.report("/id", false, CodeDuplicateID, msg)
	}
	return n, added
}

// duplicateFileHint ends the message of an id found again in another file.
const duplicateFileHint = ", or, if one of the two files is an export or a copy of the other's records, leave it out of the dataset: list it (or its folder) under exclude: in annals.yaml, or in .gitignore"

// examineReferences collects every reference the schema declares for the
// record's type, but those the schema rejected.
func (c *Checker) examineReferences(r *recordCtx, obj map[string]any) []heldRef {
	var refs []heldRef
	for i, ref := range c.v.References(r.typ) {
		ref.Each(obj, func(v any, at schema.Cursor) {
			id, ok := v.(string)
			if !ok {
				return
			}
			if len(r.failed) > 0 && r.failed[ref.Pointer(at)] {
				return
			}
			if refs == nil {
				refs = make([]heldRef, 0, 8) // most records' references, in one allocation
			}
			refs = append(refs, heldRef{id: id, hash: c.index.hash(id), ref: i, at: at})
		})
	}
	return refs
}

// checkReferences resolves the record's references. References to records
// already seen are checked now; the others wait for Finish.
func (c *Checker) checkReferences(r *recordCtx) {
	c.memo.n = 0 // the record's own id was just added
	declared := c.v.References(r.typ)
	for _, h := range r.refs {
		ref := declared[h.ref]
		if e, ok := c.lookupHashed(h.id, h.hash); ok {
			if msg := wrongType(h.id, e.typeName(), ref.Target); msg != "" {
				r.emit(ref.Pointer(h.at), false, Error, CodeWrongReference, "", msg)
			}
			continue
		}
		c.refs = append(c.refs, pendingRef{at: r.mark(c.refStrs, ref.Pointer(h.at)), id: c.refStrs.Add(h.id), target: typeIndex(ref.Target)})
	}
	c.failAt(r, c.refStrs.Err())
	if len(c.refs) > 0 && c.records >= c.sweepAt {
		c.sweepRefs()
	}
}

func wrongType(id, got, want string) string {
	if got == want {
		return ""
	}
	return fmt.Sprintf("refers to %q, which is %s %s, but it must refer to %s %s", id, english.Article(got), got, english.Article(want), want)
}

// checkRoles reports roles that end before they start.
func (c *Checker) checkRoles(r *recordCtx, obj map[string]any) {
	roles, _ := obj["roles"].([]any)
	for i, x := range roles {
		role, _ := x.(map[string]any)
		from, ok1 := parseDate(role["from"])
		to, ok2 := parseDate(role["to"])
		if !ok1 || !ok2 {
			continue
		}
		start, ok1 := from.Earliest()
		end, ok2 := to.Latest()
		if ok1 && ok2 && end.Before(start) {
			r.report(fmt.Sprintf("/roles/%d/to", i), false, CodeIntervalReversed,
				fmt.Sprintf("the role ends (%s) before it starts (%s); check from and to", to, from))
		}
	}
}

// checkStatementDate compares a statement's date with the publication
// dates of the sources that report it: now, when every source has been
// read (the usual order), or in Finish. Only a deferred or failing check
// pays for locating the date in the input.
func (c *Checker) checkStatementDate(r *recordCtx) {
	d := r.date
	if d == nil {
		return
	}
	known := true
	for _, s := range d.sources {
		_, seen := c.lookup(s)
		known = known && seen
	}
	if known {
		if msg := c.dateAfterSources(*d); msg != "" {
			r.emit("/date", false, Error, CodeDateAfterSources, "", msg)
		}
		return
	}
	p := *d
	p.f = r.finding("/date", false, Error, CodeDateAfterSources, "", "")
	c.dates = append(c.dates, p)
}

// examineStatementDate gathers what checkStatementDate needs: the
// statement's date and the sources that report it.
func (c *Checker) examineStatementDate(r *recordCtx, obj map[string]any) {
	d, ok := parseDate(obj["date"])
	if !ok || r.failed["/date"] {
		return
	}
	earliest, ok := d.Earliest()
	if !ok {
		return
	}
	var sources []string
	atts, _ := obj["attestations"].([]any)
	for _, a := range atts {
		att, _ := a.(map[string]any)
		if s, ok := att["source"].(string); ok {
			sources = append(sources, s)
		}
	}
	if len(sources) == 0 {
		return
	}
	r.date = &pendingDate{date: d.String(), earliest: earliest, sources: sources}
}

// Report is the outcome of a check.
type Report struct {
	Findings []Finding      // sorted; see Checker.List and Checker.MaxFindings
	Omitted  int            // findings not listed because of MaxFindings
	Counts   map[string]int // records checked, by type (and "manifest")
	Records  int            // records read, including those without a valid type
	Files    int
	Errors   int
	Warnings int
	Notes    int // findings of severity info
	// Incomplete is set when the dataset was larger than the checker can
	// hold (a beyond-limits finding says what): its other findings may be
	// incomplete, and a command exits with 2 rather than give a verdict.
	Incomplete bool
	// Quotes says how many of the attestations' quotes were looked for in
	// their sources' archived texts, and why the others were not.
	Quotes QuoteCoverage
}

// Finish runs the checks that need every record and returns the sorted
// findings. The Checker must not be used afterwards.
func (c *Checker) Finish() *Report {
	if c.limit == nil {
		c.finishDataset()
	}
	c.fail(c.conflicts.err())
	if c.limit != nil {
		f := c.limitAt
		f.Message = fmt.Sprintf("annals could not check this dataset whole: %v; the checks that span records (ids, references, dates against sources, quotes, spellings and duplicate actors) stopped here, so only the findings about single records are complete; split the dataset into smaller ones", c.limit)
		c.add(f)
	}
	c.trim(c.MaxFindings)
	return &Report{
		Findings: c.findings, Omitted: c.omitted,
		Counts: c.counts, Records: c.records, Files: len(c.files),
		Errors: c.totals[Error], Warnings: c.totals[Warning], Notes: c.totals[Info],
		Incomplete: c.limit != nil,
		Quotes:     c.quoteCoverage,
	}
}

// finishDataset runs the checks that need every record.
func (c *Checker) finishDataset() {
	c.memo.n = 0
	suggestions := 0
	unchecked := map[string]int{} // references to ids no record read has, by type, when records may be missing
	for _, p := range c.refs {
		id, target := c.refStrs.String(p.id), schema.RecordTypes[p.target]
		e, ok := c.index.get(id)
		if !ok && c.unread != nil {
			unchecked[target]++
			continue
		}
		f := c.markFinding(c.refStrs, p.at, Error, CodeDanglingReference)
		switch {
		case !ok:
			f.Message = fmt.Sprintf("refers to %q, but no record has that id; add %s %s with this id, or correct the reference", id, english.Article(target), target)
			// Suggesting a near id scans the index; cap it so a file full of
			// broken references stays linear.
			if suggestions < 200 {
				suggestions++
				if s := c.nearID(id, target); s != "" {
					f.Message += fmt.Sprintf(" (did you mean %q?)", s)
				}
			}
		case e.typeName() != target:
			f.Code, f.Message = CodeWrongReference, wrongType(id, e.typeName(), target)
		default:
			continue
		}
		c.add(f)
	}
	c.uncheckedReferences(unchecked)
	for _, p := range c.dates {
		if msg := c.dateAfterSources(p); msg != "" {
			p.f.Message = msg
			c.add(p.f)
		}
	}
	c.decideHeldNames()
	// The index is the largest thing kept, and what follows needs none of
	// it: let the collector have it before the actors are compared.
	c.fail(c.refStrs.Err())
	c.sortQuotes()
	c.index, c.idsByType, c.refs, c.refStrs, c.dates = nil, nil, nil, nil, nil
	c.verifyQuotes()
	c.finishNames()
}

// uncheckedReferences reports, in one finding at the first read error,
// the references to ids no record read has, by the type they name, when
// an input could not be read whole: the records may be in it, and a
// finding for each would bury the one error that matters.
func (c *Checker) uncheckedReferences(byType map[string]int) {
	total := 0
	var kinds []string
	for _, t := range schema.RecordTypes {
		if n := byType[t]; n > 0 {
			total += n
			kinds = append(kinds, fmt.Sprintf("%d to %ss", n, t)) // every record type takes an s
		}
	}
	if total == 0 {
		return
	}
	f := *c.unread
	f.Severity, f.Code, f.Keyword, f.Pointer, f.Field, f.RecordType, f.RecordID = Warning, CodeReferencesUnread, "", "", "", "", ""
	refs := "references (%s) name ids that no record read has; they are"
	if total == 1 {
		refs = "reference (%s) names an id that no record read has; it is"
	}
	f.Message = fmt.Sprintf("%d "+refs+" not reported one by one, as %s could not be read whole and may hold those records: fix its error and validate again",
		total, strings.Join(kinds, ", "), f.File)
	c.add(f)
}

// add gives f the severity the manifest's checks set for its code (or
// drops it, when they turn the code off), counts it, and lists it if List
// lets it, within MaxFindings: once twice as many are listed, the last
// ones in sorted order are dropped.
func (c *Checker) add(f Finding) {
	if f, ok := c.count(f); ok {
		c.list(f)
	}
}

// count gives f its severity and counts it, and reports whether it is to
// be listed (List sees it before it is located).
func (c *Checker) count(f Finding) (_ Finding, listed bool) {
	f, ok := c.adjustSeverity(f)
	if !ok {
		return f, false
	}
	c.totals[f.Severity]++
	return f, c.List == nil || c.List(f)
}

// list lists a counted finding, within MaxFindings.
func (c *Checker) list(f Finding) {
	c.findings = append(c.findings, f)
	if c.MaxFindings > 0 && len(c.findings) >= 2*c.MaxFindings {
		c.trim(c.MaxFindings)
	}
}

// trim sorts the listed findings and keeps the first max (all when max is 0).
func (c *Checker) trim(max int) {
	sortFindings(c.findings)
	if max > 0 && len(c.findings) > max {
		c.omitted += len(c.findings) - max
		clear(c.findings[max:])
		c.findings = c.findings[:max]
	}
}

// adjustSeverity applies the manifest's checks: a code they name gets that
// severity, or is dropped (ok is false) when "off". Only adjustable codes
// are adjusted; the schema of the manifest refuses the others.
func (c *Checker) adjustSeverity(f Finding) (_ Finding, ok bool) {
	s, named := c.severities[f.Code]
	if !named {
		return f, true
	}
	if info, known := LookupCode(f.Code); !known || !info.Adjustable {
		return f, true
	}
	switch s {
	case "off":
		return f, false
	case "error":
		f.Severity = Error
	case "warning":
		f.Severity = Warning
	case "info":
		f.Severity = Info
	}
	return f, true
}

// dateAfterSources returns the message for a statement dated after the
// publication of every source that reports it, or "" when it is not (or
// when a source's publication date is unknown, so nothing can be said).
func (c *Checker) dateAfterSources(p pendingDate) string {
	var latest time.Time
	var latestID string
	for _, id := range p.sources {
		n, ok := c.index.number(id)
		if !ok || c.index.entry(n).typeName() != schema.Source {
			return ""
		}
		published, known := c.index.publishedAt(n)
		if !known {
			return ""
		}
		if published.After(latest) {
			latest, latestID = published, id
		}
	}
	if !p.earliest.After(latest) {
		return ""
	}
	which := fmt.Sprintf("the only one, %q, was published %s", latestID, latest.Format("2006-01-02"))
	if len(p.sources) > 1 {
		which = fmt.Sprintf("the latest, %q, was published %s", latestID, latest.Format("2006-01-02"))
	}
	return fmt.Sprintf("%s is later than every source that reports the statement (%s); a source cannot report words before they were said, so check the date", p.date, which)
}

// nearID suggests the id of a record of type typ that id may be a typo
// of. The ids of each type are listed once, the first time.
func (c *Checker) nearID(id, typ string) string {
	if c.idsByType == nil {
		c.idsByType = map[string][]string{}
		for n := range c.index.len() {
			t := c.index.entry(n).typeName()
			c.idsByType[t] = append(c.idsByType[t], c.index.id(n))
		}
	}
	return suggest.Nearest(id, c.idsByType[typ])
}

func parseDate(v any) (edtf.Date, bool) {
	s, ok := v.(string)
	if !ok {
		return edtf.Date{}, false
	}
	d, err := edtf.Parse(s)
	return d, err == nil
}

func isRecordType(t string) bool {
	for _, x := range schema.RecordTypes {
		if x == t {
			return true
		}
	}
	return false
}

func suggestType(t string) string { return suggest.Nearest(t, schema.RecordTypes) }
