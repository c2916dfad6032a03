package stamp

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"strconv"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// maxStampLen bounds the X-Stamp values ParseStamp looks at. The largest
// valid stamp (secp256k1 with a 72-byte signature) is 382 characters.
const maxStampLen = 4096

// Parsed is a stamp decoded from an X-Stamp value but not verified: its
// fields are as sent.
type Parsed struct {
	// PublicKey is the "publicKey" field, hex as sent.
	PublicKey string
	// Scheme is the "scheme" field; it may be a scheme this package does not
	// know.
	Scheme Scheme
	// Signature is the "signature" field, hex as sent.
	Signature string
}

// Verified is the result of a successful Verify.
type Verified struct {
	// Scheme is the signature scheme of the stamp.
	Scheme Scheme
	// Curve is the curve of Scheme.
	Curve Curve
	// PublicKey is the public key that signed the body, in lowercase hex
	// (the form APIKey.PublicKey returns), to look the API key up by.
	PublicKey string
}

// ParseStamp decodes an X-Stamp value without verifying it: unpadded
// base64url (no padding, no line breaks) of a JSON object with exactly the
// string fields "publicKey", "scheme" and "signature". Errors match
// ErrInvalidStamp. Most callers want Verify.
func ParseStamp(headerValue string) (*Parsed, error) {
	const op = "parse stamp"
	bad := func(reason string) error { return newErr(op, "stamp", reason, ErrInvalidStamp) }
	switch {
	case headerValue == "":
		return nil, bad("empty")
	case len(headerValue) > maxStampLen:
		return nil, bad("longer than " + strconv.Itoa(maxStampLen) + " characters")
	case strings.ContainsAny(headerValue, "\r\n"):
		// The base64 decoder would skip them silently.
		return nil, bad("contains a line break")
	}
	raw, err := base64.RawURLEncoding.Strict().DecodeString(headerValue)
	if err != nil {
		return nil, bad("not unpadded base64url")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return nil, bad("not a JSON object")
	}
	var p Parsed
	for name, v := range fields {
		var dst *string
		switch name {
		case "publicKey":
			dst = &p.PublicKey
		case "scheme":
			dst = (*string)(&p.Scheme)
		case "signature":
			dst = &p.Signature
		default:
			return nil, newErr(op, "stamp", "unexpected field "+quoteField(name), ErrInvalidStamp)
		}
		if len(v) == 0 || v[0] != '"' || json.Unmarshal(v, dst) != nil {
			return nil, newErr(op, name, "not a JSON string", ErrInvalidStamp)
		}
	}
	for _, f := range [...]struct{ name, v string }{
		{"publicKey", p.PublicKey}, {"scheme", string(p.Scheme)}, {"signature", p.Signature},
	} {
		if f.v == "" {
			return nil, newErr(op, f.name, "missing or empty", ErrInvalidStamp)
		}
	}
	return &p, nil
}

// Verify checks that headerValue, an X-Stamp value, is a valid stamp of
// body: well-formed (see ParseStamp), of a known scheme, with a public key on
// that scheme's curve, and a signature by that key over exactly body. It
// returns the scheme and the public key, to look the API key up by.
//
// Errors match ErrInvalidStamp (malformed), ErrUnknownScheme, or
// ErrBadSignature (well-formed, but not a signature of this body by this
// key); errors.As gives an *Error naming the faulty field.
func Verify(body []byte, headerValue string) (*Verified, error) {
	const op = "verify"
	p, err := ParseStamp(headerValue)
	if err != nil {
		err.(*Error).Op = op
		return nil, err
	}
	bad := func(field, reason string) error { return newErr(op, field, reason, ErrInvalidStamp) }
	curve := p.Scheme.Curve()
	if curve == "" {
		return nil, newErr(op, "scheme", "not a Turnkey API key scheme", ErrUnknownScheme)
	}
	pub, err := hex.DecodeString(p.PublicKey)
	if err != nil {
		return nil, bad("publicKey", "not hexadecimal")
	}
	sig, err := hex.DecodeString(p.Signature)
	if err != nil {
		return nil, bad("signature", "not hexadecimal")
	}
	ok := false
	switch curve {
	case CurveP256:
		if len(pub) != 33 {
			return nil, bad("publicKey", "want a 33-byte compressed point, got "+strconv.Itoa(len(pub))+" bytes")
		}
		x, y := elliptic.UnmarshalCompressed(elliptic.P256(), pub)
		if x == nil {
			return nil, bad("publicKey", "not a compressed point on P-256")
		}
		var u [65]byte
		u[0] = 4
		x.FillBytes(u[1:33])
		y.FillBytes(u[33:])
		pk, err := ecdsa.ParseUncompressedPublicKey(elliptic.P256(), u[:])
		if err != nil {
			return nil, bad("publicKey", "not a point on P-256")
		}
		if !isStrictDER(sig) {
			return nil, bad("signature", "not a DER-encoded ECDSA signature")
		}
		h := sha256.Sum256(body)
		ok = ecdsa.VerifyASN1(pk, h[:], sig)
	case CurveSecp256k1:
		if len(pub) != 33 {
			return nil, bad("publicKey", "want a 33-byte compressed point, got "+strconv.Itoa(len(pub))+" bytes")
		}
		pk, err := secp256k1.ParsePubKey(pub)
		if err != nil {
			return nil, bad("publicKey", "not a compressed point on secp256k1")
		}
		s, err := k1ecdsa.ParseDERSignature(sig)
		if err != nil {
			return nil, bad("signature", "not a DER-encoded ECDSA signature with scalars in range")
		}
		h := sha256.Sum256(body)
		ok = s.Verify(h[:], pk)
	case CurveEd25519:
		if len(pub) != ed25519.PublicKeySize {
			return nil, bad("publicKey", "want 32 bytes, got "+strconv.Itoa(len(pub)))
		}
		if len(sig) != ed25519.SignatureSize {
			return nil, bad("signature", "want 64 bytes, got "+strconv.Itoa(len(sig)))
		}
		ok = ed25519.Verify(pub, body, sig)
	}
	if !ok {
		return nil, newErr(op, "signature", "does not verify for this body and public key", ErrBadSignature)
	}
	return &Verified{Scheme: p.Scheme, Curve: curve, PublicKey: hex.EncodeToString(pub)}, nil
}

// isStrictDER reports whether sig is exactly a DER SEQUENCE of two minimal,
// positive INTEGERs of at most 33 bytes, with nothing after it.
func isStrictDER(sig []byte) bool {
	if len(sig) < 8 || len(sig) > 72 || sig[0] != 0x30 || int(sig[1]) != len(sig)-2 {
		return false
	}
	rest, ok := derInt(sig[2:])
	if !ok {
		return false
	}
	rest, ok = derInt(rest)
	return ok && len(rest) == 0
}

func derInt(b []byte) ([]byte, bool) {
	if len(b) < 3 || b[0] != 0x02 {
		return nil, false
	}
	n := int(b[1])
	if n < 1 || n > 33 || len(b) < 2+n {
		return nil, false
	}
	v := b[2 : 2+n]
	if v[0]&0x80 != 0 || (v[0] == 0 && (n == 1 || v[1]&0x80 == 0)) {
		return nil, false // negative, zero, or not minimal
	}
	return b[2+n:], true
}

// quoteField quotes an unexpected JSON key for an error message, cut short:
// it comes from the untrusted stamp.
func quoteField(name string) string {
	if len(name) > 32 {
		name = name[:32] + "..."
	}
	return strconv.Quote(name)
}
