package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"
)

// turnkey stamp verify accepts every valid vector of testdata/vectors and
// refuses every invalid one, exit 1, naming what is wrong.
func TestStampVerifyVectors(t *testing.T) {
	clearEnv(t)
	raw, err := os.ReadFile("../../testdata/vectors/stamps.json")
	if err != nil {
		t.Fatal(err)
	}
	var vf struct {
		Valid []struct {
			Name, Key, Body, Stamp string
		}
		Keys []struct {
			Name, PublicKey string
		}
		Invalid []struct {
			Name, Body, Stamp, Field string
		}
	}
	if err := json.Unmarshal(raw, &vf); err != nil {
		t.Fatal(err)
	}
	pub := map[string]string{}
	for _, k := range vf.Keys {
		pub[k.Name] = k.PublicKey
	}
	for _, v := range vf.Valid {
		r := runCLI(t, v.Body, "stamp", "verify", "--stamp", v.Stamp)
		wantCode(t, r, exitOK)
		if !strings.HasPrefix(r.stdout, "ok: SIGNATURE_SCHEME_TK_API_") || !strings.Contains(r.stdout, pub[v.Key]) {
			t.Errorf("%s: stdout %q", v.Name, r.stdout)
		}
	}
	for _, v := range vf.Invalid {
		r := runCLI(t, v.Body, "stamp", "verify", "--stamp", v.Stamp)
		wantCode(t, r, exitAPI)
		if !strings.Contains(r.stderr, "does not verify") || !strings.Contains(r.stderr, v.Field) {
			t.Errorf("%s: stderr %q does not name %s", v.Name, r.stderr, v.Field)
		}
	}
}

func TestStampVerifyUsage(t *testing.T) {
	clearEnv(t)
	wantCode(t, runCLI(t, "{}", "stamp", "verify"), exitUsage)
	wantCode(t, runCLI(t, "{}", "stamp", "verify", "extra", "--stamp", "x"), exitUsage)
	wantCode(t, runCLI(t, "{}", "stamp", "--stamp", "x"), exitUsage)
}
