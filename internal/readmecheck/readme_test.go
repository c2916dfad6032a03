package readmecheck

import (
	"bytes"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// snippet is one ```go block of a Markdown file.
type snippet struct {
	line int // the line of the block's first line of code, 1-based
	code string
}

// goBlocks returns the ```go blocks of markdown.
func goBlocks(markdown string) []snippet {
	var out []snippet
	var cur *strings.Builder
	start := 0
	for i, line := range strings.Split(markdown, "\n") {
		trimmed := strings.TrimSpace(line)
		switch {
		case cur == nil && trimmed == "```go":
			cur, start = &strings.Builder{}, i+2
		case cur != nil && trimmed == "```":
			out = append(out, snippet{line: start, code: cur.String()})
			cur = nil
		case cur != nil:
			cur.WriteString(line + "\n")
		}
	}
	return out
}

// given are the names a fragment (a snippet without a package clause) may
// use without declaring them, as the prose around it introduces them: a
// context, a client, another member's client, and intents to submit.
const given = "ctx context.Context, client *sdk.Client, approver *sdk.Client, " +
	"intent gen.CreateWalletIntent, intentV6 gen.CreateSubOrganizationIntentV6"

// knownImports are the packages a fragment may use without importing them.
var knownImports = map[string]string{
	"context": "context", "errors": "errors", "fmt": "fmt", "log": "log", "time": "time",
	"gen": "github.com/turnkey-go/turnkey/gen", "sdk": "github.com/turnkey-go/turnkey/sdk",
	"stamp": "github.com/turnkey-go/turnkey/stamp", "enclave": "github.com/turnkey-go/turnkey/enclave",
	"turnkeytest": "github.com/turnkey-go/turnkey/turnkeytest",
}

var importDecl = regexp.MustCompile(`(?s)^\s*import\s*(\([^)]*\)|"[^"]*")\s*`)

// source turns a snippet into a Go file named after its place in file: a
// whole file (with a package clause) as it is; a fragment as the body of a
// function of the given names, its import declaration kept and the imports
// it leaves out added. A //line directive maps errors back to the Markdown.
func source(file string, s snippet) string {
	if regexp.MustCompile(`(?m)^package \w+`).MatchString(s.code) {
		return fmt.Sprintf("//line %s:%d\n%s", file, s.line, s.code)
	}
	body, imports := s.code, ""
	if m := importDecl.FindStringSubmatch(body); m != nil {
		imports = "import " + m[1] + "\n"
		body = body[len(m[0]):]
	}
	var b strings.Builder
	b.WriteString("package snippet\n\n" + imports)
	for name, path := range knownImports {
		used := regexp.MustCompile(`\b`+name+`\.`).MatchString(body) || strings.Contains(given, name+".")
		if used && !strings.Contains(imports, `"`+path+`"`) {
			fmt.Fprintf(&b, "import %q\n", path)
		}
	}
	bodyLine := s.line + strings.Count(s.code[:len(s.code)-len(body)], "\n")
	fmt.Fprintf(&b, "\nfunc _(%s) {\n//line %s:%d\n%s}\n", given, file, bodyLine, body)
	return b.String()
}

// moduleRoot is the directory of go.mod, two levels up from this package.
func moduleRoot(t *testing.T) string {
	t.Helper()
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		t.Fatalf("no go.mod at %s: %v", root, err)
	}
	return root
}

// vet writes each snippet as its own package in a temporary directory inside
// the module and runs `go vet` on them, which type-checks them against the
// module's packages. It returns vet's output and whether it failed.
func vet(t *testing.T, file string, snippets []snippet) (string, bool) {
	t.Helper()
	dir, err := os.MkdirTemp(".", "snippets-")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { os.RemoveAll(dir) })
	for i, s := range snippets {
		pkg := filepath.Join(dir, fmt.Sprintf("s%02d", i))
		if err := os.Mkdir(pkg, 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(pkg, "snippet.go"), []byte(source(file, s)), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// go test puts the go command that runs it first on PATH.
	goCmd, err := exec.LookPath("go")
	if err != nil {
		t.Fatalf("the go command is needed to compile the snippets: %v", err)
	}
	cmd := exec.Command(goCmd, "vet", "./"+filepath.ToSlash(dir)+"/...")
	cmd.Env = append(os.Environ(), "GOFLAGS=-mod=mod")
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err = cmd.Run()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		t.Fatalf("running go vet: %v", err)
	}
	return out.String(), err != nil
}

// TestREADMESnippetsCompile compiles and vets every Go snippet of README.md.
func TestREADMESnippetsCompile(t *testing.T) {
	path := filepath.Join(moduleRoot(t), "README.md")
	readme, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	snippets := goBlocks(string(readme))
	if len(snippets) == 0 {
		t.Fatal("README.md has no ```go blocks: has the parser broken?")
	}
	if out, failed := vet(t, path, snippets); failed {
		t.Fatalf("README.md's Go snippets do not compile or vet:\n%s", out)
	}
}

// TestBrokenSnippetsFail makes sure the check can fail: a snippet with an
// undefined name, one with an unused variable and one with a vet finding are
// each reported, at their line of the Markdown.
func TestBrokenSnippetsFail(t *testing.T) {
	md := "text\n\n```go\nwho, err := client.Whoami(ctx2, gen.WhoamiRequest{})\n```\n\n" +
		"```go\nwallet, _, err := client.CreateWallet(ctx, intent)\n_ = err\n```\n\n" +
		"```go\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Printf(\"%d\\n\", \"x\") }\n```\n"
	snippets := goBlocks(md)
	if len(snippets) != 3 {
		t.Fatalf("found %d snippets, want 3", len(snippets))
	}
	out, failed := vet(t, "BROKEN.md", snippets)
	if !failed {
		t.Fatalf("broken snippets passed:\n%s", out)
	}
	for _, want := range []string{"BROKEN.md:4", "undefined: ctx2", "BROKEN.md:8", "declared and not used: wallet"} {
		if !strings.Contains(out, want) {
			t.Errorf("vet output lacks %q:\n%s", want, out)
		}
	}
}

// TestVetFindingsFail: a snippet that compiles but that vet rejects fails too.
func TestVetFindingsFail(t *testing.T) {
	md := "```go\npackage main\n\nimport \"fmt\"\n\nfunc main() { fmt.Printf(\"%d\\n\", \"x\") }\n```\n"
	out, failed := vet(t, "VET.md", goBlocks(md))
	if !failed || !strings.Contains(out, "VET.md:") || !strings.Contains(out, "Printf") {
		t.Fatalf("a printf mistake passed vet (failed=%v):\n%s", failed, out)
	}
}

func TestFragmentsGetImportsAndGivens(t *testing.T) {
	src := source("X.md", snippet{line: 10, code: "import \"strings\"\n\n_ = strings.ToUpper(\"a\")\n_, err := client.Whoami(ctx, gen.WhoamiRequest{})\nif errors.Is(err, sdk.ErrNotFound) {}\n"})
	for _, want := range []string{"import \"strings\"", `import "errors"`, `import "github.com/turnkey-go/turnkey/gen"`, "func _(ctx context.Context", "//line X.md:12"} {
		if !strings.Contains(src, want) {
			t.Errorf("source lacks %q:\n%s", want, src)
		}
	}
}
