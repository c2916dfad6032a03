// Package hdwallet derives hierarchical deterministic keys from a seed:
// BIP-32 for secp256k1 and SLIP-10 for Ed25519, along BIP-32 paths such as
// m/44'/60'/0'/0/0.
package hdwallet

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Hardened is added to an index to harden it (written i' or ih).
const Hardened uint32 = 1 << 31

// ErrBadPath: a path is not m followed by /index components, each a
// decimal number below 2^31 optionally followed by ', h or H.
var ErrBadPath = errors.New("hdwallet: not a BIP-32 path such as m/44'/60'/0'/0/0")

// Path is a parsed derivation path: the child indexes from the master key,
// hardened ones with Hardened set.
type Path []uint32

// ParsePath parses a BIP-32 path: "m", then "/i" components where i is a
// decimal index below 2^31, hardened when followed by ', h or H.
func ParsePath(s string) (Path, error) {
	parts := strings.Split(s, "/")
	if parts[0] != "m" {
		return nil, fmt.Errorf("%w: %q must start with m", ErrBadPath, s)
	}
	p := make(Path, 0, len(parts)-1)
	for i, c := range parts[1:] {
		var h uint32
		if n := len(c); n > 0 && (c[n-1] == '\'' || c[n-1] == 'h' || c[n-1] == 'H') {
			c, h = c[:n-1], Hardened
		}
		if c == "" || (len(c) > 1 && c[0] == '0') || strings.TrimLeft(c, "0123456789") != "" {
			return nil, fmt.Errorf("%w: component %d of %q is not an index", ErrBadPath, i+1, s)
		}
		v, err := strconv.ParseUint(c, 10, 32)
		if err != nil || uint32(v) >= Hardened {
			return nil, fmt.Errorf("%w: component %d of %q is not below 2^31", ErrBadPath, i+1, s)
		}
		p = append(p, uint32(v)|h)
	}
	return p, nil
}

// String writes p with ' for hardened indexes.
func (p Path) String() string {
	var b strings.Builder
	b.WriteString("m")
	for _, i := range p {
		b.WriteString("/")
		b.WriteString(strconv.FormatUint(uint64(i&^Hardened), 10))
		if i&Hardened != 0 {
			b.WriteString("'")
		}
	}
	return b.String()
}
