package report

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"

	"github.com/annals-project/annals/internal/edtf"
)

// timeline is the SVG of the events and statements: one row per record, in
// date order, each labelled, on a time axis that spends its width where
// the records are. A day is a dot (a circle for an event, a square for a
// statement), a range of days a bar, a month, season or year a dashed
// band; an uncertain or approximate date is hollow. Around each record,
// on its row, are the dates its sources reported, joined to it by a thin
// line, so that a disagreement shows as a spread: a diamond that agrees is
// grey, one that disagrees is orange. Where nothing happens for a long
// time, the axis is broken (two slanted strokes) rather than stretched.
type timeline struct {
	Width, Height int
	Rows          []row
	Months        []tick // labels of months (or years) above the axis
	Days          []tick // labels of days below them
	Grid          []int  // x of the vertical lines at month starts
	Breaks        []int  // x of the axis breaks
	Undated       int
	Events        int // events drawn
	Statements    int
}

type row struct {
	Class, Anchor string
	Title         string // the whole record, for hover
	Date          string // the record's date as written, in the left gutter
	Y             int
	Own           shape
	Reported      []reportedDate
	Label         string
	LabelX        int
	LabelLeft     bool // the label ends at LabelX, left of the marks
	LabelOver     bool // the marks fill the row: the label is over them
	DateSqueeze   int  // a date too long for the gutter is drawn this wide
}

// shape is how a record's own date is drawn.
type shape struct {
	Kind   string // day, range or span (a month, season, year or decade)
	X, X2  int
	Hollow bool // uncertain or approximate
	Open   bool // an interval open at an end, drawn to the axis's end
}

// reportedDate is one source's date for a record.
type reportedDate struct {
	X, X2     int // X2 > X for a month or longer
	Disagrees bool
	Title     string
}

type tick struct {
	X     int
	Label string
}

// The layout, in the SVG's own units.
const (
	tlWidth    = 1000
	tlGutter   = 150 // the dates as written, left of the plot, at most this wide
	tlPlotLeft = 160
	tlRight    = 12
	tlTop      = 52 // the first row's centre
	tlRowH     = 20
	tlCharW    = 6.6 // a generous width of one character of the labels, for placing them
	tlGapCap   = 8   // days: a longer stretch without records is broken
	tlMinLabel = 160 // a label cut shorter than this goes over the marks instead
	tlAxisPad  = 72  // room right of the last day for its month's label
)

// timelineRecord is one event or statement as the timeline reads it.
type timelineRecord struct {
	typ, id, label, title, date string
	from, to                    time.Time
	openStart, openEnd          bool
	precision                   edtf.Precision
	interval, hollow            bool
	reported                    []timelineReport
}

type timelineReport struct {
	source, date, text string
	from, to           time.Time
	disagrees          bool
}

// buildTimeline lays out the events and statements of records. names maps
// actors' ids to their names, for the labels of statements; disagrees
// says which source's date disagrees with its record's.
func buildTimeline(records []map[string]any, names map[string]string, disagrees map[string]bool) timeline {
	tl := timeline{Width: tlWidth}
	var items []timelineRecord
	for _, rec := range records {
		typ := str(rec, "type")
		if typ != "event" && typ != "statement" {
			continue
		}
		it, ok := readTimelineRecord(rec, typ, names, disagrees)
		if !ok {
			tl.Undated++
			continue
		}
		items = append(items, it)
	}
	if len(items) == 0 {
		return tl
	}
	slices.SortStableFunc(items, func(a, b timelineRecord) int {
		if c := a.from.Compare(b.from); c != 0 {
			return c
		}
		return a.to.Compare(b.to)
	})
	sc := newScale(items, tlPlotLeft, tlWidth-tlRight-tlAxisPad)
	for i, it := range items {
		if it.typ == "event" {
			tl.Events++
		} else {
			tl.Statements++
		}
		r := row{Class: it.typ, Anchor: anchor(it.typ, it.id), Title: it.title, Date: it.date, Y: tlTop + i*tlRowH}
		if textWidth(it.date) > tlGutter {
			r.DateSqueeze = tlGutter
		}
		r.Own = shape{Kind: "day", X: sc.x(it.from), Hollow: it.hollow, Open: it.openStart || it.openEnd}
		switch {
		case it.openEnd:
			r.Own.Kind, r.Own.X2 = "range", sc.right
		case it.openStart:
			r.Own.Kind, r.Own.X, r.Own.X2 = "range", sc.left, sc.x(it.to)
		case it.interval && it.to.After(it.from):
			r.Own.Kind, r.Own.X2 = "range", sc.x(it.to)
		case it.to.After(it.from):
			r.Own.Kind, r.Own.X2 = "span", sc.x(it.to)
		}
		lo, hi := r.Own.X, max(r.Own.X, r.Own.X2)
		for _, rep := range it.reported {
			d := reportedDate{X: sc.x(rep.from), Disagrees: rep.disagrees, Title: rep.title()}
			if rep.to.After(rep.from) {
				d.X2 = sc.x(rep.to)
			}
			lo, hi = min(lo, d.X), max(hi, d.X, d.X2)
			r.Reported = append(r.Reported, d)
		}
		r.Label, r.LabelX, r.LabelLeft, r.LabelOver = placeLabel(it.label, lo-8, hi+8)
		tl.Rows = append(tl.Rows, r)
	}
	tl.Height = tlTop + len(items)*tlRowH
	tl.Months, tl.Days, tl.Grid = sc.ticks()
	tl.Breaks = sc.breaks
	return tl
}

// readTimelineRecord reads what the timeline shows of one event or
// statement; ok is false when its date cannot be placed.
func readTimelineRecord(rec map[string]any, typ string, names map[string]string, disagrees map[string]bool) (timelineRecord, bool) {
	id := str(rec, "id")
	it := timelineRecord{typ: typ, id: id, date: str(rec, "date")}
	d, err := edtf.Parse(it.date)
	from, ok1 := d.Earliest()
	to, ok2 := d.Latest()
	if err != nil || !ok1 && !ok2 {
		return it, false
	}
	it.openStart, it.openEnd = !ok1, !ok2
	if it.openStart {
		from = to
	}
	if it.openEnd {
		to = from
	}
	it.from, it.to, it.precision, it.interval = from, to, d.Precision(), d.IsInterval()
	it.hollow = d.Uncertain() || d.Approximate()
	it.label = str(rec, "title")
	if typ == "statement" {
		speaker := cmp.Or(names[str(rec, "speaker")], str(rec, "speaker"))
		it.label = str(rec, "summary")
		if speaker != "" {
			it.label = speaker + ": " + it.label
		}
	}
	if strings.TrimSpace(it.label) == "" {
		it.label = id
	}
	it.title = fmt.Sprintf("%s %s (%s): %s", typ, id, it.date, it.label)
	for _, att := range list(rec, "attestations") {
		s := str(att, "reported_date")
		rd, err := edtf.Parse(s)
		if s == "" || err != nil {
			continue
		}
		rf, ok1 := rd.Earliest()
		rt, ok2 := rd.Latest()
		if !ok1 || !ok2 {
			continue
		}
		src := str(att, "source")
		it.reported = append(it.reported, timelineReport{source: src, date: s, text: str(att, "reported_date_text"),
			from: rf, to: rt, disagrees: disagrees[typ+"\x00"+id+"\x00date\x00"+src]})
	}
	return it, true
}

func (r timelineReport) title() string {
	t := r.source + " reports " + r.date
	if r.text != "" {
		t += " (“" + r.text + "”)"
	}
	if r.disagrees {
		t += ", which disagrees with the record"
	}
	return t
}

// placeLabel puts a row's label right of its marks (which span left to
// right) when it fits there, else left of them; else, cut short with … to
// fit, on the side with more room, if that leaves enough to read; else, when
// the marks fill the row, over them, on a halo. It never leaves the plot.
func placeLabel(label string, left, right int) (text string, x int, onLeft, over bool) {
	roomRight := tlWidth - tlRight - right
	roomLeft := left - tlPlotLeft
	need := textWidth(label)
	switch {
	case need <= roomRight:
		return label, right, false, false
	case need <= roomLeft:
		return label, left, true, false
	case max(roomLeft, roomRight) >= min(need, tlMinLabel):
		if roomLeft > roomRight {
			return fit(label, roomLeft), left, true, false
		}
		return fit(label, roomRight), right, false, false
	}
	return fit(label, tlWidth-tlRight-tlPlotLeft), tlPlotLeft, false, true
}

// textWidth is a generous estimate of how wide s is drawn in the labels'
// font: wide Latin letters and capitals count more, and East Asian
// characters twice.
func textWidth(s string) int {
	w := 0.0
	for _, r := range s {
		w += runeWidth(r)
	}
	return int(w + 0.5)
}

func runeWidth(r rune) float64 {
	switch {
	case r == 'm' || r == 'w' || r == 'M' || r == 'W' || r == '@' || r == '%':
		return 10.5
	case unicode.IsUpper(r):
		return 8.5
	case unicode.IsDigit(r) && r < 128:
		return 7
	case r < 128:
		return tlCharW
	case unicode.In(r, unicode.Han, unicode.Hangul, unicode.Hiragana, unicode.Katakana) || r >= 0xFF00 && r <= 0xFFEF || r >= 0x1F000:
		return 13
	}
	return 8.5
}

// fit cuts s short, with …, to be at most width wide.
func fit(s string, width int) string {
	if textWidth(s) <= width {
		return s
	}
	r := []rune(s)
	w := runeWidth('…')
	n := 0
	for n < len(r) && w+runeWidth(r[n]) <= float64(width) {
		w += runeWidth(r[n])
		n++
	}
	if n == 0 {
		return ""
	}
	return strings.TrimRight(string(r[:n]), " ,;:") + "…"
}

// scale maps days to x: the days on which records start or end, or that
// sources report, are its knots, and each stretch between two knots takes
// width by its length in days, but no more than tlGapCap days' worth, so
// that a quiet half year does not crush a busy month. Stretches longer
// than that are breaks.
type scale struct {
	left, right int
	days        []int64 // knots, in days since 1970, ascending
	xs          []float64
	breaks      []int
}

func dayNumber(t time.Time) int64 { return t.Unix() / 86400 }

func newScale(items []timelineRecord, left, right int) scale {
	var days []int64
	add := func(t time.Time) { days = append(days, dayNumber(t)) }
	for _, it := range items {
		add(it.from)
		add(it.to)
		for _, r := range it.reported {
			add(r.from)
			add(r.to)
		}
	}
	slices.Sort(days)
	days = slices.Compact(days)
	// A day of margin either side.
	days = append([]int64{days[0] - 1}, append(days, days[len(days)-1]+1)...)
	weights := make([]float64, len(days))
	total := 0.0
	for i := 1; i < len(days); i++ {
		weights[i] = float64(min(days[i]-days[i-1], tlGapCap))
		total += weights[i]
	}
	s := scale{left: left, right: right, days: days, xs: make([]float64, len(days))}
	s.xs[0] = float64(left)
	for i := 1; i < len(days); i++ {
		s.xs[i] = s.xs[i-1] + weights[i]/total*float64(right-left)
		if days[i]-days[i-1] > tlGapCap {
			s.breaks = append(s.breaks, int((s.xs[i-1]+s.xs[i])/2))
		}
	}
	return s
}

// x is the position of the day of t: between two knots, in proportion.
func (s scale) x(t time.Time) int {
	d := dayNumber(t)
	i, found := slices.BinarySearch(s.days, d)
	switch {
	case found:
		return int(s.xs[i] + 0.5)
	case i == 0:
		return s.left
	case i == len(s.days):
		return s.right
	}
	f := float64(d-s.days[i-1]) / float64(s.days[i]-s.days[i-1])
	return int(s.xs[i-1] + f*(s.xs[i]-s.xs[i-1]) + 0.5)
}

// ticks labels the axis. The axis is made of runs of knots, with a break
// between runs; in each run, the first label names the month (and year) of
// its first day, and the others the months (or, over a long run, the
// quarters, years or decades) that begin in it, with the year at each
// January. Nothing is labelled inside a break. Below, the days of the
// records are labelled. A label is placed only where it does not touch the
// one before.
func (s scale) ticks() (months, days []tick, grid []int) {
	lastEnd := -1000
	// A month's label starts at the month's first day (or at the run's,
	// unless the month is named already, before a break).
	named := map[string]bool{}
	place := func(x int, label string) {
		if x > lastEnd+2 && x+textWidth(label) <= tlWidth-tlRight {
			months = append(months, tick{X: x, Label: label})
			lastEnd = x + textWidth(label)
			named[label] = true
		}
	}
	for _, run := range s.runs() {
		first := dayTime(s.days[run[0]])
		if run[0] == 0 && run[1] > 0 {
			first = dayTime(s.days[1]) // not the margin day before the records
		}
		last := dayTime(s.days[min(run[1], len(s.days)-2)]) // not the margin day after the records
		if label := first.Format("Jan 2006"); len(months) == 0 || !named[label] {
			place(s.x(first), label)
		}
		step := monthStep(first, last)
		m := time.Date(first.Year(), first.Month(), 1, 0, 0, 0, 0, time.UTC).AddDate(0, 1, 0)
		for m = alignMonth(m, step); !m.After(last); m = m.AddDate(0, step, 0) {
			x := s.x(m)
			grid = append(grid, x)
			label := m.Format("Jan")
			if step >= 12 || m.Month() == time.January {
				label = m.Format("2006")
				if step < 12 {
					label = m.Format("Jan 2006")
				}
			}
			place(x, label)
		}
	}
	lastEnd = -1000
	for _, d := range s.days[1 : len(s.days)-1] {
		t := dayTime(d)
		x := s.x(t)
		label := t.Format("2")
		if x-textWidth(label)/2 > lastEnd+4 {
			days = append(days, tick{X: x, Label: label})
			lastEnd = x + textWidth(label)/2
		}
	}
	return months, days, grid
}

// runs returns the knots between breaks, as the indexes of the first and
// last knot of each run.
func (s scale) runs() [][2]int {
	var out [][2]int
	start := 0
	for i := 1; i < len(s.days); i++ {
		if s.days[i]-s.days[i-1] > tlGapCap {
			out = append(out, [2]int{start, i - 1})
			start = i
		}
	}
	return append(out, [2]int{start, len(s.days) - 1})
}

// monthStep is how many months apart a run's labels are: at most about a
// dozen labels and grid lines to a run.
func monthStep(first, last time.Time) int {
	months := (last.Year()-first.Year())*12 + int(last.Month()-first.Month())
	for _, step := range []int{1, 3, 12, 60, 120, 1200, 12000} {
		if months/step <= 12 {
			return step
		}
	}
	return 120000
}

// alignMonth moves m on to the next month that a step of step months
// labels: any month, the start of a quarter, or of a year, five years or
// a decade.
func alignMonth(m time.Time, step int) time.Time {
	for range 120001 {
		months := m.Year()*12 + int(m.Month()) - 1
		if step == 1 || (step < 12 && months%step == 0) || (step >= 12 && m.Month() == time.January && m.Year()%(step/12) == 0) {
			return m
		}
		m = m.AddDate(0, 1, 0)
	}
	return m
}

func dayTime(d int64) time.Time { return time.Unix(d*86400, 0).UTC() }
