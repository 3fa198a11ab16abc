package report

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
)

func event(id, date string, reported ...string) map[string]any {
	var atts []any
	for i, d := range reported {
		atts = append(atts, map[string]any{"source": fmt.Sprintf("s%d", i), "reported_date": d})
	}
	return map[string]any{"type": "event", "id": id, "title": "Event " + id, "date": date, "attestations": atts}
}

// TestTimelineLongSpan places dates three centuries apart in order, with
// the last at the right end: positions are not computed as a
// time.Duration, which stops at 292 years.
func TestTimelineLongSpan(t *testing.T) {
	var recs []map[string]any
	for i, d := range []string{"1700-01-01", "1850-06-01", "2022-01-10", "2022-12-01"} {
		recs = append(recs, event(string(rune('a'+i)), d))
	}
	tl := buildTimeline(recs, nil, nil)
	if len(tl.Rows) != 4 {
		t.Fatalf("%d rows", len(tl.Rows))
	}
	for i := 1; i < 4; i++ {
		if tl.Rows[i].Own.X <= tl.Rows[i-1].Own.X {
			t.Errorf("row %d at x=%d, not right of row %d at x=%d", i, tl.Rows[i].Own.X, i-1, tl.Rows[i-1].Own.X)
		}
	}
	if last := tl.Rows[3].Own.X; last > tlWidth-tlRight-tlAxisPad || last < tlWidth-tlRight-tlAxisPad-60 {
		t.Errorf("the last date at x=%d, not at the right end", last)
	}
	if len(tl.Breaks) != 3 {
		t.Errorf("%d breaks in the axis, want one in each of the 3 long gaps", len(tl.Breaks))
	}
}

// Each kind of date is drawn its own way, and rows follow the dates.
func TestTimelineShapes(t *testing.T) {
	recs := []map[string]any{
		event("range", "2021-12-20/2021-12-26"),
		event("month", "2021-11"),
		event("year", "2021"),
		event("day", "2021-12-27"),
		event("uncertain", "2021-12-23?"),
		event("open", "2022-01/.."),
		event("undated", "soon"),
		{"type": "statement", "id": "said", "speaker": "sergei-lavrov", "summary": "Lavrov said so", "date": "2021-12-27"},
	}
	tl := buildTimeline(recs, map[string]string{"sergei-lavrov": "Sergei Lavrov"}, nil)
	if tl.Undated != 1 || tl.Events != 6 || tl.Statements != 1 {
		t.Errorf("undated %d, events %d, statements %d", tl.Undated, tl.Events, tl.Statements)
	}
	got := map[string]row{}
	var order []string
	for _, r := range tl.Rows {
		id := strings.TrimPrefix(strings.TrimPrefix(r.Anchor, "rec-event-"), "rec-statement-")
		got[id] = r
		order = append(order, id)
	}
	if want := "year month range uncertain day said open"; strings.Join(order, " ") != want {
		t.Errorf("rows %q, want %q", order, want)
	}
	for id, kind := range map[string]string{"range": "range", "month": "span", "year": "span", "day": "day", "uncertain": "day", "open": "range"} {
		if got[id].Own.Kind != kind {
			t.Errorf("%s drawn as %q, want %q", id, got[id].Own.Kind, kind)
		}
	}
	if !got["uncertain"].Own.Hollow || got["day"].Own.Hollow {
		t.Error("only the uncertain date is hollow")
	}
	if o := got["open"].Own; !o.Open || o.X2 != tlWidth-tlRight-tlAxisPad {
		t.Errorf("the open interval: %+v", o)
	}
	if y, m := got["year"].Own, got["month"].Own; !(y.X < m.X && m.X2 <= y.X2) {
		t.Errorf("the month (%d-%d) is not inside its year (%d-%d)", m.X, m.X2, y.X, y.X2)
	}
	if l := got["said"].Label; l != "Sergei Lavrov: Lavrov said so" {
		t.Errorf("the statement's label is %q, not its speaker and summary", l)
	}
}

// A source's date is drawn on its record's row, marked when it disagrees.
func TestTimelineReportedDates(t *testing.T) {
	recs := []map[string]any{event("talks", "2022-01-10", "2022-01-10", "2022-01-09", "2022-01")}
	tl := buildTimeline(recs, nil, map[string]bool{"event\x00talks\x00date\x00s1": true})
	r := tl.Rows[0]
	if len(r.Reported) != 3 {
		t.Fatalf("%d reported dates", len(r.Reported))
	}
	if r.Reported[0].X != r.Own.X || r.Reported[0].Disagrees {
		t.Errorf("the agreeing date: %+v, own at %d", r.Reported[0], r.Own.X)
	}
	if r.Reported[1].X >= r.Own.X || !r.Reported[1].Disagrees || !strings.Contains(r.Reported[1].Title, "disagrees") {
		t.Errorf("the disagreeing date: %+v", r.Reported[1])
	}
	if r.Reported[2].X2 <= r.Reported[2].X {
		t.Errorf("the month: %+v", r.Reported[2])
	}
}

// Whatever the dates and titles, every label stays in the plot, right of
// the gutter, and beside its marks rather than on them; x grows with the
// date; and the axis labels do not touch (by the generous width the
// layout assumes for a character).
func TestTimelineLayoutProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 200 {
		var recs []map[string]any
		n := 1 + rng.IntN(40)
		for i := range n {
			y, m, d := 1990+rng.IntN(40), 1+rng.IntN(12), 1+rng.IntN(28)
			date := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
			switch rng.IntN(5) {
			case 0:
				date = fmt.Sprintf("%04d-%02d", y, m)
			case 1:
				date = fmt.Sprintf("%s/%04d-%02d-%02d", date, y+1, m, d)
			}
			var reported []string
			for range rng.IntN(3) {
				reported = append(reported, fmt.Sprintf("%04d-%02d-%02d", y, m, 1+rng.IntN(28)))
			}
			r := event(fmt.Sprint(i), date, reported...)
			r["title"] = strings.Repeat([]string{"word ", "WIDE ", "mmm ", "漢字 ", "é "}[rng.IntN(5)], rng.IntN(40))
			recs = append(recs, r)
		}
		tl := buildTimeline(recs, nil, nil)
		for i, r := range tl.Rows {
			if i > 0 && r.Own.X < tl.Rows[i-1].Own.X {
				t.Fatalf("trial %d: row %d at x=%d, left of the row before (%d), which starts earlier", trial, i, r.Own.X, tl.Rows[i-1].Own.X)
			}
			lo, hi := r.LabelX, r.LabelX+textWidth(r.Label)
			if r.LabelLeft {
				lo, hi = r.LabelX-textWidth(r.Label), r.LabelX
			}
			if r.Label != "" && (lo < tlPlotLeft || hi > tlWidth-tlRight) {
				t.Fatalf("trial %d: the label of row %d spans %d-%d, outside the plot", trial, i, lo, hi)
			}
			if r.LabelOver {
				continue // the marks fill the row; the label is on a halo over them
			}
			for _, x := range append([]int{r.Own.X, r.Own.X2}, reportedXs(r)...) {
				if x != 0 && x > lo && x < hi {
					t.Fatalf("trial %d: the label of row %d (%d-%d) covers a mark at %d", trial, i, lo, hi, x)
				}
			}
		}
		for i := 1; i < len(tl.Months); i++ { // month labels start at their tick
			a, b := tl.Months[i-1], tl.Months[i]
			if a.X+textWidth(a.Label) >= b.X {
				t.Fatalf("trial %d: axis labels %q and %q touch", trial, a.Label, b.Label)
			}
		}
		for i := 1; i < len(tl.Days); i++ { // day labels are centred
			a, b := tl.Days[i-1], tl.Days[i]
			if a.X+textWidth(a.Label)/2 >= b.X-textWidth(b.Label)/2 {
				t.Fatalf("trial %d: axis labels %q and %q touch", trial, a.Label, b.Label)
			}
		}
	}
}

func reportedXs(r row) []int {
	var xs []int
	for _, d := range r.Reported {
		xs = append(xs, d.X, d.X2)
	}
	return xs
}

// Reading the axis left to right, the month and year labelled last before
// a record are its own: every run after a break names its year, and no
// label stands in a break.
func TestTimelineAxisNamesEachRecordsMonth(t *testing.T) {
	for _, dates := range [][]string{
		{"2019-06-15", "2022-03-14", "2022-05-20"},
		{"2021-06-16", "2021-11-20", "2021-12-15", "2021-12-27", "2022-01-10", "2022-01-13"},
		{"2021-12-30", "2022-01-02", "2022-01-05"},
		{"1999-12-31", "2000-01-01", "2024-02-29"},
	} {
		var recs []map[string]any
		for i, d := range dates {
			recs = append(recs, event(fmt.Sprint(i), d))
		}
		tl := buildTimeline(recs, nil, nil)
		for i, r := range tl.Rows {
			month, year := "", ""
			for _, m := range tl.Months {
				if m.X > r.Own.X {
					break
				}
				f := strings.Fields(m.Label)
				month = f[0]
				if len(f) == 2 {
					year = f[1]
				}
			}
			want := strings.Fields(dateLabel(dates[i]))
			if month != want[0] || year != want[1] {
				t.Errorf("%v: the record of %s reads as %s %s on the axis %v", dates, dates[i], month, year, tl.Months)
			}
		}
	}
}

func dateLabel(d string) string {
	var y, m, day int
	fmt.Sscanf(d, "%d-%d-%d", &y, &m, &day)
	return fmt.Sprintf("%s %d", []string{"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"}[m-1], y)
}

// Dates far apart draw a dozen grid lines a run, not one a month.
func TestTimelineGridBounded(t *testing.T) {
	tl := buildTimeline([]map[string]any{event("a", "0001-01-01"), event("b", "9999-12-31"), event("c", "2022-01-10")}, nil, nil)
	if len(tl.Grid) > 40 || len(tl.Months) > 40 {
		t.Errorf("%d grid lines and %d month labels", len(tl.Grid), len(tl.Months))
	}
}
