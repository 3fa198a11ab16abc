package country_test

import (
	"encoding/json"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/annals-project/annals/internal/country"
)

func TestLookup(t *testing.T) {
	for in, want := range map[string]string{
		"Ukraine": "UKR", "ukraine": "UKR", "UA": "UKR", "ua": "UKR", "ukr": "UKR",
		"Russia": "RUS", "Russian Federation": "RUS", "RU": "RUS",
		"United States": "USA", "US": "USA", "U.S.": "USA", "United States of America": "USA",
		"the UK": "GBR", "GB": "GBR", "Britain": "GBR",
		"the Netherlands": "NLD", "Türkiye": "TUR", "Turkey": "TUR", "Turkiye": "TUR",
		"Cote d'Ivoire": "CIV", "Côte d’Ivoire": "CIV", "CH": "CHE", "Switzerland": "CHE",
		"Kosovo": "XKX", "Czech Republic": "CZE", "Belgium": "BEL",
		"Democratic Republic of Congo": "COD", "Zaire": "COD", "Korea, Republic of": "KOR", "S. Korea": "KOR",
		"Scotland": "GBR", "Northern Ireland": "GBR", "Niger": "NER", "Nigeria": "NGA", "Dominica": "DMA",
	} {
		if c, ok := country.Lookup(in); !ok || c.Code != want {
			t.Errorf("Lookup(%q) = %v, %v; want %s", in, c, ok, want)
		}
	}
	for _, in := range []string{"", "Brussels", "NATO", "EU", "Europe", "ZZ", "XX", "Moscow", "Congo", "Korea"} {
		if c, ok := country.Lookup(in); ok {
			t.Errorf("Lookup(%q) = %v, want none", in, c)
		}
	}
}

// The table names every code the schema allows, and nothing else.
func TestEveryCodeHasAName(t *testing.T) {
	b, err := os.ReadFile("../../schema/defs.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var defs struct {
		Defs struct {
			Country struct {
				Enum []string `json:"enum"`
			} `json:"country"`
		} `json:"$defs"`
	}
	if err := json.Unmarshal(b, &defs); err != nil {
		t.Fatal(err)
	}
	codes := defs.Defs.Country.Enum
	if len(codes) < 250 {
		t.Fatalf("read %d codes from the schema", len(codes))
	}
	for _, code := range codes {
		c, ok := country.ByCode(code)
		if !ok || c.Name == "" {
			t.Errorf("%s has no name in names.txt", code)
		}
		if got, ok := country.Lookup(c.Name); !ok || got.Code != code {
			t.Errorf("Lookup(%q) = %v, want %s: a name taken by two codes?", c.Name, got, code)
		}
	}
	for _, code := range []string{"ZZZ", "SUN", "YUG"} {
		if _, ok := country.ByCode(code); ok || slices.Contains(codes, code) {
			t.Errorf("%s is named", code)
		}
	}
}

// A name of two countries gives both.
func TestLookupAll(t *testing.T) {
	for in, want := range map[string]string{"Congo": "COD COG", "the Congo": "COD COG", "Korea": "KOR PRK", "Ukraine": "UKR", "Atlantis": ""} {
		var codes []string
		for _, c := range country.LookupAll(in) {
			codes = append(codes, c.Code)
		}
		if got := strings.Join(codes, " "); got != want {
			t.Errorf("LookupAll(%q) = %q, want %q", in, got, want)
		}
	}
}
