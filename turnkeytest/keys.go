package turnkeytest

import (
	"crypto/ed25519"
	"crypto/rand"
	"encoding/hex"
	"strings"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"

	"github.com/turnkey-go/turnkey/internal/chain/eth"
	"github.com/turnkey-go/turnkey/internal/chain/solana"
	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
	"github.com/turnkey-go/turnkey/internal/hdwallet"
)

// Short names for the curves and address formats the simulator supports.
const (
	curveSecp256k1 = gen.CurveSecp256K1
	curveEd25519   = gen.CurveEd25519

	addrCompressed   = gen.AddressFormatCompressed
	addrUncompressed = gen.AddressFormatUncompressed
	addrEthereum     = gen.AddressFormatEthereum
	addrSolana       = gen.AddressFormatSolana
)

// keyPair is the private key of a wallet account or of a private key:
// secp256k1 (decred) or Ed25519.
type keyPair struct {
	curve gen.Curve
	k1    *secp256k1.PrivateKey
	ed    ed25519.PrivateKey
}

// checkCurve fails on a curve the simulator does not generate keys on.
func checkCurve(c gen.Curve) error {
	switch c {
	case curveSecp256k1, curveEd25519:
		return nil
	case "":
		return invalidArgument("curve is required")
	case gen.CurveP256:
		return invalidArgument("curve %s is not simulated (simulated: %s, %s)", c, curveSecp256k1, curveEd25519)
	}
	return invalidArgument("unknown curve %q", c)
}

// checkAddressFormat fails on an address format the simulator cannot derive
// for curve.
func checkAddressFormat(c gen.Curve, f gen.AddressFormat) error {
	ok := false
	switch f {
	case addrCompressed:
		ok = true
	case addrUncompressed, addrEthereum:
		ok = c == curveSecp256k1
	case addrSolana:
		ok = c == curveEd25519
	default:
		if !f.Valid() {
			return invalidArgument("unknown address format %q", f)
		}
		return invalidArgument("address format %s is not simulated (simulated: %s, %s, %s for %s; %s, %s for %s)",
			f, addrCompressed, addrUncompressed, addrEthereum, curveSecp256k1, addrCompressed, addrSolana, curveEd25519)
	}
	if !ok {
		return invalidArgument("address format %s does not apply to curve %s", f, c)
	}
	return nil
}

// newRandomKey generates a key on curve c from crypto/rand.
func newRandomKey(c gen.Curve) (*keyPair, error) {
	var b [32]byte
	for {
		_, _ = rand.Read(b[:])
		k, err := keyFromBytes(c, b[:])
		if err == nil {
			clear(b[:])
			return k, nil
		}
		if c != curveSecp256k1 { // only a secp256k1 scalar can be out of range
			return nil, err
		}
	}
}

// keyFromBytes makes a key from its 32 private bytes: the big-endian scalar
// for secp256k1, the seed for Ed25519.
func keyFromBytes(c gen.Curve, b []byte) (*keyPair, error) {
	if len(b) != 32 {
		return nil, invalidArgument("private key: want 32 bytes, got %d", len(b))
	}
	switch c {
	case curveSecp256k1:
		var s secp256k1.ModNScalar
		if s.SetByteSlice(b) || s.IsZero() {
			return nil, invalidArgument("private key: not a valid secp256k1 scalar")
		}
		return &keyPair{curve: c, k1: secp256k1.NewPrivateKey(&s)}, nil
	case curveEd25519:
		return &keyPair{curve: c, ed: ed25519.NewKeyFromSeed(b)}, nil
	}
	return nil, checkCurve(c)
}

// privateBytes returns the 32 private bytes, as exports carry them.
func (k *keyPair) privateBytes() []byte {
	if k.curve == curveSecp256k1 {
		return k.k1.Serialize()
	}
	return append([]byte(nil), k.ed.Seed()...)
}

// publicKey returns the compressed secp256k1 point or the Ed25519 key.
func (k *keyPair) publicKey() []byte {
	if k.curve == curveSecp256k1 {
		return k.k1.PubKey().SerializeCompressed()
	}
	return append([]byte(nil), k.ed[32:]...)
}

func (k *keyPair) publicKeyHex() string { return hex.EncodeToString(k.publicKey()) }

// address derives the address of the key in format f.
func (k *keyPair) address(f gen.AddressFormat) (string, error) {
	if err := checkAddressFormat(k.curve, f); err != nil {
		return "", err
	}
	switch f {
	case addrUncompressed:
		return hex.EncodeToString(k.k1.PubKey().SerializeUncompressed()), nil
	case addrEthereum:
		return eth.AddressOf(k.k1.PubKey().SerializeUncompressed()).String(), nil
	case addrSolana:
		return solana.Base58(k.publicKey()), nil
	}
	return k.publicKeyHex(), nil
}

// checkAccountParams validates the parameters of one wallet account.
func checkAccountParams(field string, p gen.WalletAccountParams) error {
	if err := checkCurve(p.Curve); err != nil {
		return invalidArgument("%s: %s", field, strings.TrimPrefix(err.Error(), "turnkeytest: "))
	}
	if p.PathFormat != gen.PathFormatBip32 {
		return invalidArgument("%s: pathFormat must be %s, got %q", field, gen.PathFormatBip32, p.PathFormat)
	}
	path, err := hdwallet.ParsePath(p.Path)
	if err != nil {
		return invalidArgument("%s: path %q is not a BIP-32 path such as m/44'/60'/0'/0/0", field, p.Path)
	}
	if p.Curve == curveEd25519 && !allHardened(path) {
		return invalidArgument("%s: path %q: %s keys derive by SLIP-10, whose every path component is hardened, such as m/44'/501'/0'/0'", field, p.Path, curveEd25519)
	}
	if err := checkAddressFormat(p.Curve, p.AddressFormat); err != nil {
		return invalidArgument("%s: %s", field, strings.TrimPrefix(err.Error(), "turnkeytest: "))
	}
	return nil
}

// deriveKey derives the key of a wallet account from the wallet's BIP-39
// seed: BIP-32 for secp256k1, SLIP-10 for Ed25519, as real wallets do.
func deriveKey(seed []byte, c gen.Curve, path string) (*keyPair, error) {
	p, err := hdwallet.ParsePath(path)
	if err != nil {
		return nil, invalidArgument("path %q is not a BIP-32 path such as m/44'/60'/0'/0/0", path)
	}
	hc := hdwallet.Secp256k1
	if c == curveEd25519 {
		hc = hdwallet.Ed25519
	}
	k, err := hdwallet.Derive(hc, seed, p)
	if err != nil {
		return nil, invalidArgument("path %q: %v", path, err)
	}
	defer k.Clear()
	return keyFromBytes(c, k.Private[:])
}

func allHardened(p hdwallet.Path) bool {
	for _, i := range p {
		if i&hdwallet.Hardened == 0 {
			return false
		}
	}
	return true
}
