package enclave

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"log/slog"
	"strings"
)

// Signer is the enclave side's signing key: a P-256 ECDSA key standing in
// for Turnkey's enclave quorum key. It signs export bundles
// (SealExportBundle) and import bundles (NewImportBundle).
//
// It is meant for local API simulators and tests. Clients only accept its
// bundles when given WithSignerPublicKey(signer.PublicKeyHex()).
//
// A Signer redacts itself when printed or logged.
type Signer struct {
	key sealed[ecdsa.PrivateKey]
}

// NewSigner generates a fresh P-256 signer from crypto/rand.
func NewSigner() (*Signer, error) {
	key, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	if err != nil {
		return nil, &BundleError{Op: "NewSigner", Kind: ErrBadPrivateKey, Detail: "key generation failed", Err: err}
	}
	return &Signer{key: seal(key)}, nil
}

// ParseSigner restores a signer from its 32-byte private scalar in hex (as
// returned by PrivateKeyHex), so that a simulator keeps a stable signer
// public key across restarts. An optional "0x" prefix is accepted.
func ParseSigner(privateKeyHex string) (*Signer, error) {
	const op = "ParseSigner"
	raw, err := hex.DecodeString(strings.TrimPrefix(privateKeyHex, "0x"))
	if err != nil {
		return nil, newErr(op, ErrBadPrivateKey, "", "not valid hex")
	}
	defer clear(raw)
	if len(raw) != 32 {
		return nil, newErr(op, ErrBadPrivateKey, "", fmt.Sprintf("want 32 bytes, got %d", len(raw)))
	}
	key, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), raw)
	if err != nil {
		return nil, newErr(op, ErrBadPrivateKey, "", "scalar out of range for P-256")
	}
	return &Signer{key: seal(key)}, nil
}

// PublicKeyHex returns the signer's public key, uncompressed (65 bytes), in
// lower-case hex: the enclaveQuorumPublic of its bundles and the value to pass
// to WithSignerPublicKey.
func (s *Signer) PublicKeyHex() string {
	pub, err := s.key.get().PublicKey.Bytes()
	if err != nil { // unreachable for keys built by this package
		return ""
	}
	return hex.EncodeToString(pub)
}

// PrivateKeyHex returns the signer's 32-byte private scalar in hex, for
// ParseSigner. Handle the result as a secret.
func (s *Signer) PrivateKeyHex() string {
	raw, err := s.key.get().Bytes()
	if err != nil { // unreachable for keys built by this package
		return ""
	}
	defer clear(raw)
	return hex.EncodeToString(raw)
}

// check returns an error if s is nil or empty.
func (s *Signer) check(op string) error {
	if s == nil || s.key.get() == nil {
		return newErr(op, ErrBadPrivateKey, "", "nil or empty signer")
	}
	return nil
}

// String returns a redacted placeholder.
func (Signer) String() string { return redactedText("Signer") }

// GoString returns a redacted placeholder.
func (s Signer) GoString() string { return s.String() }

// Format writes a redacted placeholder for every verb.
func (s Signer) Format(f fmt.State, _ rune) { _, _ = io.WriteString(f, s.String()) }

// LogValue returns a redacted placeholder for log/slog.
func (s Signer) LogValue() slog.Value { return slog.StringValue(s.String()) }

// MarshalText returns a redacted placeholder, so that encoding/json and
// text-based loggers never serialize the private key.
func (s Signer) MarshalText() ([]byte, error) { return []byte(s.String()), nil }
