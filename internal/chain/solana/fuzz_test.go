package solana

import (
	"bytes"
	"crypto/ed25519"
	"testing"
)

// Any input either fails to parse or parses into a transaction that
// serializes to a transaction Parse reads back the same; nothing panics.
func FuzzParse(f *testing.F) {
	pub, _, _ := ed25519.GenerateKey(nil)
	f.Add(transferMessage(PublicKey(pub), PublicKey{1}, 5, false))
	f.Add(transferMessage(PublicKey(pub), PublicKey{1}, 5, true))
	f.Add([]byte{1, 0, 0})
	f.Add([]byte{0xff, 0xff, 0xff})
	f.Fuzz(func(t *testing.T, raw []byte) {
		tx, _, err := Parse(raw)
		if err != nil {
			return
		}
		b := tx.Bytes()
		back, isMsg, err := Parse(b)
		if err != nil || isMsg {
			t.Fatalf("serialized transaction does not parse back as one: %v", err)
		}
		if !bytes.Equal(back.Bytes(), b) || !bytes.Equal(back.MessageBytes, tx.MessageBytes) {
			t.Fatal("serialization is not stable")
		}
	})
}
