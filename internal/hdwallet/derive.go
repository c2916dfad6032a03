package hdwallet

import (
	"crypto/ed25519"
	"crypto/hmac"
	"crypto/sha512"
	"encoding/binary"
	"errors"
	"fmt"

	"github.com/decred/dcrd/dcrec/secp256k1/v4"
)

// Curve names the curve keys are derived on.
type Curve int

// The curves Derive supports.
const (
	// Secp256k1 derives by BIP-32 (master key from HMAC-SHA512 keyed
	// "Bitcoin seed"); hardened and normal indexes.
	Secp256k1 Curve = iota + 1
	// Ed25519 derives by SLIP-10 (keyed "ed25519 seed"); hardened indexes
	// only, as SLIP-10 defines no normal derivation for Ed25519.
	Ed25519
)

func (c Curve) String() string {
	switch c {
	case Secp256k1:
		return "secp256k1"
	case Ed25519:
		return "ed25519"
	}
	return fmt.Sprintf("Curve(%d)", int(c))
}

// ErrNotHardened: Ed25519 (SLIP-10) derives hardened children only.
var ErrNotHardened = errors.New("hdwallet: ed25519 derivation (SLIP-10) needs every path component hardened")

// ErrSeedLength: BIP-32 seeds are 16 to 64 bytes.
var ErrSeedLength = errors.New("hdwallet: seed must be 16 to 64 bytes")

// Key is an extended private key: the 32 private bytes (the big-endian
// scalar for secp256k1, the private seed for Ed25519) and the chain code.
type Key struct {
	Curve     Curve
	Private   [32]byte
	ChainCode [32]byte
}

// PublicKey returns the public key: the 33-byte compressed point for
// secp256k1, the 32-byte key for Ed25519.
func (k *Key) PublicKey() []byte {
	if k.Curve == Ed25519 {
		return ed25519.NewKeyFromSeed(k.Private[:])[32:]
	}
	return secp256k1.PrivKeyFromBytes(k.Private[:]).PubKey().SerializeCompressed()
}

// Clear zeroes the private key and chain code.
func (k *Key) Clear() { clear(k.Private[:]); clear(k.ChainCode[:]) }

// Master returns the master key of seed on curve c.
func Master(c Curve, seed []byte) (*Key, error) {
	if len(seed) < 16 || len(seed) > 64 {
		return nil, fmt.Errorf("%w, got %d", ErrSeedLength, len(seed))
	}
	var domain string
	switch c {
	case Secp256k1:
		domain = "Bitcoin seed"
	case Ed25519:
		domain = "ed25519 seed"
	default:
		return nil, fmt.Errorf("hdwallet: unsupported curve %v", c)
	}
	data := seed
	for {
		i := hmacSHA512([]byte(domain), data)
		k := &Key{Curve: c}
		copy(k.Private[:], i[:32])
		copy(k.ChainCode[:], i[32:])
		if c == Ed25519 || validScalar(k.Private[:]) {
			clear(i)
			return k, nil
		}
		// SLIP-10: an invalid master key is retried with I as the data.
		k.Clear()
		data = i
	}
}

// Child derives child index i of k (hardened if i has Hardened set).
func (k *Key) Child(i uint32) (*Key, error) {
	if k.Curve == Ed25519 && i&Hardened == 0 {
		return nil, ErrNotHardened
	}
	data := make([]byte, 0, 37)
	if i&Hardened != 0 {
		data = append(append(data, 0), k.Private[:]...)
	} else {
		data = append(data, k.PublicKey()...)
	}
	data = binary.BigEndian.AppendUint32(data, i)
	defer clear(data)
	for {
		mac := hmacSHA512(k.ChainCode[:], data)
		child := &Key{Curve: k.Curve}
		copy(child.ChainCode[:], mac[32:])
		if k.Curve == Ed25519 {
			copy(child.Private[:], mac[:32])
			clear(mac)
			return child, nil
		}
		var il, parent secp256k1.ModNScalar
		overflow := il.SetByteSlice(mac[:32])
		parent.SetByteSlice(k.Private[:])
		il.Add(&parent)
		if !overflow && !il.IsZero() {
			b := il.Bytes()
			copy(child.Private[:], b[:])
			clear(b[:])
			il.Zero()
			parent.Zero()
			clear(mac)
			return child, nil
		}
		// SLIP-10 (where BIP-32 would skip to i+1, with the same odds of
		// about 2^-127): retry with 0x01 ‖ IR ‖ i.
		data = binary.BigEndian.AppendUint32(append(append(data[:0], 1), mac[32:]...), i)
		clear(mac)
	}
}

// Derive derives the key at path from seed on curve c.
func Derive(c Curve, seed []byte, path Path) (*Key, error) {
	k, err := Master(c, seed)
	if err != nil {
		return nil, err
	}
	for n, i := range path {
		child, err := k.Child(i)
		k.Clear()
		if err != nil {
			return nil, fmt.Errorf("%w (component %d of %v)", err, n+1, path)
		}
		k = child
	}
	return k, nil
}

func hmacSHA512(key, data []byte) []byte {
	m := hmac.New(sha512.New, key)
	m.Write(data)
	return m.Sum(nil)
}

func validScalar(b []byte) bool {
	var s secp256k1.ModNScalar
	overflow := s.SetByteSlice(b)
	ok := !overflow && !s.IsZero()
	s.Zero()
	return ok
}
