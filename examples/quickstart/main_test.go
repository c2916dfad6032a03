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
	if err := run(ctx, &out); err != nil {
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

// TestQuickstartHalfConfigured refuses to guess when only one of the two
// variables that select the real API is set.
func TestQuickstartHalfConfigured(t *testing.T) {
	for _, v := range []string{"TURNKEY_API_PRIVATE_KEY", "TURNKEY_API_PUBLIC_KEY", "TURNKEY_API_KEY_CURVE", "TURNKEY_BASE_URL"} {
		t.Setenv(v, "")
	}
	t.Setenv("TURNKEY_ORGANIZATION_ID", "some-org")
	var out bytes.Buffer
	err := run(context.Background(), &out)
	if err == nil || !strings.Contains(err.Error(), "set both") {
		t.Fatalf("run = %v, want an error asking for both variables", err)
	}
}

// TestQuickstartLiveMode runs the environment-configured path, pointed at a
// simulator instead of the real API.
func TestQuickstartLiveMode(t *testing.T) {
	srv, err := turnkeytest.NewServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	root := srv.Root()
	t.Setenv("TURNKEY_API_PRIVATE_KEY", root.APIKey.PrivateKeyHex())
	t.Setenv("TURNKEY_API_PUBLIC_KEY", root.APIKey.PublicKey())
	t.Setenv("TURNKEY_API_KEY_CURVE", string(root.APIKey.Curve()))
	t.Setenv("TURNKEY_ORGANIZATION_ID", root.OrganizationID)
	t.Setenv("TURNKEY_BASE_URL", srv.URL)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	if err := run(ctx, &out); err != nil {
		t.Fatalf("run: %v\noutput:\n%s", err, out.String())
	}
	if got := out.String(); !strings.HasPrefix(got, "Mode: live, the Turnkey API at "+srv.URL) || !strings.Contains(got, "signature verified") {
		t.Errorf("output:\n%s", got)
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
