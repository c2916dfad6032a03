package stamp_test

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"

	"github.com/turnkey-go/turnkey/stamp"
)

// benchBody is the project's shared stamping fixture if it is there (beside
// the repository), else a generated request body of the same 487 bytes.
func benchBody(b *testing.B) []byte {
	if data, err := os.ReadFile("../../shared/bench-fixtures/stamp_body.json"); err == nil && len(data) > 0 {
		return data
	}
	return fallbackBody()
}

// fallbackBody is a generated 487-byte request body.
func fallbackBody() []byte {
	body := `{"type":"ACTIVITY_TYPE_SIGN_TRANSACTION_V2","timestampMs":"1767225600000",` +
		`"organizationId":"e87cb45c-05ad-489d-a890-4ea398345c24","parameters":{"signWith":` +
		`"0xaed4d57b4dcbad1d856c10b7c4b5c838e8fc4cea","type":"TRANSACTION_TYPE_ETHEREUM",` +
		`"unsignedTransaction":"`
	body += strings.Repeat("ab", (487-len(body)-3)/2) + `"}}`
	for len(body) < 487 {
		body = body[:len(body)-3] + `a"}}`
	}
	return []byte(body)
}

func benchKeys(b *testing.B) map[stamp.Curve]*stamp.APIKey {
	keys := map[stamp.Curve]*stamp.APIKey{}
	for _, c := range allCurves {
		k, err := stamp.GenerateAPIKey(c)
		if err != nil {
			b.Fatal(err)
		}
		keys[c] = k
	}
	return keys
}

// BenchmarkStamp is the whole of APIKey.Stamp: hash, sign, encode.
func BenchmarkStamp(b *testing.B) {
	body := benchBody(b)
	for c, k := range benchKeys(b) {
		b.Run(string(c), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			ctx := context.Background()
			for b.Loop() {
				if _, _, err := k.Stamp(ctx, body); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkBareCrypto is the floor for BenchmarkStamp: SHA-256 and the
// signature alone, called directly on the standard and decred libraries.
func BenchmarkBareCrypto(b *testing.B) {
	body := benchBody(b)
	keys := benchKeys(b)
	raw := func(c stamp.Curve) []byte {
		d, err := hex.DecodeString(keys[c].PrivateKeyHex())
		if err != nil {
			b.Fatal(err)
		}
		return d
	}
	p256, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw(stamp.CurveP256))
	if err != nil {
		b.Fatal(err)
	}
	k1 := secp256k1.PrivKeyFromBytes(raw(stamp.CurveSecp256k1))
	ed := ed25519.PrivateKey(raw(stamp.CurveEd25519))

	b.Run("p256", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			h := sha256.Sum256(body)
			if _, err := ecdsa.SignASN1(rand.Reader, p256, h[:]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("secp256k1", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			h := sha256.Sum256(body)
			_ = k1ecdsa.Sign(k1, h[:]).Serialize()
		}
	})
	b.Run("ed25519", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for b.Loop() {
			_ = ed25519.Sign(ed, body)
		}
	})
}

// BenchmarkVerify is what a server (the local simulator) pays per request.
func BenchmarkVerify(b *testing.B) {
	body := benchBody(b)
	for c, k := range benchKeys(b) {
		_, v, err := k.Stamp(context.Background(), body)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(string(c), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := stamp.Verify(body, v); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

func TestBenchBody(t *testing.T) {
	if n := len(fallbackBody()); n != 487 {
		t.Fatalf("fallback bench body is %d bytes", n)
	}
	if !json.Valid(fallbackBody()) {
		t.Fatal("fallback bench body is not JSON")
	}
}
