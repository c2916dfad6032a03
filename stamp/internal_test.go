package stamp

import (
	"encoding/hex"
	"testing"
)

// decodeHex agrees with encoding/hex on every pair of bytes.
func TestDecodeHexExhaustive(t *testing.T) {
	for a := range 256 {
		for b := range 256 {
			s := string([]byte{byte(a), byte(b)})
			var got [1]byte
			ok := decodeHex(got[:], s)
			want, err := hex.DecodeString(s)
			if ok != (err == nil) || ok && got[0] != want[0] {
				t.Fatalf("decodeHex(%q) = %x, %v; encoding/hex: %x, %v", s, got, ok, want, err)
			}
		}
	}
}

func TestIsStrictDER(t *testing.T) {
	for _, tc := range []struct {
		hex string
		ok  bool
	}{
		{"3006020101020101", true},
		{"300602010102010100", false},     // trailing byte
		{"3007020101020101", false},       // wrong length
		{"3106020101020101", false},       // not a SEQUENCE
		{"3006030101020101", false},       // not an INTEGER
		{"3006020100020101", false},       // r = 0
		{"300702020001020101", false},     // r not minimal
		{"3006020181020101", false},       // r negative
		{"30070202008102010100", false},   // overlong
		{"3007020200810201" + "01", true}, // 0x0081 is minimal
		{"3005020101020100", false},       // truncated
		{"", false},
	} {
		b, err := hex.DecodeString(tc.hex)
		if err != nil {
			t.Fatal(err)
		}
		if got := isStrictDER(b); got != tc.ok {
			t.Errorf("isStrictDER(%s) = %v, want %v", tc.hex, got, tc.ok)
		}
	}
}

// BenchmarkStampOverhead is what Stamp adds to the bare crypto (compare
// BenchmarkBareCrypto): the prefix copy, the hex of a 72-byte DER signature
// (the longest), and the base64url into the result.
func BenchmarkStampOverhead(b *testing.B) {
	k, err := GenerateAPIKey(CurveSecp256k1)
	if err != nil {
		b.Fatal(err)
	}
	sig := make([]byte, 72)
	b.ReportAllocs()
	for b.Loop() {
		var raw [maxRawStamp]byte
		n := copy(raw[:], k.prefix)
		n += hex.Encode(raw[n:], sig)
		_ = finish(&raw, n)
	}
}
