package enclave_test

import (
	"crypto/ecdh"
	"crypto/rand"
	"errors"
	"fmt"
	"log"

	"github.com/turnkey-go/turnkey/enclave"
)

// An export_wallet round trip against a simulated enclave: the client sends
// its target public key, the enclave seals the mnemonic, and the client
// verifies and decrypts the bundle.
func ExampleDecryptExportBundle() {
	const orgID = "8f1a7b5e-1c52-4a39-9d3e-6a7f2b0c9e11"

	// Enclave side (a local API simulator).
	signer, err := enclave.NewSigner()
	if err != nil {
		log.Fatal(err)
	}

	// Client side: a target key for the export_wallet activity.
	target, err := enclave.GenerateTargetKey()
	if err != nil {
		log.Fatal(err)
	}

	bundle, err := signer.SealExportBundle(target.PublicKeyHex(),
		[]byte("abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"), orgID)
	if err != nil {
		log.Fatal(err)
	}

	// The production signer key is pinned by default: the simulator's
	// bundle is rejected unless its key is pinned explicitly.
	_, err = enclave.DecryptExportBundle(bundle, target, orgID)
	fmt.Println(errors.Is(err, enclave.ErrSignerMismatch))

	export, err := enclave.DecryptExportBundle(bundle, target, orgID,
		enclave.WithSignerPublicKey(signer.PublicKeyHex()))
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(export.Mnemonic())
	fmt.Println(export) // secrets redact themselves
	// Output:
	// true
	// abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about
	// enclave.Export(REDACTED)
}

// A credential bundle (e.g. from email auth) carries the private key of a new
// P-256 API key, encrypted to the client's target key.
func ExampleDecryptCredentialBundle() {
	target, err := enclave.GenerateTargetKey()
	if err != nil {
		log.Fatal(err)
	}

	// Enclave side: a fresh API key, encrypted to the target.
	apiKey, err := ecdh.P256().GenerateKey(rand.Reader)
	if err != nil {
		log.Fatal(err)
	}
	bundle, err := enclave.EncryptCredentialBundle(target.PublicKeyHex(), apiKey.Bytes())
	if err != nil {
		log.Fatal(err)
	}

	// Client side.
	key, err := enclave.DecryptCredentialBundle(bundle, target)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(len(key.PrivateKeyHex()), len(key.CompressedPublicKeyHex()))
	fmt.Printf("%v\n", key)
	// Output:
	// 64 66
	// enclave.SecretKey(REDACTED)
}

// An import_wallet round trip: the enclave issues a signed import bundle, the
// client verifies it and encrypts the mnemonic to it, and the enclave
// decrypts the result.
func ExampleEncryptMnemonicForImport() {
	const (
		orgID  = "8f1a7b5e-1c52-4a39-9d3e-6a7f2b0c9e11"
		userID = "2b9c4d1e-7f3a-4e8b-a1c2-5d6e7f8a9b0c"
	)
	signer, err := enclave.NewSigner()
	if err != nil {
		log.Fatal(err)
	}
	importBundle, importKey, err := signer.NewImportBundle(orgID, userID)
	if err != nil {
		log.Fatal(err)
	}

	encryptedBundle, err := enclave.EncryptMnemonicForImport(importBundle,
		"legal winner thank year wave sausage worth useful legal winner thank yellow",
		orgID, userID, enclave.WithSignerPublicKey(signer.PublicKeyHex()))
	if err != nil {
		log.Fatal(err)
	}

	plaintext, err := enclave.DecryptImportBundle(encryptedBundle, importKey)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(string(plaintext))

	// A bundle for another user is refused before anything is encrypted.
	_, err = enclave.EncryptMnemonicForImport(importBundle, "legal winner ...", orgID, "someone-else",
		enclave.WithSignerPublicKey(signer.PublicKeyHex()))
	var be *enclave.BundleError
	if errors.As(err, &be) {
		fmt.Println(be.Kind == enclave.ErrUserMismatch, be.Field, be.Got)
	}
	// Output:
	// legal winner thank year wave sausage worth useful legal winner thank yellow
	// true userId 2b9c4d1e-7f3a-4e8b-a1c2-5d6e7f8a9b0c
}
