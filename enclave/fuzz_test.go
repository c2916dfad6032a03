package enclave

import (
	"errors"
	"testing"
)

// The fuzz targets check that parsing untrusted bundles never panics, that
// every failure is a *BundleError with a sentinel Kind, and that successes
// are well-formed. Each also feeds fuzzed inner data past the checksum or
// signature: the credential target checksums its payload, and the signed
// bundle targets hand their data to the post-verification parser directly
// (signing each input would make every execution, and so the fuzzer's
// minimization of interesting inputs, far slower).

var sentinels = []error{
	ErrMalformedBundle, ErrUnsupportedVersion, ErrChecksum, ErrSignerMismatch,
	ErrBadSignature, ErrOrganizationMismatch, ErrUserMismatch, ErrDecrypt,
	ErrBadPublicKey, ErrBadPrivateKey, ErrInvalidInput,
}

func checkTypedError(t *testing.T, err error) {
	t.Helper()
	var be *BundleError
	if !errors.As(err, &be) {
		t.Fatalf("untyped error %T: %v", err, err)
	}
	for _, s := range sentinels {
		if be.Kind == s {
			_ = be.Error()
			return
		}
	}
	t.Fatalf("error with unknown kind: %v", err)
}

func FuzzDecryptCredentialBundle(f *testing.F) {
	target := testTarget(f)
	valid, err := EncryptCredentialBundle(target.PublicKeyHex(), mustHex(f, testKeyHex))
	if err != nil {
		f.Fatal(err)
	}
	payload, err := base58CheckDecode(valid)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(valid, payload)
	f.Add(turnkeyVectorBundle, []byte{})
	f.Add("", []byte{0x02})
	f.Add("1111111111", make([]byte, 34))
	f.Add(valid[:len(valid)-1]+"2", payload[:33])
	f.Add("0OIl+/", append([]byte{0x03}, payload[1:]...))

	f.Fuzz(func(t *testing.T, bundle string, payload []byte) {
		// Real bundles are ~120 characters for an 85-byte payload. Longer
		// inputs only make every execution, and so the minimization of each
		// interesting input, slower: base58 is quadratic and each checksummed
		// payload reaches a point decompression and HPKE. Length limits have
		// their own unit tests.
		if len(bundle) > 256 {
			bundle = bundle[:256]
		}
		if len(payload) > 128 {
			payload = payload[:128]
		}
		for _, b := range []string{bundle, base58CheckEncode(payload)} {
			sk, err := DecryptCredentialBundle(b, target)
			if err != nil {
				checkTypedError(t, err)
				continue
			}
			if len(sk.Bytes()) != 32 || len(sk.CompressedPublicKeyHex()) != 66 {
				t.Fatalf("accepted a malformed key")
			}
		}
	})
}

// capSigned bounds fuzzed signed bundles and data to a few times their real
// size (under a kilobyte), to keep executions and minimization fast; length
// limits have their own unit tests.
func capSigned(bundle string, data []byte) (string, []byte) {
	if len(bundle) > 4096 {
		bundle = bundle[:4096]
	}
	if len(data) > 1024 {
		data = data[:1024]
	}
	return bundle, data
}

func FuzzDecryptExportBundle(f *testing.F) {
	s, target := testSigner(f), testTarget(f)
	opt := pin(s)
	valid, err := s.SealExportBundle(target.PublicKeyHex(), []byte(testMnemonic), testOrg)
	if err != nil {
		f.Fatal(err)
	}
	// Seeds are kept short (see capSigned): the signed seed signs small data,
	// and the full valid bundle is only used for its data.
	data := mustHex(f, envelope(f, valid).Data)
	compact, err := sealSignedBundle("fuzz", s.key.get(), []byte(`{"organizationId":"o"}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(compact, data, "o")
	f.Add(`{"version":"v1.0.0","data":"00","dataSignature":"00","enclaveQuorumPublic":"04"}`, []byte(`{}`), "")
	f.Add(`[]`, []byte(`{"encappedPublic":"04","ciphertext":"","organizationId":"o"}`), "o")
	f.Add(``, []byte(`"x"`), "other")

	f.Fuzz(func(t *testing.T, bundle string, data []byte, org string) {
		bundle, data = capSigned(bundle, data)
		if org == "" {
			org = testOrg
		}
		if _, err := DecryptExportBundle(bundle, target, org); err == nil {
			t.Fatal("accepted a bundle not signed by the production key")
		} else {
			checkTypedError(t, err)
		}
		if exp, err := DecryptExportBundle(bundle, target, org, opt); err != nil {
			checkTypedError(t, err)
		} else {
			_, _ = exp.Mnemonic(), exp.PrivateKeyHex()
		}
		if exp, err := decryptExportData("fuzz", data, target, org); err != nil {
			checkTypedError(t, err)
		} else {
			_, _ = exp.Mnemonic(), exp.PrivateKeyHex()
		}
	})
}

func FuzzVerifyImportBundle(f *testing.F) {
	s := testSigner(f)
	opt := pin(s)
	valid, _, err := s.NewImportBundle(testOrg, testUser)
	if err != nil {
		f.Fatal(err)
	}
	// Short seeds, as for FuzzDecryptExportBundle.
	data := mustHex(f, envelope(f, valid).Data)
	compact, err := sealSignedBundle("fuzz", s.key.get(), []byte(`{"organizationId":"o","userId":"u"}`))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(compact, data, "o", "u")
	f.Add(`{"version":"v1.0.0","data":"00","dataSignature":"00","enclaveQuorumPublic":"04"}`, []byte(`{"targetPublic":"04"}`), "", "")
	f.Add(`{"version":"v2"}`, []byte(`{"targetPublic":"","organizationId":"o","userId":"u"}`), "o", "u")
	f.Add(`{`, []byte(`[1,2]`), "o", "u")

	f.Fuzz(func(t *testing.T, bundle string, data []byte, org, user string) {
		bundle, data = capSigned(bundle, data)
		if org == "" {
			org = testOrg
		}
		if user == "" {
			user = testUser
		}
		check := func(target *ImportTarget, err error) {
			if err != nil {
				checkTypedError(t, err)
				return
			}
			if target.OrganizationID != org || target.UserID != user {
				t.Fatalf("accepted a bundle for %q/%q", target.OrganizationID, target.UserID)
			}
			if _, err := target.Encrypt([]byte(testMnemonic)); err != nil {
				t.Fatalf("verified target does not encrypt: %v", err)
			}
		}
		check(VerifyImportBundle(bundle, org, user, opt))
		check(verifyImportData("fuzz", data, org, user))
		if _, err := VerifyImportBundle(bundle, org, user); err == nil {
			t.Fatal("accepted a bundle not signed by the production key")
		}
	})
}

func FuzzDecryptImportBundle(f *testing.F) {
	target := testTarget(f)
	f.Add(`{"encappedPublic":"04","ciphertext":"00"}`)
	f.Add(`{}`)
	f.Add(`{"encappedPublic":"` + target.PublicKeyHex() + `","ciphertext":"00112233445566778899aabbccddeeff"}`)
	f.Fuzz(func(t *testing.T, bundle string) {
		if _, err := DecryptImportBundle(bundle, target); err != nil {
			checkTypedError(t, err)
		}
	})
}
