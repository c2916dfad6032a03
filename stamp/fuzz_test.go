package stamp_test

import (
	"context"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/turnkey-go/turnkey/stamp"
)

func FuzzVerify(f *testing.F) {
	body := []byte(`{"organizationId":"org"}`)
	for _, k := range []*stamp.APIKey{
		mustParse(f, stamp.CurveP256, p256One),
		mustParse(f, stamp.CurveSecp256k1, k1One),
		mustParse(f, stamp.CurveEd25519, edSeed),
	} {
		_, v, err := k.Stamp(context.Background(), body)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, v)
		f.Add(body[1:], v)
		f.Add(body, v[:len(v)-1])
		f.Add(body, string(decodeStamp(f, v)))
	}
	f.Add([]byte{}, "")
	f.Add([]byte("x"), encodeStamp(`{}`))
	f.Add([]byte("x"), encodeStamp(rawStampJSON("02", "SIGNATURE_SCHEME_TK_API_P256", "3006020101020101")))
	f.Add([]byte("x"), encodeStamp(rawStampJSON(edPub, "SIGNATURE_SCHEME_TK_API_ED25519", edSig)))
	f.Add([]byte(nil), encodeStamp(rawStampJSON(edPub, "SIGNATURE_SCHEME_TK_API_ED25519", edSig)))

	f.Fuzz(checkVerify)
}

// FuzzVerifyJSON fuzzes the JSON inside the base64url, which FuzzVerify
// seldom gets past.
func FuzzVerifyJSON(f *testing.F) {
	body := []byte(`{"organizationId":"org"}`)
	for _, c := range allCurves {
		k, err := stamp.GenerateAPIKey(c)
		if err != nil {
			f.Fatal(err)
		}
		_, v, err := k.Stamp(context.Background(), body)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(body, decodeStamp(f, v))
	}
	f.Add([]byte("x"), []byte(rawStampJSON("02", "SIGNATURE_SCHEME_TK_API_P256", "3006020101020101")))
	f.Add([]byte(nil), []byte(rawStampJSON(edPub, "SIGNATURE_SCHEME_TK_API_ED25519", edSig)))
	f.Add([]byte(nil), []byte(`{"publicKey":1,"scheme":null,"signature":[],"x":{}}`))
	f.Fuzz(func(t *testing.T, body, rawJSON []byte) {
		checkVerify(t, body, base64.RawURLEncoding.EncodeToString(rawJSON))
	})
}

// checkVerify verifies value and checks the outcome: a typed error, or a
// success that the independent verifier confirms.
func checkVerify(t *testing.T, body []byte, value string) {
	_, _ = stamp.ParseStamp(value)
	v, err := stamp.Verify(body, value)
	if err != nil {
		var se *stamp.Error
		if !errors.As(err, &se) {
			t.Fatalf("error %v is not a *stamp.Error", err)
		}
		if !errors.Is(err, stamp.ErrInvalidStamp) && !errors.Is(err, stamp.ErrUnknownScheme) &&
			!errors.Is(err, stamp.ErrBadSignature) {
			t.Fatalf("error %v has no verification sentinel", err)
		}
		return
	}
	if v == nil || v.PublicKey == "" || v.Scheme.Curve() != v.Curve {
		t.Fatalf("bad Verified %+v", v)
	}
	if err := independentCheck(body, value); err != nil {
		t.Fatalf("Verify accepted a stamp the independent verifier rejects: %v", err)
	}
}

func FuzzParseAPIKey(f *testing.F) {
	for _, s := range []struct{ curve, hex string }{
		{"p256", p256One}, {"p256", p256N}, {"p256", p256NMinus1}, {"p256", zero32},
		{"secp256k1", k1One}, {"secp256k1", k1N}, {"secp256k1", ones32},
		{"ed25519", edSeed}, {"ed25519", edSeed + edPub}, {"ed25519", edSeed + edSeed},
		{"p256", "0x" + p256One}, {"p256", " " + p256One + "\n"}, {"", ""}, {"p384", secretHex},
		{"ED25519", strings.ToUpper(edSeed)}, {"p256", "g" + p256One[1:]},
	} {
		f.Add(s.curve, s.hex)
	}
	f.Fuzz(func(t *testing.T, curve, in string) {
		k, err := stamp.ParseAPIKey(stamp.Curve(curve), in)
		if err != nil {
			if !errors.Is(err, stamp.ErrInvalidKey) && !errors.Is(err, stamp.ErrUnknownCurve) {
				t.Fatalf("error %v has no key sentinel", err)
			}
			if s := strings.TrimSpace(in); len(s) >= 16 && isHex(s) {
				assertNoSecret(t, err.Error(), s)
			}
			return
		}
		priv := k.PrivateKeyHex()
		if got := independentPublicKey(t, k.Curve(), priv); got != k.PublicKey() {
			t.Fatalf("public key %s, the standard library derives %s", k.PublicKey(), got)
		}
		k2, err := stamp.ParseAPIKey(k.Curve(), priv)
		if err != nil || k2.PublicKey() != k.PublicKey() {
			t.Fatalf("PrivateKeyHex does not parse back: %v", err)
		}
		_, v, err := k.Stamp(context.Background(), []byte(in))
		if err != nil {
			t.Fatal(err)
		}
		if _, err := stamp.Verify([]byte(in), v); err != nil {
			t.Fatal(err)
		}
		if err := independentCheck([]byte(in), v); err != nil {
			t.Fatal(err)
		}
	})
}

func isHex(s string) bool {
	for _, c := range s {
		if !strings.ContainsRune("0123456789abcdefABCDEF", c) {
			return false
		}
	}
	return true
}
