package sdk

import (
	"errors"
	"fmt"
	"os"
	"strings"

	"github.com/turnkey-go/turnkey/stamp"
)

// Environment variables read by NewFromEnv and NewFromKeyFile.
const (
	EnvAPIPublicKey   = "TURNKEY_API_PUBLIC_KEY"
	EnvAPIPrivateKey  = "TURNKEY_API_PRIVATE_KEY"
	EnvAPIKeyCurve    = "TURNKEY_API_KEY_CURVE" // p256 (default), secp256k1 or ed25519
	EnvOrganizationID = "TURNKEY_ORGANIZATION_ID"
	EnvBaseURL        = "TURNKEY_BASE_URL"
)

// ErrMissingEnv is returned by NewFromEnv when a required variable is unset.
var ErrMissingEnv = errors.New("sdk: missing environment variable")

// NewFromEnv builds a client from the environment: the API key from
// TURNKEY_API_PRIVATE_KEY (checked against TURNKEY_API_PUBLIC_KEY when set; the
// curve from TURNKEY_API_KEY_CURVE, default p256), the organization from
// TURNKEY_ORGANIZATION_ID and, when set, the base URL from TURNKEY_BASE_URL.
// opts are applied after these, so they win.
func NewFromEnv(opts ...Option) (*Client, error) {
	priv := strings.TrimSpace(os.Getenv(EnvAPIPrivateKey))
	if priv == "" {
		return nil, fmt.Errorf("%w: %s", ErrMissingEnv, EnvAPIPrivateKey)
	}
	curve := stamp.CurveP256
	if s := strings.TrimSpace(os.Getenv(EnvAPIKeyCurve)); s != "" {
		c, err := stamp.ParseCurve(s)
		if err != nil {
			return nil, fmt.Errorf("sdk: %s: %w", EnvAPIKeyCurve, err)
		}
		curve = c
	}
	var parseOpts []stamp.ParseOption
	if pub := strings.TrimSpace(os.Getenv(EnvAPIPublicKey)); pub != "" {
		parseOpts = append(parseOpts, stamp.WithExpectedPublicKey(pub))
	}
	key, err := stamp.ParseAPIKey(curve, priv, parseOpts...)
	if err != nil {
		return nil, fmt.Errorf("sdk: %s: %w", EnvAPIPrivateKey, err)
	}
	return New(append(envOptions(key), opts...)...)
}

// NewFromKeyFile builds a client stamping with an API key saved by the
// Turnkey CLI (or `turnkey keygen`) as <dir>/<name>.private; dir "" means
// stamp.DefaultKeysDir(). The organization and base URL come from
// TURNKEY_ORGANIZATION_ID and TURNKEY_BASE_URL when set; opts win.
func NewFromKeyFile(dir, name string, opts ...Option) (*Client, error) {
	key, err := stamp.LoadKeyFile(dir, name)
	if err != nil {
		return nil, err
	}
	return New(append(envOptions(key), opts...)...)
}

func envOptions(key *stamp.APIKey) []Option {
	opts := []Option{WithStamper(key)}
	if org := strings.TrimSpace(os.Getenv(EnvOrganizationID)); org != "" {
		opts = append(opts, WithOrganizationID(org))
	}
	if u := strings.TrimSpace(os.Getenv(EnvBaseURL)); u != "" {
		opts = append(opts, WithBaseURL(u))
	}
	return opts
}
