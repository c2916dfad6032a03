package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strings"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

	"github.com/turnkey-go/turnkey/gen"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// TestQuickstartOffline runs the quickstart as "go run ./examples/quickstart"
// does with no environment: against the in-process simulator.
func TestQuickstartOffline(t *testing.T) {
	for _, v := range []string{"TURNKEY_API_PRIVATE_KEY", "TURNKEY_API_PUBLIC_KEY", "TURNKEY_API_KEY_CURVE", "TURNKEY_ORGANIZATION_ID", "TURNKEY_BASE_URL"} {
		t.Setenv(v, "")
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, nil); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	for _, want := range []string{
		"Mode: offline",
		"1. whoami: user",
		"2. created wallet",
		"Ethereum account m/44'/60'/0'/0/0: 0x",
		"3. the account's public key: 0",
		"4. signed sha256(",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("output lacks %q:\n%s", want, got)
		}
	}
	lines := strings.Split(strings.TrimSpace(got), "\n")
	if last := lines[len(lines)-1]; !strings.HasPrefix(last, "5. signature verified") {
		t.Errorf("last line %q, want the signature verified", last)
	}
}

// liveEnv points the live environment variables at a simulator standing in
// for the real API, and returns it.
func liveEnv(t *testing.T) *turnkeytest.Server {
	t.Helper()
	srv, err := turnkeytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(srv.Close)
	root := srv.Root()
	t.Setenv("TURNKEY_API_PRIVATE_KEY", root.APIKey.PrivateKeyHex())
	t.Setenv("TURNKEY_API_PUBLIC_KEY", root.APIKey.PublicKey())
	t.Setenv("TURNKEY_API_KEY_CURVE", string(root.APIKey.Curve()))
	t.Setenv("TURNKEY_ORGANIZATION_ID", root.OrganizationID)
	t.Setenv("TURNKEY_BASE_URL", srv.URL)
	return srv
}

// TestQuickstartOfflineDespiteLiveEnv: with the live environment set but no
// --live, the quickstart still runs offline and sends nothing to the API
// the environment names.
func TestQuickstartOfflineDespiteLiveEnv(t *testing.T) {
	live := liveEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, nil); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	if !strings.HasPrefix(got, "Mode: offline") || !strings.Contains(got, "nothing goes to the real API without --live") ||
		!strings.Contains(got, "signature verified") {
		t.Errorf("output:\n%s", got)
	}
	if n := live.Stats().Requests; n != 0 {
		t.Errorf("the API of the environment got %d requests without --live", n)
	}
}

// TestQuickstartLiveNeedsEnv: --live without the key and organization is an
// error, not a silent offline run.
func TestQuickstartLiveNeedsEnv(t *testing.T) {
	for _, v := range []string{"TURNKEY_API_PRIVATE_KEY", "TURNKEY_API_PUBLIC_KEY", "TURNKEY_API_KEY_CURVE", "TURNKEY_BASE_URL"} {
		t.Setenv(v, "")
	}
	t.Setenv("TURNKEY_ORGANIZATION_ID", "some-org")
	var out bytes.Buffer
	err := run(context.Background(), &out, []string{"--live"})
	if err == nil || !strings.Contains(err.Error(), "--live needs TURNKEY_API_PRIVATE_KEY and TURNKEY_ORGANIZATION_ID") {
		t.Fatalf("run = %v, want an error asking for both variables", err)
	}
	if err := run(context.Background(), &out, []string{"--bogus"}); err == nil || !strings.Contains(err.Error(), "usage:") {
		t.Fatalf("run --bogus = %v, want a usage error", err)
	}
}

// TestQuickstartLiveMode runs the --live path, with the environment pointed
// at a simulator instead of the real API: it says what it creates before
// creating it.
func TestQuickstartLiveMode(t *testing.T) {
	srv := liveEnv(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out, []string{"--live"}); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	got := out.String()
	if !strings.HasPrefix(got, "Mode: live, the Turnkey API at "+srv.URL) || !strings.Contains(got, "signature verified") {
		t.Errorf("output:\n%s", got)
	}
	announce, step := strings.Index(got, "This run creates, in that organization: a wallet"), strings.Index(got, "2. created wallet")
	if announce < 0 || step < announce {
		t.Errorf("the output does not say what it creates before creating it:\n%s", got)
	}
	if srv.Stats().ActivitiesCreated == 0 {
		t.Error("--live created nothing in the API of the environment")
	}
}

// TestVerifyRejectsBadSignatures makes sure the local check can fail.
func TestVerifyRejectsBadSignatures(t *testing.T) {
	key, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	other, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	digest := sha256.Sum256([]byte("payload"))
	compact := ecdsa.SignCompact(key, digest[:], true) // 27+4+recid || r || s
	sig := &gen.SignRawPayloadOutcome{
		R: hex.EncodeToString(compact[1:33]),
		S: hex.EncodeToString(compact[33:]),
		V: hex.EncodeToString([]byte{compact[0] - 31}),
	}
	if err := verify(digest[:], sig, key.PubKey()); err != nil {
		t.Fatalf("a good signature: %v", err)
	}
	if err := verify(digest[:], sig, other.PubKey()); err == nil {
		t.Error("verified under another key")
	}
	wrong := sha256.Sum256([]byte("other payload"))
	if err := verify(wrong[:], sig, key.PubKey()); err == nil {
		t.Error("verified for another digest")
	}
	flipped := *sig
	flipped.V = hex.EncodeToString([]byte{(compact[0] - 31) ^ 1})
	if err := verify(digest[:], &flipped, key.PubKey()); err == nil {
		t.Error("verified with the wrong recovery id")
	}
}
