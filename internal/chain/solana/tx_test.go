package solana

import (
	"bytes"
	"crypto/ed25519"
	"encoding/binary"
	"errors"
	"testing"
)

// transferMessage builds a system-program transfer message by hand, as the
// Solana wire format defines it (legacy, or v0 with one lookup table).
func transferMessage(from, to PublicKey, lamports uint64, v0 bool) []byte {
	var m []byte
	if v0 {
		m = append(m, 0x80)
	}
	m = append(m, 1, 0, 1, 3) // header; 3 account keys
	m = append(m, from[:]...)
	m = append(m, to[:]...)
	m = append(m, make([]byte, 32)...) // the system program, 1111...1
	m = append(m, bytes.Repeat([]byte{0xbb}, 32)...)
	data := binary.LittleEndian.AppendUint32(nil, 2) // Transfer
	data = binary.LittleEndian.AppendUint64(data, lamports)
	m = append(m, 1, 2, 2, 0, 1, byte(len(data)))
	m = append(m, data...)
	if v0 {
		m = append(m, 1)
		m = append(m, bytes.Repeat([]byte{0xcc}, 32)...)
		m = append(m, 1, 5, 0)
	}
	return m
}

func TestParseAndSign(t *testing.T) {
	pub, key, _ := ed25519.GenerateKey(nil)
	from := PublicKey(pub)
	to := PublicKey(bytes.Repeat([]byte{7}, 32))
	for _, v0 := range []bool{false, true} {
		msg := transferMessage(from, to, 1_000_000, v0)
		unsigned := append(append([]byte{1}, make([]byte, 64)...), msg...)
		for _, input := range [][]byte{unsigned, msg} {
			tx, isMsg, err := Parse(input)
			if err != nil {
				t.Fatalf("v0=%v: %v", v0, err)
			}
			if isMsg != (len(input) == len(msg)) {
				t.Fatalf("isMessage = %v", isMsg)
			}
			m := tx.Message
			if (m.Version == 0) != v0 || len(m.AccountKeys) != 3 || m.AccountKeys[0] != from || m.AccountKeys[1] != to {
				t.Fatalf("parsed %+v", m)
			}
			if ids := m.ProgramIDs(); len(ids) != 1 || ids[0].String() != "11111111111111111111111111111111" {
				t.Fatalf("program ids %v", ids)
			}
			if in := m.Instructions[0]; !bytes.Equal(in.Accounts, []byte{0, 1}) || binary.LittleEndian.Uint64(in.Data[4:]) != 1_000_000 {
				t.Fatalf("instruction %+v", in)
			}
			if v0 && (len(m.AddressTableLookups) != 1 || m.AddressTableLookups[0].WritableIndexes[0] != 5) {
				t.Fatalf("lookups %+v", m.AddressTableLookups)
			}
			if err := tx.Sign(key); err != nil {
				t.Fatal(err)
			}
			signed := tx.Bytes()
			if !bytes.Equal(signed[65:], msg) || signed[0] != 1 {
				t.Fatal("the signed transaction must be 1 signature then the message")
			}
			if !ed25519.Verify(pub, msg, signed[1:65]) {
				t.Fatal("signature does not verify")
			}
		}
	}
	_, other, _ := ed25519.GenerateKey(nil)
	tx, _, _ := Parse(transferMessage(from, to, 1, false))
	if err := tx.Sign(other); !errors.Is(err, ErrNotSigner) {
		t.Fatalf("Sign by a non-signer = %v", err)
	}
}

func TestMalformed(t *testing.T) {
	good := transferMessage(PublicKey{1}, PublicKey{2}, 5, false)
	for name, b := range map[string][]byte{
		"empty":       {},
		"truncated":   good[:len(good)-1],
		"trailing":    append(append([]byte{}, good...), 0),
		"version 1":   append([]byte{0x81}, good...),
		"no signers":  append([]byte{0}, good[1:]...),
		"bad program": bytes.Replace(append([]byte{}, good...), []byte{1, 2, 2, 0, 1}, []byte{1, 9, 2, 0, 1}, 1),
	} {
		if _, _, err := Parse(b); !errors.Is(err, ErrMalformed) {
			t.Errorf("%s: %v", name, err)
		}
	}
	r := &reader{b: []byte{0x80, 0x00}}
	if _, err := r.compactU16("x"); !errors.Is(err, ErrMalformed) {
		t.Error("non-canonical compact-u16 accepted")
	}
	for _, v := range []int{0, 1, 127, 128, 16383, 16384, 65535} {
		r := &reader{b: appendCompactU16(nil, v)}
		if got, err := r.compactU16("x"); err != nil || got != v {
			t.Errorf("compact-u16 %d: %d, %v", v, got, err)
		}
	}
}

func TestBase58(t *testing.T) {
	for in, want := range map[string]string{"": "", "\x00": "1", "\x00\x00\x01": "112", "hello world": "StV1DL6CwTryKyV"} {
		if got := Base58([]byte(in)); got != want {
			t.Errorf("Base58(%q) = %q, want %q", in, got, want)
		}
	}
}
