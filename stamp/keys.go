package stamp

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"math/bits"
	"strconv"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// APIKey is a Turnkey API key held in memory: a P-256, secp256k1 or Ed25519
// private key. It implements Stamper. An APIKey is immutable and safe for
// concurrent use; make one with GenerateAPIKey, ParseAPIKey or LoadKeyFile.
//
// An APIKey never prints its private key: fmt (every verb, including %#v)
// and log/slog show only its curve and public key. PrivateKeyHex is the one
// way to get the secret out.
type APIKey struct {
	curve  Curve
	pub    string // lowercase hex of the public key
	prefix []byte // the stamp JSON up to the signature value
	// sec returns the private key. It is a closure, not a pointer, because
	// reflection follows pointers but cannot look into a closure: fmt of an
	// APIKey value, go-spew (even with DisableMethods), testify's diffs and
	// encoding/json see a function address, never the key.
	sec func() *secret
}

type secret struct {
	p256 *ecdsa.PrivateKey
	k1   *secp256k1.PrivateKey
	ed   ed25519.PrivateKey // seed ‖ public key
}

// ParseOption configures ParseAPIKey.
type ParseOption func(*parseOptions)

type parseOptions struct {
	expectedPub string
	hasExpected bool
}

// WithExpectedPublicKey makes ParseAPIKey check that the private key's public
// key is publicKeyHex (compared without regard to case or surrounding
// whitespace); a difference is an error matching ErrKeyMismatch.
func WithExpectedPublicKey(publicKeyHex string) ParseOption {
	return func(o *parseOptions) {
		o.expectedPub = strings.ToLower(strings.TrimSpace(publicKeyHex))
		o.hasExpected = true
	}
}

// GenerateAPIKey makes a new random API key on curve, using crypto/rand.
func GenerateAPIKey(curve Curve) (*APIKey, error) {
	const op = "generate key"
	c, err := ParseCurve(string(curve))
	if err != nil {
		return nil, newErr(op, "curve", "want p256, secp256k1 or ed25519", ErrUnknownCurve)
	}
	switch c {
	case CurveP256:
		pk, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
		if err != nil {
			return nil, &Error{Op: op, Err: err}
		}
		return newP256Key(pk), nil
	case CurveSecp256k1:
		pk, err := secp256k1.GeneratePrivateKey()
		if err != nil {
			return nil, &Error{Op: op, Err: err}
		}
		return newK1Key(pk), nil
	default:
		_, pk, err := ed25519.GenerateKey(rand.Reader)
		if err != nil {
			return nil, &Error{Op: op, Err: err}
		}
		return newEd25519Key(pk), nil
	}
}

// ParseAPIKey makes an API key on curve from the hex encoding of its private
// key, as the Turnkey CLI writes it:
//
//   - P-256 and secp256k1: the 32-byte scalar, 64 hex digits. A zero scalar or
//     one not below the curve order is rejected.
//   - Ed25519: the 32-byte seed (64 hex digits), or the 64-byte seed ‖ public
//     key form (128 hex digits), whose public half must match the seed.
//
// The curve is matched as by ParseCurve. Surrounding whitespace is ignored
// and both cases of hex digits are accepted. A "0x" prefix is rejected, not stripped: no Turnkey tool writes
// one, so its presence means the value came from somewhere else (an Ethereum
// tool, say) and deserves a look. Errors match ErrInvalidKey (or
// ErrUnknownCurve, ErrKeyMismatch) and never contain any part of the key.
func ParseAPIKey(curve Curve, privateKeyHex string, opts ...ParseOption) (*APIKey, error) {
	const op = "parse key"
	var o parseOptions
	for _, opt := range opts {
		if opt != nil {
			opt(&o)
		}
	}
	c, err := ParseCurve(string(curve))
	if err != nil {
		return nil, newErr(op, "curve", "want p256, secp256k1 or ed25519", ErrUnknownCurve)
	}
	k, e := parsePrivate(c, strings.TrimSpace(privateKeyHex))
	if e != nil {
		e.Op = op
		return nil, e
	}
	if o.hasExpected && o.expectedPub != k.pub {
		return nil, newErr(op, "publicKey",
			"derived public key "+k.pub+" is not the expected one", ErrKeyMismatch)
	}
	return k, nil
}

func parsePrivate(c Curve, s string) (*APIKey, *Error) {
	bad := func(reason string) *Error { return newErr("", "privateKey", reason, ErrInvalidKey) }
	if len(s) >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') {
		return nil, bad("has a 0x prefix; give the bare hex digits")
	}
	switch {
	case len(s) == 64:
	case len(s) == 128 && c == CurveEd25519:
	case c == CurveEd25519:
		return nil, bad("want 64 or 128 hex digits, got " + strconv.Itoa(len(s)))
	default:
		return nil, bad("want 64 hex digits, got " + strconv.Itoa(len(s)))
	}
	var buf [64]byte
	b := buf[:len(s)/2]
	defer clear(buf[:])
	// Not hex.Decode: it would need a copy of s as []byte, left uncleared,
	// and its error names the offending character, a piece of the key.
	if !decodeHex(b, s) {
		return nil, bad("not hexadecimal")
	}
	switch c {
	case CurveP256:
		if isZero(b) {
			return nil, bad("scalar is zero")
		}
		pk, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), b)
		if err != nil {
			return nil, bad("scalar is not below the P-256 group order")
		}
		return newP256Key(pk), nil
	case CurveSecp256k1:
		var sc secp256k1.ModNScalar
		if sc.SetByteSlice(b) {
			return nil, bad("scalar is not below the secp256k1 group order")
		}
		if sc.IsZero() {
			return nil, bad("scalar is zero")
		}
		pk := secp256k1.NewPrivateKey(&sc)
		sc.Zero()
		return newK1Key(pk), nil
	default:
		pk := ed25519.NewKeyFromSeed(b[:ed25519.SeedSize])
		if len(b) == ed25519.PrivateKeySize && !bytes.Equal(b[32:], pk[32:]) {
			return nil, bad("public half of the 64-byte key does not match its seed")
		}
		return newEd25519Key(pk), nil
	}
}

func newP256Key(pk *ecdsa.PrivateKey) *APIKey {
	u, _ := pk.PublicKey.Bytes() // 0x04 ‖ X ‖ Y; cannot fail for a valid key
	var c [33]byte
	c[0] = 2 | u[64]&1
	copy(c[1:], u[1:33])
	return newKey(CurveP256, c[:], &secret{p256: pk})
}

func newK1Key(pk *secp256k1.PrivateKey) *APIKey {
	return newKey(CurveSecp256k1, pk.PubKey().SerializeCompressed(), &secret{k1: pk})
}

func newEd25519Key(pk ed25519.PrivateKey) *APIKey {
	return newKey(CurveEd25519, pk[32:], &secret{ed: pk})
}

func newKey(c Curve, pub []byte, sec *secret) *APIKey {
	k := &APIKey{curve: c, pub: hex.EncodeToString(pub), sec: func() *secret { return sec }}
	k.prefix = appendPrefix(nil, k.pub, c.Scheme())
	return k
}

// Curve returns the curve of the key.
func (k *APIKey) Curve() Curve {
	if k == nil {
		return ""
	}
	return k.curve
}

// Scheme returns the signature scheme of the key's stamps.
func (k *APIKey) Scheme() Scheme { return k.Curve().Scheme() }

// PublicKey returns the public key in Turnkey's form, lowercase hex: the
// 33-byte compressed SEC1 point for P-256 and secp256k1, the 32-byte key for
// Ed25519. This is what Turnkey knows the API key by.
func (k *APIKey) PublicKey() string {
	if k == nil {
		return ""
	}
	return k.pub
}

// PrivateKeyHex returns the private key in lowercase hex, in the form the
// Turnkey CLI writes and reads: the 32-byte scalar for P-256 and secp256k1,
// the 64-byte seed ‖ public key for Ed25519.
//
// SECRET: whoever holds this string holds the API key. Do not log it, print
// it, put it in an error or a URL, or keep it longer than needed; it exists
// to save key files (SaveKeyFile) and to hand the key to other tools.
func (k *APIKey) PrivateKeyHex() string {
	var buf [2 * ed25519.PrivateKeySize]byte
	defer clear(buf[:])
	return string(k.appendPrivateHex(buf[:0]))
}

// appendPrivateHex appends the hex of the private key to dst, so that callers
// can clear the bytes afterwards (a string cannot be cleared).
func (k *APIKey) appendPrivateHex(dst []byte) []byte {
	if k == nil || k.sec == nil {
		return dst
	}
	var b [ed25519.PrivateKeySize]byte
	defer clear(b[:])
	var raw []byte
	switch k.curve {
	case CurveP256:
		d, err := k.sec().p256.Bytes()
		if err != nil {
			return dst
		}
		raw = b[:copy(b[:], d)]
		clear(d)
	case CurveSecp256k1:
		k.sec().k1.Key.PutBytes((*[32]byte)(b[:32]))
		raw = b[:32]
	case CurveEd25519:
		raw = b[:copy(b[:], k.sec().ed)]
	}
	return hex.AppendEncode(dst, raw)
}

func isZero(b []byte) bool {
	var acc byte
	for _, v := range b {
		acc |= v
	}
	return acc == 0
}

// decodeHex decodes s, of length 2*len(dst), into dst, in time that depends
// only on len(s). It reports whether s was all hex digits.
func decodeHex(dst []byte, s string) bool {
	var bad byte
	for i := range dst {
		hi, ok1 := unhex(s[2*i])
		lo, ok2 := unhex(s[2*i+1])
		bad |= ok1&ok2 ^ 1
		dst[i] = hi<<4 | lo
	}
	return bad == 0
}

// unhex returns the value of hex digit c and 1, or 0 and 0 if c is not a hex
// digit, without branching on c.
func unhex(c byte) (byte, byte) {
	d := int(c) - '0'      // in [0, 10) for a digit
	l := int(c|0x20) - 'a' // in [0, 6) for a-f or A-F
	isNum := byte(uint(^d&(d-10)) >> (bits.UintSize - 1))
	isLet := byte(uint(^l&(l-6)) >> (bits.UintSize - 1))
	return byte(d)&-isNum | byte(l+10)&-isLet, isNum | isLet
}
