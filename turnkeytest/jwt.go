package turnkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"math/big"
	"strings"
)

// JSON Web Tokens signed with ES256 (P-256 ECDSA, raw r ‖ s signature), the
// tokens of the simulator: session tokens and verification tokens (signed by
// the session-token key, as Turnkey's notarizer signs them) and the ID tokens
// of the test OIDC issuer.
//
// Turnkey's session and verification tokens are signed over
// sha256(sha256(header.payload)) rather than the single SHA-256 of standard
// ES256 (Turnkey's own client libraries verify them that way); the OIDC ID
// tokens are standard ES256, as any OIDC library expects.

// digestKind is how a token's signing input is hashed before signing.
type digestKind int

const (
	digestES256   digestKind = iota // sha256(input), standard ES256
	digestTurnkey                   // sha256(sha256(input)), Turnkey's session tokens
)

func (d digestKind) sum(input string) []byte {
	h := sha256.Sum256([]byte(input))
	if d == digestTurnkey {
		h = sha256.Sum256(h[:])
	}
	return h[:]
}

var b64 = base64.RawURLEncoding

// signJWT encodes header and claims and signs them with key.
func signJWT(key *ecdsa.PrivateKey, kid string, claims any, d digestKind) (string, error) {
	header := map[string]string{"alg": "ES256", "typ": "JWT"}
	if kid != "" {
		header["kid"] = kid
	}
	h, err := json.Marshal(header)
	if err != nil {
		return "", err
	}
	c, err := json.Marshal(claims)
	if err != nil {
		return "", err
	}
	input := b64.EncodeToString(h) + "." + b64.EncodeToString(c)
	r, s, err := ecdsa.Sign(rand.Reader, key, d.sum(input))
	if err != nil {
		return "", err
	}
	// Low-S, which every verifier accepts.
	n := elliptic.P256().Params().N
	if s.Cmp(new(big.Int).Rsh(n, 1)) > 0 {
		s.Sub(n, s)
	}
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	return input + "." + b64.EncodeToString(sig), nil
}

// errMalformedJWT is a token that is not three base64url parts of JSON.
var errMalformedJWT = errors.New("not a JWT (three base64url parts: header, claims, signature)")

// splitJWT decodes a token's parts; it verifies nothing.
func splitJWT(token string) (header, claims []byte, input string, sig []byte, err error) {
	parts := strings.Split(strings.TrimSpace(token), ".")
	if len(parts) != 3 {
		return nil, nil, "", nil, errMalformedJWT
	}
	dec := func(p string) ([]byte, error) { return b64.DecodeString(strings.TrimRight(p, "=")) }
	if header, err = dec(parts[0]); err != nil {
		return nil, nil, "", nil, errMalformedJWT
	}
	if claims, err = dec(parts[1]); err != nil {
		return nil, nil, "", nil, errMalformedJWT
	}
	if sig, err = dec(parts[2]); err != nil {
		return nil, nil, "", nil, errMalformedJWT
	}
	if !json.Valid(header) || !json.Valid(claims) {
		return nil, nil, "", nil, errMalformedJWT
	}
	return header, claims, parts[0] + "." + parts[1], sig, nil
}

// errBadSignature is a token whose signature does not verify.
var errBadSignature = errors.New("signature does not verify")

// verifyJWT checks an ES256 token's signature with pub and decodes its claims
// into dst. It checks no claim: the callers do.
func verifyJWT(pub *ecdsa.PublicKey, token string, d digestKind, dst any) error {
	header, claims, input, sig, err := splitJWT(token)
	if err != nil {
		return err
	}
	var h struct {
		Alg string `json:"alg"`
	}
	if json.Unmarshal(header, &h) != nil || h.Alg != "ES256" {
		return fmt.Errorf("algorithm %q is not ES256", h.Alg)
	}
	if len(sig) != 64 {
		return errBadSignature
	}
	r, s := new(big.Int).SetBytes(sig[:32]), new(big.Int).SetBytes(sig[32:])
	if !ecdsa.Verify(pub, d.sum(input), r, s) {
		return errBadSignature
	}
	if err := json.Unmarshal(claims, dst); err != nil {
		return fmt.Errorf("claims: %w", err)
	}
	return nil
}

// publicKeyHex is the uncompressed SEC1 form of a P-256 public key, in hex.
func publicKeyHex(k *ecdsa.PrivateKey) string {
	b, err := k.PublicKey.Bytes()
	if err != nil { // cannot happen for a generated P-256 key
		return ""
	}
	return hex.EncodeToString(b)
}

// newP256Key generates a P-256 signing key.
func newP256Key() (*ecdsa.PrivateKey, error) {
	return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
}
