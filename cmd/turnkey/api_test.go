package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/turnkey-go/turnkey/stamp"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// sim is a simulator with its root API key saved as the key files "root"
// (and "root-2", ... for the extra root users of a quorum) in dir.
type sim struct {
	srv  *turnkeytest.Server
	root turnkeytest.Root
	dir  string
}

func newSim(t *testing.T, opts ...turnkeytest.Option) *sim {
	t.Helper()
	clearEnv(t)
	srv, err := turnkeytest.NewServer(opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	s := &sim{srv: srv, root: srv.Root(), dir: t.TempDir()}
	if err := stamp.SaveKeyFile(s.dir, "root", s.root.APIKey); err != nil {
		t.Fatal(err)
	}
	for i, k := range s.root.QuorumKeys {
		if err := stamp.SaveKeyFile(s.dir, "root-"+string(rune('2'+i)), k); err != nil {
			t.Fatal(err)
		}
	}
	return s
}

// conn returns the connection flags for key name.
func (s *sim) conn(name string) []string {
	return []string{"--base-url", s.srv.URL, "--organization", s.root.OrganizationID, "--key-name", name, "--keys-dir", s.dir}
}

// run runs the command with args followed by the root key's connection flags.
func (s *sim) run(t *testing.T, args ...string) result {
	t.Helper()
	return runCLI(t, "", append(args, s.conn("root")...)...)
}

// decode unmarshals r's stdout, which must be indented JSON.
func decode(t *testing.T, r result, v any) {
	t.Helper()
	if !strings.HasPrefix(r.stdout, "{\n  ") || !strings.HasSuffix(r.stdout, "}\n") {
		t.Errorf("stdout is not indented JSON:\n%s", r.stdout)
	}
	if err := json.Unmarshal([]byte(r.stdout), v); err != nil {
		t.Fatalf("stdout: %v\n%s", err, r.stdout)
	}
}

type activityJSON struct {
	ID          string `json:"id"`
	Status      string `json:"status"`
	Type        string `json:"type"`
	Fingerprint string `json:"fingerprint"`
	Result      struct {
		CreateWalletResult *struct {
			WalletID  string   `json:"walletId"`
			Addresses []string `json:"addresses"`
		} `json:"createWalletResult"`
	} `json:"result"`
}

const walletBody = `{"walletName":"%s","accounts":[{"curve":"CURVE_SECP256K1","pathFormat":"PATH_FORMAT_BIP32","path":"m/44'/60'/0'/0/0","addressFormat":"ADDRESS_FORMAT_ETHEREUM"}]}`

func walletParams(name string) string { return strings.Replace(walletBody, "%s", name, 1) }

func TestWhoami(t *testing.T) {
	s := newSim(t)
	var who struct {
		OrganizationID string `json:"organizationId"`
		UserID         string `json:"userId"`
		Username       string `json:"username"`
	}
	check := func(r result) {
		t.Helper()
		wantCode(t, r, 0)
		decode(t, r, &who)
		if who.OrganizationID != s.root.OrganizationID || who.UserID != s.root.UserID || who.Username != s.root.UserName {
			t.Errorf("whoami = %+v, want the root user %s of %s", who, s.root.UserID, s.root.OrganizationID)
		}
	}

	t.Run("key file and flags", func(t *testing.T) {
		check(s.run(t, "whoami"))
	})
	t.Run("request whoami", func(t *testing.T) {
		check(s.run(t, "request", "whoami"))
	})
	t.Run("environment", func(t *testing.T) {
		t.Setenv("TURNKEY_API_PRIVATE_KEY", s.root.APIKey.PrivateKeyHex())
		t.Setenv("TURNKEY_API_PUBLIC_KEY", s.root.APIKey.PublicKey())
		t.Setenv("TURNKEY_ORGANIZATION_ID", s.root.OrganizationID)
		t.Setenv("TURNKEY_BASE_URL", s.srv.URL)
		check(runCLI(t, "", "whoami"))
	})
	t.Run("key file with organization and URL from the environment", func(t *testing.T) {
		t.Setenv("TURNKEY_ORGANIZATION_ID", s.root.OrganizationID)
		t.Setenv("TURNKEY_BASE_URL", s.srv.URL)
		check(runCLI(t, "", "whoami", "--key-name", "root", "--keys-dir", s.dir))
	})
	t.Run("organization in the query body", func(t *testing.T) {
		check(runCLI(t, "", "request", "whoami", "--body", `{"organizationId":"`+s.root.OrganizationID+`"}`,
			"--base-url", s.srv.URL, "--key-name", "root", "--keys-dir", s.dir))
	})
}

func TestRequestQueryFillsOrganization(t *testing.T) {
	s := newSim(t)
	r := s.run(t, "request", "get_user", "--body", `{"userId":"`+s.root.UserID+`"}`)
	wantCode(t, r, 0)
	var got struct {
		User struct {
			UserID   string `json:"userId"`
			UserName string `json:"userName"`
		} `json:"user"`
	}
	decode(t, r, &got)
	if got.User.UserID != s.root.UserID {
		t.Errorf("get_user: %+v", got)
	}
	// The body may come from a file or from standard input.
	f := filepath.Join(t.TempDir(), "body.json")
	if err := os.WriteFile(f, []byte("{}\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	wantCode(t, s.run(t, "request", "list_users", "--body", "@"+f), 0)
	r = runCLI(t, `{"userId":"`+s.root.UserID+`"}`, append([]string{"request", "get_user", "--body", "@-"}, s.conn("root")...)...)
	wantCode(t, r, 0)
}

func TestRequestSubmitWaitsAndPrintsActivity(t *testing.T) {
	s := newSim(t, turnkeytest.WithActivityDelay(150*time.Millisecond))
	r := s.run(t, "request", "create_wallet", "--body", walletParams("cli-wallet"))
	wantCode(t, r, 0)
	var act activityJSON
	decode(t, r, &act)
	if act.Status != "ACTIVITY_STATUS_COMPLETED" || act.Type != "ACTIVITY_TYPE_CREATE_WALLET" {
		t.Fatalf("activity %s %s, want a completed ACTIVITY_TYPE_CREATE_WALLET", act.Status, act.Type)
	}
	res := act.Result.CreateWalletResult
	if res == nil || res.WalletID == "" || len(res.Addresses) != 1 || !strings.HasPrefix(res.Addresses[0], "0x") {
		t.Fatalf("result: %+v", res)
	}

	// The wallet is there.
	r = s.run(t, "request", "get_wallet", "--body", `{"walletId":"`+res.WalletID+`"}`)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, `"walletName": "cli-wallet"`) {
		t.Errorf("get_wallet:\n%s", r.stdout)
	}

	// Names in other spellings work too.
	r = s.run(t, "request", "SignRawPayload", "--body",
		`{"signWith":"`+res.Addresses[0]+`","payload":"`+strings.Repeat("ab", 32)+`","encoding":"PAYLOAD_ENCODING_HEXADECIMAL","hashFunction":"HASH_FUNCTION_NO_OP"}`)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, `"signRawPayloadResult"`) || !strings.Contains(r.stdout, `"ACTIVITY_TYPE_SIGN_RAW_PAYLOAD_V2"`) {
		t.Errorf("sign_raw_payload:\n%s", r.stdout)
	}
}

func TestRequestNoWait(t *testing.T) {
	s := newSim(t, turnkeytest.WithActivityDelay(time.Hour))
	r := s.run(t, "request", "create_wallet", "--no-wait", "--body", walletParams("later"))
	wantCode(t, r, 0)
	var act activityJSON
	decode(t, r, &act)
	if act.ID == "" || (act.Status != "ACTIVITY_STATUS_CREATED" && act.Status != "ACTIVITY_STATUS_PENDING") {
		t.Fatalf("activity %q in status %s, want one not yet done", act.ID, act.Status)
	}
	r = s.run(t, "request", "get_activity", "--body", `{"activityId":"`+act.ID+`"}`)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, act.ID) {
		t.Errorf("get_activity:\n%s", r.stdout)
	}
}

func TestRequestAPIErrors(t *testing.T) {
	s := newSim(t)

	r := s.run(t, "request", "get_wallet", "--body", `{"walletId":"no-such-wallet"}`)
	wantCode(t, r, exitAPI)
	for _, want := range []string{"API error", "status 404", "code 5", "no-such-wallet"} {
		if !strings.Contains(r.stderr, want) {
			t.Errorf("stderr lacks %q:\n%s", want, r.stderr)
		}
	}
	if r.stdout != "" {
		t.Errorf("stdout not empty:\n%s", r.stdout)
	}

	// A key the organization does not know.
	wantCode(t, runCLI(t, "", "keygen", "--key-name", "stranger", "--keys-dir", s.dir), 0)
	r = runCLI(t, "", append([]string{"whoami"}, s.conn("stranger")...)...)
	wantCode(t, r, exitAPI)
	if !strings.Contains(r.stderr, "status 401") {
		t.Errorf("stderr lacks the 401:\n%s", r.stderr)
	}

	// An invalid intent, refused at once.
	r = s.run(t, "request", "create_wallet", "--body", `{"walletName":"x","accounts":[{"curve":"CURVE_NOPE"}]}`)
	wantCode(t, r, exitAPI)
	if !strings.Contains(r.stderr, "status 400") {
		t.Errorf("stderr lacks the 400:\n%s", r.stderr)
	}

	// An activity that fails: it is printed, and the error says why.
	r = s.run(t, "request", "sign_raw_payload", "--body",
		`{"signWith":"0x0000000000000000000000000000000000000001","payload":"00","encoding":"PAYLOAD_ENCODING_HEXADECIMAL","hashFunction":"HASH_FUNCTION_SHA256"}`)
	wantCode(t, r, exitAPI)
	var act activityJSON
	decode(t, r, &act)
	if act.Status != "ACTIVITY_STATUS_FAILED" || !strings.Contains(r.stderr, "ended ACTIVITY_STATUS_FAILED") {
		t.Errorf("activity %s; stderr:\n%s", act.Status, r.stderr)
	}
}

func TestRequestUnreachable(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	wantCode(t, runCLI(t, "", "keygen", "--key-name", "k", "--keys-dir", dir), 0)
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close() // nothing listens there now
	r := runCLI(t, "", "whoami", "--base-url", "http://"+addr, "--organization", "o", "--key-name", "k", "--keys-dir", dir)
	wantCode(t, r, exitAPI)
	if !strings.HasPrefix(r.stderr, "turnkey whoami: cannot reach the API: Post ") {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	if strings.Count(r.stderr, "whoami:") != 1 || strings.Contains(r.stderr, "sdk:") || strings.Contains(r.stderr, "turnkey:") {
		t.Errorf("the prefixes stutter:\n%s", r.stderr)
	}
}

func TestRequestUsageErrors(t *testing.T) {
	s := newSim(t)
	before := s.srv.Stats().Requests
	missing := filepath.Join(s.dir, "missing.json")
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no endpoint", []string{"request"}, exitUsage, "missing ENDPOINT"},
		{"two endpoints", []string{"request", "whoami", "list_users"}, exitUsage, "want one ENDPOINT"},
		{"unknown endpoint", []string{"request", "create_walet"}, exitUsage, "close names: create_wallet"},
		{"unknown endpoint far from all", []string{"request", "zzzzzzzzzzzz"}, exitUsage, "turnkey request --list"},
		{"bad JSON", []string{"request", "list_users", "--body", "{"}, exitUsage, "not a JSON object"},
		{"array body", []string{"request", "list_users", "--body", "[]"}, exitUsage, "not a JSON object"},
		{"null body", []string{"request", "create_wallet", "--body", "null"}, exitUsage, "not a JSON object"},
		{"whole activity body", []string{"request", "create_wallet", "--body", `{"type":"ACTIVITY_TYPE_CREATE_WALLET","parameters":{}}`}, exitUsage, "pass only its parameters"},
		{"unknown flag", []string{"request", "whoami", "--frob"}, exitUsage, "flag provided but not defined"},
		{"bad base URL", []string{"request", "whoami", "--base-url", "localhost:8080"}, exitUsage, "not an absolute http(s) URL"},
		{"missing body file", []string{"request", "list_users", "--body", "@" + missing}, exitLocal, "reading the body"},
		{"missing key", []string{"request", "list_users", "--key-name", "nope"}, exitLocal, `no API key "nope"`},
		{"list with endpoint", []string{"request", "--list", "whoami"}, exitUsage, "--list takes no ENDPOINT"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// The case's own flags come last, so that they win.
			args := append([]string{tc.args[0]}, s.conn("root")...)
			args = append(args, tc.args[1:]...)
			r := runCLI(t, "", args...)
			wantCode(t, r, tc.code)
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty:\n%s", r.stdout)
			}
		})
	}
	t.Run("no organization", func(t *testing.T) {
		for _, args := range [][]string{
			{"whoami"}, {"request", "list_users"}, {"request", "create_wallet", "--body", walletParams("x")},
		} {
			r := runCLI(t, "", append(args, "--base-url", s.srv.URL, "--key-name", "root", "--keys-dir", s.dir)...)
			wantCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, "no organization") {
				t.Errorf("%v: stderr:\n%s", args, r.stderr)
			}
		}
	})
	if got := s.srv.Stats().Requests; got != before {
		t.Errorf("usage errors sent %d requests", got-before)
	}
}

func TestRequestList(t *testing.T) {
	clearEnv(t)
	r := runCLI(t, "", "request", "--list")
	wantCode(t, r, 0)
	for _, want := range []string{"whoami", "create_wallet", "ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7"} {
		if !strings.Contains(r.stdout, want) {
			t.Errorf("--list lacks %q", want)
		}
	}
}

func TestRequestConsensusNeeded(t *testing.T) {
	s := newSim(t, turnkeytest.WithRootQuorum(2, 1))
	r := s.run(t, "request", "create_wallet", "--body", walletParams("needs-two"))
	wantCode(t, r, exitAPI)
	var act activityJSON
	decode(t, r, &act) // the activity is printed, for its fingerprint
	if act.Status != "ACTIVITY_STATUS_CONSENSUS_NEEDED" || act.Fingerprint == "" {
		t.Fatalf("activity %s, fingerprint %q", act.Status, act.Fingerprint)
	}
	if !strings.Contains(r.stderr, act.Fingerprint) || !strings.Contains(r.stderr, "turnkey request approve_activity") {
		t.Errorf("stderr does not say how to approve:\n%s", r.stderr)
	}

	// The second root user approves, as the hint says.
	r = runCLI(t, "", append([]string{"request", "approve_activity", "--body", `{"fingerprint":"` + act.Fingerprint + `"}`}, s.conn("root-2")...)...)
	wantCode(t, r, 0)
	r = s.run(t, "request", "get_activity", "--body", `{"activityId":"`+act.ID+`"}`)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, "ACTIVITY_STATUS_COMPLETED") {
		t.Errorf("the approved activity:\n%s", r.stdout)
	}
}

// syncBuffer is a bytes.Buffer safe for one writer and concurrent readers.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

// startLocal runs "turnkey local args..." in-process until the returned stop
// is called; it returns the command's output once it serves.
func startLocal(t *testing.T, args ...string) (out string, stop func() result) {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var stdout, stderr syncBuffer
	done := make(chan int, 1)
	go func() {
		done <- runContext(ctx, append([]string{"local"}, args...), strings.NewReader(""), &stdout, &stderr)
	}()
	stop = func() result {
		cancel()
		select {
		case code := <-done:
			return result{code, stdout.String(), stderr.String()}
		case <-time.After(30 * time.Second):
			t.Fatal("turnkey local did not stop")
		}
		return result{}
	}
	deadline := time.After(30 * time.Second)
	for !strings.Contains(stdout.String(), "Serving until interrupted") {
		select {
		case code := <-done:
			cancel()
			t.Fatalf("turnkey local exited with %d\nstdout:\n%s\nstderr:\n%s", code, stdout.String(), stderr.String())
		case <-deadline:
			stop()
			t.Fatal("turnkey local did not start")
		case <-time.After(10 * time.Millisecond):
		}
	}
	return stdout.String(), stop
}

// field returns the first submatch of re in s.
func field(t *testing.T, s, re string) string {
	t.Helper()
	m := regexp.MustCompile(re).FindStringSubmatch(s)
	if m == nil {
		t.Fatalf("output lacks %s:\n%s", re, s)
	}
	return m[1]
}

func TestLocal(t *testing.T) {
	clearEnv(t)
	out, stop := startLocal(t)
	url := field(t, out, `export TURNKEY_BASE_URL=(http://127\.0\.0\.1:\d+)\n`)
	org := field(t, out, `export TURNKEY_ORGANIZATION_ID=(\S+)\n`)
	dir := field(t, out, `keys dir: +(\S+)\n`)
	field(t, out, `root user ID: +(\S+) `)
	if !strings.Contains(out, "Turnkey simulator listening on "+url) || !strings.Contains(out, "API key name:     local ") {
		t.Errorf("output:\n%s", out)
	}
	if def, err := stamp.DefaultKeysDir(); err == nil && filepath.Clean(dir) == filepath.Clean(def) {
		t.Fatalf("local wrote to the default keys dir %s", def)
	}

	// The printed example command works as printed.
	example := field(t, out, `\n  turnkey (whoami [^\n]+)\n`)
	r := runCLI(t, "", strings.Fields(example)...)
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, org) {
		t.Errorf("whoami:\n%s", r.stdout)
	}
	// So do the environment lines, with the key file.
	t.Setenv("TURNKEY_BASE_URL", url)
	t.Setenv("TURNKEY_ORGANIZATION_ID", org)
	wantCode(t, runCLI(t, "", "request", "create_wallet", "--body", walletParams("w"), "--key-name", "local", "--keys-dir", dir), 0)

	r = stop()
	wantCode(t, r, 0)
	if !strings.HasSuffix(r.stdout, "Simulator stopped.\n") {
		t.Errorf("output at stop:\n%s", r.stdout)
	}
	if _, err := os.Stat(dir); !os.IsNotExist(err) {
		t.Errorf("the temporary keys dir %s is still there (%v)", dir, err)
	}
}

func TestLocalKeysDirAndDelay(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	out, stop := startLocal(t, "--keys-dir", dir, "--key-name", "sim", "--activity-delay", "50ms", "--addr", "127.0.0.1:0")
	if got := field(t, out, `keys dir: +(\S+)\n`); got != dir {
		t.Errorf("keys dir %s, want %s", got, dir)
	}
	key, err := stamp.LoadKeyFile(dir, "sim")
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(out, key.PublicKey()) {
		t.Errorf("output does not show the public key %s", key.PublicKey())
	}
	url := field(t, out, `export TURNKEY_BASE_URL=(\S+)\n`)
	org := field(t, out, `export TURNKEY_ORGANIZATION_ID=(\S+)\n`)
	r := runCLI(t, "", "request", "create_wallet", "--body", walletParams("slow"),
		"--base-url", url, "--organization", org, "--key-name", "sim", "--keys-dir", dir)
	wantCode(t, r, 0)

	// Another simulator cannot save its key over this one's.
	r = runCLI(t, "", "local", "--keys-dir", dir, "--key-name", "sim")
	wantCode(t, r, exitLocal)
	if !strings.Contains(r.stderr, "already exists") {
		t.Errorf("stderr:\n%s", r.stderr)
	}

	wantCode(t, stop(), 0)
	if _, err := os.Stat(filepath.Join(dir, "sim.private")); !os.IsNotExist(err) {
		t.Errorf("sim.private was left behind (%v)", err)
	}
	if _, err := os.Stat(dir); err != nil {
		t.Errorf("the given keys dir was removed: %v", err)
	}
}

func TestLocalUsageErrors(t *testing.T) {
	clearEnv(t)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"--addr", "0.0.0.0:0"}, "loopback"},
		{[]string{"--addr", "localhost"}, "host:port"},
		{[]string{"--activity-delay", "-1s"}, "must not be negative"},
		{[]string{"--activity-delay", "soon"}, "invalid value"},
		{[]string{"extra"}, "unexpected argument"},
	} {
		r := runCLI(t, "", append([]string{"local"}, tc.args...)...)
		wantCode(t, r, exitUsage)
		if !strings.Contains(r.stderr, tc.want) {
			t.Errorf("%v: stderr lacks %q:\n%s", tc.args, tc.want, r.stderr)
		}
	}
}
