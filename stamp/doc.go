// Package stamp signs Turnkey API requests with API keys, and verifies the
// signatures.
//
// Every Turnkey API request carries an X-Stamp header: a signature over the
// exact bytes of the request body. Its value is the unpadded base64url
// encoding of a JSON object with three string fields, in this order:
//
//	{"publicKey":"<hex>","scheme":"<scheme>","signature":"<hex>"}
//
// The scheme depends on the curve of the API key:
//
//   - SIGNATURE_SCHEME_TK_API_P256: ECDSA on P-256 over SHA-256 of the body;
//     the signature is ASN.1 DER, the public key the 33-byte compressed SEC1
//     point.
//   - SIGNATURE_SCHEME_TK_API_SECP256K1: the same construction on secp256k1,
//     with RFC 6979 deterministic, low-S signatures.
//   - SIGNATURE_SCHEME_TK_API_ED25519: pure Ed25519 over the body itself; the
//     signature is 64 bytes, the public key 32 bytes.
//
// All byte strings are hex-encoded (lowercase when this package writes them).
//
// An APIKey is a private key in memory; it implements Stamper, the interface
// through which a client stamps requests, and which a KMS or HSM signer can
// implement as well. Keys come from GenerateAPIKey, ParseAPIKey (the private
// key's hex), or LoadKeyFile (the files of the Turnkey CLI: <name>.private,
// <name>.public and <name>.meta in DefaultKeysDir). An APIKey never prints or
// logs its private key; only PrivateKeyHex returns it.
//
// Verify checks a stamp against a body, as the Turnkey API does, and returns
// the public key that signed it.
//
// Errors match the sentinel errors (ErrInvalidKey, ErrInvalidStamp,
// ErrBadSignature, ...) with errors.Is, and give an *Error naming what was
// wrong with errors.As. No error ever contains private key material.
//
// Usage:
//
//	key, err := stamp.LoadKeyFile("", "default") // ~/.config/turnkey/keys/default.private
//	if err != nil {
//		return err
//	}
//	body := []byte(`{"organizationId":"..."}`)
//	header, value, err := key.Stamp(ctx, body)
//	if err != nil {
//		return err
//	}
//	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, url, bytes.NewReader(body))
//	req.Header.Set(header, value)
package stamp
