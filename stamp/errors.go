package stamp

import (
	"errors"
	"strings"
)

// Sentinel errors. Every error returned by this package matches one of them
// with errors.Is, except for plain I/O failures of the key-file functions,
// which match the underlying io/fs error instead (for example fs.ErrNotExist).
var (
	// ErrInvalidKey reports a private or public key that cannot be used:
	// bad hex, wrong length, a zero or out-of-range scalar, a point off the
	// curve, or an Ed25519 key whose public half does not match its seed.
	ErrInvalidKey = errors.New("stamp: invalid key")

	// ErrInvalidStamp reports an X-Stamp value that is malformed: bad
	// base64url, bad JSON, missing or extra fields, bad hex, bad DER, or a
	// public key or signature of the wrong size.
	ErrInvalidStamp = errors.New("stamp: invalid stamp")

	// ErrBadSignature reports a well-formed stamp whose signature does not
	// verify for the given body and public key.
	ErrBadSignature = errors.New("stamp: signature does not verify")

	// ErrUnknownScheme reports a signature scheme this package does not know.
	ErrUnknownScheme = errors.New("stamp: unknown signature scheme")

	// ErrUnknownCurve reports a curve name this package does not know.
	ErrUnknownCurve = errors.New("stamp: unknown curve")

	// ErrKeyMismatch reports a private key whose public key is not the one
	// expected (WithExpectedPublicKey, or a key file's .public file).
	ErrKeyMismatch = errors.New("stamp: public key mismatch")

	// ErrKeyExists reports that SaveKeyFile refused to overwrite a key.
	ErrKeyExists = errors.New("stamp: key already exists")

	// ErrInvalidName reports a key name that is empty, "." or "..", or
	// contains a path separator or a control character.
	ErrInvalidName = errors.New("stamp: invalid key name")
)

// Error describes what was wrong. It is returned (possibly wrapped) by every
// function of this package that fails on its input; use errors.As to get it
// and errors.Is with the sentinel errors to classify it.
//
// An Error never holds secret material: when a private key is malformed,
// Reason says how (length, non-hex, zero, out of range) but never echoes the
// key or any part of it.
type Error struct {
	// Op is the operation that failed, such as "parse key", "verify" or
	// "load key file".
	Op string
	// Path is the file involved, if any.
	Path string
	// Field names what was wrong, such as "privateKey", "publicKey",
	// "signature", "scheme", "curve", "stamp" or "name".
	Field string
	// Reason says why, in words; it never contains secret material.
	Reason string
	// Kind is one of the sentinel errors of this package, or nil.
	Kind error
	// Err is the underlying cause, if any (an I/O error, for example).
	Err error
}

// Error implements the error interface.
func (e *Error) Error() string {
	var b strings.Builder
	b.WriteString("stamp: ")
	b.WriteString(e.Op)
	if e.Path != "" {
		b.WriteString(" ")
		b.WriteString(e.Path)
	}
	if e.Field != "" {
		b.WriteString(": ")
		b.WriteString(e.Field)
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	if e.Err != nil {
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

// Unwrap returns Kind and Err (those that are set), so that errors.Is and
// errors.As see both.
func (e *Error) Unwrap() []error {
	errs := make([]error, 0, 2)
	if e.Kind != nil {
		errs = append(errs, e.Kind)
	}
	if e.Err != nil {
		errs = append(errs, e.Err)
	}
	return errs
}

func newErr(op, field, reason string, kind error) *Error {
	return &Error{Op: op, Field: field, Reason: reason, Kind: kind}
}
