package report

import (
	"fmt"
	"time"

	"github.com/annals-project/annals/internal/edtf"
)

// timeline is the SVG of the events and statements on one time axis: an
// event is a circle in the upper lane, a statement a square in the lower
// one, a date range a bar from its first to its last day. Records whose
// date cannot be placed (no date, or an unparsable one) are counted.
type timeline struct {
	Width, Height int
	Marks         []mark
	Ticks         []tick
	Undated       int
	Events        int // events drawn
	Statements    int
}

type mark struct {
	Class, Title, Anchor string
	X, X2, Y             int // X2 > X for a range
	Square               bool
}

type tick struct {
	X     int
	Label string
}

const (
	tlWidth  = 960
	tlLeft   = 90
	tlRight  = 30
	tlEvents = 50
	tlStmts  = 110
)

func buildTimeline(records []map[string]any) timeline {
	type dated struct {
		typ, id, title, date string
		from, to             time.Time
	}
	var items []dated
	tl := timeline{Width: tlWidth, Height: 170}
	for _, rec := range records {
		typ := str(rec, "type")
		if typ != "event" && typ != "statement" {
			continue
		}
		title := str(rec, "title")
		if typ == "statement" {
			title = str(rec, "summary")
		}
		d, err := edtf.Parse(str(rec, "date"))
		from, ok1 := d.Earliest()
		to, ok2 := d.Latest()
		switch {
		case err != nil || !ok1 && !ok2:
			tl.Undated++
			continue
		case !ok1: // an open start ("../2022"): drawn at its end
			from = to
		case !ok2: // an open end ("2022-05/.."): drawn at its start
			to = from
		}
		items = append(items, dated{typ, str(rec, "id"), title, str(rec, "date"), from, to})
	}
	if len(items) == 0 {
		return tl
	}
	lo, hi := items[0].from, items[0].to
	for _, it := range items {
		lo, hi = minTime(lo, it.from), maxTime(hi, it.to)
	}
	// A day of margin either side, and never a span of zero.
	lo, hi = lo.AddDate(0, 0, -1), hi.AddDate(0, 0, 1)
	// In seconds since lo, as floats: a time.Duration stops at 292 years.
	span := float64(hi.Unix() - lo.Unix())
	x := func(t time.Time) int {
		return tlLeft + int(float64(tlWidth-tlLeft-tlRight)*float64(t.Unix()-lo.Unix())/span)
	}
	lane := map[string]int{}
	for _, it := range items {
		y := tlEvents
		if it.typ == "statement" {
			y = tlStmts
			tl.Statements++
		} else {
			tl.Events++
		}
		// Marks on one day are stacked a little, so that each shows.
		day := fmt.Sprintf("%s %d", it.typ, x(it.from))
		y += (lane[day] % 4) * 7
		lane[day]++
		m := mark{Class: it.typ, Title: fmt.Sprintf("%s %s (%s): %s", it.typ, it.id, it.date, it.title),
			Anchor: anchor(it.typ, it.id), X: x(it.from), Y: y, Square: it.typ == "statement"}
		if it.to.Sub(it.from) > 24*time.Hour {
			m.X2 = x(it.to)
		}
		tl.Marks = append(tl.Marks, m)
	}
	tl.Ticks = ticks(lo, hi, x)
	return tl
}

// ticks labels the axis by month, or by year over a long span, at most
// about a dozen labels.
func ticks(lo, hi time.Time, x func(time.Time) int) []tick {
	months := (hi.Year()-lo.Year())*12 + int(hi.Month()-lo.Month()) + 1
	step, layout := 1, "Jan 2006"
	if months > 24 {
		step, layout = 12*max(1, months/12/12), "2006"
	} else if months > 12 {
		step = 2
	}
	var out []tick
	t := time.Date(lo.Year(), lo.Month(), 1, 0, 0, 0, 0, time.UTC)
	if step >= 12 {
		t = time.Date(lo.Year(), 1, 1, 0, 0, 0, 0, time.UTC)
	}
	for ; !t.After(hi); t = t.AddDate(0, step, 0) {
		if !t.Before(lo) {
			out = append(out, tick{X: x(t), Label: t.Format(layout)})
		}
	}
	if len(out) == 0 { // a span inside one month: its first and last day
		out = []tick{{X: x(lo.AddDate(0, 0, 1)), Label: lo.AddDate(0, 0, 1).Format("2 Jan 2006")}, {X: x(hi.AddDate(0, 0, -1)), Label: hi.AddDate(0, 0, -1).Format("2 Jan 2006")}}
	}
	return out
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
