package stamp

import "strings"

// Header is the name of the HTTP header that carries a stamp.
const Header = "X-Stamp"

// Scheme is a Turnkey API signature scheme, the "scheme" field of a stamp.
type Scheme string

// The signature schemes of Turnkey API keys.
const (
	// SchemeP256 is ECDSA on NIST P-256 over SHA-256 of the body.
	SchemeP256 Scheme = "SIGNATURE_SCHEME_TK_API_P256"
	// SchemeSecp256k1 is ECDSA on secp256k1 over SHA-256 of the body.
	SchemeSecp256k1 Scheme = "SIGNATURE_SCHEME_TK_API_SECP256K1"
	// SchemeEd25519 is pure Ed25519 over the body.
	SchemeEd25519 Scheme = "SIGNATURE_SCHEME_TK_API_ED25519"
)

// Curve names the curve of an API key, as written in Turnkey CLI key files.
type Curve string

// The curves of Turnkey API keys.
const (
	// CurveP256 is NIST P-256 (secp256r1), the default.
	CurveP256 Curve = "p256"
	// CurveSecp256k1 is the secp256k1 curve.
	CurveSecp256k1 Curve = "secp256k1"
	// CurveEd25519 is Ed25519.
	CurveEd25519 Curve = "ed25519"
)

// ParseCurve returns the Curve named by s, ignoring case and surrounding
// whitespace. Only "p256", "secp256k1" and "ed25519" are known; anything else,
// including the empty string, is an error matching ErrUnknownCurve.
func ParseCurve(s string) (Curve, error) {
	switch c := Curve(strings.ToLower(strings.TrimSpace(s))); c {
	case CurveP256, CurveSecp256k1, CurveEd25519:
		return c, nil
	}
	return "", newErr("parse curve", "curve", "want p256, secp256k1 or ed25519", ErrUnknownCurve)
}

// Scheme returns the signature scheme of keys on curve c, or "" if c is not
// a known curve.
func (c Curve) Scheme() Scheme {
	switch c {
	case CurveP256:
		return SchemeP256
	case CurveSecp256k1:
		return SchemeSecp256k1
	case CurveEd25519:
		return SchemeEd25519
	}
	return ""
}

// Curve returns the curve of scheme s, or "" if s is not a known scheme.
func (s Scheme) Curve() Curve {
	switch s {
	case SchemeP256:
		return CurveP256
	case SchemeSecp256k1:
		return CurveSecp256k1
	case SchemeEd25519:
		return CurveEd25519
	}
	return ""
}
