package canonical

import (
	"strings"

	"go.yaml.in/yaml/v3"

	annalsyaml "github.com/annals-project/annals/convert/yaml"
	"github.com/annals-project/annals/internal/jsonvalue"
)

// numberNode is the YAML scalar of a canonical number.
func numberNode(s string) *yaml.Node {
	tag := "!!int"
	if strings.ContainsAny(s, ".e") {
		tag = "!!float"
	}
	return &yaml.Node{Kind: yaml.ScalarNode, Tag: tag, Value: s}
}

// canonicalYAMLNumber rewrites a number scalar, whatever its YAML
// spelling (0x1F, 1_000, .5, +1), as its canonical number.
func canonicalYAMLNumber(n *yaml.Node) {
	if n.Kind != yaml.ScalarNode {
		return
	}
	var s string
	var ok bool
	switch n.ShortTag() {
	case "!!int":
		s, ok = annalsyaml.JSONInt(n.Value)
	case "!!float":
		if s, ok = annalsyaml.JSONInt(n.Value); !ok {
			s, ok = annalsyaml.JSONDecimal(n.Value)
		}
	}
	if ok {
		// An implicit tag follows the canonical spelling: 1e1 is written
		// 10, which YAML reads as an integer, so a float tag would be
		// written out (!!float 10). A tag the curator wrote stays.
		c := numberNode(jsonvalue.CanonicalNumber(s))
		n.Value = c.Value
		if n.Style&yaml.TaggedStyle == 0 {
			n.Tag = c.Tag
		}
	}
}
