package main

import (
	"bufio"
	"context"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// buildCLI builds this command into a temporary directory, once per test.
func buildCLI(t *testing.T) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("SIGKILL and advisory locks are tested on Unix")
	}
	goTool, err := exec.LookPath("go")
	if err != nil {
		t.Skipf("no go tool to build the command: %v", err)
	}
	bin := filepath.Join(t.TempDir(), "turnkey")
	ctx, cancel := context.WithTimeout(context.Background(), 3*time.Minute)
	defer cancel()
	out, err := exec.CommandContext(ctx, goTool, "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// process is a running "turnkey local" in its own process.
type process struct {
	cmd *exec.Cmd
	out string // what it printed up to "Serving until interrupted"
}

// startProcess starts bin with args and waits (at most 60s) until it
// serves. The test kills it at the end if it still runs.
func startProcess(t *testing.T, bin string, args ...string) *process {
	t.Helper()
	p, err := tryStart(t, bin, args...)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

type startError struct{ msg string }

func (e *startError) Error() string { return e.msg }

func tryStart(t *testing.T, bin string, args ...string) (*process, error) {
	t.Helper()
	cmd := exec.Command(bin, append([]string{"local"}, args...)...)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + t.TempDir()}
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr strings.Builder
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		if cmd.ProcessState == nil {
			_ = cmd.Process.Kill()
			_ = cmd.Wait()
		}
	})
	lines := make(chan string)
	go func() {
		defer close(lines)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			lines <- sc.Text()
		}
		_, _ = io.Copy(io.Discard, stdout)
	}()
	var out strings.Builder
	deadline := time.After(60 * time.Second)
	for {
		select {
		case line, ok := <-lines:
			if !ok {
				_ = cmd.Wait()
				return nil, &startError{"turnkey local exited: " + out.String() + stderr.String()}
			}
			out.WriteString(line + "\n")
			if strings.Contains(line, "Serving until interrupted") {
				go func() { // keep draining, so the process never blocks on its output
					for range lines {
					}
				}()
				return &process{cmd: cmd, out: out.String()}, nil
			}
		case <-deadline:
			t.Fatalf("turnkey local did not start:\n%s\n%s", out.String(), stderr.String())
		}
	}
}

func (p *process) kill9(t *testing.T) {
	t.Helper()
	if err := p.cmd.Process.Signal(syscall.SIGKILL); err != nil {
		t.Fatal(err)
	}
	_ = p.cmd.Wait()
}

// identity is what a client of turnkey local pins.
type identity struct{ org, user, apiKey, signer string }

func identityOf(t *testing.T, out string) identity {
	t.Helper()
	return identity{
		org:    field(t, out, `organization ID: +(\S+) `),
		user:   field(t, out, `root user ID: +(\S+) `),
		apiKey: field(t, out, `public key ([0-9a-f]{66})\)`),
		signer: field(t, out, `enclave signer: +([0-9a-f]{130})\n`),
	}
}

func whoamiWith(t *testing.T, url, org string, key *stamp.APIKey) string {
	t.Helper()
	c, err := sdk.New(sdk.WithBaseURL(url), sdk.WithStamper(key), sdk.WithOrganizationID(org))
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	who, err := c.Whoami(ctx, gen.WhoamiRequest{})
	if err != nil {
		t.Fatal(err)
	}
	return who.OrganizationID
}

// turnkey local restarted after kill -9 with the same --state-dir comes back
// with the same organization, root user, API key and enclave signer key,
// and the key files of the crashed run do not block it.
func TestLocalStateDirSurvivesKill9(t *testing.T) {
	bin := buildCLI(t)
	state := filepath.Join(t.TempDir(), "state")
	first := startProcess(t, bin, "--state-dir", state, "--addr", "127.0.0.1:0")
	id := identityOf(t, first.out)
	if !strings.Contains(first.out, "state dir:        "+state) {
		t.Errorf("the state dir is not shown:\n%s", first.out)
	}
	key, err := stamp.LoadKeyFile(filepath.Join(state, "keys"), "local")
	if err != nil {
		t.Fatal(err)
	}
	if key.PublicKey() != id.apiKey {
		t.Fatalf("key file %s, printed %s", key.PublicKey(), id.apiKey)
	}
	url := field(t, first.out, `export TURNKEY_BASE_URL=(\S+)\n`)
	if got := whoamiWith(t, url, id.org, key); got != id.org {
		t.Fatalf("whoami: %s", got)
	}
	first.kill9(t)

	for range 2 { // twice: a restarted run's own files do not block the next either
		again := startProcess(t, bin, "--state-dir", state, "--addr", "127.0.0.1:0")
		if got := identityOf(t, again.out); got != id {
			t.Fatalf("after kill -9: %+v, want %+v", got, id)
		}
		url = field(t, again.out, `export TURNKEY_BASE_URL=(\S+)\n`)
		if got := whoamiWith(t, url, id.org, key); got != id.org { // the key saved before the crash
			t.Fatalf("whoami after restart: %s", got)
		}
		again.kill9(t)
	}
}

// Without a state dir, a crashed run's key files in --keys-dir are replaced
// by the next run; a running simulator's are not.
func TestLocalKeysDirAfterKill9(t *testing.T) {
	bin := buildCLI(t)
	dir := t.TempDir()
	first := startProcess(t, bin, "--keys-dir", dir, "--key-name", "sim")
	firstID := identityOf(t, first.out)
	first.kill9(t)
	if _, err := os.Stat(filepath.Join(dir, "sim.private")); err != nil {
		t.Fatalf("the crashed run left no key file to test with: %v", err)
	}

	second := startProcess(t, bin, "--keys-dir", dir, "--key-name", "sim")
	secondID := identityOf(t, second.out)
	if secondID.org == firstID.org || secondID.apiKey == firstID.apiKey {
		t.Fatal("without a state dir each start is a new organization")
	}
	key, err := stamp.LoadKeyFile(dir, "sim")
	if err != nil || key.PublicKey() != secondID.apiKey {
		t.Fatalf("key file: %v", err)
	}

	// A third run must not take the running one's key name.
	if _, err := tryStart(t, bin, "--keys-dir", dir, "--key-name", "sim"); err == nil ||
		!strings.Contains(err.Error(), "in use by another running turnkey local") {
		t.Fatalf("a second simulator on the same key: %v", err)
	}

	// Key files not written by turnkey local are never replaced.
	other := t.TempDir()
	foreign, _ := stamp.GenerateAPIKey(stamp.CurveP256)
	if err := stamp.SaveKeyFile(other, "sim", foreign); err != nil {
		t.Fatal(err)
	}
	if _, err := tryStart(t, bin, "--keys-dir", other, "--key-name", "sim"); err == nil || !strings.Contains(err.Error(), "left alone") {
		t.Fatalf("a foreign key: %v", err)
	}
	if k, err := stamp.LoadKeyFile(other, "sim"); err != nil || k.PublicKey() != foreign.PublicKey() {
		t.Fatalf("the foreign key was changed: %v", err)
	}

	// A clean stop removes the key files.
	if err := second.cmd.Process.Signal(syscall.SIGTERM); err != nil {
		t.Fatal(err)
	}
	if err := second.cmd.Wait(); err != nil {
		t.Fatalf("exit after SIGTERM: %v", err)
	}
	for _, ext := range []string{".private", ".public", ".meta", ".lock"} {
		if _, err := os.Stat(filepath.Join(dir, "sim"+ext)); !os.IsNotExist(err) {
			t.Errorf("sim%s left after a clean stop (%v)", ext, err)
		}
	}
}

func TestLocalSeedFlags(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--seed", "abcd"}, "--seed must be hex of at least 16 bytes"},
		{[]string{"--seed", "zz"}, "--seed must be hex"},
		{[]string{"--seed", strings.Repeat("ab", 16), "--state-dir", t.TempDir()}, "exclusive"},
	} {
		r := runCLI(t, "", append([]string{"local"}, tc.args...)...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: stderr lacks %q:\n%s", tc.args, tc.want, r.stderr)
		}
	}

	// The same --seed gives the same identity, in-process too.
	seed := strings.Repeat("5a", 32)
	out1, stop1 := startLocal(t, "--seed", seed)
	wantCode(t, stop1(), 0)
	out2, stop2 := startLocal(t, "--seed", seed)
	wantCode(t, stop2(), 0)
	if a, b := identityOf(t, out1), identityOf(t, out2); a != b {
		t.Fatalf("%+v != %+v", a, b)
	}

	// A corrupt seed file is reported, not replaced.
	state := t.TempDir()
	if err := os.WriteFile(filepath.Join(state, seedFile), []byte("not hex"), 0o600); err != nil {
		t.Fatal(err)
	}
	r := runCLI(t, "", "local", "--state-dir", state)
	wantCode(t, r, exitLocal)
	if !strings.Contains(r.stderr, "is not a seed") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
}
