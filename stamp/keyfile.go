package stamp

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"unicode"
	"unsafe"
)

// DefaultKeyName is the key name the Turnkey CLI uses when none is given.
const DefaultKeyName = "default"

// maxKeyFileSize bounds the key files read: real ones are under 200 bytes.
const maxKeyFileSize = 64 << 10

// KeyMeta is the non-secret metadata the Turnkey CLI keeps beside an API key,
// in <name>.meta. The field names and JSON keys are those the CLI writes.
type KeyMeta struct {
	// ID is the API key's ID in Turnkey.
	ID string `json:"id"`
	// Name is a human-readable label of the key.
	Name string `json:"name"`
	// Organizations are the IDs of the organizations the key can act in.
	Organizations []string `json:"organizations"`
	// PublicKey is the key's public key, hex as in APIKey.PublicKey.
	PublicKey string `json:"public_key"`
	// User is the ID of the user the key belongs to.
	User string `json:"user"`
}

// DefaultKeysDir returns the directory where the Turnkey CLI keeps API keys:
// os.UserConfigDir()/turnkey/keys. On macOS, like the CLI, it uses
// $XDG_CONFIG_HOME, or ~/.config, instead of os.UserConfigDir().
func DefaultKeysDir() (string, error) {
	var cfg string
	var err error
	if runtime.GOOS == "darwin" {
		if cfg = os.Getenv("XDG_CONFIG_HOME"); cfg == "" {
			var home string
			home, err = os.UserHomeDir()
			cfg = filepath.Join(home, ".config")
		}
	} else {
		cfg, err = os.UserConfigDir()
	}
	if err != nil {
		return "", &Error{Op: "find keys directory", Err: err}
	}
	return filepath.Join(cfg, "turnkey", "keys"), nil
}

// LoadKeyFile reads the API key called name from dir (the DefaultKeysDir if
// dir is ""), as the Turnkey CLI stores it: <name>.private holds the private
// key's hex (see ParseAPIKey), optionally followed by ":" and the curve
// (p256, secp256k1 or ed25519; no suffix means p256). Surrounding whitespace
// and trailing newlines are ignored. If <name>.public exists, it must hold
// the key's public key, or the error matches ErrKeyMismatch.
//
// A missing file gives an error matching fs.ErrNotExist.
func LoadKeyFile(dir, name string) (*APIKey, error) {
	const op = "load key file"
	dir, path, err := keyPath(op, dir, name, ".private")
	if err != nil {
		return nil, err
	}
	data, err := readSmall(op, path)
	if err != nil {
		return nil, err
	}
	defer clear(data)
	// A view of data, not a copy, so that clearing data clears the key.
	s := strings.TrimSpace(unsafe.String(unsafe.SliceData(data), len(data)))
	curve := CurveP256
	if h, c, ok := strings.Cut(s, ":"); ok {
		if curve, err = ParseCurve(c); err != nil {
			return nil, &Error{Op: op, Path: path, Field: "curve",
				Reason: "suffix is not :p256, :secp256k1 or :ed25519", Kind: ErrUnknownCurve}
		}
		s = strings.TrimSpace(h)
	}
	key, e := parsePrivate(curve, s)
	if e != nil {
		e.Op, e.Path = op, path
		return nil, e
	}
	pubPath := filepath.Join(dir, name+".public")
	pub, err := readSmall(op, pubPath)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, err
	case !strings.EqualFold(string(bytes.TrimSpace(pub)), key.pub):
		return nil, &Error{Op: op, Path: pubPath, Field: "publicKey",
			Reason: "does not hold the public key " + key.pub + " of the private key", Kind: ErrKeyMismatch}
	}
	return key, nil
}

// SaveKeyFile writes key into dir (the DefaultKeysDir if dir is "", created
// with mode 0700 if missing) as the Turnkey CLI does: <name>.private, mode
// 0600, holding "<private key hex>:<curve>" (the suffix is written for every
// curve, p256 included), and <name>.public, mode 0644, holding the public
// key's hex. Neither has a trailing newline.
//
// SaveKeyFile never overwrites: if either file exists it fails with an error
// matching ErrKeyExists and changes nothing.
func SaveKeyFile(dir, name string, key *APIKey) error {
	const op = "save key file"
	if key == nil || key.sec == nil {
		return newErr(op, "key", "nil or zero APIKey", ErrInvalidKey)
	}
	dir, privPath, err := keyPath(op, dir, name, ".private")
	if err != nil {
		return err
	}
	pubPath := filepath.Join(dir, name+".public")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &Error{Op: op, Path: dir, Err: err}
	}
	for _, p := range []string{privPath, pubPath} {
		if _, err := os.Lstat(p); err == nil {
			return &Error{Op: op, Path: p, Reason: "refusing to overwrite", Kind: ErrKeyExists}
		}
	}
	var buf [2*64 + 16]byte
	defer clear(buf[:])
	priv := append(key.appendPrivateHex(buf[:0]), ':')
	priv = append(priv, key.curve...)
	if err := createExcl(op, privPath, priv, 0o600); err != nil {
		return err
	}
	if err := createExcl(op, pubPath, []byte(key.pub), 0o644); err != nil {
		_ = os.Remove(privPath)
		return err
	}
	return nil
}

// LoadKeyMeta reads <name>.meta from dir (the DefaultKeysDir if dir is "").
// It accepts a JSON object, and also the JSON string of its base64 encoding
// that some versions of the Turnkey CLI write. A missing file gives an error
// matching fs.ErrNotExist.
func LoadKeyMeta(dir, name string) (*KeyMeta, error) {
	const op = "load key metadata"
	_, path, err := keyPath(op, dir, name, ".meta")
	if err != nil {
		return nil, err
	}
	data, err := readSmall(op, path)
	if err != nil {
		return nil, err
	}
	data = bytes.TrimSpace(data)
	if len(data) > 0 && data[0] == '"' {
		var inner []byte // base64 in a JSON string
		if err := json.Unmarshal(data, &inner); err != nil {
			return nil, &Error{Op: op, Path: path, Reason: "not JSON metadata", Err: err}
		}
		data = inner
	}
	var m KeyMeta
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, &Error{Op: op, Path: path, Reason: "not JSON metadata", Err: err}
	}
	return &m, nil
}

// SaveKeyMeta writes meta as JSON to <name>.meta in dir (the DefaultKeysDir
// if dir is "", created with mode 0700 if missing), mode 0600, replacing any
// previous metadata.
func SaveKeyMeta(dir, name string, meta *KeyMeta) error {
	const op = "save key metadata"
	dir, path, err := keyPath(op, dir, name, ".meta")
	if err != nil {
		return err
	}
	if meta == nil {
		meta = &KeyMeta{}
	}
	data, err := json.Marshal(meta)
	if err != nil {
		return &Error{Op: op, Path: path, Err: err}
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return &Error{Op: op, Path: dir, Err: err}
	}
	tmp, err := os.CreateTemp(dir, "."+name+".meta.*")
	if err != nil {
		return &Error{Op: op, Path: dir, Err: err}
	}
	defer os.Remove(tmp.Name()) // fails harmlessly once renamed
	_, err = tmp.Write(append(data, '\n'))
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp.Name(), path)
	}
	if err != nil {
		return &Error{Op: op, Path: path, Err: err}
	}
	return nil
}

// keyPath checks name and returns the keys directory and the path of the
// key file with the given extension.
func keyPath(op, dir, name, ext string) (string, string, error) {
	if !validName(name) {
		return "", "", newErr(op, "name", strconv.Quote(name)+
			" must be a plain file name: not empty, . or .., no path separator or control character", ErrInvalidName)
	}
	if dir == "" {
		d, err := DefaultKeysDir()
		if err != nil {
			return "", "", err
		}
		dir = d
	}
	return dir, filepath.Join(dir, name+ext), nil
}

func validName(name string) bool {
	return name != "" && name != "." && name != ".." && len(name) <= 200 &&
		!strings.ContainsAny(name, `/\`) &&
		!strings.ContainsFunc(name, unicode.IsControl) &&
		filepath.IsLocal(name)
}

// readSmall reads a key file into one buffer of its size, so that no
// discarded partial copies of a secret are left behind.
func readSmall(op, path string) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, &Error{Op: op, Path: path, Err: err}
	}
	defer f.Close()
	fi, err := f.Stat()
	if err != nil {
		return nil, &Error{Op: op, Path: path, Err: err}
	}
	if fi.Size() > maxKeyFileSize {
		return nil, &Error{Op: op, Path: path, Reason: "larger than 64 KiB; not a key file"}
	}
	buf := make([]byte, fi.Size()+1) // one spare byte to see growth
	n, err := io.ReadFull(f, buf)
	switch {
	case n == len(buf):
		clear(buf)
		return nil, &Error{Op: op, Path: path, Reason: "changed while being read"}
	case err != nil && err != io.ErrUnexpectedEOF && err != io.EOF:
		clear(buf)
		return nil, &Error{Op: op, Path: path, Err: err}
	}
	return buf[:n], nil
}

// createExcl creates path, which must not exist, with data and mode.
func createExcl(op, path string, data []byte, mode fs.FileMode) error {
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, mode)
	if errors.Is(err, fs.ErrExist) {
		return &Error{Op: op, Path: path, Reason: "refusing to overwrite", Kind: ErrKeyExists}
	}
	if err != nil {
		return &Error{Op: op, Path: path, Err: err}
	}
	_, err = f.Write(data)
	if err == nil {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		_ = os.Remove(path)
		return &Error{Op: op, Path: path, Err: err}
	}
	return nil
}
