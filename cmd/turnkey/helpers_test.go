package main

import (
	"bytes"
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"io"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// result is what one in-process run of the command produced.
type result struct {
	code           int
	stdout, stderr string
}

// clearEnv unsets the variables the command reads, so that the developer's
// environment cannot leak into a test, and points the home and config
// directories at a temporary one, so that a test can never touch the real
// Turnkey CLI keys dir.
func clearEnv(t *testing.T) {
	t.Helper()
	for _, v := range []string{
		"TURNKEY_API_PRIVATE_KEY", "TURNKEY_API_PUBLIC_KEY", "TURNKEY_API_KEY_CURVE",
		"TURNKEY_ORGANIZATION_ID", "TURNKEY_BASE_URL",
	} {
		t.Setenv(v, "")
	}
	home := t.TempDir()
	t.Setenv("HOME", home)
	t.Setenv("XDG_CONFIG_HOME", filepath.Join(home, ".config"))
}

// runCLI runs the command in-process with stdin and args.
func runCLI(t *testing.T, stdin string, args ...string) result {
	t.Helper()
	return runCLIBytes(t, []byte(stdin), args...)
}

func runCLIBytes(t *testing.T, stdin []byte, args ...string) result {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	var out, errOut bytes.Buffer
	code := runContext(ctx, args, bytes.NewReader(stdin), &out, &errOut)
	return result{code, out.String(), errOut.String()}
}

// wantCode fails the test unless r exited with code.
func wantCode(t *testing.T, r result, code int) {
	t.Helper()
	if r.code != code {
		t.Fatalf("exit code %d, want %d\nstdout:\n%s\nstderr:\n%s", r.code, code, r.stdout, r.stderr)
	}
}

// verifyStampIndependently checks an X-Stamp value against body the way the
// Turnkey API documents it, without package stamp: unpadded base64url of the
// JSON object {publicKey, scheme, signature}; for P-256 and secp256k1 an
// ECDSA ASN.1 DER signature over SHA-256 of the body by the 33-byte
// compressed public key; for Ed25519 a signature of the body itself by the
// 32-byte key. It returns the public key's hex and the scheme.
func verifyStampIndependently(t *testing.T, body []byte, value string) (publicKey, scheme string) {
	t.Helper()
	if strings.ContainsAny(value, "=+/ \n") {
		t.Fatalf("stamp %q is not unpadded base64url on one line", value)
	}
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		t.Fatalf("stamp is not unpadded base64url: %v", err)
	}
	var st struct {
		PublicKey string `json:"publicKey"`
		Scheme    string `json:"scheme"`
		Signature string `json:"signature"`
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&st); err != nil {
		t.Fatalf("stamp JSON %s: %v", raw, err)
	}
	if _, err := dec.Token(); err != io.EOF {
		t.Fatalf("stamp JSON %s has trailing data", raw)
	}
	pub, err := hex.DecodeString(st.PublicKey)
	if err != nil {
		t.Fatalf("publicKey %q is not hex", st.PublicKey)
	}
	sig, err := hex.DecodeString(st.Signature)
	if err != nil {
		t.Fatalf("signature %q is not hex", st.Signature)
	}
	if st.Scheme == "SIGNATURE_SCHEME_TK_API_ED25519" {
		// Pure Ed25519 over the body itself.
		if len(pub) != ed25519.PublicKeySize || !ed25519.Verify(pub, body, sig) {
			t.Fatalf("Ed25519 signature does not verify over the %d-byte body", len(body))
		}
		return st.PublicKey, st.Scheme
	}
	if len(pub) != 33 || (pub[0] != 2 && pub[0] != 3) {
		t.Fatalf("publicKey %q is not a 33-byte compressed point in hex", st.PublicKey)
	}
	digest := sha256.Sum256(body)
	switch st.Scheme {
	case "SIGNATURE_SCHEME_TK_API_P256":
		x, y := elliptic.UnmarshalCompressed(elliptic.P256(), pub)
		if x == nil {
			t.Fatalf("publicKey %s is not on P-256", st.PublicKey)
		}
		uncompressed := make([]byte, 65)
		uncompressed[0] = 4
		x.FillBytes(uncompressed[1:33])
		y.FillBytes(uncompressed[33:])
		pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), uncompressed)
		if err != nil {
			t.Fatal(err)
		}
		if !ecdsa.VerifyASN1(pk, digest[:], sig) {
			t.Fatalf("P-256 signature does not verify over SHA-256 of the %d-byte body", len(body))
		}
	case "SIGNATURE_SCHEME_TK_API_SECP256K1":
		pk, err := secp256k1.ParsePubKey(pub)
		if err != nil {
			t.Fatalf("publicKey %s is not on secp256k1: %v", st.PublicKey, err)
		}
		s, err := k1ecdsa.ParseDERSignature(sig)
		if err != nil {
			t.Fatalf("signature is not DER: %v", err)
		}
		if !s.Verify(digest[:], pk) {
			t.Fatalf("secp256k1 signature does not verify over SHA-256 of the %d-byte body", len(body))
		}
	default:
		t.Fatalf("unexpected scheme %q", st.Scheme)
	}
	return st.PublicKey, st.Scheme
}

// p256KeyHex makes a P-256 key without package stamp: the private scalar's
// hex and the compressed public key's hex.
func p256KeyHex(t *testing.T) (priv, pub string) {
	t.Helper()
	k, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	d, err := k.Bytes()
	if err != nil {
		t.Fatal(err)
	}
	u, err := k.PublicKey.Bytes() // 04 || X || Y
	if err != nil {
		t.Fatal(err)
	}
	c := append([]byte{2 | u[64]&1}, u[1:33]...)
	return hex.EncodeToString(d), hex.EncodeToString(c)
}

// secp256k1KeyHex makes a secp256k1 key without package stamp.
func secp256k1KeyHex(t *testing.T) (priv, pub string) {
	t.Helper()
	k, err := secp256k1.GeneratePrivateKey()
	if err != nil {
		t.Fatal(err)
	}
	return hex.EncodeToString(k.Serialize()), hex.EncodeToString(k.PubKey().SerializeCompressed())
}

// newTestFlagSet returns c's flag set, its output discarded.
func newTestFlagSet(c *command) *flag.FlagSet {
	fs := flag.NewFlagSet(c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c.setup(fs)
	return fs
}
