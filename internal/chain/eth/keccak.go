// Package eth parses and signs Ethereum transactions for the simulator:
// RLP, the legacy (EIP-155), EIP-2930 and EIP-1559 transaction types, their
// signing hashes, Keccak-256 and EIP-55 addresses. Parsed transactions keep
// their fields exported (To, Value, Data, ChainID, ...) so that policy
// conditions can read them.
package eth

import (
	"encoding/hex"

	"golang.org/x/crypto/sha3"
)

// Keccak256 returns the Keccak-256 digest (the pre-standard padding Ethereum
// uses, not SHA3-256) of the concatenation of data.
func Keccak256(data ...[]byte) [32]byte {
	h := sha3.NewLegacyKeccak256()
	for _, d := range data {
		h.Write(d)
	}
	var out [32]byte
	h.Sum(out[:0])
	return out
}

// Address is a 20-byte Ethereum address.
type Address [20]byte

// AddressOf returns the address of an uncompressed secp256k1 public key
// (65 bytes, 0x04 ‖ X ‖ Y): the last 20 bytes of Keccak-256(X ‖ Y).
func AddressOf(uncompressed []byte) Address {
	var a Address
	h := Keccak256(uncompressed[1:])
	copy(a[:], h[12:])
	return a
}

// String writes a with the EIP-55 mixed-case checksum, 0x-prefixed.
func (a Address) String() string {
	lower := hex.EncodeToString(a[:])
	h := Keccak256([]byte(lower))
	out := []byte("0x" + lower)
	for i := range lower {
		nibble := h[i/2] >> 4
		if i%2 == 1 {
			nibble = h[i/2] & 0x0f
		}
		if c := out[2+i]; c >= 'a' && nibble >= 8 {
			out[2+i] = c - 'a' + 'A'
		}
	}
	return string(out)
}
