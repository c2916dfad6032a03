// Command skipcheck reads the events of `go test -json` on its standard input
// and fails when a test or benchmark was skipped without being allowed to, or
// when one failed. It prints what `go test` would have printed for the
// packages (ok / FAIL), the output of every failed or skipped test, and a
// summary. CI runs it on every test run, so a clone that quietly skips tests
// (for want of data beside the repository, say) is a failed build:
//
//	go test -json ./... | go run ./scripts/skipcheck
//
// The allowed skips are listed in allowed.txt beside this file (or the file
// named by -allow): one "package TestName" a line, with the reason as a
// "# comment"; they are skips that depend on the machine, not on data.
package main

import (
	"bufio"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"sort"
	"strings"
)

func main() {
	_, self, _, _ := runtime.Caller(0)
	allowFile := flag.String("allow", filepath.Join(filepath.Dir(self), "allowed.txt"), "file of allowed skips")
	flag.Parse()
	allowed, err := readAllowed(*allowFile)
	if err != nil {
		fmt.Fprintln(os.Stderr, "skipcheck:", err)
		os.Exit(2)
	}
	res, err := check(os.Stdin, os.Stdout, allowed)
	if err != nil {
		fmt.Fprintln(os.Stderr, "skipcheck:", err)
		os.Exit(2)
	}
	if !res.ok() {
		os.Exit(1)
	}
}

// event is one line of `go test -json` (cmd/test2json).
type event struct {
	Action  string
	Package string
	Test    string
	Output  string
	Elapsed float64
}

// result sums up a run.
type result struct {
	passed, allowedSkips    int
	failed, unexpectedSkips []string // "package Test"
}

func (r result) ok() bool { return len(r.failed) == 0 && len(r.unexpectedSkips) == 0 }

// readAllowed reads the allow-list: "package TestName", comments after '#'.
func readAllowed(path string) (map[string]bool, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	allowed := map[string]bool{}
	for i, line := range strings.Split(string(data), "\n") {
		line, _, _ = strings.Cut(line, "#")
		f := strings.Fields(line)
		switch len(f) {
		case 0:
		case 2:
			allowed[f[0]+" "+f[1]] = true
		default:
			return nil, fmt.Errorf("%s:%d: want \"package TestName\", got %q", path, i+1, line)
		}
	}
	return allowed, nil
}

// skipLine is how a skipped benchmark (or test) shows in the output.
var skipLine = regexp.MustCompile(`^\s*--- SKIP: (\S+)`)

// check reads the events from r, writes the report to w and returns the result.
func check(r io.Reader, w io.Writer, allowed map[string]bool) (result, error) {
	var res result
	output := map[string]*strings.Builder{} // per "package Test"
	skipped := map[string]bool{}
	skip := func(key string) {
		if skipped[key] {
			return
		}
		skipped[key] = true
		if allowed[key] {
			res.allowedSkips++
			return
		}
		res.unexpectedSkips = append(res.unexpectedSkips, key)
		if out := output[key]; out != nil {
			fmt.Fprint(w, out.String())
		}
	}
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 1<<20), 16<<20)
	for sc.Scan() {
		var ev event
		if err := json.Unmarshal(sc.Bytes(), &ev); err != nil {
			fmt.Fprintln(w, sc.Text()) // a build error, say: pass it through
			continue
		}
		key := ev.Package + " " + ev.Test
		switch ev.Action {
		case "output":
			if output[key] == nil {
				output[key] = &strings.Builder{}
			}
			output[key].WriteString(ev.Output)
			if m := skipLine.FindStringSubmatch(ev.Output); m != nil && strings.HasPrefix(m[1], "Benchmark") {
				skip(ev.Package + " " + m[1])
			}
		case "build-output": // a compile error, reported before the package fails
			fmt.Fprint(w, ev.Output)
		case "pass":
			if ev.Test != "" {
				res.passed++
			} else {
				fmt.Fprintf(w, "ok  \t%s\t%.3fs\n", ev.Package, ev.Elapsed)
			}
		case "fail":
			if ev.Test != "" {
				res.failed = append(res.failed, key)
				if out := output[key]; out != nil {
					fmt.Fprint(w, out.String())
				}
			} else {
				if len(res.failed) == 0 || !strings.HasPrefix(res.failed[len(res.failed)-1], ev.Package+" ") {
					if out := output[key]; out != nil { // a build failure or a panic outside any test
						fmt.Fprint(w, out.String())
					}
				}
				res.failed = append(res.failed, key)
				fmt.Fprintf(w, "FAIL\t%s\n", ev.Package)
			}
		case "skip":
			if ev.Test != "" { // a package without test files is not a skipped test
				skip(key)
			}
		}
	}
	if err := sc.Err(); err != nil {
		return res, err
	}
	sort.Strings(res.unexpectedSkips)
	fmt.Fprintf(w, "\n%d passed, %d failed, %d skipped as allowed, %d skipped unexpectedly\n",
		res.passed, len(res.failed), res.allowedSkips, len(res.unexpectedSkips))
	for _, s := range res.unexpectedSkips {
		fmt.Fprintf(w, "unexpected skip: %s (fix it, or allow it in scripts/skipcheck/allowed.txt with the reason)\n", s)
	}
	return res, nil
}
