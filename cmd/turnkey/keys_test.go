package main

import (
	"bytes"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"github.com/turnkey-go/turnkey/stamp"
)

func TestKeygenWritesLoadableKeyFiles(t *testing.T) {
	clearEnv(t)
	for _, curve := range []string{"p256", "secp256k1", "ed25519"} {
		t.Run(curve, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "keys") // created by keygen
			r := runCLI(t, "", "keygen", "--key-name", "k", "--curve", curve, "--keys-dir", dir)
			wantCode(t, r, 0)

			key, err := stamp.LoadKeyFile(dir, "k")
			if err != nil {
				t.Fatalf("stamp.LoadKeyFile: %v", err)
			}
			if string(key.Curve()) != curve {
				t.Errorf("curve %s, want %s", key.Curve(), curve)
			}
			if !strings.Contains(r.stdout, "public key:   "+key.PublicKey()+"\n") {
				t.Errorf("stdout does not show the public key %s:\n%s", key.PublicKey(), r.stdout)
			}
			for _, f := range []string{"k.private", "k.public"} {
				if !strings.Contains(r.stdout, filepath.Join(dir, f)) {
					t.Errorf("stdout does not name %s:\n%s", f, r.stdout)
				}
			}
			priv, err := os.ReadFile(filepath.Join(dir, "k.private"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.HasSuffix(string(priv), ":"+curve) {
				t.Errorf("k.private does not end in :%s", curve)
			}
			if strings.Contains(r.stdout+r.stderr, strings.TrimSuffix(string(priv), ":"+curve)) {
				t.Error("the private key was printed")
			}
			if runtime.GOOS != "windows" {
				fi, err := os.Stat(filepath.Join(dir, "k.private"))
				if err != nil {
					t.Fatal(err)
				}
				if fi.Mode().Perm() != 0o600 {
					t.Errorf("k.private mode %v, want 0600", fi.Mode().Perm())
				}
			}

			// A second keygen of the same name refuses and changes nothing.
			r = runCLI(t, "", "keygen", "--key-name", "k", "--curve", curve, "--keys-dir", dir)
			wantCode(t, r, exitLocal)
			if !strings.Contains(r.stderr, "already exists") {
				t.Errorf("stderr does not say the key exists:\n%s", r.stderr)
			}
			again, err := os.ReadFile(filepath.Join(dir, "k.private"))
			if err != nil || !bytes.Equal(again, priv) {
				t.Fatalf("k.private changed (%v)", err)
			}
		})
	}
}

func TestKeygenUsageErrors(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	for _, tc := range []struct {
		name string
		args []string
		want string
	}{
		{"no key name", []string{"keygen", "--keys-dir", dir}, "--key-name is required"},
		{"bad curve", []string{"keygen", "--key-name", "k", "--curve", "p384", "--keys-dir", dir}, `--curve "p384"`},
		{"argument", []string{"keygen", "--key-name", "k", "--keys-dir", dir, "extra"}, `unexpected argument "extra"`},
		{"unknown flag", []string{"keygen", "--nope"}, "flag provided but not defined: -nope"},
		{"bad name", []string{"keygen", "--key-name", "../k", "--keys-dir", dir}, "invalid --key-name"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "", tc.args...)
			wantCode(t, r, exitUsage)
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty:\n%s", r.stdout)
			}
		})
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 0 {
		t.Errorf("usage errors wrote files: %v", entries)
	}
}

func TestStampVerifiesIndependently(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()

	// Key files written by keygen, and by hand as other tools write them.
	for _, curve := range []string{"p256", "secp256k1", "ed25519"} {
		wantCode(t, runCLI(t, "", "keygen", "--key-name", "gen-"+curve, "--curve", curve, "--keys-dir", dir), 0)
	}
	write := func(name, content string) {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(content), 0o600); err != nil {
			t.Fatal(err)
		}
	}
	k1Priv, k1Pub := secp256k1KeyHex(t)
	write("k1-newline.private", k1Priv+":secp256k1\n")
	write("k1-newline.public", k1Pub+"\n")
	p256Priv, p256Pub := p256KeyHex(t)
	write("p256-nosuffix.private", p256Priv) // no ":curve" means p256
	p256Priv2, p256Pub2 := p256KeyHex(t)
	write("p256-nosuffix-newline.private", p256Priv2+"\n")

	wantPub := map[string]string{
		"k1-newline":            k1Pub,
		"p256-nosuffix":         p256Pub,
		"p256-nosuffix-newline": p256Pub2,
	}
	for _, curve := range []string{"p256", "secp256k1", "ed25519"} {
		b, err := os.ReadFile(filepath.Join(dir, "gen-"+curve+".public"))
		if err != nil {
			t.Fatal(err)
		}
		wantPub["gen-"+curve] = string(b)
	}
	wantScheme := map[string]string{
		"gen-p256":              "SIGNATURE_SCHEME_TK_API_P256",
		"gen-secp256k1":         "SIGNATURE_SCHEME_TK_API_SECP256K1",
		"gen-ed25519":           "SIGNATURE_SCHEME_TK_API_ED25519",
		"k1-newline":            "SIGNATURE_SCHEME_TK_API_SECP256K1",
		"p256-nosuffix":         "SIGNATURE_SCHEME_TK_API_P256",
		"p256-nosuffix-newline": "SIGNATURE_SCHEME_TK_API_P256",
	}

	bodies := map[string][]byte{
		"json":             []byte(`{"organizationId":"org"}`),
		"trailing newline": []byte("{\"organizationId\":\"org\"}\n"),
		"crlf and spaces":  []byte("  {}\r\n\r\n"),
		"empty":            {},
		"binary":           {0, 0xff, '\n', 0x80},
	}
	for name, pub := range wantPub {
		for bname, body := range bodies {
			t.Run(name+"/"+bname, func(t *testing.T) {
				// From standard input.
				r := runCLIBytes(t, body, "stamp", "--key-name", name, "--keys-dir", dir)
				wantCode(t, r, 0)
				checkStampOutput(t, r, body, pub, wantScheme[name])

				// From --body-file, flags after the command in any order.
				f := filepath.Join(t.TempDir(), "body")
				if err := os.WriteFile(f, body, 0o600); err != nil {
					t.Fatal(err)
				}
				r = runCLI(t, "ignored", "stamp", "--body-file", f, "--keys-dir", dir, "--key-name", name)
				wantCode(t, r, 0)
				checkStampOutput(t, r, body, pub, wantScheme[name])
			})
		}
	}
}

// checkStampOutput checks that stdout is exactly one stamp line, of body, by
// the key pub, and that nothing went to stderr.
func checkStampOutput(t *testing.T, r result, body []byte, pub, scheme string) {
	t.Helper()
	if r.stderr != "" {
		t.Errorf("stderr not empty: %q", r.stderr)
	}
	value, ok := strings.CutSuffix(r.stdout, "\n")
	if !ok || strings.Contains(value, "\n") {
		t.Fatalf("stdout is not one line: %q", r.stdout)
	}
	gotPub, gotScheme := verifyStampIndependently(t, body, value)
	if gotPub != pub {
		t.Errorf("stamp public key %s, want %s", gotPub, pub)
	}
	if gotScheme != scheme {
		t.Errorf("scheme %s, want %s", gotScheme, scheme)
	}
	// The stamp must not verify for the body with its trailing newline
	// trimmed: the command signs the exact bytes.
	if trimmed := bytes.TrimRight(body, "\r\n"); len(trimmed) != len(body) {
		if _, err := stamp.Verify(trimmed, value); err == nil {
			t.Error("stamp verifies for the trimmed body too")
		}
	}
}

func TestStampKeyFromEnvironment(t *testing.T) {
	clearEnv(t)
	priv, pub := secp256k1KeyHex(t)
	t.Setenv("TURNKEY_API_PRIVATE_KEY", priv)
	t.Setenv("TURNKEY_API_KEY_CURVE", "secp256k1")
	t.Setenv("TURNKEY_API_PUBLIC_KEY", pub)
	body := []byte(`{"x":1}`)
	r := runCLIBytes(t, body, "stamp")
	wantCode(t, r, 0)
	checkStampOutput(t, r, body, pub, "SIGNATURE_SCHEME_TK_API_SECP256K1")

	// A mismatched public key is a key error.
	_, other := secp256k1KeyHex(t)
	t.Setenv("TURNKEY_API_PUBLIC_KEY", other)
	r = runCLIBytes(t, body, "stamp")
	wantCode(t, r, exitLocal)
	if strings.Contains(r.stderr, priv) {
		t.Error("the private key was printed")
	}
}

func TestStampErrors(t *testing.T) {
	clearEnv(t)
	dir := t.TempDir()
	priv, _ := secp256k1KeyHex(t)
	if err := os.WriteFile(filepath.Join(dir, "bad.private"), []byte("zz"+priv[2:]+":secp256k1"), 0o600); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "badcurve.private"), []byte(priv+":p384"), 0o600); err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"missing key", []string{"stamp", "--key-name", "nope", "--keys-dir", dir}, exitLocal, `no API key "nope"`},
		{"malformed key", []string{"stamp", "--key-name", "bad", "--keys-dir", dir}, exitLocal, "not hexadecimal"},
		{"unknown curve", []string{"stamp", "--key-name", "badcurve", "--keys-dir", dir}, exitLocal, "curve"},
		{"missing body file", []string{"stamp", "--key-name", "bad", "--keys-dir", dir, "--body-file", filepath.Join(dir, "none")}, exitLocal, ""},
		{"argument", []string{"stamp", "body.json"}, exitUsage, "unexpected argument"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCLI(t, "{}", tc.args...)
			wantCode(t, r, tc.code)
			if !strings.Contains(r.stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, r.stderr)
			}
			if r.stdout != "" {
				t.Errorf("stdout not empty: %q", r.stdout)
			}
			if strings.Contains(r.stderr, priv[2:]) {
				t.Error("stderr shows the private key")
			}
		})
	}
}

func TestTopLevelUsage(t *testing.T) {
	clearEnv(t)
	r := runCLI(t, "")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, "Exit status:") {
		t.Errorf("no usage on stderr:\n%s", r.stderr)
	}
	for _, args := range [][]string{{"-h"}, {"--help"}, {"help"}} {
		r = runCLI(t, "", args...)
		wantCode(t, r, 0)
		for _, want := range []string{"keygen", "stamp", "request", "whoami", "local", "0  success", "1  API error", "2  usage error", "3  local error"} {
			if !strings.Contains(r.stdout, want) {
				t.Errorf("%v: usage lacks %q", args, want)
			}
		}
	}
	for _, name := range []string{"keygen", "stamp", "request", "whoami", "local"} {
		r = runCLI(t, "", "help", name)
		wantCode(t, r, 0)
		if !strings.HasPrefix(r.stdout, "Usage:\n  turnkey "+name) || !strings.Contains(r.stdout, "Exit status:") {
			t.Errorf("help %s:\n%s", name, r.stdout)
		}
		r = runCLI(t, "", name, "-h")
		wantCode(t, r, 0)
		if !strings.HasPrefix(r.stdout, "Usage:\n  turnkey "+name) {
			t.Errorf("%s -h:\n%s", name, r.stdout)
		}
	}
	r = runCLI(t, "", "frobnicate")
	wantCode(t, r, exitUsage)
	if !strings.Contains(r.stderr, `unknown command "frobnicate"`) {
		t.Errorf("stderr:\n%s", r.stderr)
	}
	wantCode(t, runCLI(t, "", "help", "frobnicate"), exitUsage)
}

func TestLookupEndpoint(t *testing.T) {
	for in, want := range map[string]string{
		"whoami":                          "whoami",
		"create_wallet":                   "create_wallet",
		"create-wallet":                   "create_wallet",
		"CreateWallet":                    "create_wallet",
		"createWallet":                    "create_wallet",
		"/public/v1/submit/create_wallet": "create_wallet",
		"/public/v1/query/get_wallet":     "get_wallet",
		"SignRawPayload":                  "sign_raw_payload",
	} {
		op, err := lookupEndpoint(in)
		if err != nil || op.Name != want {
			t.Errorf("lookupEndpoint(%q) = %q, %v; want %q", in, op.Name, err, want)
		}
	}
	for in, want := range map[string]string{
		"creat_walet":  "create_wallet",
		"whoamii":      "whoami",
		"wallet":       "list_wallets",
		"sign_payload": "sign_raw_payload",
	} {
		_, err := lookupEndpoint(in)
		if err == nil || exitCode(err) != exitUsage || !strings.Contains(err.Error(), want) {
			t.Errorf("lookupEndpoint(%q) = %v; want a usage error naming %s", in, err, want)
		}
	}
}

func TestParseInterleaved(t *testing.T) {
	r := requestCommand()
	for _, tc := range []struct {
		args []string
		pos  []string
	}{
		{[]string{"whoami", "--no-wait"}, []string{"whoami"}},
		{[]string{"--no-wait", "whoami", "--body", "{}"}, []string{"whoami"}},
		{[]string{"a", "--body", "{}", "b"}, []string{"a", "b"}},
		{[]string{"--", "--no-wait"}, []string{"--no-wait"}},
		{[]string{"a", "--", "b", "--body"}, []string{"a", "b", "--body"}},
	} {
		fs := newTestFlagSet(r)
		pos, err := parseInterleaved(fs, tc.args)
		if err != nil || strings.Join(pos, " ") != strings.Join(tc.pos, " ") {
			t.Errorf("parseInterleaved(%q) = %q, %v; want %q", tc.args, pos, err, tc.pos)
		}
	}
}

func TestDefaultKeyInDefaultKeysDir(t *testing.T) {
	clearEnv(t) // HOME and XDG_CONFIG_HOME point to a temporary directory
	def, err := stamp.DefaultKeysDir()
	if err != nil {
		t.Skip("no default keys dir here:", err)
	}
	r := runCLI(t, "", "keygen", "--key-name", "default")
	wantCode(t, r, 0)
	if !strings.Contains(r.stdout, filepath.Join(def, "default.private")) {
		t.Errorf("keygen did not write to %s:\n%s", def, r.stdout)
	}
	key, err := stamp.LoadKeyFile("", "default")
	if err != nil {
		t.Fatal(err)
	}
	body := []byte("{}")
	r = runCLIBytes(t, body, "stamp") // no flags: the key file "default"
	wantCode(t, r, 0)
	checkStampOutput(t, r, body, key.PublicKey(), "SIGNATURE_SCHEME_TK_API_P256")

	// An API key in the environment wins over the default key file...
	priv, pub := secp256k1KeyHex(t)
	t.Setenv("TURNKEY_API_PRIVATE_KEY", priv)
	t.Setenv("TURNKEY_API_KEY_CURVE", "secp256k1")
	r = runCLIBytes(t, body, "stamp")
	wantCode(t, r, 0)
	checkStampOutput(t, r, body, pub, "SIGNATURE_SCHEME_TK_API_SECP256K1")
	// ...but not over an explicit --key-name.
	r = runCLIBytes(t, body, "stamp", "--key-name", "default")
	wantCode(t, r, 0)
	checkStampOutput(t, r, body, key.PublicKey(), "SIGNATURE_SCHEME_TK_API_P256")
}
