package stamp_test

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"testing"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
	"github.com/stretchr/testify/require"

	"github.com/turnkey-go/turnkey/stamp"
)

var allCurves = []stamp.Curve{stamp.CurveP256, stamp.CurveSecp256k1, stamp.CurveEd25519}

// Fixed keys with public keys known from outside this package.
const (
	// P-256 scalar 1: the public key is the generator, whose y is odd.
	p256One    = "0000000000000000000000000000000000000000000000000000000000000001"
	p256OnePub = "036b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296"
	// secp256k1 scalar 1: the generator, y even.
	k1One    = "0000000000000000000000000000000000000000000000000000000000000001"
	k1OnePub = "0279be667ef9dcbbac55a06295ce870b07029bfcdb2dce28d959f2815b16f81798"
	// RFC 8032, section 7.1, TEST 1.
	edSeed = "9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"
	edPub  = "d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a"
	edSig  = "e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e065224901555fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b"
)

// independentVerify checks a stamp from the format description alone, with
// crypto/ecdsa, decred and crypto/ed25519, never calling package stamp. It
// returns the public key hex and the scheme.
func independentVerify(t testing.TB, body []byte, value string) (pubHex, scheme string) {
	t.Helper()
	err := independentCheck(body, value)
	require.NoError(t, err, "independent verifier rejects the stamp")
	raw, _ := base64.RawURLEncoding.DecodeString(value)
	var st struct{ PublicKey, Scheme string }
	_ = json.Unmarshal(raw, &st)
	return st.PublicKey, st.Scheme
}

func independentCheck(body []byte, value string) error {
	raw, err := base64.RawURLEncoding.DecodeString(value)
	if err != nil {
		return fmt.Errorf("base64url: %w", err)
	}
	var st struct {
		PublicKey string `json:"publicKey"`
		Scheme    string `json:"scheme"`
		Signature string `json:"signature"`
	}
	if err := json.Unmarshal(raw, &st); err != nil {
		return fmt.Errorf("json: %w", err)
	}
	pub, err := hex.DecodeString(st.PublicKey)
	if err != nil {
		return fmt.Errorf("publicKey hex: %w", err)
	}
	sig, err := hex.DecodeString(st.Signature)
	if err != nil {
		return fmt.Errorf("signature hex: %w", err)
	}
	h := sha256.Sum256(body)
	switch st.Scheme {
	case "SIGNATURE_SCHEME_TK_API_P256":
		if len(pub) != 33 {
			return fmt.Errorf("p256 public key of %d bytes", len(pub))
		}
		x, y := elliptic.UnmarshalCompressed(elliptic.P256(), pub)
		if x == nil {
			return fmt.Errorf("p256 public key not on the curve")
		}
		u := append([]byte{4}, append(x.FillBytes(make([]byte, 32)), y.FillBytes(make([]byte, 32))...)...)
		pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), u)
		if err != nil {
			return err
		}
		if !ecdsa.VerifyASN1(pk, h[:], sig) {
			return fmt.Errorf("p256 signature does not verify")
		}
	case "SIGNATURE_SCHEME_TK_API_SECP256K1":
		if len(pub) != 33 {
			return fmt.Errorf("secp256k1 public key of %d bytes", len(pub))
		}
		pk, err := secp256k1.ParsePubKey(pub)
		if err != nil {
			return err
		}
		s, err := k1ecdsa.ParseDERSignature(sig)
		if err != nil {
			return err
		}
		if !s.Verify(h[:], pk) {
			return fmt.Errorf("secp256k1 signature does not verify")
		}
	case "SIGNATURE_SCHEME_TK_API_ED25519":
		if len(pub) != 32 || len(sig) != 64 {
			return fmt.Errorf("ed25519 sizes %d/%d", len(pub), len(sig))
		}
		if !ed25519.Verify(pub, body, sig) {
			return fmt.Errorf("ed25519 signature does not verify")
		}
	default:
		return fmt.Errorf("unknown scheme %q", st.Scheme)
	}
	return nil
}

// independentPublicKey derives the Turnkey public key hex from a private key
// hex with the standard libraries directly.
func independentPublicKey(t testing.TB, curve stamp.Curve, privHex string) string {
	t.Helper()
	b, err := hex.DecodeString(privHex)
	require.NoError(t, err)
	switch curve {
	case stamp.CurveP256:
		pk, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), b)
		require.NoError(t, err)
		u, err := pk.PublicKey.Bytes()
		require.NoError(t, err)
		return hex.EncodeToString(append([]byte{2 | u[64]&1}, u[1:33]...))
	case stamp.CurveSecp256k1:
		require.Len(t, b, 32)
		return hex.EncodeToString(secp256k1.PrivKeyFromBytes(b).PubKey().SerializeCompressed())
	case stamp.CurveEd25519:
		pk := ed25519.NewKeyFromSeed(b[:32])
		return hex.EncodeToString(pk[32:])
	}
	t.Fatalf("curve %q", curve)
	return ""
}

// encodeStamp builds an X-Stamp value from raw JSON.
func encodeStamp(jsonText string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(jsonText))
}

// decodeStamp returns the JSON of an X-Stamp value.
func decodeStamp(t testing.TB, value string) []byte {
	t.Helper()
	raw, err := base64.RawURLEncoding.DecodeString(value)
	require.NoError(t, err)
	return raw
}

// rawStampJSON writes stamp JSON with the fields in Turnkey's order.
func rawStampJSON(pub, scheme, sig string) string {
	var b bytes.Buffer
	fmt.Fprintf(&b, `{"publicKey":%q,"scheme":%q,"signature":%q}`, pub, scheme, sig)
	return b.String()
}

func mustParse(t testing.TB, curve stamp.Curve, privHex string) *stamp.APIKey {
	t.Helper()
	k, err := stamp.ParseAPIKey(curve, privHex)
	require.NoError(t, err)
	return k
}
