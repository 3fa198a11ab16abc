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
.note { color: #0969da; }
td.conflict { background: #fff1c2; outline: 2px solid #d4a72c; outline-offset: -2px; }
td.conflict::after { content: " ≠"; color: #9a6700; font-weight: 700; }
.muted { color: #57606a; }
.quote { font-style: italic; }
svg text { font: 11px system-ui, sans-serif; fill: #57606a; }
svg text.label { fill: #1b1f24; }
svg text.over { paint-order: stroke; stroke: #fff; stroke-width: 3px; stroke-linejoin: round; }
svg .grid { stroke: #eaeef2; }
svg .axis { stroke: #8c959f; }
svg .break { stroke: #57606a; stroke-width: 1.5; }
svg .event { fill: #0969da; stroke: #0969da; }
svg .statement { fill: #8250df; stroke: #8250df; }
svg .hollow { fill: #fff; stroke-width: 2; }
svg .range { stroke-width: 6; stroke-linecap: round; }
svg .range.open { stroke-dasharray: 8 5; stroke-linecap: butt; }
svg .span { fill-opacity: .18; stroke-width: 1.5; stroke-dasharray: 4 2; }
svg .link { stroke: #afb8c1; stroke-width: 1; }
svg .reported { fill: #fff; stroke: #6e7781; stroke-width: 1.5; }
svg .reported.disagrees { fill: #d4a72c; stroke: #9a6700; }
svg .reported-span { stroke: #6e7781; stroke-width: 2; stroke-dasharray: 2 2; }
svg .reported-span.disagrees { stroke: #9a6700; }
svg tr:hover, svg a:hover text.label { text-decoration: underline; }
.legend span { margin-right: 1.2em; white-space: nowrap; }
.legend .ev { color: #0969da; } .legend .st { color: #8250df; } .legend .dis { color: #d4a72c; } .legend .rep { color: #6e7781; }
td.rank-deprecated { text-decoration: line-through; color: #57606a; }
td.rank-preferred { font-weight: 600; }
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
<tr>{{range .Counts}}<td>{{.N}}</td>{{end}}<td class="error">{{.Errors}}</td><td class="warning">{{.Warnings}}</td><td class="note">{{.Notes}}</td></tr>
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
<p class="muted">Each event and statement on a row of its own, in date order; click one to see what its sources say. The axis spends its width where the records are: two slanted strokes mark a stretch of time left out.{{with .Timeline.Undated}} {{.}} records without a date that can be placed are not drawn.{{end}}</p>
<p class="legend muted">
<span><span class="ev">●</span> event</span>
<span><span class="st">■</span> statement</span>
<span><span class="ev">━</span> a range of days</span>
<span><span class="ev">┅</span> a month, season or year</span>
<span><span class="ev">○</span> uncertain or approximate</span>
<span><span class="rep">◇</span> a source's date for it</span>
<span><span class="dis">◆</span> one that disagrees</span>
</p>
{{with .Timeline}}{{if .Rows}}<svg id="timeline-svg" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {{.Width}} {{.Height}}" width="100%" role="img" aria-label="timeline of {{.Events}} events and {{.Statements}} statements" data-events="{{.Events}}" data-statements="{{.Statements}}" data-rows="{{len .Rows}}">
{{range .Grid}}<line class="grid" x1="{{.}}" y1="36" x2="{{.}}" y2="{{$.Timeline.Height}}"/>
{{end}}<line class="axis" x1="160" y1="36" x2="988" y2="36"/>
{{range .Breaks}}<path class="break" d="M{{.}} 31 l-4 10 M{{.}} 31 m5 0 l-4 10"/>
{{end}}{{range .Months}}<line class="axis" x1="{{.X}}" y1="4" x2="{{.X}}" y2="16"/><text class="month" x="{{.X}}" dx="3" y="14">{{.Label}}</text>
{{end}}{{range .Days}}<text class="day" x="{{.X}}" y="29" text-anchor="middle">{{.Label}}</text>
{{end}}{{range .Rows}}<a href="#{{.Anchor}}" class="mark {{.Class}}-mark"><title>{{.Title}}</title>
<text class="date" x="4" y="{{.Y}}" dy="4"{{with .DateSqueeze}} textLength="{{.}}" lengthAdjust="spacingAndGlyphs"{{end}}>{{.Date}}</text>
{{$row := .}}{{$y := .Y}}{{$own := .Own}}{{range .Reported}}<line class="link" x1="{{$own.X}}" y1="{{sub $y 7}}" x2="{{.X}}" y2="{{sub $y 7}}"/>
{{end}}{{with .Own}}{{if eq .Kind "range"}}<line class="range {{$row.Class}}{{if .Open}} open{{end}}" x1="{{.X}}" y1="{{$y}}" x2="{{.X2}}" y2="{{$y}}"/>
{{else if eq .Kind "span"}}<rect class="span {{$row.Class}}" x="{{.X}}" y="{{$y}}" width="{{sub .X2 .X}}" height="10" transform="translate(0 -5)"/>
{{else if eq $row.Class "statement"}}<rect class="statement{{if .Hollow}} hollow{{end}}" x="{{.X}}" y="{{$y}}" width="9" height="9" transform="translate(-4.5 -4.5)"/>
{{else}}<circle class="event{{if .Hollow}} hollow{{end}}" cx="{{.X}}" cy="{{$y}}" r="5"/>
{{end}}{{end}}{{range .Reported}}{{if .X2}}<line class="reported-span{{if .Disagrees}} disagrees{{end}}" x1="{{.X}}" y1="{{sub $y 7}}" x2="{{.X2}}" y2="{{sub $y 7}}"><title>{{.Title}}</title></line>
{{else}}<rect class="reported{{if .Disagrees}} disagrees{{end}}" x="{{.X}}" y="{{sub $y 7}}" width="5" height="5" transform="rotate(45 {{.X}} {{sub $y 7}}) translate(-2.5 -2.5)"><title>{{.Title}}</title></rect>
{{end}}{{end}}<text class="label{{if .LabelOver}} over{{end}}" x="{{.LabelX}}" y="{{.Y}}" dy="4"{{if .LabelLeft}} text-anchor="end"{{end}}>{{.Label}}</text></a>
{{end}}</svg>{{else}}<p>No event or statement has a date that can be placed.</p>{{end}}{{end}}
</section>

<section id="sources">
<h2>What the sources say</h2>
<p class="muted">For each event and statement, what every source reported. {{if .HasConflicts}}A highlighted cell (≠) disagrees with the record's own value.{{else}}No source disagrees with a record.{{end}}</p>
{{range .Reports}}<article id="{{.Anchor}}" class="record {{.Type}}{{if .Conflicts}} has-conflict{{end}}">
<h3>{{if eq .Type "statement"}}Statement{{with .Speaker}} by {{.}}{{end}}{{else}}Event{{end}}: {{.Title}} <code class="muted">{{.ID}}</code></h3>
<p class="muted">Date {{with .Date}}<strong>{{.}}</strong>{{else}}unknown{{end}}{{with .Place}}, place <strong>{{.}}</strong>{{end}}.</p>{{with .Own}}
<p class="muted">{{range $i, $o := .}}{{if $i}} · {{end}}{{$o.Title}} <strong>{{$o.Value}}</strong>{{end}}</p>{{end}}
{{if .Rows}}<table class="attestations">
<tr><th>source</th><th>rank</th><th>reported date</th><th>reported place</th><th>spellings</th><th>quote</th></tr>
{{range .Rows}}<tr><td><code>{{.Source}}</code>{{with .SourceTitle}}<br><span class="muted">{{.}}</span>{{end}}</td><td class="rank-{{.Rank}}">{{.Rank}}</td><td{{if .DateConflict}} class="conflict"{{end}}>{{.Date}}{{with .DateText}} <span class="muted">“{{.}}”</span>{{end}}</td><td{{if .PlaceConflict}} class="conflict"{{end}}>{{.Place}}</td><td{{if .NamesConflict}} class="conflict"{{end}}>{{.Names}}</td><td class="quote">{{.Quote}}</td></tr>
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
