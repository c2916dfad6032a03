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

// refAlphabet is the Bitcoin base58 alphabet (no 0, O, I, l).
const refAlphabet = "123456789ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz"

// refIndex maps an ASCII byte to its base58 digit value, or -1.
var refIndex = func() [256]int8 {
	var idx [256]int8
	for i := range idx {
		idx[i] = -1
	}
	for i := 0; i < len(refAlphabet); i++ {
		idx[refAlphabet[i]] = int8(i)
	}
	return idx
}()

// refBase58Encode is the schoolbook base58 encoding, quadratic but plain:
// the reference the library's is checked against. It encodes b with the Bitcoin alphabet. Each leading zero byte is
// encoded as a leading '1'.
func refBase58Encode(b []byte) string {
	zeros := 0
	for zeros < len(b) && b[zeros] == 0 {
		zeros++
	}
	// log(256)/log(58) ≈ 1.366, so len*138/100+1 digits always suffice.
	digits := make([]byte, (len(b)-zeros)*138/100+1)
	n := 0 // number of significant digits in use, little-endian
	for _, c := range b[zeros:] {
		carry := int(c)
		for i := 0; i < n; i++ {
			carry += int(digits[i]) << 8
			digits[i] = byte(carry % 58)
			carry /= 58
		}
		for carry > 0 {
			digits[n] = byte(carry % 58)
			n++
			carry /= 58
		}
	}
	out := make([]byte, zeros+n)
	for i := 0; i < zeros; i++ {
		out[i] = refAlphabet[0]
	}
	for i := 0; i < n; i++ {
		out[zeros+i] = refAlphabet[digits[n-1-i]]
	}
	return string(out)
}

// refBase58Decode is the schoolbook decoding, the reference of base58Decode.
// It decodes s with the Bitcoin alphabet. Each leading '1' decodes
// to a leading zero byte. Any character outside the alphabet is an error.
func refBase58Decode(s string) ([]byte, error) {
	zeros := 0
	for zeros < len(s) && s[zeros] == refAlphabet[0] {
		zeros++
	}
	// log(58)/log(256) ≈ 0.733, so len*733/1000+1 bytes always suffice.
	buf := make([]byte, (len(s)-zeros)*733/1000+1)
	n := 0 // number of significant bytes in use, little-endian
	for i := zeros; i < len(s); i++ {
		d := refIndex[s[i]]
		if d < 0 {
			return nil, errBase58Char
		}
		carry := int(d)
		for j := 0; j < n; j++ {
			carry += int(buf[j]) * 58
			buf[j] = byte(carry)
			carry >>= 8
		}
		for carry > 0 {
			buf[n] = byte(carry)
			n++
			carry >>= 8
		}
	}
	out := make([]byte, zeros+n)
	for i := 0; i < n; i++ {
		out[zeros+i] = buf[n-1-i]
	}
	return out, nil
}

func FuzzBase58(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 0, 1})
	f.Add([]byte("Hello World!"))
	f.Fuzz(func(t *testing.T, b []byte) {
		enc := base58Encode(b)
		got, err := base58Decode(enc)
		if err != nil || !bytes.Equal(got, b) {
			t.Fatalf("round trip of %x: %q -> %x, %v", b, enc, got, err)
		}
		if len(b) <= 512 { // the schoolbook reference is quadratic
			if ref := refBase58Encode(b); ref != enc {
				t.Fatalf("encoding of %x: %q, the reference says %q", b, enc, ref)
			}
			got, err := base58Decode(string(b))
			ref, refErr := refBase58Decode(string(b))
			if (err == nil) != (refErr == nil) || !bytes.Equal(got, ref) {
				t.Fatalf("decoding of %q: %x, %v; the reference says %x, %v", b, got, err, ref, refErr)
			}
			return
		}
		// Decoding arbitrary strings must not panic.
		_, _ = base58Decode(string(b))
	})
}

// BenchmarkBase58 encodes and decodes 4 KiB, the size the fuzzer reaches.
func BenchmarkBase58(b *testing.B) {
	data := bytes.Repeat([]byte{0xa5, 0x3c, 0x96, 0x0f}, 1024)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := base58Decode(base58Encode(data)); err != nil {
			b.Fatal(err)
		}
	}
}
