package main

import (
	"strings"
	"testing"

	"github.com/turnkey-go/turnkey/sdk"
)

func TestVersion(t *testing.T) {
	clearEnv(t)
	for _, args := range [][]string{{"version"}, {"--version"}, {"-version"}} {
		r := runCLI(t, "", args...)
		wantCode(t, r, exitOK)
		if !strings.HasPrefix(r.stdout, "turnkey "+sdk.Version+" (go") || r.stderr != "" {
			t.Errorf("%v: stdout %q, stderr %q", args, r.stdout, r.stderr)
		}
	}
	r := runCLI(t, "", "version", "extra")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, `unexpected argument "extra"`) {
		t.Errorf("stderr %q", r.stderr)
	}
	if r := runCLI(t, "", "help"); !strings.Contains(r.stdout, "version   print the version") {
		t.Errorf("the usage does not list version:\n%s", r.stdout)
	}
}

// TestHelpOfHelp: `turnkey help --help` (and -h, and `help help`) is the usage, not an error.
func TestHelpOfHelp(t *testing.T) {
	clearEnv(t)
	for _, flag := range []string{"--help", "-h", "-help", "help"} {
		r := runCLI(t, "", "help", flag)
		wantCode(t, r, exitOK)
		if !strings.HasPrefix(r.stdout, "turnkey is a command-line client") {
			t.Errorf("help %s:\n%s", flag, r.stdout)
		}
	}
}
