// Package solana parses and signs Solana transactions for the simulator:
// legacy and v0 messages, the transactions that carry them, and their
// signatures. Parsed messages keep their fields exported (account keys,
// instructions, program IDs, ...) so that policy conditions can read them.
package solana

import (
	"crypto/ed25519"
	"errors"
	"fmt"
)

// ErrMalformed: the bytes are not a Solana transaction or message.
var ErrMalformed = errors.New("solana: malformed transaction")

// ErrNotSigner: the key is not one of the message's required signers.
var ErrNotSigner = errors.New("solana: key is not a required signer of the message")

// PublicKey is a 32-byte Ed25519 public key (an account address).
type PublicKey [32]byte

// String writes k in base58, as Solana addresses are written.
func (k PublicKey) String() string { return Base58(k[:]) }

// Header counts the signers and read-only accounts of a message.
type Header struct {
	NumRequiredSignatures       uint8
	NumReadonlySignedAccounts   uint8
	NumReadonlyUnsignedAccounts uint8
}

// Instruction is a compiled instruction: indexes into the message's account
// keys (followed, for v0 messages, by the looked-up addresses).
type Instruction struct {
	ProgramIDIndex uint8
	Accounts       []uint8
	Data           []byte
}

// AddressTableLookup is a v0 message's use of an address lookup table.
type AddressTableLookup struct {
	AccountKey      PublicKey
	WritableIndexes []uint8
	ReadonlyIndexes []uint8
}

// Message is a parsed Solana message.
type Message struct {
	// Version is -1 for a legacy message, else the versioned message's
	// version (0).
	Version         int
	Header          Header
	AccountKeys     []PublicKey
	RecentBlockhash [32]byte
	Instructions    []Instruction
	// AddressTableLookups is empty for legacy messages.
	AddressTableLookups []AddressTableLookup
}

// ProgramIDs returns the program of each instruction, in order, when it is
// one of the static account keys (always, for valid messages).
func (m *Message) ProgramIDs() []PublicKey {
	out := make([]PublicKey, 0, len(m.Instructions))
	for _, in := range m.Instructions {
		if int(in.ProgramIDIndex) < len(m.AccountKeys) {
			out = append(out, m.AccountKeys[in.ProgramIDIndex])
		}
	}
	return out
}

// Signers returns the account keys that must sign.
func (m *Message) Signers() []PublicKey {
	return m.AccountKeys[:m.Header.NumRequiredSignatures]
}

// Transaction is a parsed transaction: one signature slot per required
// signer (all zero when unsigned) and the message they sign.
type Transaction struct {
	Signatures [][64]byte
	Message    Message
	// MessageBytes is the serialized message: what the signatures sign.
	MessageBytes []byte
}

// Parse parses raw as a serialized transaction (signature slots, then the
// message) or, failing that, as a bare message, which gets one zero
// signature slot per required signer. isMessage reports which it was.
func Parse(raw []byte) (tx *Transaction, isMessage bool, err error) {
	if tx, err := parseTransaction(raw); err == nil {
		return tx, false, nil
	}
	m, err := parseMessage(raw)
	if err != nil {
		return nil, false, err
	}
	return &Transaction{Signatures: make([][64]byte, m.Header.NumRequiredSignatures), Message: *m,
		MessageBytes: append([]byte(nil), raw...)}, true, nil
}

func parseTransaction(raw []byte) (*Transaction, error) {
	r := &reader{b: raw}
	n, err := r.compactU16("signature count")
	if err != nil {
		return nil, err
	}
	tx := &Transaction{Signatures: make([][64]byte, n)}
	for i := range tx.Signatures {
		b, err := r.take(64, "signature")
		if err != nil {
			return nil, err
		}
		copy(tx.Signatures[i][:], b)
	}
	msg := r.b[r.off:]
	m, err := parseMessage(msg)
	if err != nil {
		return nil, err
	}
	if int(m.Header.NumRequiredSignatures) != n {
		return nil, fmt.Errorf("%w: %d signatures for %d required signers", ErrMalformed, n, m.Header.NumRequiredSignatures)
	}
	tx.Message, tx.MessageBytes = *m, append([]byte(nil), msg...)
	return tx, nil
}

func parseMessage(raw []byte) (*Message, error) {
	r := &reader{b: raw}
	m := &Message{Version: -1}
	first, err := r.byte("header")
	if err != nil {
		return nil, err
	}
	if first&0x80 != 0 {
		m.Version = int(first & 0x7f)
		if m.Version != 0 {
			return nil, fmt.Errorf("%w: message version %d (only legacy and v0 exist)", ErrMalformed, m.Version)
		}
		if first, err = r.byte("header"); err != nil {
			return nil, err
		}
	}
	m.Header.NumRequiredSignatures = first
	if m.Header.NumReadonlySignedAccounts, err = r.byte("header"); err != nil {
		return nil, err
	}
	if m.Header.NumReadonlyUnsignedAccounts, err = r.byte("header"); err != nil {
		return nil, err
	}
	n, err := r.compactU16("account key count")
	if err != nil {
		return nil, err
	}
	m.AccountKeys = make([]PublicKey, n)
	for i := range m.AccountKeys {
		b, err := r.take(32, "account key")
		if err != nil {
			return nil, err
		}
		copy(m.AccountKeys[i][:], b)
	}
	h := m.Header
	if h.NumRequiredSignatures == 0 || int(h.NumRequiredSignatures) > n ||
		h.NumReadonlySignedAccounts >= h.NumRequiredSignatures ||
		int(h.NumRequiredSignatures)+int(h.NumReadonlyUnsignedAccounts) > n {
		return nil, fmt.Errorf("%w: header %+v does not fit %d account keys", ErrMalformed, h, n)
	}
	b, err := r.take(32, "recent blockhash")
	if err != nil {
		return nil, err
	}
	copy(m.RecentBlockhash[:], b)
	if n, err = r.compactU16("instruction count"); err != nil {
		return nil, err
	}
	m.Instructions = make([]Instruction, n)
	for i := range m.Instructions {
		in := &m.Instructions[i]
		if in.ProgramIDIndex, err = r.byte("program id index"); err != nil {
			return nil, err
		}
		if int(in.ProgramIDIndex) >= len(m.AccountKeys) {
			return nil, fmt.Errorf("%w: instruction %d: program id index %d out of the %d account keys", ErrMalformed, i, in.ProgramIDIndex, len(m.AccountKeys))
		}
		if in.Accounts, err = r.bytes("instruction accounts"); err != nil {
			return nil, err
		}
		if in.Data, err = r.bytes("instruction data"); err != nil {
			return nil, err
		}
	}
	m.AddressTableLookups = []AddressTableLookup{}
	if m.Version == 0 {
		if n, err = r.compactU16("address table lookup count"); err != nil {
			return nil, err
		}
		for range n {
			var l AddressTableLookup
			b, err := r.take(32, "lookup table key")
			if err != nil {
				return nil, err
			}
			copy(l.AccountKey[:], b)
			if l.WritableIndexes, err = r.bytes("writable indexes"); err != nil {
				return nil, err
			}
			if l.ReadonlyIndexes, err = r.bytes("readonly indexes"); err != nil {
				return nil, err
			}
			m.AddressTableLookups = append(m.AddressTableLookups, l)
		}
	}
	if r.off != len(r.b) {
		return nil, fmt.Errorf("%w: %d bytes after the message", ErrMalformed, len(r.b)-r.off)
	}
	return m, nil
}

// Sign signs the message with key and puts the signature in the slot of
// the key's public key among the required signers.
func (tx *Transaction) Sign(key ed25519.PrivateKey) error {
	var pub PublicKey
	copy(pub[:], key.Public().(ed25519.PublicKey))
	for i, s := range tx.Message.Signers() {
		if s == pub {
			copy(tx.Signatures[i][:], ed25519.Sign(key, tx.MessageBytes))
			return nil
		}
	}
	return fmt.Errorf("%w: %s", ErrNotSigner, pub)
}

// Bytes serializes the transaction: the signature count, the signatures,
// then the message.
func (tx *Transaction) Bytes() []byte {
	out := appendCompactU16(nil, len(tx.Signatures))
	for _, s := range tx.Signatures {
		out = append(out, s[:]...)
	}
	return append(out, tx.MessageBytes...)
}

type reader struct {
	b   []byte
	off int
}

func (r *reader) take(n int, what string) ([]byte, error) {
	if len(r.b)-r.off < n {
		return nil, fmt.Errorf("%w: truncated %s", ErrMalformed, what)
	}
	b := r.b[r.off : r.off+n]
	r.off += n
	return b, nil
}

func (r *reader) byte(what string) (byte, error) {
	b, err := r.take(1, what)
	if err != nil {
		return 0, err
	}
	return b[0], nil
}

// compactU16 reads Solana's "shortvec" length: 7 bits per byte, low bits
// first, at most 3 bytes, canonical.
func (r *reader) compactU16(what string) (int, error) {
	v := 0
	for i := range 3 {
		c, err := r.byte(what)
		if err != nil {
			return 0, err
		}
		if i == 2 && c > 0x03 {
			return 0, fmt.Errorf("%w: %s overflows 16 bits", ErrMalformed, what)
		}
		v |= int(c&0x7f) << (7 * i)
		if c&0x80 == 0 {
			if c == 0 && i > 0 {
				return 0, fmt.Errorf("%w: non-canonical %s", ErrMalformed, what)
			}
			return v, nil
		}
	}
	return 0, fmt.Errorf("%w: %s longer than 3 bytes", ErrMalformed, what)
}

// bytes reads a compact-u16 length and that many bytes.
func (r *reader) bytes(what string) ([]byte, error) {
	n, err := r.compactU16(what + " length")
	if err != nil {
		return nil, err
	}
	b, err := r.take(n, what)
	return append([]byte{}, b...), err
}

func appendCompactU16(dst []byte, v int) []byte {
	for {
		c := byte(v & 0x7f)
		v >>= 7
		if v == 0 {
			return append(dst, c)
		}
		dst = append(dst, c|0x80)
	}
}
