package eth

import (
	"github.com/decred/dcrd/dcrec/secp256k1/v4"
	"github.com/decred/dcrd/dcrec/secp256k1/v4/ecdsa"
)

// Sign signs tx with key (RFC 6979 ECDSA, low S) and returns the signed
// transaction's bytes.
func Sign(tx *Tx, key *secp256k1.PrivateKey) []byte {
	h := tx.SigningHash()
	compact := ecdsa.SignCompact(key, h[:], false) // 27+recovery ‖ R ‖ S
	var sig Signature
	sig.Recovery = compact[0] - 27
	copy(sig.R[:], compact[1:33])
	copy(sig.S[:], compact[33:65])
	return tx.SignedBytes(sig)
}
