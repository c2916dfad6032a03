package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// encodeTestModels has the kinds the real models' request types lack, which
// the encoders hand to encoding/json or to the reflect walk.
const encodeTestModels = `package gen

type Req struct {
	Any       interface{}    ` + "`json:\"any\"`" + `
	Float     float64        ` + "`json:\"float,omitempty\"`" + `
	Bytes     []byte         ` + "`json:\"bytes\"`" + `
	Intent    *Intent        ` + "`json:\"intent,omitempty\"`" + `
	Names     Names          ` + "`json:\"names\"`" + `
	Tags      map[string]Tag ` + "`json:\"tags,omitempty\"`" + `
	Nested    Odd            ` + "`json:\"nested\"`" + `
	Threshold int32          ` + "`json:\"threshold\"`" + `
	Skipped   []string       ` + "`json:\"-\"`" + `
}

type Odd struct {
	X int ` + "`json:\"x,string\"`" + `
}

type Names []string

type Tag string

type Intent struct{ A string }

func (a Intent) MarshalJSON() ([]byte, error) { return nil, nil }

type Bad struct{ B *PtrMarshaler }

type PtrMarshaler struct{}

func (p *PtrMarshaler) MarshalJSON() ([]byte, error) { return nil, nil }
`

func writeTestModels(t *testing.T) (models, minimums string) {
	dir := t.TempDir()
	models, minimums = filepath.Join(dir, "models.go"), filepath.Join(dir, "encode.go")
	if err := os.WriteFile(models, []byte(encodeTestModels), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(minimums, []byte("package sdk\n\nvar minimums = map[string]minimum{\"Threshold\": {1, \"hint\"}}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return models, minimums
}

// The encoders leave interfaces, floats, byte slices, named slices and
// structs with tags they do not write to the reflect path, call a model's
// MarshalJSON through encoding/json, and check the minimums.
func TestEncodersDelegate(t *testing.T) {
	modelsPath, minimumsPath := writeTestModels(t)
	m, err := parseModelTypes(modelsPath)
	if err != nil {
		t.Fatal(err)
	}
	src, err := writeEncoders(m, minimumsPath, []string{"Req"})
	if err != nil {
		t.Fatal(err)
	}
	out := string(src)
	for _, want := range []string{
		"appendReflect(b, v.Any)",
		"if v.Float != 0 {",
		"appendReflect(b, &v.Float)",
		"appendReflect(b, &v.Bytes)",
		"if v.Intent != nil {",
		"appendMarshal(b, v.Intent)",
		"if v.Names == nil {\n\t\tb = append(b, \"[]\"...)",
		"if len(v.Tags) != 0 {",
		"encMapStringTag(b, v.Tags)",
		"appendReflect(b, &v.Nested)",
		`checkBounds(op, reflect.ValueOf(v.Any), (&fieldPath{parent: at, name: "any"}).String())`,
		`checkBounds(op, reflect.ValueOf(&v.Nested), (&fieldPath{parent: at, name: "nested"}).String())`,
		"if v.Threshold < 1 {",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	for _, bad := range []string{"v.Bytes == nil", "Skipped", "ValueOf(&v.Float)", "ValueOf(&v.Bytes)"} {
		if strings.Contains(out, bad) {
			t.Errorf("output has %q", bad)
		}
	}
	if _, err := writeEncoders(m, minimumsPath, []string{"Bad"}); err == nil || !strings.Contains(err.Error(), "PtrMarshaler") {
		t.Errorf("a MarshalJSON on a pointer: %v, want an error", err)
	}
}

// A minimums map the generator cannot read is an error naming the file, not
// a panic, whatever shape the wrong entry has.
func TestParseMinimumsRefusesOddEntries(t *testing.T) {
	for name, body := range map[string]string{
		"not key-value":       `var minimums = map[string]minimum{{1, "hint"}}`,
		"key not literal":     `var minimums = map[string]minimum{k: {1, "hint"}}`,
		"value not composite": `var minimums = map[string]minimum{"Threshold": m}`,
		"minimum not integer": `var minimums = map[string]minimum{"Threshold": {one, "hint"}}`,
		"no map":              `var other = 1`,
	} {
		file := writeMinimums(t, body)
		if _, err := parseMinimums(file); err == nil || !strings.Contains(err.Error(), file) {
			t.Errorf("%s: parseMinimums = %v, want an error naming %s", name, err, file)
		}
	}
	mins, err := parseMinimums(writeMinimums(t, `var minimums = map[string]minimum{"Threshold": {2, "hint"}}`))
	if err != nil || mins["Threshold"] != 2 {
		t.Errorf("parseMinimums = %v, %v; want Threshold 2", mins, err)
	}
}

// writeMinimums writes an sdk file holding body.
func writeMinimums(t *testing.T, body string) string {
	file := filepath.Join(t.TempDir(), "encode.go")
	if err := os.WriteFile(file, []byte("package sdk\n\n"+body+"\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	return file
}
