// Package country reads the names and two-letter codes people write for a
// country where annals wants its ISO 3166-1 alpha-3 code, for suggestions
// such as "did you mean UKR (Ukraine)?".
package country

import (
	_ "embed"
	"strings"
	"sync"

	"golang.org/x/text/language"

	"github.com/annals-project/annals/internal/names"
)

//go:embed names.txt
var namesTxt string

//go:embed ambiguous.txt
var ambiguousTxt string

// Country is one entry of ISO 3166-1.
type Country struct {
	Code string // the alpha-3 code, such as UKR
	Name string // the common English short name, such as Ukraine
}

// ambiguous maps a folded name that means more than one country to them.
var ambiguous = sync.OnceValue(func() map[string][]string {
	out := map[string][]string{}
	for line := range strings.Lines(ambiguousTxt) {
		f := strings.Fields(line)
		if len(f) < 3 || strings.HasPrefix(f[0], "#") {
			continue
		}
		out[key(strings.Join(f[:len(f)-2], " "))] = f[len(f)-2:]
	}
	return out
})

var table = sync.OnceValues(func() (map[string]Country, map[string]Country) {
	byName, byCode := map[string]Country{}, map[string]Country{}
	for line := range strings.Lines(namesTxt) {
		line = strings.TrimSpace(line)
		if line == "" || line[0] == '#' {
			continue
		}
		code, rest, _ := strings.Cut(line, " ")
		list := strings.Split(rest, ";")
		c := Country{Code: code, Name: strings.TrimSpace(list[0])}
		byCode[code] = c
		for _, n := range list {
			byName[key(n)] = c
		}
	}
	return byName, byCode
})

// key folds a name for lookup: case, accents and punctuation aside, and
// without a leading "the" ("the Netherlands").
func key(s string) string {
	k := names.Fold(s)
	return strings.TrimPrefix(k, "the ")
}

// LookupAll returns the countries that s may name: one, as Lookup finds
// it, or several for a name that news coverage uses for more than one
// ("Congo"), the likelier first; none when s names no country.
func LookupAll(s string) []Country {
	if codes, ok := ambiguous()[key(strings.TrimSpace(s))]; ok {
		var out []Country
		for _, code := range codes {
			if c, ok := ByCode(code); ok {
				out = append(out, c)
			}
		}
		return out
	}
	if c, ok := Lookup(s); ok {
		return []Country{c}
	}
	return nil
}

// Lookup returns the country that s names: an English name or common
// alias ("Russia", "Russian Federation", "the UK"), a two-letter code
// ("UA", "ua") or a three-letter code in any case ("rus"). ok is false
// when s is none of these.
func Lookup(s string) (c Country, ok bool) {
	byName, byCode := table()
	s = strings.TrimSpace(s)
	if c, ok := byName[key(s)]; ok {
		return c, true
	}
	if len(s) == 3 {
		if c, ok := byCode[strings.ToUpper(s)]; ok {
			return c, true
		}
	}
	if len(s) == 2 {
		if r, err := language.ParseRegion(s); err == nil && r.IsCountry() {
			if c, ok := byCode[r.ISO3()]; ok {
				return c, true
			}
		}
	}
	return Country{}, false
}

// ByCode returns the country with alpha-3 code code.
func ByCode(code string) (Country, bool) {
	_, byCode := table()
	c, ok := byCode[code]
	return c, ok
}
