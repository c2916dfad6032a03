package enclave

import (
	"crypto/ecdh"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// TargetKey is a P-256 ECDH key pair that bundles are encrypted to.
//
// On the client side, its public half is the targetPublicKey of a
// credential-producing or export activity, and its private half decrypts the
// resulting bundle. On the enclave side (a simulator), it is the key behind an
// import bundle's targetPublic and decrypts the client's encryptedBundle.
//
// A TargetKey redacts itself when printed or logged.
type TargetKey struct {
	priv sealed[ecdh.PrivateKey]
}

// GenerateTargetKey generates a fresh P-256 target key from crypto/rand.
func GenerateTargetKey() (*TargetKey, error) {
	priv, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		return nil, &BundleError{Op: "GenerateTargetKey", Kind: ErrBadPrivateKey, Detail: "key generation failed", Err: err}
	}
	return &TargetKey{priv: seal(priv)}, nil
}

// ParseTargetKey restores a target key from the 32-byte private scalar in hex
// (as returned by PrivateKeyHex), e.g. when an email-auth flow spans two
// processes. An optional "0x" prefix is accepted.
func ParseTargetKey(privateKeyHex string) (*TargetKey, error) {
	const op = "ParseTargetKey"
	raw, err := hex.DecodeString(strings.TrimPrefix(privateKeyHex, "0x"))
	if err != nil {
		return nil, newErr(op, ErrBadPrivateKey, "", "not valid hex")
	}
	defer clear(raw)
	if len(raw) != 32 {
		return nil, newErr(op, ErrBadPrivateKey, "", fmt.Sprintf("want 32 bytes, got %d", len(raw)))
	}
	priv, err := ecdh.P256().NewPrivateKey(raw)
	if err != nil {
		return nil, newErr(op, ErrBadPrivateKey, "", "scalar out of range for P-256")
	}
	return &TargetKey{priv: seal(priv)}, nil
}

// PublicKeyHex returns the public key, uncompressed (65 bytes, 04 ‖ X ‖ Y),
// in lower-case hex: the targetPublicKey to put in activity parameters.
func (k *TargetKey) PublicKeyHex() string {
	return hex.EncodeToString(k.priv.get().PublicKey().Bytes())
}

// PrivateKeyHex returns the 32-byte private scalar in hex, for persisting the
// key between the request and the arrival of its bundle. Handle the result as
// a secret.
func (k *TargetKey) PrivateKeyHex() string { return hex.EncodeToString(k.priv.get().Bytes()) }

// usable reports whether k holds a key.
func (k *TargetKey) usable() bool { return k != nil && k.priv.get() != nil }

// String returns a redacted placeholder.
func (TargetKey) String() string { return redactedText("TargetKey") }

// GoString returns a redacted placeholder.
func (k TargetKey) GoString() string { return k.String() }

// Format writes a redacted placeholder for every verb.
func (k TargetKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// LogValue returns a redacted placeholder for log/slog.
func (k TargetKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalText returns a redacted placeholder, so that encoding/json and
// text-based loggers never serialize the private key.
func (k TargetKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// checkTargetKey returns an error if key is nil or empty.
func checkTargetKey(op string, key *TargetKey) error {
	if !key.usable() {
		return newErr(op, ErrBadPrivateKey, "", "nil or empty target key")
	}
	return nil
}
