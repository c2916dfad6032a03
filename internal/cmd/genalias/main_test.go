package main

import (
	"os"
	"path/filepath"
	"regexp"
	"testing"
)

// The checked-in aliases are what the models generate, and name every type.
func TestAliasesAreCurrent(t *testing.T) {
	out := filepath.Join(t.TempDir(), "models.gen.go")
	if err := run("../../../gen/models.gen.go", "genserver", "github.com/turnkey-go/turnkey/gen", out); err != nil {
		t.Fatal(err)
	}
	got, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	want, err := os.ReadFile("../../genserver/models.gen.go")
	if err != nil {
		t.Fatal(err)
	}
	if string(got) != string(want) {
		t.Fatal("internal/genserver/models.gen.go is out of date: run scripts/regen.sh")
	}
	for _, name := range []string{"Activity", "ActivityStatusCompleted"} {
		if !regexp.MustCompile(`\n\t` + name + ` += gen\.` + name + `\n`).Match(got) {
			t.Errorf("no alias %s", name)
		}
	}
}

func TestRefusesWhatItCannotAlias(t *testing.T) {
	src := filepath.Join(t.TempDir(), "m.go")
	if err := os.WriteFile(src, []byte("package gen\n\nvar X = 1\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := run(src, "p", "example.com/gen", filepath.Join(t.TempDir(), "out.go")); err == nil {
		t.Fatal("a package-level variable cannot be aliased: want an error")
	}
}
