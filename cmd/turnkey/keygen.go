package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"path/filepath"
	"strings"

	"github.com/turnkey-go/turnkey/stamp"
)

func keygenCommand() *command {
	return &command{
		name:     "keygen",
		synopsis: "turnkey keygen --key-name NAME [--curve p256|secp256k1|ed25519] [--keys-dir DIR]",
		help: `Generates a new API key and saves it as the Turnkey CLI does: NAME.private
(mode 0600, the private key's hex and ":<curve>") and NAME.public (the public
key's hex) in the keys dir. It never overwrites an existing key.

It prints the public key; add it to a user of your organization (as an API key
of the curve shown), then use it with --key-name NAME.
`,
		setup: func(fs *flag.FlagSet) runner {
			k := &keygen{}
			fs.StringVar(&k.name, "key-name", "", "`NAME` of the new key; its files are NAME.private and NAME.public (required)")
			fs.StringVar(&k.curve, "curve", string(stamp.CurveP256), "`CURVE` of the key, p256, secp256k1 or ed25519")
			fs.StringVar(&k.dir, "keys-dir", "", "`DIR`: the directory to write the files to (default the Turnkey CLI's, ~/.config/turnkey/keys)")
			return k
		},
	}
}

type keygen struct {
	name, curve, dir string
}

// apiKeyCurves are the names the Turnkey API gives the curves of API keys.
var apiKeyCurves = map[stamp.Curve]string{
	stamp.CurveP256:      "API_KEY_CURVE_P256",
	stamp.CurveSecp256k1: "API_KEY_CURVE_SECP256K1",
	stamp.CurveEd25519:   "API_KEY_CURVE_ED25519",
}

func (k *keygen) run(_ context.Context, e *env, args []string) error {
	if len(args) > 0 {
		return usageError("unexpected argument %q", args[0])
	}
	if k.name == "" {
		return usageError("--key-name is required")
	}
	curve, err := stamp.ParseCurve(k.curve)
	if err != nil {
		return usageError("--curve %q: want p256, secp256k1 or ed25519", k.curve)
	}
	kf := keyFlags{name: k.name, dir: k.dir}
	dir, err := kf.keysDir()
	if err != nil {
		return err
	}
	key, err := stamp.GenerateAPIKey(curve)
	if err != nil {
		return localError(fmt.Errorf("generating the key: %w", err))
	}
	if err := stamp.SaveKeyFile(dir, k.name, key); err != nil {
		switch {
		case errors.Is(err, stamp.ErrInvalidName):
			return badInput("invalid --key-name %q: %v", k.name, err)
		case errors.Is(err, stamp.ErrKeyExists):
			return localError(fmt.Errorf("a key named %q already exists in %s; it was left alone: choose another --key-name, or remove its files first", k.name, dir))
		}
		return localError(fmt.Errorf("saving the key: %w", err))
	}
	if a, err := filepath.Abs(dir); err == nil {
		dir = a
	}
	abs := func(name string) string { return filepath.Join(dir, name) }
	var b strings.Builder
	fmt.Fprintf(&b, "public key:   %s\n", key.PublicKey())
	fmt.Fprintf(&b, "curve:        %s (%s)\n", curve, apiKeyCurves[curve])
	fmt.Fprintf(&b, "private key:  %s (keep it secret)\n", abs(k.name+".private"))
	fmt.Fprintf(&b, "public file:  %s\n", abs(k.name+".public"))
	fmt.Fprintf(&b, "\nAdd the public key to a user of your organization, then try:\n  turnkey whoami --key-name %s", shellQuote(k.name))
	if k.dir != "" {
		fmt.Fprintf(&b, " --keys-dir %s", shellQuote(dir))
	}
	fmt.Fprint(&b, " --organization <organization ID>\n")
	return write(e.stdout, b.String())
}
