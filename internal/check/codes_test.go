package check

import (
	"encoding/json"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/annals-project/annals/schema"
)

// TestEveryCodeExplained finds every Code constant of the packages that
// make findings and requires a description of it for annals explain.
func TestEveryCodeExplained(t *testing.T) {
	for _, dir := range []string{".", "../../schema", "../../convert"} {
		fset := token.NewFileSet()
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		if err != nil {
			t.Fatal(err)
		}
		for _, name := range files {
			if strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, name, nil, 0)
			if err != nil {
				t.Fatal(err)
			}
			ast.Inspect(f, func(n ast.Node) bool {
				vs, ok := n.(*ast.ValueSpec)
				if !ok {
					return true
				}
				for i, id := range vs.Names {
					if !strings.HasPrefix(id.Name, "Code") || i >= len(vs.Values) {
						continue
					}
					lit, ok := vs.Values[i].(*ast.BasicLit)
					if !ok || lit.Kind != token.STRING {
						continue
					}
					code, _ := strconv.Unquote(lit.Value)
					info, ok := LookupCode(code)
					if !ok {
						t.Errorf("%s: %s = %q has no entry in codeInfos", name, id.Name, code)
						continue
					}
					if info.Summary == "" {
						t.Errorf("%s has no summary", code)
					}
				}
				return true
			})
		}
	}
}

// TestAdjustableCodesInManifestSchema: the manifest's checks accept
// exactly the adjustable codes.
func TestAdjustableCodesInManifestSchema(t *testing.T) {
	b, err := fs.ReadFile(schema.Files(), "manifest.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	var s struct {
		Properties struct {
			Checks struct {
				PropertyNames struct {
					Enum []string `json:"enum"`
				} `json:"propertyNames"`
			} `json:"checks"`
		} `json:"properties"`
	}
	if err := json.Unmarshal(b, &s); err != nil {
		t.Fatal(err)
	}
	got := s.Properties.Checks.PropertyNames.Enum
	if want := AdjustableCodes(); !slices.Equal(got, want) {
		t.Errorf("manifest.schema.json checks.propertyNames.enum = %v, want %v", got, want)
	}
}

func TestCodesUnique(t *testing.T) {
	seen := map[string]bool{}
	for _, c := range codeInfos {
		if seen[c.Code] {
			t.Errorf("%s described twice", c.Code)
		}
		seen[c.Code] = true
	}
}
