//go:build unix

package main

import (
	"bufio"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/turnkey-go/turnkey/stamp"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// helperArgsEnv makes the test binary run the command instead of the tests:
// its value is the command's arguments, as a JSON array.
const helperArgsEnv = "TURNKEY_CLI_TEST_HELPER_ARGS"

func TestMain(m *testing.M) {
	if args, ok := os.LookupEnv(helperArgsEnv); ok {
		// Catch the signals before saying ready, so that one sent a moment
		// too early cannot kill the helper the default way; run installs its
		// own handling straight after.
		signal.Notify(make(chan os.Signal, 1), os.Interrupt, syscall.SIGTERM)
		fmt.Fprintln(os.Stderr, "helper ready")
		var argv []string
		if err := json.Unmarshal([]byte(args), &argv); err != nil {
			fmt.Fprintln(os.Stderr, "helper:", err)
			os.Exit(99)
		}
		os.Exit(run(argv, os.Stdin, os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

// startHelper starts the command in a child process whose stdin is a pipe
// that is never written to, and waits until it is ready for signals.
func startHelper(t *testing.T, args ...string) (*exec.Cmd, *strings.Builder) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "-test.run=^$")
	argv, err := json.Marshal(args)
	if err != nil {
		t.Fatal(err)
	}
	cmd.Env = append(os.Environ(), helperArgsEnv+"="+string(argv))
	stdin, err := cmd.StdinPipe() // kept open: the child blocks reading it
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = stdin.Close() })
	stderr, err := cmd.StderrPipe()
	if err != nil {
		t.Fatal(err)
	}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cmd.Process.Kill() })
	r := bufio.NewReader(stderr)
	line, err := r.ReadString('\n')
	if err != nil || line != "helper ready\n" {
		t.Fatalf("helper did not start: %q, %v", line, err)
	}
	rest := new(strings.Builder)
	go func() {
		for {
			l, err := r.ReadString('\n')
			rest.WriteString(l)
			if err != nil {
				return
			}
		}
	}()
	time.Sleep(300 * time.Millisecond) // let the command block in its read
	return cmd, rest
}

// signalAndWait sends sig to the child and returns its exit code and how
// long it took to exit.
func signalAndWait(t *testing.T, cmd *exec.Cmd, sig syscall.Signal) (int, time.Duration) {
	t.Helper()
	start := time.Now()
	if err := cmd.Process.Signal(sig); err != nil {
		t.Fatal(err)
	}
	exited := make(chan error, 1)
	go func() { exited <- cmd.Wait() }()
	select {
	case <-exited:
	case <-time.After(10 * time.Second):
		t.Fatalf("the command survived %v for 10s", sig)
	}
	ws := cmd.ProcessState.Sys().(syscall.WaitStatus)
	if ws.Signaled() {
		t.Fatalf("killed by %v instead of exiting", ws.Signal())
	}
	return ws.ExitStatus(), time.Since(start)
}

// TestInterruptWhileReadingStdin: SIGINT ends a command blocked reading
// standard input, outside any context, with exit status 130 within a
// second; SIGTERM with 143.
func TestInterruptWhileReadingStdin(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		sig  syscall.Signal
		code int
	}{{syscall.SIGINT, 130}, {syscall.SIGTERM, 143}} {
		t.Run(tc.sig.String(), func(t *testing.T) {
			cmd, stderr := startHelper(t, "request", "whoami", "--body", "@-")
			code, took := signalAndWait(t, cmd, tc.sig)
			if code != tc.code {
				t.Fatalf("exit status %d, want %d; stderr: %s", code, tc.code, stderr)
			}
			if took > time.Second {
				t.Errorf("took %v to exit after %v, want under a second", took, tc.sig)
			}
		})
	}
}

// TestInterruptWhileOpeningFIFOKeyFile: a key file that is a FIFO nobody
// writes blocks opening it; SIGINT still ends the command.
func TestInterruptWhileOpeningFIFOKeyFile(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	if err := syscall.Mkfifo(filepath.Join(dir, "k.private"), 0o600); err != nil {
		t.Skipf("no FIFOs here: %v", err)
	}
	cmd, stderr := startHelper(t, "stamp", "--key-name", "k", "--keys-dir", dir)
	code, took := signalAndWait(t, cmd, syscall.SIGINT)
	if code != 130 {
		t.Fatalf("exit status %d, want 130; stderr: %s", code, stderr)
	}
	if took > time.Second {
		t.Errorf("took %v to exit, want under a second", took)
	}
}

// TestTimeoutAgainstSilentServer: --timeout 1s against a server that accepts
// connections and never answers ends the command after about a second.
func TestTimeoutAgainstSilentServer(t *testing.T) {
	clearEnv(t)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	var mu sync.Mutex
	var conns []net.Conn
	defer func() {
		mu.Lock()
		defer mu.Unlock()
		for _, c := range conns {
			_ = c.Close()
		}
	}()
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			conns = append(conns, c) // held open, never answered
			mu.Unlock()
		}
	}()
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := stamp.SaveKeyFile(dir, "k", key); err != nil {
		t.Fatal(err)
	}
	conn := []string{"--base-url", "http://" + ln.Addr().String(), "--organization", "org-1", "--key-name", "k", "--keys-dir", dir, "--timeout", "1s"}
	for _, args := range [][]string{{"whoami"}, {"request", "whoami"}, {"request", "create_private_key_tag", "--body", `{"privateKeyTagName":"t","privateKeyIds":[]}`}} {
		t.Run(strings.Join(args, " "), func(t *testing.T) {
			start := time.Now()
			r := runCLI(t, "", append(args, conn...)...)
			took := time.Since(start)
			wantCode(t, r, exitAPI)
			if !strings.Contains(r.stderr, "--timeout 1s") {
				t.Errorf("stderr does not name --timeout: %s", r.stderr)
			}
			if took < time.Second || took > 3*time.Second {
				t.Errorf("took %v, want about a second", took)
			}
		})
	}
	r := runCLI(t, "", append([]string{"whoami"}, append(conn, "--timeout", "-1s")...)...)
	wantCode(t, r, exitUsage)
}

// TestWarnsAboutReadableKeyFile: a private key file readable by group or
// others is used with a warning on stderr, as ssh warns; mode 0600 is quiet.
func TestWarnsAboutReadableKeyFile(t *testing.T) {
	clearEnv(t)
	key, err := stamp.GenerateAPIKey(stamp.CurveP256)
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	if err := stamp.SaveKeyFile(dir, "k", key); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(dir, "k.private")
	for _, tc := range []struct {
		mode os.FileMode
		warn bool
	}{{0o600, false}, {0o400, false}, {0o640, true}, {0o644, true}, {0o666, true}} {
		if err := os.Chmod(path, tc.mode); err != nil {
			t.Fatal(err)
		}
		r := runCLI(t, "{}", "stamp", "--key-name", "k", "--keys-dir", dir)
		wantCode(t, r, exitOK)
		if got := strings.Contains(r.stderr, "WARNING") && strings.Contains(r.stderr, "chmod 600"); got != tc.warn {
			t.Errorf("mode %04o: warning %v, want %v; stderr: %q", tc.mode, got, tc.warn, r.stderr)
		}
	}
}

// TestRequestShowsProgressWhileWaiting: `turnkey request` prints progress
// lines on stderr while the activity is pending, and the activity on stdout
// once it completed.
func TestRequestShowsProgressWhileWaiting(t *testing.T) {
	old := progressEvery
	progressEvery = 100 * time.Millisecond
	defer func() { progressEvery = old }()
	s := newSim(t, turnkeytest.WithActivityDelay(600*time.Millisecond))
	r := s.run(t, "request", "create_private_key_tag", "--body", `{"privateKeyTagName":"slow","privateKeyIds":[]}`)
	wantCode(t, r, exitOK)
	if !strings.Contains(r.stderr, "waiting for it to finish") || !strings.Contains(r.stderr, "still ACTIVITY_STATUS_") {
		t.Errorf("no progress lines on stderr: %q", r.stderr)
	}
	if !strings.Contains(r.stdout, "ACTIVITY_STATUS_COMPLETED") {
		t.Errorf("stdout lacks the completed activity: %s", r.stdout)
	}
}

// TestInterruptStopsLocalCleanly: "turnkey local" is meant to be stopped by
// Ctrl-C: it shuts down and exits 0.
func TestInterruptStopsLocalCleanly(t *testing.T) {
	clearEnv(t)
	cmd, stderr := startHelper(t, "local", "--addr", "127.0.0.1:0", "--keys-dir", t.TempDir())
	code, took := signalAndWait(t, cmd, syscall.SIGINT)
	if code != 0 {
		t.Fatalf("exit status %d, want 0; stderr: %s", code, stderr)
	}
	if took > 5*time.Second {
		t.Errorf("took %v to stop", took)
	}
}
