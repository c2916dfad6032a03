package api_test

import (
	"bytes"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/require"
)

// The breaking-change guard (scripts/spec-breaking.sh, oasdiff) fails on a
// planted breaking change and passes additive ones. It runs oasdiff with
// `go run` at the version the script pins; with -short, or when that
// module cannot be fetched (offline), the test is skipped.
func TestBreakingChangeGuard(t *testing.T) {
	if testing.Short() {
		t.Skip("runs oasdiff through go run")
	}
	dir := t.TempDir()
	write := func(name string, change func(doc *openapi3.T)) string {
		t.Helper()
		doc := loadUnvalidated(t)
		if change != nil {
			change(doc)
		}
		b, err := json.Marshal(doc)
		require.NoError(t, err)
		path := filepath.Join(dir, name+".json")
		require.NoError(t, os.WriteFile(path, b, 0o644))
		return path
	}
	base := write("base", nil)
	guard := func(spec string) (int, string) {
		cmd := exec.Command("../scripts/spec-breaking.sh", base)
		cmd.Env = append(os.Environ(), "SPEC="+spec)
		var out bytes.Buffer
		cmd.Stdout, cmd.Stderr = &out, &out
		err := cmd.Run()
		if err == nil {
			return 0, out.String()
		}
		ee, ok := err.(*exec.ExitError)
		require.True(t, ok, "run %v: %v", cmd, err)
		if strings.Contains(out.String(), "go: ") && !strings.Contains(out.String(), "at "+spec) {
			t.Skipf("oasdiff could not be run (offline?):\n%s", out.String())
		}
		return ee.ExitCode(), out.String()
	}
	schema := func(doc *openapi3.T, name string) *openapi3.Schema { return doc.Components.Schemas[name].Value }

	code, out := guard(write("same", nil))
	require.Equal(t, 0, code, "the spec against itself:\n%s", out)

	code, out = guard(write("additive", func(doc *openapi3.T) {
		// A new optional request field, a new optional response field, a new
		// response (and request) enum value.
		intent := schema(doc, "CreateWalletIntent")
		intent.Properties["colour"] = openapi3.NewStringSchema().NewRef()
		schema(doc, "Activity").Properties["notes"] = openapi3.NewStringSchema().NewRef()
		at := schema(doc, "ActivityType")
		at.Enum = append(at.Enum, "ACTIVITY_TYPE_SOMETHING_NEW")
		st := schema(doc, "ActivityStatus")
		st.Enum = append(st.Enum, "ACTIVITY_STATUS_SOMETHING_NEW")
		// A response enum made open (any string).
		schema(doc, "Activity").Properties["status"] = openapi3.NewStringSchema().NewRef()
	}))
	require.Equal(t, 0, code, "additive changes pass:\n%s", out)

	code, out = guard(write("removed-field", func(doc *openapi3.T) {
		a := schema(doc, "Activity")
		delete(a.Properties, "fingerprint")
		a.Required = remove(a.Required, "fingerprint")
	}))
	require.Equal(t, 1, code, "a removed response field fails:\n%s", out)
	require.Contains(t, out, "fingerprint")

	code, out = guard(write("narrowed-enum", func(doc *openapi3.T) {
		pe := schema(doc, "PayloadEncoding")
		pe.Enum = pe.Enum[:len(pe.Enum)-1]
		names := pe.Extensions["x-enum-varnames"].([]any)
		pe.Extensions["x-enum-varnames"] = names[:len(names)-1]
	}))
	require.Equal(t, 1, code, "a narrowed request enum fails:\n%s", out)
	require.Contains(t, out, "enum-value-removed")
}

func remove(xs []string, x string) []string {
	var out []string
	for _, v := range xs {
		if v != x {
			out = append(out, v)
		}
	}
	return out
}
