package enclave

import (
	"crypto/ecdh"
	"crypto/ecdsa"
	"crypto/elliptic"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"log/slog"
)

// The types holding secrets (SecretKey, Export, TargetKey, Signer) redact
// themselves wherever they could be printed by accident: every fmt verb
// (%v, %+v, %#v, %s, %q, %x, ...) through fmt.Formatter, log/slog through
// slog.LogValuer, and encoding/json or slog handlers through
// encoding.TextMarshaler. The formatting methods have value receivers so that
// values and pointers are both covered. The secret state itself is held in a
// sealed box (below), so that even reflection-based printing of an unexported
// field holding one of these types shows an address, not the secret. Secrets
// are only reachable through explicitly named accessors such as PrivateKeyHex
// or Mnemonic.

// sealed holds a pointer to secret state inside a closure.
//
// Reflection follows every pointer: fmt printing a value it cannot call
// methods on (one reached through an unexported struct field), go-spew (also
// with DisableMethods) and testify's diffs would all walk a pointer, or a
// pointer to a pointer, down to the secret bytes. A closure's captured
// variables are out of reflection's reach: they print as a function address.
type sealed[T any] struct{ open func() *T }

// seal boxes v.
func seal[T any](v *T) sealed[T] { return sealed[T]{open: func() *T { return v }} }

// get returns the boxed pointer, or nil for an empty box.
func (s sealed[T]) get() *T {
	if s.open == nil {
		return nil
	}
	return s.open()
}

// redactedText is what every secret-holding type prints as.
func redactedText(typeName string) string { return "enclave." + typeName + "(REDACTED)" }

// SecretKey is the P-256 private key of a new API key, recovered from a
// credential bundle (read-write session, email auth, OTP auth, email recovery,
// OAuth). It redacts itself when printed or logged.
type SecretKey struct {
	k sealed[secretKey]
}

type secretKey struct {
	scalar     []byte // 32-byte big-endian P-256 private scalar
	compressed []byte // 33-byte compressed public key
}

// newSecretKey validates a 32-byte P-256 scalar and wraps it.
func newSecretKey(scalar []byte) (*SecretKey, error) {
	priv, err := ecdh.P256().NewPrivateKey(scalar)
	if err != nil {
		return nil, errors.New("not a valid 32-byte P-256 private key")
	}
	return &SecretKey{k: seal(&secretKey{scalar: scalar, compressed: compressP256(priv.PublicKey().Bytes())})}, nil
}

// PrivateKeyHex returns the private scalar as 64 lower-case hex characters,
// the form Turnkey API key stampers take. Handle the result as a secret.
func (k *SecretKey) PrivateKeyHex() string { return hex.EncodeToString(k.k.get().scalar) }

// Bytes returns a copy of the 32-byte big-endian private scalar.
func (k *SecretKey) Bytes() []byte { return append([]byte(nil), k.k.get().scalar...) }

// CompressedPublicKeyHex returns the 33-byte compressed public key in hex,
// the form Turnkey uses to identify API keys (e.g. in X-Stamp headers).
// It is not secret.
func (k *SecretKey) CompressedPublicKeyHex() string { return hex.EncodeToString(k.k.get().compressed) }

// ECDSA returns the key as an *ecdsa.PrivateKey for signing (stamping).
func (k *SecretKey) ECDSA() (*ecdsa.PrivateKey, error) {
	priv, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), k.k.get().scalar)
	if err != nil {
		return nil, &BundleError{Op: "SecretKey.ECDSA", Kind: ErrBadPrivateKey, Detail: "key was destroyed or is invalid"}
	}
	return priv, nil
}

// Destroy overwrites the private scalar held by k with zeros. It is best
// effort: copies returned earlier by Bytes or PrivateKeyHex are unaffected.
func (k *SecretKey) Destroy() { clear(k.k.get().scalar) }

// String returns a redacted placeholder.
func (SecretKey) String() string { return redactedText("SecretKey") }

// GoString returns a redacted placeholder.
func (k SecretKey) GoString() string { return k.String() }

// Format writes a redacted placeholder for every verb.
func (k SecretKey) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, k.String()) }

// LogValue returns a redacted placeholder for log/slog.
func (k SecretKey) LogValue() slog.Value { return slog.StringValue(k.String()) }

// MarshalText returns a redacted placeholder, so that encoding/json and
// text-based loggers never serialize the key.
func (k SecretKey) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Export is the decrypted content of an export bundle: a wallet mnemonic
// (export_wallet) or raw private key bytes (export_private_key,
// export_wallet_account). It redacts itself when printed or logged.
type Export struct {
	p sealed[[]byte]
}

// Mnemonic returns the plaintext as a UTF-8 string: the mnemonic phrase of an
// exported wallet. Handle the result as a secret.
func (e *Export) Mnemonic() string { return string(*e.p.get()) }

// PrivateKeyHex returns the plaintext as lower-case hex: the private key of an
// exported private key or wallet account. Handle the result as a secret.
func (e *Export) PrivateKeyHex() string { return hex.EncodeToString(*e.p.get()) }

// Bytes returns a copy of the raw plaintext.
func (e *Export) Bytes() []byte { return append([]byte(nil), *e.p.get()...) }

// Destroy overwrites the plaintext held by e with zeros. It is best effort:
// strings and copies returned earlier are unaffected.
func (e *Export) Destroy() { clear(*e.p.get()) }

// String returns a redacted placeholder.
func (Export) String() string { return redactedText("Export") }

// GoString returns a redacted placeholder.
func (e Export) GoString() string { return e.String() }

// Format writes a redacted placeholder for every verb.
func (e Export) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, e.String()) }

// LogValue returns a redacted placeholder for log/slog.
func (e Export) LogValue() slog.Value { return slog.StringValue(e.String()) }

// MarshalText returns a redacted placeholder, so that encoding/json and
// text-based loggers never serialize the plaintext.
func (e Export) MarshalText() ([]byte, error) { return []byte(e.String()), nil }
