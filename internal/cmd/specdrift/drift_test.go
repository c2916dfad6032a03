package main

import (
	"bytes"
	"path/filepath"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	fixtureSpec    = "testdata/spec.yaml"
	fixtureDrifted = "testdata/drifted.swagger.json"
	ourSpec        = "../../../api/openapi.yaml"
)

func loadSpec(t *testing.T, path string) *openapi3.T {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromFile(path)
	require.NoError(t, err)
	return doc
}

// drifted.swagger.json plants one change of every kind in the Turnkey side
// of spec.yaml; the report lists each, where it is, and nothing else.
func TestFixtureFindsEveryPlantedChange(t *testing.T) {
	sw, err := readSwagger(fixtureDrifted)
	require.NoError(t, err)
	findings, err := Compare(loadSpec(t, fixtureSpec), sw)
	require.NoError(t, err)
	type key struct{ Kind, Endpoint, Where string }
	var got []key
	kinds := map[string]bool{}
	for _, f := range findings {
		got = append(got, key{f.Kind, f.Endpoint, f.Where})
		kinds[f.Kind] = true
	}
	assert.Equal(t, []key{
		{NewVersion, "create_thing", "ACTIVITY_TYPE_CREATE_THING_V4"},
		{VersionRemoved, "create_thing", "ACTIVITY_TYPE_CREATE_THING_V3"},
		{FieldAdded, "create_thing", "intent ACTIVITY_TYPE_CREATE_THING_V2: color"},
		{FieldAdded, "create_thing", "request: generateAppProofs"},
		{FieldRetyped, "create_thing", "intent ACTIVITY_TYPE_CREATE_THING_V2: count"},
		{EndpointRemoved, "delete_thing", "/public/v1/submit/delete_thing"},
		{FieldRemoved, "get_thing", "response: thing.legacyName"},
		{RequiredChanged, "get_thing", "request: thingId"},
		{EnumAdded, "get_thing", "response: thing.kind"},
		{EnumRemoved, "get_thing", "response: thing.kind"},
		{NewEndpoint, "list_things", "/public/v1/query/list_things"},
	}, got)
	for _, k := range Kinds {
		assert.True(t, kinds[k], "the fixture exercises %s", k)
	}
	byKind := map[string]Finding{}
	for _, f := range findings {
		byKind[f.Kind] = f
	}
	assert.Equal(t, "intent createThingIntentV4", byKind[NewVersion].Detail)
	assert.Equal(t, "integer (int32) in the spec, string in Turnkey's", byKind[FieldRetyped].Detail)
	assert.Equal(t, "THING_KIND_C", byKind[EnumAdded].Detail)
	assert.Equal(t, "THING_KIND_B", byKind[EnumRemoved].Detail)
	assert.Equal(t, "optional in the spec, required in Turnkey's", byKind[RequiredChanged].Detail)
}

// The spec converted to Swagger in Turnkey's layout has no drift from the
// spec: for api/openapi.yaml and for the fixture, in memory and through a
// file written by --emit-swagger.
func TestSpecAgainstItselfReportsNothing(t *testing.T) {
	for _, spec := range []string{ourSpec, fixtureSpec} {
		t.Run(filepath.Base(spec), func(t *testing.T) {
			doc := loadSpec(t, spec)
			sw, err := toSwagger(doc)
			require.NoError(t, err)
			findings, err := Compare(doc, sw)
			require.NoError(t, err)
			assert.Empty(t, findings)

			out := filepath.Join(t.TempDir(), "self.swagger.json")
			var stdout, stderr bytes.Buffer
			require.Equal(t, 0, run([]string{"--spec", spec, "--emit-swagger", out}, &stdout, &stderr), stderr.String())
			stdout.Reset()
			assert.Equal(t, 0, run([]string{"--spec", spec, "--against", out, "--fail-on", "all"}, &stdout, &stderr), stderr.String())
			assert.Contains(t, stdout.String(), "no drift")
		})
	}
}

func TestFailOnExitStatus(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want int
	}{
		{[]string{"--against", fixtureDrifted}, 0},
		{[]string{"--against", fixtureDrifted, "--fail-on", "new-version"}, 1},
		{[]string{"--against", fixtureDrifted, "--fail-on", "enum-removed,field-added"}, 1},
		{[]string{"--against", fixtureDrifted, "--fail-on", "all"}, 1},
		{[]string{"--against", fixtureDrifted, "--fail-on", "no-such-kind"}, 2},
		{[]string{}, 2},
		{[]string{"--against", fixtureSpec}, 2}, // YAML, not Swagger JSON
		{[]string{"--against", "testdata/missing.json"}, 2},
	} {
		var stdout, stderr bytes.Buffer
		got := run(append([]string{"--spec", fixtureSpec}, tc.args...), &stdout, &stderr)
		assert.Equal(t, tc.want, got, "%v: %s", tc.args, stderr.String())
	}
	var stdout, stderr bytes.Buffer
	run([]string{"--spec", fixtureSpec, "--against", fixtureDrifted}, &stdout, &stderr)
	assert.Contains(t, stdout.String(), "11 findings:")
	assert.Contains(t, stdout.String(), "new-version      create_thing")
}

// versionNumber reads the _V<n> suffix; a type without one is version 1.
func TestVersionNumber(t *testing.T) {
	assert.Equal(t, 1, versionNumber("ACTIVITY_TYPE_INIT_OTP"))
	assert.Equal(t, 3, versionNumber("ACTIVITY_TYPE_INIT_OTP_V3"))
	assert.Equal(t, 12, versionNumber("ACTIVITY_TYPE_X_V12"))
}
