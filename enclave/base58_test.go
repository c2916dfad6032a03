package enclave

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustHex(t testing.TB, s string) []byte {
	t.Helper()
	b, err := hex.DecodeString(s)
	require.NoError(t, err)
	return b
}

// Vectors: the first three are the examples of the base58 IETF draft
// (draft-msporny-base58); the last is Bitcoin's genesis address, a
// base58check encoding of version byte 0x00 followed by a HASH160.
// They were re-derived independently with arbitrary-precision integers.
func TestBase58Vectors(t *testing.T) {
	cases := []struct {
		name    string
		decoded []byte
		encoded string
	}{
		{"empty", nil, ""},
		{"single zero", []byte{0}, "1"},
		{"zeros then one", []byte{0, 0, 1}, "112"},
		{"hello world", []byte("Hello World!"), "2NEpo7TZRRrLZSi2U"},
		{"quick brown fox", []byte("The quick brown fox jumps over the lazy dog."),
			"USm3fpXnKG5EUBx2ndxBDMPVciP5hGey2Jh4NDv6gmeo1LkMeiKrLJUUBk6Z"},
		{"leading zero bytes", mustHex(t, "0000287fb4cd"), "11233QC4"},
		{"byte 57", []byte{57}, "z"},
		{"byte 58", []byte{58}, "21"},
		{"0xff", []byte{0xff}, "5Q"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			assert.Equal(t, c.encoded, base58Encode(c.decoded))
			got, err := base58Decode(c.encoded)
			require.NoError(t, err)
			assert.Equal(t, len(c.decoded), len(got))
			assert.True(t, bytes.Equal(c.decoded, got))
		})
	}
}

func TestBase58CheckVector(t *testing.T) {
	payload := mustHex(t, "0062e907b15cbf27d5425399ebf6f0fb50ebb88f18")
	const address = "1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNa"
	assert.Equal(t, address, base58CheckEncode(payload))

	got, err := base58CheckDecode(address)
	require.NoError(t, err)
	assert.Equal(t, payload, got)

	// Last character altered: the checksum no longer matches.
	_, err = base58CheckDecode("1A1zP1eP5QGefi2DMPTfTL5SLmv7DivfNb")
	assert.ErrorIs(t, err, errBase58Checksum)

	// Fewer than 4 bytes cannot hold a checksum.
	_, err = base58CheckDecode("dang")
	assert.ErrorIs(t, err, errBase58Short)
}

func TestBase58RejectsInvalidCharacters(t *testing.T) {
	for _, s := range []string{"0", "O", "I", "l", "abc+", "abc ", "é", "\x00"} {
		_, err := base58Decode(s)
		assert.ErrorIs(t, err, errBase58Char, "%q", s)
	}
}

func TestBase58RoundTripRandom(t *testing.T) {
	for n := 0; n < 100; n++ {
		b := make([]byte, n)
		_, _ = rand.Read(b)
		if n > 3 {
			b[0], b[1] = 0, 0 // exercise leading zeros
		}
		got, err := base58Decode(base58Encode(b))
		require.NoError(t, err)
		require.True(t, bytes.Equal(b, got), "length %d", n)

		got, err = base58CheckDecode(base58CheckEncode(b))
		require.NoError(t, err)
		require.True(t, bytes.Equal(b, got), "length %d", n)
	}
}

func FuzzBase58(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 1})
	f.Add([]byte("Hello World!"))
	f.Fuzz(func(t *testing.T, b []byte) {
		if len(b) > 4096 {
			b = b[:4096] // base58 is quadratic
		}
		enc := base58Encode(b)
		got, err := base58Decode(enc)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip of %x: %q -> %x, %v", b, enc, got, err)
		}
		// Decoding arbitrary strings must not panic.
		_, _ = base58Decode(string(b))
	})
}
