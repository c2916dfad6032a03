package eth

import (
	"bytes"
	"encoding/hex"
	"testing"
)

// Any input either fails to parse or parses into a transaction whose
// unsigned form parses back to the same fields; nothing panics.
func FuzzParseUnsigned(f *testing.F) {
	f.Add(unhexF("ec098504a817c800825208943535353535353535353535353535353535353535880de0b6b3a764000080018080"))
	f.Add(unhexF("02c90180010182520880808080c0"))
	f.Add([]byte{0x01, 0xc0})
	f.Add([]byte{0xf9, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, raw []byte) {
		tx, err := ParseUnsigned(raw)
		if err != nil {
			return
		}
		p := tx.SigningPayload()
		back, err := ParseUnsigned(p)
		if err != nil {
			t.Fatalf("re-encoded transaction does not parse: %v", err)
		}
		if !bytes.Equal(back.SigningPayload(), p) {
			t.Fatal("re-encoding is not stable")
		}
	})
}

func unhexF(s string) []byte {
	b, err := hex.DecodeString(s)
	if err != nil {
		panic(err)
	}
	return b
}
