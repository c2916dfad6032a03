package solana

import "github.com/mr-tron/base58"

// Base58 encodes b with the Bitcoin alphabet, as Solana writes public keys,
// signatures and blockhashes.
func Base58(b []byte) string { return base58.Encode(b) }
