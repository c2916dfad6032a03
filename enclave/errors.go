package enclave

import (
	"errors"
	"strconv"
	"strings"
)

// Sentinel errors. Every error returned by this package is a *BundleError
// whose Kind is one of these, so callers can branch with errors.Is:
//
//	if errors.Is(err, enclave.ErrOrganizationMismatch) { ... }
//
// and inspect the details with errors.As:
//
//	var be *enclave.BundleError
//	if errors.As(err, &be) { log.Println(be.Field, be.Expected, be.Got) }
var (
	// ErrMalformedBundle reports a bundle that cannot be parsed: bad JSON,
	// bad hex or base58, missing fields, wrong lengths, or a key inside the
	// bundle that is not a valid P-256 point.
	ErrMalformedBundle = errors.New("enclave: malformed bundle")

	// ErrUnsupportedVersion reports a signed bundle whose "version" is not
	// "v1.0.0".
	ErrUnsupportedVersion = errors.New("enclave: unsupported bundle version")

	// ErrChecksum reports a base58check credential bundle whose 4-byte
	// checksum does not match its payload (typically a copy/paste error).
	ErrChecksum = errors.New("enclave: base58check checksum mismatch")

	// ErrSignerMismatch reports a signed bundle whose enclaveQuorumPublic is
	// not the pinned signer public key (the production key by default, or the
	// one given with WithSignerPublicKey).
	ErrSignerMismatch = errors.New("enclave: bundle signer is not the pinned enclave signer")

	// ErrBadSignature reports a signed bundle whose dataSignature does not
	// verify over its data: the bundle was tampered with or corrupted.
	ErrBadSignature = errors.New("enclave: invalid enclave signature")

	// ErrOrganizationMismatch reports a signed bundle issued for another
	// organization than the expected one.
	ErrOrganizationMismatch = errors.New("enclave: organization ID mismatch")

	// ErrUserMismatch reports an import bundle issued for another user than
	// the expected one.
	ErrUserMismatch = errors.New("enclave: user ID mismatch")

	// ErrDecrypt reports an HPKE decryption failure: the ciphertext was
	// tampered with, or it was encrypted to another target key.
	ErrDecrypt = errors.New("enclave: decryption failed")

	// ErrBadPublicKey reports a public key (argument, option, or key carried
	// in a bundle) that is not a valid uncompressed P-256 point in hex.
	ErrBadPublicKey = errors.New("enclave: invalid public key")

	// ErrBadPrivateKey reports a private key argument that is missing, not
	// hex/base58, of the wrong length, or out of range.
	ErrBadPrivateKey = errors.New("enclave: invalid private key")

	// ErrInvalidInput reports another invalid argument, such as an empty
	// organization ID, user ID or plaintext.
	ErrInvalidInput = errors.New("enclave: invalid input")
)

// BundleError describes what went wrong in an operation of this package.
//
// It never carries plaintext, mnemonics or key material: Expected and Got only
// ever hold organization IDs, user IDs, public keys or bundle versions, and
// values read from a bundle are truncated.
type BundleError struct {
	// Op is the operation that failed, e.g. "DecryptExportBundle".
	Op string
	// Kind is one of the package's sentinel errors (ErrMalformedBundle, ...).
	Kind error
	// Field names the offending field when there is one, e.g.
	// "organizationId", "dataSignature", "enclaveQuorumPublic".
	Field string
	// Detail is a short human-readable explanation.
	Detail string
	// Expected is the expected value, for mismatches of public values.
	Expected string
	// Got is the value found, for mismatches of public values.
	Got string
	// Err is an underlying cause, if any. It is never derived from secret
	// input.
	Err error
}

// Error implements error.
func (e *BundleError) Error() string {
	var b strings.Builder
	b.WriteString("enclave: ")
	if e.Op != "" {
		b.WriteString(e.Op)
		b.WriteString(": ")
	}
	if e.Kind != nil {
		b.WriteString(strings.TrimPrefix(e.Kind.Error(), "enclave: "))
	} else {
		b.WriteString("error")
	}
	if e.Field != "" {
		b.WriteString(" (field ")
		b.WriteString(e.Field)
		b.WriteString(")")
	}
	if e.Detail != "" {
		b.WriteString(": ")
		b.WriteString(e.Detail)
	}
	if e.Expected != "" || e.Got != "" {
		b.WriteString(": expected ")
		b.WriteString(strconv.Quote(e.Expected))
		b.WriteString(", got ")
		b.WriteString(strconv.Quote(e.Got))
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Kind and Err, so errors.Is matches both.
func (e *BundleError) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

// maxShown bounds how much of an untrusted, public value is echoed in errors.
const maxShown = 140

// shown truncates an untrusted public value for inclusion in an error.
func shown(s string) string {
	if len(s) > maxShown {
		return s[:maxShown] + "..."
	}
	return s
}

// newErr builds a *BundleError.
func newErr(op string, kind error, field, detail string) *BundleError {
	return &BundleError{Op: op, Kind: kind, Field: field, Detail: detail}
}

// mismatchErr builds a *BundleError for a mismatch of public values.
func mismatchErr(op string, kind error, field, expected, got string) *BundleError {
	return &BundleError{Op: op, Kind: kind, Field: field, Expected: shown(expected), Got: shown(got)}
}
