// Package enclave implements Turnkey's enclave cryptography: credential
// bundles, export bundles and import bundles, on the client side (what SDK
// users do) and on the enclave side (what a local API simulator does to
// produce real bundles offline). It uses only the standard library,
// including crypto/hpke.
//
// # Encryption
//
// Every bundle is encrypted with HPKE (RFC 9180) in base mode with the
// ciphersuite DHKEM(P-256, HKDF-SHA256), HKDF-SHA256, AES-256-GCM, the info
// string "turnkey_hpke", and as additional authenticated data the
// uncompressed encapsulated key (65 bytes) followed by the uncompressed
// receiver public key (65 bytes).
//
// # Credential bundles
//
// Read-write sessions (V2), email auth, OTP auth, email recovery and OAuth
// return a credential bundle: the base58check encoding (Bitcoin alphabet,
// checksum = first 4 bytes of SHA-256(SHA-256(payload)) appended) of the
// compressed encapsulated key (33 bytes) followed by the ciphertext (with its
// GCM tag). The plaintext is the 32-byte P-256 private key of a new API key.
// The client sends the activity the hex of its uncompressed target public key
// (GenerateTargetKey, TargetKey.PublicKeyHex) and decrypts the bundle with
// DecryptCredentialBundle.
//
// # Signed bundles
//
// Export and import bundles share a signed JSON envelope:
//
//	{"version": "v1.0.0",
//	 "data": hex(JSON of the signed data),
//	 "dataSignature": hex(DER ECDSA-P256/SHA-256 signature over the data bytes),
//	 "enclaveQuorumPublic": hex(65-byte uncompressed P-256 signer key)}
//
// Clients accept enclaveQuorumPublic only if it equals the pinned signer key,
// ProductionSignerPublicKey unless WithSignerPublicKey pins another one (such
// as a simulator's Signer), then verify the signature, then the organization
// (and, for imports, user) IDs in the signed data, before using it.
//
// # Export bundles
//
// export_wallet, export_private_key and export_wallet_account return an
// export bundle whose signed data is
//
//	{"encappedPublic": hex(65-byte enc), "ciphertext": hex, "organizationId": ...}
//
// encrypted to the client's target key. The plaintext is the mnemonic
// (UTF-8) for wallets and the raw private key bytes for private keys and
// wallet accounts. See DecryptExportBundle and Signer.SealExportBundle.
//
// # Import bundles
//
// init_import_wallet and init_import_private_key return an import bundle
// whose signed data is
//
//	{"targetPublic": hex(65-byte P-256 key), "organizationId": ..., "userId": ...}
//
// The client encrypts the mnemonic, or the raw 32-byte private key, to
// targetPublic and sends the JSON string
//
//	{"encappedPublic": hex(65-byte enc), "ciphertext": hex}
//
// as encryptedBundle in import_wallet or import_private_key. Private keys
// are taken as hex (EncryptPrivateKeyForImport) or, for Solana, in their
// usual base58 form of seed ‖ public key, of which only the 32-byte seed is
// encrypted (EncryptSolanaPrivateKeyForImport). See also VerifyImportBundle,
// EncryptMnemonicForImport, Signer.NewImportBundle and DecryptImportBundle.
//
// # Errors and secrets
//
// Every error is a *BundleError whose Kind is one of the sentinel errors
// (ErrMalformedBundle, ErrChecksum, ErrSignerMismatch, ErrBadSignature,
// ErrOrganizationMismatch, ErrUserMismatch, ErrDecrypt, ...), for errors.Is
// and errors.As. Errors never contain plaintext, mnemonics or key material.
// The types holding secrets (TargetKey, SecretKey, Export, Signer) print and
// log as a redacted placeholder; their secrets are reachable only through
// explicitly named accessors.
package enclave
