package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// decodeTestModels is an answer whose activity has an open intent with two
// members, one of a version the typed methods send and one of another.
const decodeTestModels = `package gen

import "encoding/json"

type Reply struct {
	Intent Intent ` + "`json:\"intent\"`" + `
}

type Intent struct {
	SentIntent  *SentIntent  ` + "`json:\"sentIntent,omitempty\"`" + `
	OtherIntent *OtherIntent ` + "`json:\"otherIntent,omitempty\"`" + `
	AdditionalProperties map[string]json.RawMessage ` + "`json:\"-\"`" + `
}

type SentIntent struct {
	Name string ` + "`json:\"name\"`" + `
}

type OtherIntent struct {
	Count int32 ` + "`json:\"count\"`" + `
}
`

// The walk decodes the open struct's members that are listed, and leaves
// the others, and the types only they reach, to JSON v2.
func TestDecodersWalkOnlyTheListedMembers(t *testing.T) {
	path := filepath.Join(t.TempDir(), "models.go")
	if err := os.WriteFile(path, []byte(decodeTestModels), 0o644); err != nil {
		t.Fatal(err)
	}
	m, err := parseModelTypes(path)
	if err != nil {
		t.Fatal(err)
	}
	src, err := writeDecoders(m, []string{"Reply"}, map[string]bool{"sentIntent": true})
	if err != nil {
		t.Fatal(err)
	}
	out := string(src)
	for _, want := range []string{
		"func decSentIntent(", "err = decPtrSentIntent(d, &v.SentIntent)",
		"err = json.UnmarshalDecode(&d.Decoder, &v.OtherIntent)",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("generated decoders lack %q:\n%s", want, out)
		}
	}
	if strings.Contains(out, "func decOtherIntent(") {
		t.Errorf("generated decoders walk OtherIntent, which is not listed:\n%s", out)
	}

	// nil lists every member.
	src, err = writeDecoders(m, []string{"Reply"}, nil)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(src), "func decOtherIntent(") {
		t.Errorf("with no list, OtherIntent is not walked:\n%s", src)
	}
}
