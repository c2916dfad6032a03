package turnkeytest

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/hkdf"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"

	"github.com/turnkey-go/turnkey/enclave"
	"github.com/turnkey-go/turnkey/stamp"
)

// MinSeedLength is the shortest seed WithSeed accepts.
const MinSeedLength = 16

// WithSeed makes the server's identity deterministic: the same seed gives
// the same enclave signer key, root organization ID, root user IDs and root
// API keys on every start, so that a simulator restarted with its seed (as
// `turnkey local --state-dir` does) is the same simulator to its clients.
// Only that identity is derived from the seed; everything created later
// (wallets, users, activities) is random and in memory as usual. The seed is
// a secret: whoever has it has the root API key.
// WithSeed copies seed: the caller may clear its own copy at once.
func WithSeed(seed []byte) Option {
	own := append([]byte(nil), seed...)
	return func(c *config) error {
		if len(own) < MinSeedLength {
			return fmt.Errorf("turnkeytest: WithSeed: a seed of %d bytes is too short (at least %d)", len(own), MinSeedLength)
		}
		c.seed = own
		return nil
	}
}

// seeded returns n bytes derived from the seed for label, or nil without
// a seed.
func (s *Server) seeded(label string, n int) []byte {
	if s.cfg.seed == nil {
		return nil
	}
	b, err := hkdf.Key(sha256.New, s.cfg.seed, []byte("turnkeytest seed v1"), label, n)
	if err != nil { // only for lengths far beyond what is asked here
		panic("turnkeytest: hkdf: " + err.Error())
	}
	return b
}

// newP256 returns a P-256 key: derived from the seed for label, or random
// without a seed. Server keys that clients must be able to pin (the enclave
// signer, token-signing keys) are made with it.
func (s *Server) newP256(label string) (*ecdsa.PrivateKey, error) {
	if s.cfg.seed == nil {
		return ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	}
	for i := 0; ; i++ { // a derived scalar is out of range with odds of 2^-32
		b := s.seeded(label+"#"+strconv.Itoa(i), 32)
		k, err := ecdsa.ParseRawPrivateKey(elliptic.P256(), b)
		clear(b)
		if err == nil {
			return k, nil
		}
	}
}

// newSigner returns the enclave signer.
func (s *Server) newSigner() (*enclave.Signer, error) {
	if s.cfg.seed == nil {
		return enclave.NewSigner()
	}
	k, err := s.newP256("enclave signer")
	if err != nil {
		return nil, err
	}
	raw, err := k.Bytes()
	if err != nil {
		return nil, err
	}
	defer clear(raw)
	return enclave.ParseSigner(hex.EncodeToString(raw))
}

// newRootAPIKey returns the API key of the i-th root user.
func (s *Server) newRootAPIKey(i int) (*stamp.APIKey, error) {
	if s.cfg.seed == nil {
		return stamp.GenerateAPIKey(stamp.CurveP256)
	}
	k, err := s.newP256("root api key " + strconv.Itoa(i))
	if err != nil {
		return nil, err
	}
	raw, err := k.Bytes()
	if err != nil {
		return nil, err
	}
	defer clear(raw)
	return stamp.ParseAPIKey(stamp.CurveP256, hex.EncodeToString(raw))
}

// seededID returns a UUID (version 4 layout) derived from the seed for
// label, or "" without a seed.
func (s *Server) seededID(label string) string {
	b := s.seeded("id "+label, 16)
	if b == nil {
		return ""
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:16])
}

// PublishedKey is a public key of the simulator itself that clients may
// need to pin, such as the enclave signer's.
type PublishedKey struct {
	// Name says what the key is for, e.g. "enclave signer".
	Name string
	// PublicKey is the key in hex, as the API and the sdk options take it.
	PublicKey string
}

// PublishedKeys lists the simulator's own public keys, for a client in
// another process or language to pin: the enclave signer that signs export
// and import bundles (EnclaveSignerPublicKey), and any other server key.
// With WithSeed they are the same on every start.
func (s *Server) PublishedKeys() []PublishedKey {
	return []PublishedKey{
		{Name: "enclave signer", PublicKey: s.EnclaveSignerPublicKey()},
		{Name: "session tokens", PublicKey: s.SessionTokenPublicKey()},
		{Name: "OIDC issuer", PublicKey: s.OIDCIssuerPublicKey()},
	}
}
