package stamp_test

import (
	"context"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/stamp"
)

// The stamping kit for other languages: testdata/vectors/stamps.json (described
// in docs/stamping.md) holds keys, bodies and stamps. This test holds our
// stamper to it; -update-vectors rewrites the file from the fixed seeds below.
var updateVectors = flag.Bool("update-vectors", false, "rewrite testdata/vectors from their fixed seeds")

const vectorsDir = "../testdata/vectors"

type vectorKey struct {
	Name       string `json:"name"`
	Curve      string `json:"curve"`
	PrivateKey string `json:"privateKey"`
	PublicKey  string `json:"publicKey"`
	Scheme     string `json:"scheme"`
}

type validVector struct {
	Name string `json:"name"`
	Key  string `json:"key"`
	// Body is the request body as a string; BodyHex is the same bytes in hex.
	Body    string `json:"body"`
	BodyHex string `json:"bodyHex"`
	// SHA256 is the hex SHA-256 of the body, the digest ECDSA signs.
	SHA256 string `json:"sha256"`
	// Deterministic vectors must be reproduced byte for byte (Ed25519, and
	// secp256k1 with RFC 6979 nonces); the others must verify.
	Deterministic bool `json:"deterministic"`
	// StampJSON is the decoded stamp; Stamp the X-Stamp value.
	StampJSON string `json:"stampJson"`
	Stamp     string `json:"stamp"`
}

type invalidVector struct {
	Name   string `json:"name"`
	Body   string `json:"body"`
	Stamp  string `json:"stamp"`
	Reason string `json:"reason"`
	// Error is the stamp package's sentinel (ErrInvalidStamp, ErrUnknownScheme,
	// ErrBadSignature); Field the part of the stamp at fault.
	Error string `json:"error"`
	Field string `json:"field"`
}

type vectorFile struct {
	Comment string          `json:"comment"`
	Keys    []vectorKey     `json:"keys"`
	Valid   []validVector   `json:"valid"`
	Invalid []invalidVector `json:"invalid"`
}

var sentinels = map[string]error{
	"ErrInvalidStamp":  stamp.ErrInvalidStamp,
	"ErrUnknownScheme": stamp.ErrUnknownScheme,
	"ErrBadSignature":  stamp.ErrBadSignature,
}

func TestStampVectors(t *testing.T) {
	if *updateVectors {
		writeVectors(t)
	}
	raw, err := os.ReadFile(filepath.Join(vectorsDir, "stamps.json"))
	require.NoError(t, err)
	var vf vectorFile
	require.NoError(t, json.Unmarshal(raw, &vf))
	require.NotEmpty(t, vf.Valid)
	require.NotEmpty(t, vf.Invalid)

	keys := map[string]*stamp.APIKey{}
	for _, k := range vf.Keys {
		key, err := stamp.ParseAPIKey(stamp.Curve(k.Curve), k.PrivateKey)
		require.NoError(t, err, k.Name)
		assert.Equal(t, k.PublicKey, key.PublicKey(), k.Name)
		assert.Equal(t, k.Scheme, string(key.Scheme()), k.Name)
		// The key files in keys/ are the same keys, in the Turnkey CLI's format.
		fromFile, err := stamp.LoadKeyFile(filepath.Join(vectorsDir, "keys"), k.Name)
		require.NoError(t, err, k.Name)
		assert.Equal(t, k.PublicKey, fromFile.PublicKey(), k.Name)
		keys[k.Name] = key
	}

	deterministic := 0
	for _, v := range vf.Valid {
		t.Run("valid/"+v.Name, func(t *testing.T) {
			key := keys[v.Key]
			require.NotNil(t, key)
			body := []byte(v.Body)
			assert.Equal(t, v.BodyHex, hex.EncodeToString(body))
			sum := sha256.Sum256(body)
			assert.Equal(t, v.SHA256, hex.EncodeToString(sum[:]))
			dec, err := base64.RawURLEncoding.DecodeString(v.Stamp)
			require.NoError(t, err)
			assert.Equal(t, v.StampJSON, string(dec))

			got, err := stamp.Verify(body, v.Stamp)
			require.NoError(t, err)
			assert.Equal(t, key.PublicKey(), got.PublicKey)

			_, ours, err := key.Stamp(context.Background(), body)
			require.NoError(t, err)
			if v.Deterministic {
				assert.Equal(t, v.Stamp, ours, "our stamper reproduces the vector byte for byte")
			} else {
				_, err := stamp.Verify(body, ours)
				assert.NoError(t, err)
			}
		})
		if v.Deterministic {
			deterministic++
		}
	}
	assert.Positive(t, deterministic)

	for _, v := range vf.Invalid {
		t.Run("invalid/"+v.Name, func(t *testing.T) {
			want, ok := sentinels[v.Error]
			require.True(t, ok, "unknown error %q", v.Error)
			require.NotEmpty(t, v.Reason)
			_, err := stamp.Verify([]byte(v.Body), v.Stamp)
			require.Error(t, err)
			assert.ErrorIs(t, err, want, v.Reason)
			var se *stamp.Error
			require.ErrorAs(t, err, &se)
			assert.Equal(t, v.Field, se.Field, "%s: %v", v.Reason, err)
		})
	}
}

// seedHex derives a private key from a label: the vectors are ours, made from
// fixed seeds, not taken from anywhere.
func seedHex(label string) string {
	s := sha256.Sum256([]byte("turnkey-go stamp vectors: " + label))
	return hex.EncodeToString(s[:])
}

func stampJSON(pub, scheme, sigHex string) string {
	return `{"publicKey":"` + pub + `","scheme":"` + scheme + `","signature":"` + sigHex + `"}`
}

func enc(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }

func writeVectors(t *testing.T) {
	t.Helper()
	ctx := context.Background()
	type kdef struct {
		name  string
		curve stamp.Curve
	}
	defs := []kdef{{"ed25519-a", stamp.CurveEd25519}, {"secp256k1-a", stamp.CurveSecp256k1}, {"p256-a", stamp.CurveP256}, {"p256-b", stamp.CurveP256}}
	vf := vectorFile{Comment: "Stamp test vectors of turnkey-go, made by stamp/vectors_test.go -update-vectors from fixed seeds; see docs/stamping.md."}
	keys := map[string]*stamp.APIKey{}
	keyDir := filepath.Join(vectorsDir, "keys")
	require.NoError(t, os.RemoveAll(keyDir))
	for _, d := range defs {
		k, err := stamp.ParseAPIKey(d.curve, seedHex(d.name))
		require.NoError(t, err)
		keys[d.name] = k
		vf.Keys = append(vf.Keys, vectorKey{d.name, string(d.curve), k.PrivateKeyHex(), k.PublicKey(), string(k.Scheme())})
		require.NoError(t, stamp.SaveKeyFile(keyDir, d.name, k))
	}
	bodies := []struct{ name, body string }{
		{"whoami", `{"organizationId":"f3c7a1e2-5b6d-4c8e-9a0f-1b2c3d4e5f60"}`},
		{"create-wallet", `{"type":"ACTIVITY_TYPE_CREATE_WALLET","timestampMs":"1767225600000","organizationId":"f3c7a1e2-5b6d-4c8e-9a0f-1b2c3d4e5f60","parameters":{"walletName":"Wallet ü","accounts":[]}}`},
		{"trailing-newline", "{\"organizationId\":\"f3c7a1e2-5b6d-4c8e-9a0f-1b2c3d4e5f60\"}\n"},
		{"empty", ""},
	}
	for _, d := range defs[:3] {
		k := keys[d.name]
		for _, b := range bodies {
			_, value, err := k.Stamp(ctx, []byte(b.body))
			require.NoError(t, err)
			dec, _ := base64.RawURLEncoding.DecodeString(value)
			sum := sha256.Sum256([]byte(b.body))
			vf.Valid = append(vf.Valid, validVector{
				Name: d.name + "/" + b.name, Key: d.name, Body: b.body, BodyHex: hex.EncodeToString([]byte(b.body)),
				SHA256: hex.EncodeToString(sum[:]), Deterministic: d.curve != stamp.CurveP256,
				StampJSON: string(dec), Stamp: value,
			})
		}
	}
	body := bodies[0].body
	parts := func(name string) (pub, scheme, sig string) {
		_, value, err := keys[name].Stamp(ctx, []byte(body))
		require.NoError(t, err)
		p, err := stamp.ParseStamp(value)
		require.NoError(t, err)
		return p.PublicKey, string(p.Scheme), p.Signature
	}
	pubE, schE, sigE := parts("ed25519-a")
	pubP, schP, sigP := parts("p256-a")
	pubPB, _, _ := parts("p256-b")
	pubK, schK, _ := parts("secp256k1-a")
	good := stampJSON(pubP, schP, sigP)
	der, _ := hex.DecodeString(sigP)
	// DER → raw r||s, 32 bytes each.
	rLen := int(der[3])
	r := der[4 : 4+rLen]
	s := der[4+rLen+2:]
	pad := func(b []byte) []byte {
		b = []byte(strings.TrimPrefix(string(b), "\x00"))
		return append(make([]byte, 32-len(b)), b...)
	}
	rawSig := hex.EncodeToString(append(pad(r), pad(s)...))
	x, y := uncompressed(t, pubP)
	inv := func(name, b, st, reason, e, field string) {
		vf.Invalid = append(vf.Invalid, invalidVector{name, b, st, reason, e, field})
	}
	inv("padded-base64", body, base64.URLEncoding.EncodeToString([]byte(good+"  ")), "base64url WITH '=' padding: stamps are unpadded", "ErrInvalidStamp", "stamp")
	inv("line-break", body, enc(good)[:40]+"\n"+enc(good)[40:], "a line break inside the value", "ErrInvalidStamp", "stamp")
	inv("not-json", body, enc("publicKey="+pubP), "the decoded value is not a JSON object", "ErrInvalidStamp", "stamp")
	inv("extra-field", body, enc(`{"publicKey":"`+pubP+`","scheme":"`+schP+`","signature":"`+sigP+`","timestamp":"1"}`), "a field other than publicKey, scheme and signature", "ErrInvalidStamp", "stamp")
	inv("missing-signature", body, enc(`{"publicKey":"`+pubP+`","scheme":"`+schP+`"}`), "no signature field", "ErrInvalidStamp", "signature")
	inv("unknown-scheme", body, enc(stampJSON(pubP, "SIGNATURE_SCHEME_TK_API_RSA", sigP)), "a scheme that is not one of the three API key schemes", "ErrUnknownScheme", "scheme")
	inv("signature-not-hex", body, enc(stampJSON(pubP, schP, "zz"+sigP[2:])), "the signature is not hexadecimal", "ErrInvalidStamp", "signature")
	inv("p256-raw-signature", body, enc(stampJSON(pubP, schP, rawSig)), "a P-256 signature as raw r||s (64 bytes) instead of ASN.1 DER", "ErrInvalidStamp", "signature")
	inv("p256-uncompressed-public-key", body, enc(stampJSON("04"+x+y, schP, sigP)), "the public key as an uncompressed point (65 bytes); stamps carry the 33-byte compressed point", "ErrInvalidStamp", "publicKey")
	inv("p256-other-key", body, enc(stampJSON(pubPB, schP, sigP)), "a valid signature, but by another key than publicKey", "ErrBadSignature", "signature")
	inv("p256-body-changed", body+" ", enc(good), "the body differs from the signed bytes by one trailing space", "ErrBadSignature", "signature")
	inv("p256-body-reencoded", `{"organizationId": "f3c7a1e2-5b6d-4c8e-9a0f-1b2c3d4e5f60"}`, enc(good), "the same JSON re-serialized with a space: the stamp covers bytes, not JSON values", "ErrBadSignature", "signature")
	inv("ed25519-body-changed", body+"\n", enc(stampJSON(pubE, schE, sigE)), "the body gained a trailing newline after stamping", "ErrBadSignature", "signature")
	inv("ed25519-scheme-on-p256-key", body, enc(stampJSON(pubP, schE, sigP)), "the Ed25519 scheme with a P-256 key (33 bytes, not 32)", "ErrInvalidStamp", "publicKey")
	inv("secp256k1-signature-of-sha256-twice", body, enc(stampJSON(pubK, schK, doubleHashSig(t, keys["secp256k1-a"], []byte(body)))), "a signature of the body hashed twice (a secp256k1 signer that hashes the digest again)", "ErrBadSignature", "signature")
	out, err := json.MarshalIndent(vf, "", "  ")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(vectorsDir, "stamps.json"), append(out, '\n'), 0o644))
}

func uncompressed(t *testing.T, pubHex string) (x, y string) {
	t.Helper()
	b, err := hex.DecodeString(pubHex)
	require.NoError(t, err)
	px, py := elliptic.UnmarshalCompressed(elliptic.P256(), b)
	require.NotNil(t, px)
	var xb, yb [32]byte
	return hex.EncodeToString(px.FillBytes(xb[:])), hex.EncodeToString(py.FillBytes(yb[:]))
}

// doubleHashSig signs SHA-256(SHA-256(body)): the mistake of a signer that
// hashes a digest again.
func doubleHashSig(t *testing.T, k *stamp.APIKey, body []byte) string {
	t.Helper()
	b, err := hex.DecodeString(k.PrivateKeyHex())
	require.NoError(t, err)
	priv := secp256k1.PrivKeyFromBytes(b)
	h1 := sha256.Sum256(body)
	h2 := sha256.Sum256(h1[:])
	return hex.EncodeToString(k1ecdsa.Sign(priv, h2[:]).Serialize())
}
