package api_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/getkin/kin-openapi/openapi3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/api"
)

// The facts of Turnkey's API reference that the spec is checked against live
// in testdata/, so that a clone tests itself:
//
//   - testdata/activity_example.txt: every field path of the documented full
//     Activity object, with the enum-like values it shows;
//   - testdata/read_write_session_parameters.txt: the same for the documented
//     create_read_write_session parameters;
//   - testdata/activity_types.txt: the activity type each documented submit
//     sends ("sent") and the documented list of all activity types ("listed").
//
// They are extracted by this file from the reference pages (the seed
// documents beside the repository, ../../shared/seeds, or TURNKEY_SEEDS).
// When those are present, TestDocumentedFactsMatchSeeds checks that testdata/
// still says what they say; `go test ./api -run TestDocumentedFactsMatchSeeds
// -update` rewrites testdata/ from them.
var update = flag.Bool("update", false, "rewrite api/testdata from the seed documents")

const (
	activityExampleFile = "activity_example.txt"
	sessionParamsFile   = "read_write_session_parameters.txt"
	activityTypesFile   = "activity_types.txt"
)

// documentedFacts are the contents of the three testdata files, one fact a line.
type documentedFacts map[string][]string

// seedsDir is the directory of the seed documents and whether it exists.
func seedsDir() (string, bool) {
	dir := os.Getenv("TURNKEY_SEEDS")
	if dir == "" {
		dir = filepath.Join("..", "..", "shared", "seeds")
	}
	_, err := os.Stat(dir)
	return dir, err == nil
}

func readSeed(dir, prefix string) (string, error) {
	m, err := filepath.Glob(filepath.Join(dir, prefix+"_*.txt"))
	if err != nil || len(m) != 1 {
		return "", fmt.Errorf("want one seed %s_*.txt in %s, found %d (%v)", prefix, dir, len(m), err)
	}
	b, err := os.ReadFile(m[0])
	return string(b), err
}

// factsFromSeeds extracts the documented facts from the seed documents.
func factsFromSeeds(dir string) (documentedFacts, error) {
	seeds := map[string]string{}
	for _, p := range []string{"001", "002", "003"} {
		s, err := readSeed(dir, p)
		if err != nil {
			return nil, err
		}
		seeds[p] = s
	}
	facts := documentedFacts{}
	for _, b := range jsonBlocks(seeds["002"]) {
		if m, ok := b.(map[string]any); ok {
			if act, ok := m["activity"].(map[string]any); ok && act["intent"] != nil {
				facts[activityExampleFile] = append(facts[activityExampleFile], fieldPaths("activity", act)...)
			}
		}
	}
	for _, b := range jsonBlocks(seeds["001"]) {
		if m, ok := b.(map[string]any); ok && m["parameters"] != nil {
			facts[sessionParamsFile] = append(facts[sessionParamsFile], fieldPaths("parameters", m["parameters"])...)
		}
	}
	for _, m := range regexp.MustCompile(`(?m)^Value: "(ACTIVITY_TYPE_[A-Z0-9_]+)"`).FindAllStringSubmatch(seeds["003"], -1) {
		facts[activityTypesFile] = append(facts[activityTypesFile], "sent "+m[1])
	}
	for _, m := range regexp.MustCompile(`"(ACTIVITY_TYPE_[A-Z0-9_]+)"`).FindAllStringSubmatch(seeds["003"], -1) {
		facts[activityTypesFile] = append(facts[activityTypesFile], "listed "+m[1])
	}
	for name, lines := range facts {
		slices.Sort(lines)
		facts[name] = slices.Compact(lines)
	}
	for _, name := range []string{activityExampleFile, sessionParamsFile, activityTypesFile} {
		if len(facts[name]) == 0 {
			return nil, fmt.Errorf("the seeds in %s yield no facts for %s", dir, name)
		}
	}
	return facts, nil
}

// enumLike matches the values worth keeping: enum constants, not IDs or names.
var enumLike = regexp.MustCompile(`^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$`)

// fieldPaths lists the field paths of a JSON example ("a.b[].c"), each with
// its value after a tab when that value looks like an enum constant.
func fieldPaths(path string, v any) []string {
	switch v := v.(type) {
	case map[string]any:
		if len(v) == 0 {
			return []string{path}
		}
		var out []string
		for k, val := range v {
			out = append(out, fieldPaths(path+"."+k, val)...)
		}
		return out
	case []any:
		if len(v) == 0 {
			return []string{path + "[]"}
		}
		var out []string
		for _, item := range v {
			out = append(out, fieldPaths(path+"[]", item)...)
		}
		return out
	case string:
		if enumLike.MatchString(v) {
			return []string{path + "\t" + v}
		}
	}
	return []string{path}
}

// jsonBlocks returns the JSON documents of a seed page: those standing alone
// and those sent by its curl examples (--data '{...}').
func jsonBlocks(text string) []any {
	var out []any
	lines := strings.Split(text, "\n")
	for i := 0; i < len(lines); i++ {
		if lines[i] != "{" && !strings.HasSuffix(lines[i], "--data '{") {
			continue
		}
		depth, buf := 0, strings.Builder{}
		for j := i; j < len(lines); j++ {
			line := lines[j]
			if j == i {
				line = "{"
			}
			depth += strings.Count(line, "{") + strings.Count(line, "[") -
				strings.Count(line, "}") - strings.Count(line, "]")
			if depth == 0 {
				line = strings.TrimSuffix(line, "'")
			}
			buf.WriteString(line + "\n")
			if depth == 0 {
				var v any
				if json.Unmarshal([]byte(buf.String()), &v) == nil {
					out = append(out, v)
				}
				i = j
				break
			}
		}
	}
	return out
}

const factsHeader = "# Facts of Turnkey's API reference, extracted by api/documented_test.go; one a line.\n" +
	"# Regenerate from the reference pages: go test ./api -run TestDocumentedFactsMatchSeeds -update\n"

func readFacts(t *testing.T, name string) []string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err, "testdata/%s is part of the repository", name)
	var out []string
	for _, line := range strings.Split(string(b), "\n") {
		if line != "" && !strings.HasPrefix(line, "#") {
			out = append(out, line)
		}
	}
	require.NotEmpty(t, out, "testdata/%s holds no facts", name)
	return out
}

// TestDocumentedFactsMatchSeeds is the cross-check of testdata/ against the
// reference pages; it runs where they are present (CI has them beside the
// clone) and has nothing to compare in a clone alone.
func TestDocumentedFactsMatchSeeds(t *testing.T) {
	dir, ok := seedsDir()
	if !ok {
		require.False(t, *update, "-update needs the seed documents (TURNKEY_SEEDS)")
		t.Logf("no seed documents at %s: testdata/ is used as it is", dir)
		return
	}
	facts, err := factsFromSeeds(dir)
	require.NoError(t, err)
	for name, lines := range facts {
		if *update {
			require.NoError(t, os.WriteFile(filepath.Join("testdata", name), []byte(factsHeader+strings.Join(lines, "\n")+"\n"), 0o644))
			continue
		}
		assert.Equal(t, lines, readFacts(t, name), "testdata/%s differs from the seeds in %s (rerun with -update)", name, dir)
	}
}

// conformPath checks that a documented field path exists in the schema with
// the same nesting, and that an enum value shown for it is one of the
// schema's. A path that reaches a schema documented as a scalar (a
// "createdAt": {...} the spec types as a string, say) or a free-form object
// is accepted there.
func conformPath(root *openapi3.SchemaRef, fact string) (problems []string) {
	path, value, _ := strings.Cut(fact, "\t")
	segs := strings.Split(path, ".")
	ref, at := root, segs[0]
	walk := func(name string) bool {
		s := ref.Value
		if s.Type != nil && !s.Type.Is("object") {
			return false
		}
		p, ok := s.Properties[name]
		if !ok {
			if s.AdditionalProperties.Has == nil || !*s.AdditionalProperties.Has {
				problems = append(problems, fmt.Sprintf("%s: documented field %q missing from the schema", at, name))
			}
			return false
		}
		ref = p
		return true
	}
	for _, seg := range segs[1:] {
		name := strings.TrimRight(seg, "[]")
		if !walk(name) {
			return problems
		}
		at += "." + name
		for range strings.Count(seg, "[]") {
			if ref.Value == nil || !ref.Value.Type.Is("array") {
				return problems
			}
			ref, at = ref.Value.Items, at+"[]"
		}
		if ref == nil || ref.Value == nil {
			return append(problems, at+": no schema")
		}
	}
	if value == "" {
		return problems
	}
	// A closed enum lists its values in enum; an open one (an answer's enum,
	// which tolerates values Turnkey adds later) lists the known ones in
	// x-extensible-enum. A documented value must be known either way.
	known := ref.Value.Enum
	if ext, ok := ref.Value.Extensions["x-extensible-enum"].([]any); ok {
		known = ext
	}
	if len(known) > 0 && !slices.Contains(known, any(value)) {
		problems = append(problems, fmt.Sprintf("%s: documented enum value %s is not among the schema's values", at, value))
	}
	return problems
}

func TestDocumentedActivityConforms(t *testing.T) {
	doc := load(t)
	for _, fact := range readFacts(t, activityExampleFile) {
		assert.Empty(t, conformPath(doc.Components.Schemas["Activity"], fact))
	}
}

func TestDocumentedReadWriteSessionConforms(t *testing.T) {
	doc := load(t)
	for _, fact := range readFacts(t, sessionParamsFile) {
		assert.Empty(t, conformPath(doc.Components.Schemas["CreateReadWriteSessionIntentV2"], fact))
	}
}

func TestDocumentedActivityTypesUsed(t *testing.T) {
	doc := load(t)
	ops, err := api.Operations(doc)
	require.NoError(t, err)
	used := map[string]bool{}
	for _, op := range ops {
		if op.Activity != nil {
			used[op.Activity.Type] = true
		}
	}
	enum := schema(t, doc, "ActivityType").Enum
	var sent int
	for _, fact := range readFacts(t, activityTypesFile) {
		kind, typ, _ := strings.Cut(fact, " ")
		switch kind {
		case "sent": // the documented version of a submit is what some operation sends
			sent++
			assert.True(t, used[typ], "the reference documents %s but no operation sends it", typ)
		case "listed": // every documented activity type is a value of ActivityType
			assert.Contains(t, enum, typ)
		default:
			t.Errorf("testdata/%s: unknown fact %q", activityTypesFile, fact)
		}
	}
	assert.NotZero(t, sent)
}

// TestConformPathCatchesDrift makes sure the conformance check can fail: a
// field the schema lacks and an enum value it lacks are both reported.
func TestConformPathCatchesDrift(t *testing.T) {
	doc := load(t)
	for _, fact := range []string{"activity.noSuchField", "activity.status\tACTIVITY_STATUS_NO_SUCH"} {
		assert.NotEmpty(t, conformPath(doc.Components.Schemas["Activity"], fact), "%q must not conform", fact)
	}
}
