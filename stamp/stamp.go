package stamp

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rand"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"unsafe"

	k1ecdsa "github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// Stamper signs request bodies. Stamp returns the name and the value of the
// header to set on the request whose body is exactly body; the signature
// covers those bytes, so the body must not change after stamping.
//
// *APIKey is the Stamper for keys held in memory; implement Stamper (or use
// StamperFunc) to sign with a KMS or an HSM. Implementations must be safe for
// concurrent use and should honour ctx cancellation.
type Stamper interface {
	Stamp(ctx context.Context, body []byte) (header, value string, err error)
}

// StamperFunc adapts an ordinary function to the Stamper interface.
type StamperFunc func(ctx context.Context, body []byte) (header, value string, err error)

// Stamp calls f(ctx, body).
func (f StamperFunc) Stamp(ctx context.Context, body []byte) (header, value string, err error) {
	return f(ctx, body)
}

// maxRawStamp bounds the stamp JSON: a 140-byte prefix (secp256k1), a 72-byte
// DER signature in hex and the closing `"}`.
const maxRawStamp = 140 + 2*72 + 2

// Stamp signs body and returns Header and the stamp to send with it. It
// fails only if ctx is already done, or on a nil or zero APIKey.
func (k *APIKey) Stamp(ctx context.Context, body []byte) (header, value string, err error) {
	if k == nil || k.sec == nil {
		return "", "", newErr("stamp", "key", "nil or zero APIKey; use GenerateAPIKey, ParseAPIKey or LoadKeyFile", ErrInvalidKey)
	}
	if ctx != nil {
		if err := ctx.Err(); err != nil {
			return "", "", err
		}
	}
	// The stamp JSON is built by hand in one stack buffer: the precomputed
	// prefix, the signature hex-encoded in place, the closing `"}`. Then it
	// is base64url-encoded into the one allocation that becomes the result.
	var raw [maxRawStamp]byte
	n := copy(raw[:], k.prefix)
	switch k.curve {
	case CurveP256:
		h := sha256.Sum256(body)
		sig, err := ecdsa.SignASN1(rand.Reader, k.sec().p256, h[:])
		if err != nil {
			return "", "", &Error{Op: "stamp", Err: err}
		}
		n += hex.Encode(raw[n:], sig)
	case CurveSecp256k1:
		h := sha256.Sum256(body)
		var der [72]byte
		m := putDER(&der, k1ecdsa.Sign(k.sec().k1, h[:]))
		n += hex.Encode(raw[n:], der[:m])
	case CurveEd25519:
		n += hex.Encode(raw[n:], ed25519.Sign(k.sec().ed, body))
	}
	return Header, finish(&raw, n), nil
}

// finish closes the stamp JSON in raw[:n] and returns its base64url, built
// in one allocation.
func finish(raw *[maxRawStamp]byte, n int) string {
	raw[n], raw[n+1] = '"', '}'
	n += 2
	out := make([]byte, base64.RawURLEncoding.EncodedLen(n))
	base64.RawURLEncoding.Encode(out, raw[:n])
	// out is referenced nowhere else, so it can become the string.
	return unsafe.String(&out[0], len(out))
}

// appendPrefix appends the stamp JSON up to the opening quote of the
// signature. The keys are in Turnkey's order; the values need no escaping.
func appendPrefix(b []byte, pubHex string, s Scheme) []byte {
	b = append(b, `{"publicKey":"`...)
	b = append(b, pubHex...)
	b = append(b, `","scheme":"`...)
	b = append(b, s...)
	b = append(b, `","signature":"`...)
	return b
}

// putDER writes sig as an ASN.1 DER SEQUENCE of two INTEGERs, as
// Signature.Serialize does, without its allocation.
func putDER(dst *[72]byte, sig *k1ecdsa.Signature) int {
	r, s := sig.R(), sig.S()
	if s.IsOverHalfOrder() { // Sign never does this; Serialize normalises too.
		s.Negate()
	}
	var rb, sb [33]byte
	r.PutBytesUnchecked(rb[1:])
	s.PutBytesUnchecked(sb[1:])
	ri, si := minimalInt(rb[:]), minimalInt(sb[:])
	dst[0], dst[1] = 0x30, byte(4+len(ri)+len(si))
	dst[2], dst[3] = 0x02, byte(len(ri))
	n := 4 + copy(dst[4:], ri)
	dst[n], dst[n+1] = 0x02, byte(len(si))
	n += 2 + copy(dst[n+2:], si)
	return n
}

// minimalInt trims b, a big-endian unsigned integer with a leading zero byte,
// to its minimal DER INTEGER content.
func minimalInt(b []byte) []byte {
	for len(b) > 1 && b[0] == 0 && b[1]&0x80 == 0 {
		b = b[1:]
	}
	return b
}
