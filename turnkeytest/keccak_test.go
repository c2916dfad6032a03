package turnkeytest

import (
	"bytes"
	"crypto/sha3"
	"encoding/hex"
	"math/rand/v2"
	"strings"
	"testing"
)

func TestKeccak256KnownAnswers(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", "c5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470"},
		{"abc", "4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45"},
		{"The quick brown fox jumps over the lazy dog", "4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15"},
		// Well-known Ethereum values: the ERC-20 Transfer event topic.
		{"Transfer(address,address,uint256)", "ddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef"},
	} {
		got := keccak256([]byte(tc.in))
		if hex.EncodeToString(got[:]) != tc.want {
			t.Errorf("keccak256(%d bytes %.10q) = %x, want %s", len(tc.in), tc.in, got, tc.want)
		}
	}
}

// With SHA-3 padding the same sponge must agree with crypto/sha3 on inputs
// of every length around the block boundaries, split in any way.
func TestSpongeMatchesSHA3(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 3*keccakRate+2; n++ {
		msg := make([]byte, n)
		for i := range msg {
			msg[i] = byte(rng.Uint32())
		}
		want := sha3.Sum256(msg)
		cut := 0
		if n > 0 {
			cut = rng.IntN(n + 1)
		}
		if got := sponge256(0x06, msg[:cut], msg[cut:]); !bytes.Equal(got[:], want[:]) {
			t.Fatalf("SHA3-256 of %d bytes (split at %d) = %x, want %x", n, cut, got, want)
		}
	}
}

func TestKeccak256Selectors(t *testing.T) {
	// ERC-20 function selectors: the first 4 bytes of the digest.
	for sig, want := range map[string]string{
		"transfer(address,uint256)": "a9059cbb",
		"balanceOf(address)":        "70a08231",
		"approve(address,uint256)":  "095ea7b3",
	} {
		if got := keccak256([]byte(sig)); hex.EncodeToString(got[:4]) != want {
			t.Errorf("selector of %s = %x, want %s", sig, got[:4], want)
		}
	}
}

func TestEthereumAddress(t *testing.T) {
	// The secp256k1 key with scalar 1 has a well-known Ethereum address.
	k, err := keyFromBytes(curveSecp256k1, append(make([]byte, 31), 1))
	if err != nil {
		t.Fatal(err)
	}
	got, err := k.address(addrEthereum)
	if err != nil {
		t.Fatal(err)
	}
	if want := "0x7E5F4552091A69125d5DfCb7b8C2659029395Bdf"; got != want {
		t.Errorf("address = %s, want %s", got, want)
	}
	// EIP-55 test vectors.
	for _, want := range []string{
		"0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
		"0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
		"0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
		"0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
	} {
		raw, _ := hex.DecodeString(strings.ToLower(want[2:]))
		if got := eip55(raw); got != want {
			t.Errorf("eip55 = %s, want %s", got, want)
		}
	}
}
