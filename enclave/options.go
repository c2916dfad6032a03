package enclave

import (
	"encoding/hex"
)

// ProductionSignerPublicKey is the public key (uncompressed P-256, hex) of
// Turnkey's production signer enclave quorum. Signed export and import
// bundles must be signed by it unless WithSignerPublicKey pins another key.
const ProductionSignerPublicKey = "04cf288fe433cc4e1aa0ce1632feac4ea26bf2f5a09dcfe5a42c398e06898710330f0572882f4dbdf0f5304b8fc8703acd69adca9a4bbf7f5d00d20a5e364b2569"

// Option configures the verification of signed (export and import) bundles.
// An Option returns an error for invalid input instead of panicking; that
// error is returned by the function the option was passed to.
type Option func(*config) error

// config is the verification configuration assembled from Options.
type config struct {
	// signer is the pinned signer public key, uncompressed (65 bytes).
	signer []byte
}

// WithSignerPublicKey pins hexKey, an uncompressed P-256 public key in hex
// (65 bytes, starting with 04), as the only accepted bundle signer instead of
// ProductionSignerPublicKey.
//
// Use it for a non-production enclave, such as a local API simulator whose
// key is Signer.PublicKeyHex. Never build hexKey from the bundle itself: that
// would defeat the pinning.
func WithSignerPublicKey(hexKey string) Option {
	return func(c *config) error {
		raw, err := parseP256PublicKeyHex(hexKey)
		if err != nil {
			return &BundleError{Kind: ErrBadPublicKey, Field: "WithSignerPublicKey", Detail: err.Error()}
		}
		c.signer = raw.Bytes()
		return nil
	}
}

// productionSigner is ProductionSignerPublicKey decoded.
var productionSigner = func() []byte {
	b, err := hex.DecodeString(ProductionSignerPublicKey)
	if err != nil {
		panic("enclave: bad ProductionSignerPublicKey constant")
	}
	return b
}()

// newConfig applies opts over the defaults.
func newConfig(op string, opts []Option) (*config, error) {
	c := &config{signer: productionSigner}
	for _, opt := range opts {
		if opt == nil {
			continue
		}
		if err := opt(c); err != nil {
			if be, ok := err.(*BundleError); ok {
				cp := *be
				cp.Op = op
				return nil, &cp
			}
			return nil, &BundleError{Op: op, Kind: ErrInvalidInput, Detail: "option failed", Err: err}
		}
	}
	return c, nil
}

// signerHex is the pinned signer key in lower-case hex.
func (c *config) signerHex() string { return hex.EncodeToString(c.signer) }
