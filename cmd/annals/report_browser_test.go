package main

import (
	"bytes"
	"context"
	"encoding/json"
	stdhtml "html"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/annals-project/annals/internal/scaffold"
)

// browser returns a headless Chromium (or Chrome) to test the report in.
// Without one the test is skipped, unless ANNALS_REQUIRE_BROWSER is set
// (as .ci/run sets it, after installing Debian's chromium).
func browser(t *testing.T) string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	if os.Getenv("ANNALS_REQUIRE_BROWSER") != "" {
		t.Fatal("no chromium to test the report in, and ANNALS_REQUIRE_BROWSER is set")
	}
	t.Skip("no chromium: install Debian's chromium package to run the browser test")
	return ""
}

// runBrowser runs the browser headless on a file with more arguments, and
// returns its standard output.
func runBrowser(t *testing.T, bin, page string, args ...string) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 90*time.Second)
	defer cancel()
	base := []string{"--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--user-data-dir=" + t.TempDir(), "--window-size=1200,1600"}
	cmd := exec.CommandContext(ctx, bin, append(append(base, args...), "file://"+page)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		t.Fatalf("%s: %v\n%s", bin, err, stderr.String())
	}
	return out
}

// screenshotDir is the folder the browser tests keep their screenshots
// in: ANNALS_SCREENSHOT_DIR (made when missing, as on a fresh clone in CI)
// or a temporary folder.
func screenshotDir(t *testing.T) string {
	t.Helper()
	dir := os.Getenv("ANNALS_SCREENSHOT_DIR")
	if dir == "" {
		return t.TempDir()
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatalf("ANNALS_SCREENSHOT_DIR: %v", err)
	}
	return dir
}

// TestReportInBrowser writes the report of a dataset of four events (a
// day, a month, an interval open at its end) and a statement, one event's
// sources disagreeing on its date,
// and loads it in headless Chromium: the timeline has a mark for each
// dated event, and the disagreeing date is highlighted in that event's
// table of sources. It also takes a screenshot (kept in
// ANNALS_SCREENSHOT_DIR when set).
func TestReportInBrowser(t *testing.T) {
	bin := browser(t)
	dir := t.TempDir()
	data := filepath.Join(dir, "ferry")
	if err := scaffold.Create(data, scaffold.Options{Title: "Ferry coverage", Curator: "Ida Berg"}); err != nil {
		t.Fatal(err)
	}
	more := `- type: event
  id: ferry-budget-2022-04-02
  title: Nordvik council sets the ferry budget
  category: consult
  status: occurred
  date: "2022-04-02"
  attestations:
    - source: nordvik-herald-2022-03-15
      reported_date: "2022-04-09"
      reported_date_text: a week on Saturday
- type: event
  id: ferry-first-winter-run-2022-11
  title: The ferry runs its first winter timetable
  category: consult
  status: scheduled
  date: "2022-11"
  attestations:
    - source: nordvik-herald-2022-03-15
- type: event
  id: ferry-operator-talks
  title: Talks with the ferry operator begin, with no end set
  category: consult
  status: occurred
  date: "2022-05/.."
  attestations:
    - source: nordvik-herald-2022-03-15
`
	if err := os.WriteFile(filepath.Join(data, "records", "more-events.yaml"), []byte(more), 0o644); err != nil {
		t.Fatal(err)
	}
	page := filepath.Join(dir, "report.html")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", data, "-o", page, "--no-progress"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("annals report: exit %d\n%s", code, stderr.String())
	}

	dom := string(runBrowser(t, bin, page, "--dump-dom"))
	if !strings.Contains(dom, "</html>") {
		t.Fatalf("no page from the browser:\n%.2000s", dom)
	}
	if n := strings.Count(dom, `class="mark event-mark"`); n != 4 {
		t.Errorf("%d event marks on the timeline, want 4", n)
	}
	if !strings.Contains(dom, `data-events="4"`) {
		t.Error("the timeline does not say it shows 4 events")
	}
	if n := strings.Count(dom, `class="mark statement-mark"`); n != 1 {
		t.Errorf("%d statement marks on the timeline, want 1", n)
	}
	budget := regexp.MustCompile(`(?s)<article id="rec-event-ferry-budget-2022-04-02".*?</article>`).FindString(dom)
	if !regexp.MustCompile(`<td class="conflict">2022-04-09`).MatchString(budget) {
		t.Errorf("the budget vote's disagreeing date is not highlighted:\n%s", budget)
	}
	vote := regexp.MustCompile(`(?s)<article id="rec-event-nordvik-ferry-vote-2022-03-14".*?</article>`).FindString(dom)
	if !strings.Contains(vote, `<td class="conflict">Ida Bergh`) || strings.Contains(vote, `<td class="conflict">2022-03-14`) {
		t.Errorf("the vote's table: the misspelt name should be highlighted, its agreeing date not:\n%s", vote)
	}

	shot := filepath.Join(screenshotDir(t), "report.png")
	runBrowser(t, bin, page, "--screenshot="+shot)
	png, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 10000 {
		t.Errorf("screenshot: %v, %d bytes", err, len(png))
	}
}

// measureScript, added to a test copy of a report, writes the rendered
// box of every text of the timeline into the page, for --dump-dom to show.
const measureScript = `<script>
const svg = document.getElementById('timeline-svg');
const box = e => { const r = e.getBoundingClientRect(); return {x: r.left, y: r.top, w: r.width, h: r.height}; };
const out = {svg: box(svg), rows: +svg.dataset.rows, texts: [...svg.querySelectorAll('text')].map(t => ({cls: t.getAttribute('class'), text: t.textContent, ...box(t)}))};
const pre = document.createElement('pre'); pre.id = 'boxes'; pre.textContent = JSON.stringify(out); document.body.appendChild(pre);
</script>`

// TestTimelineInBrowser draws the samples' timeline in headless Chromium
// and measures it: every event and statement has its label, every label
// and axis label is rendered inside the drawing, and no two of them
// overlap. A screenshot of the timeline is kept in ANNALS_SCREENSHOT_DIR
// when that is set (CI keeps it as an artifact).
func TestTimelineInBrowser(t *testing.T) {
	bin := browser(t)
	dir := t.TempDir()
	page := filepath.Join(dir, "report.html")
	var stdout, stderr bytes.Buffer
	if code := run([]string{"report", "../../samples", "-o", page, "--no-progress"}, nil, &stdout, &stderr); code != exitOK {
		t.Fatalf("annals report: exit %d\n%s", code, stderr.String())
	}
	html, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	// The report allows no script: the test copy drops its policy to
	// measure, and shows the timeline alone.
	test := regexp.MustCompile(`<meta http-equiv="Content-Security-Policy"[^>]*>`).ReplaceAllString(string(html), "")
	for _, s := range []string{"summary", "findings", "sources", "actors"} {
		test = strings.Replace(test, `<section id="`+s+`">`, `<section id="`+s+`" style="display:none">`, 1)
	}
	measured := filepath.Join(dir, "measured.html")
	if err := os.WriteFile(measured, []byte(strings.Replace(test, "</body>", measureScript+"</body>", 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	dom := string(runBrowser(t, bin, measured, "--dump-dom"))
	m := regexp.MustCompile(`(?s)<pre id="boxes">(.*?)</pre>`).FindStringSubmatch(dom)
	if m == nil {
		t.Fatalf("no measurements in the page:\n%.3000s", dom)
	}
	var boxes struct {
		SVG   struct{ X, Y, W, H float64 }
		Rows  int
		Texts []struct {
			Cls, Text  string
			X, Y, W, H float64
		}
	}
	if err := json.Unmarshal([]byte(stdhtml.UnescapeString(m[1])), &boxes); err != nil {
		t.Fatal(err)
	}
	labels := 0
	for _, b := range boxes.Texts {
		if strings.HasPrefix(b.Cls, "label") {
			labels++
		}
		if strings.TrimSpace(b.Text) == "" || b.W <= 0 || b.H <= 0 {
			t.Errorf("a %s text %q is not rendered: %+v", b.Cls, b.Text, b)
		}
		if b.X < boxes.SVG.X-1 || b.X+b.W > boxes.SVG.X+boxes.SVG.W+1 || b.Y < boxes.SVG.Y-1 || b.Y+b.H > boxes.SVG.Y+boxes.SVG.H+1 {
			t.Errorf("the %s text %q lies outside the timeline: %+v, timeline %+v", b.Cls, b.Text, b, boxes.SVG)
		}
	}
	if boxes.Rows < 20 || labels != boxes.Rows {
		t.Errorf("%d labels for %d events and statements", labels, boxes.Rows)
	}
	for i, a := range boxes.Texts {
		for _, b := range boxes.Texts[i+1:] {
			dx := min(a.X+a.W, b.X+b.W) - max(a.X, b.X)
			dy := min(a.Y+a.H, b.Y+b.H) - max(a.Y, b.Y)
			if dx > 0.5 && dy > 0.5 {
				t.Errorf("%s %q and %s %q overlap by %.1f×%.1f pixels", a.Cls, a.Text, b.Cls, b.Text, dx, dy)
			}
		}
	}

	shown := filepath.Join(dir, "timeline.html")
	if err := os.WriteFile(shown, []byte(test), 0o644); err != nil {
		t.Fatal(err)
	}
	shot := filepath.Join(screenshotDir(t), "timeline.png")
	runBrowser(t, bin, shown, "--screenshot="+shot)
	png, err := os.ReadFile(shot)
	if err != nil || !bytes.HasPrefix(png, []byte("\x89PNG\r\n\x1a\n")) || len(png) < 10000 {
		t.Errorf("screenshot: %v, %d bytes", err, len(png))
	}
}
