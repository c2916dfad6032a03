package turnkeytest

import (
	"encoding/binary"
	"math/bits"
)

// Keccak-256 as Ethereum uses it: the Keccak sponge (capacity 512, rate 136
// bytes) with the original Keccak padding (0x01 ... 0x80), not the FIPS 202
// padding of SHA3-256 (0x06 ... 0x80). The module may not depend on
// golang.org/x/crypto, and the standard library's crypto/sha3 has no legacy
// Keccak, so it is implemented here; keccak_test.go checks it against known
// answers and, with SHA-3 padding, against crypto/sha3.

const keccakRate = 136 // bytes absorbed per permutation

// keccak256 returns the Keccak-256 digest of the concatenation of data.
func keccak256(data ...[]byte) [32]byte {
	return sponge256(0x01, data...)
}

// sponge256 absorbs data with the given domain-separation byte (0x01 for
// Keccak, 0x06 for SHA3) and squeezes 32 bytes.
func sponge256(dsbyte byte, data ...[]byte) [32]byte {
	var a [25]uint64
	var block [keccakRate]byte
	n := 0
	for _, d := range data {
		for len(d) > 0 {
			c := copy(block[n:], d)
			n += c
			d = d[c:]
			if n == keccakRate {
				absorb(&a, &block)
				n = 0
			}
		}
	}
	clear(block[n:])
	block[n] ^= dsbyte
	block[keccakRate-1] ^= 0x80
	absorb(&a, &block)
	var out [32]byte
	for i := range 4 {
		binary.LittleEndian.PutUint64(out[8*i:], a[i])
	}
	return out
}

func absorb(a *[25]uint64, block *[keccakRate]byte) {
	for i := range keccakRate / 8 {
		a[i] ^= binary.LittleEndian.Uint64(block[8*i:])
	}
	keccakF1600(a)
}

var keccakRoundConstants = [24]uint64{
	0x0000000000000001, 0x0000000000008082, 0x800000000000808a, 0x8000000080008000,
	0x000000000000808b, 0x0000000080000001, 0x8000000080008081, 0x8000000000008009,
	0x000000000000008a, 0x0000000000000088, 0x0000000080008009, 0x000000008000000a,
	0x000000008000808b, 0x800000000000008b, 0x8000000000008089, 0x8000000000008003,
	0x8000000000008002, 0x8000000000000080, 0x000000000000800a, 0x800000008000000a,
	0x8000000080008081, 0x8000000000008080, 0x0000000080000001, 0x8000000080008008,
}

// keccakRotations and keccakPiLanes drive the combined rho and pi steps: lane
// keccakPiLanes[i] receives the previous lane rotated by keccakRotations[i].
var (
	keccakRotations = [24]int{1, 3, 6, 10, 15, 21, 28, 36, 45, 55, 2, 14, 27, 41, 56, 8, 25, 43, 62, 18, 39, 61, 20, 44}
	keccakPiLanes   = [24]int{10, 7, 11, 17, 18, 3, 5, 16, 8, 21, 24, 4, 15, 23, 19, 13, 12, 2, 20, 14, 22, 9, 6, 1}
)

// keccakF1600 is the Keccak-f[1600] permutation, in its compact textbook
// form (speed does not matter here).
func keccakF1600(a *[25]uint64) {
	var c [5]uint64
	for round := range 24 {
		// theta
		for x := range 5 {
			c[x] = a[x] ^ a[x+5] ^ a[x+10] ^ a[x+15] ^ a[x+20]
		}
		for x := range 5 {
			d := c[(x+4)%5] ^ bits.RotateLeft64(c[(x+1)%5], 1)
			for y := 0; y < 25; y += 5 {
				a[y+x] ^= d
			}
		}
		// rho and pi
		t := a[1]
		for i := range 24 {
			j := keccakPiLanes[i]
			t, a[j] = a[j], bits.RotateLeft64(t, keccakRotations[i])
		}
		// chi
		for y := 0; y < 25; y += 5 {
			copy(c[:], a[y:y+5])
			for x := range 5 {
				a[y+x] = c[x] ^ (^c[(x+1)%5] & c[(x+2)%5])
			}
		}
		// iota
		a[0] ^= keccakRoundConstants[round]
	}
}
