package report

// pageHTML is the report's template: one page, its styles inline.
const pageHTML = `<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="CONTENT_SECURITY_POLICY">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="generator" content="annals {{.Version}}">
<title>{{.Title}}: annals report</title>
<style>
body { font: 15px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0 auto; max-width: 1100px; padding: 0 1.2em 3em; color: #1b1f24; }
h1 { font-size: 1.6em; margin: 1em 0 .2em; }
h2 { border-bottom: 2px solid #d0d7de; padding-bottom: .2em; margin-top: 2em; }
h3 { font-size: 1.05em; margin: 1.4em 0 .3em; }
nav a { margin-right: 1em; }
table { border-collapse: collapse; width: 100%; margin: .4em 0 1em; }
th, td { border: 1px solid #d0d7de; padding: .3em .5em; text-align: left; vertical-align: top; }
th { background: #f3f5f7; }
.summary td { width: 8em; }
.error { color: #b42318; font-weight: 600; }
.warning { color: #9a6700; font-weight: 600; }
.info { color: #0969da; }
td.conflict { background: #fff1c2; outline: 2px solid #d4a72c; outline-offset: -2px; }
td.conflict::after { content: " ≠"; color: #9a6700; font-weight: 700; }
.muted { color: #57606a; }
.quote { font-style: italic; }
svg text { font: 11px system-ui, sans-serif; fill: #57606a; }
svg .event { fill: #0969da; }
svg .statement { fill: #8250df; }
svg .range { stroke-width: 4; stroke-linecap: round; }
svg .range.event { stroke: #0969da; }
svg .range.statement { stroke: #8250df; }
code { font-size: .92em; }
</style>
</head>
<body>
<header>
<h1>{{.Title}}</h1>
{{with .Description}}<p>{{.}}</p>{{end}}
<p class="muted">Report by annals {{.Version}}, record schema {{.SchemaVersion}}.</p>
<nav><a href="#summary">Summary</a><a href="#findings">Findings</a><a href="#timeline">Timeline</a><a href="#sources">What the sources say</a><a href="#actors">Actors</a></nav>
</header>

<section id="summary">
<h2>Summary</h2>
<table class="summary">
<tr>{{range .Counts}}<th>{{.Type}}s</th>{{end}}<th>errors</th><th>warnings</th><th>notes</th></tr>
<tr>{{range .Counts}}<td>{{.N}}</td>{{end}}<td class="error">{{.Errors}}</td><td class="warning">{{.Warnings}}</td><td class="info">{{.Notes}}</td></tr>
</table>
{{with .Quotes}}<p id="quotes"{{if $.QuotesUnverified}} class="warning"{{end}}>{{.}}</p>{{end}}
</section>

<section id="findings">
<h2>Findings</h2>
{{if not .HasFindings}}<p>No findings: every record is valid.</p>{{end}}
{{range .Groups}}<h3>{{if .Anchor}}<a href="#{{.Anchor}}">{{.Label}}</a>{{else}}{{.Label}}{{end}}</h3>
<table class="findings">
{{range .Findings}}<tr class="finding" data-severity="{{.Severity}}"><td class="{{.Severity}}">{{.Severity}}</td><td><code>{{.Where}}</code></td><td>{{.Message}} <span class="muted">({{.Code}})</span></td></tr>
{{end}}</table>
{{end}}{{if .Omitted}}<p class="muted">{{.Omitted}} more findings are not listed: run annals report with --max-findings 0 to list them all.</p>{{end}}
</section>

<section id="timeline">
<h2>Timeline</h2>
<p class="muted">Events (circles, upper lane) and statements (squares, lower lane) by date; a bar spans a range of days. Hover for the record, click to see what its sources say.{{with .Timeline.Undated}} {{.}} records without a date that can be placed are not drawn.{{end}}</p>
{{with .Timeline}}<svg id="timeline-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.Width}} {{.Height}}" width="100%" role="img" aria-label="timeline of {{.Events}} events and {{.Statements}} statements" data-events="{{.Events}}" data-statements="{{.Statements}}">
<text x="4" y="54">events</text><text x="4" y="114">statements</text>
<line x1="90" y1="150" x2="930" y2="150" stroke="#d0d7de"/>
{{range .Ticks}}<line x1="{{.X}}" y1="146" x2="{{.X}}" y2="154" stroke="#8c959f"/><text x="{{.X}}" y="166" text-anchor="middle">{{.Label}}</text>
{{end}}{{range .Marks}}<a href="#{{.Anchor}}" class="mark {{.Class}}-mark">{{if .X2}}<line class="range {{.Class}}" x1="{{.X}}" y1="{{.Y}}" x2="{{.X2}}" y2="{{.Y}}"/>{{end}}{{if .Square}}<rect class="{{.Class}}" x="{{.X}}" y="{{.Y}}" width="8" height="8" transform="translate(-4 -4)"><title>{{.Title}}</title></rect>{{else}}<circle class="{{.Class}}" cx="{{.X}}" cy="{{.Y}}" r="5"><title>{{.Title}}</title></circle>{{end}}</a>
{{end}}</svg>{{end}}
</section>

<section id="sources">
<h2>What the sources say</h2>
<p class="muted">For each event and statement, what every source reported. {{if .HasConflicts}}A highlighted cell (≠) disagrees with the record's own value.{{else}}No source disagrees with a record.{{end}}</p>
{{range .Reports}}<article id="{{.Anchor}}" class="record {{.Type}}{{if .Conflicts}} has-conflict{{end}}">
<h3>{{.Type}} <code>{{.ID}}</code>: {{.Title}}</h3>
<p class="muted">Date {{with .Date}}<strong>{{.}}</strong>{{else}}unknown{{end}}{{with .Place}}, place <strong>{{.}}</strong>{{end}}.</p>{{with .Own}}
<p class="muted">{{range $i, $o := .}}{{if $i}} · {{end}}{{$o.Title}} <strong>{{$o.Value}}</strong>{{end}}</p>{{end}}
{{if .Rows}}<table class="attestations">
<tr><th>source</th><th>reported date</th><th>reported place</th><th>spellings</th><th>quote</th></tr>
{{range .Rows}}<tr><td><code>{{.Source}}</code>{{with .SourceTitle}}<br><span class="muted">{{.}}</span>{{end}}</td><td{{if .DateConflict}} class="conflict"{{end}}>{{.Date}}{{with .DateText}} <span class="muted">“{{.}}”</span>{{end}}</td><td{{if .PlaceConflict}} class="conflict"{{end}}>{{.Place}}</td><td{{if .NamesConflict}} class="conflict"{{end}}>{{.Names}}</td><td class="quote">{{.Quote}}</td></tr>
{{end}}</table>{{else}}<p>No attestations.</p>{{end}}
</article>
{{end}}</section>

<section id="actors">
<h2>Actors</h2>
<table class="actors">
<tr><th>name</th><th>id</th><th>kind</th><th>aliases</th><th>in</th></tr>
{{range .Actors}}<tr id="{{.Anchor}}"><td>{{.Name}}</td><td><code>{{.ID}}</code></td><td>{{.Kind}}</td><td>{{range $i, $a := .Aliases}}{{if $i}}; {{end}}{{$a}}{{end}}</td><td>{{range $i, $l := .In}}{{if $i}}, {{end}}<a href="#{{$l.Anchor}}">{{$l.Label}}</a>{{end}}</td></tr>
{{end}}</table>
</section>
</body>
</html>
`
