package main

import (
	"bytes"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/turnkey-go/turnkey/stamp"
	"github.com/turnkey-go/turnkey/turnkeytest"
)

// seedFile is the file of a --state-dir that holds the simulator's seed.
const seedFile = "seed"

// localKeyMarker names, in a key's .meta file, the keys that turnkey local
// wrote: a crashed run's key files carry it, and the next run replaces them.
const localKeyMarker = "turnkey local simulator root key"

// loadOrCreateSeed returns the seed kept in dir, creating dir (0700) and a
// new random seed on first use. The seed file appears atomically (written
// to a temporary file, then linked into place), so a crash never leaves a
// partial one; temporary files of a crashed run are removed.
func loadOrCreateSeed(dir string) ([]byte, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("creating the state dir: %w", err)
	}
	path := filepath.Join(dir, seedFile)
	if seed, err := readSeed(path); !errors.Is(err, fs.ErrNotExist) {
		return seed, err
	}
	if stale, _ := filepath.Glob(filepath.Join(dir, ".seed-*")); len(stale) > 0 {
		for _, p := range stale {
			os.Remove(p)
		}
	}
	seed := make([]byte, 32)
	_, _ = rand.Read(seed)
	tmp, err := os.CreateTemp(dir, ".seed-*")
	if err != nil {
		return nil, fmt.Errorf("writing the state dir's seed: %w", err)
	}
	defer os.Remove(tmp.Name())
	_, err = tmp.WriteString(hex.EncodeToString(seed) + "\n")
	if err == nil {
		err = tmp.Sync()
	}
	if cerr := tmp.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Link(tmp.Name(), path) // never replaces a seed already there
	}
	switch {
	case errors.Is(err, fs.ErrExist): // another run created it first
		return readSeed(path)
	case err != nil:
		return nil, fmt.Errorf("writing the state dir's seed: %w", err)
	}
	return seed, nil
}

func readSeed(path string) ([]byte, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	seed, err := hex.DecodeString(string(bytes.TrimSpace(data)))
	if err != nil || len(seed) < turnkeytest.MinSeedLength {
		return nil, fmt.Errorf("%s is not a seed (hex, at least %d bytes): remove it to start with a new organization", path, turnkeytest.MinSeedLength)
	}
	return seed, nil
}

// placedKey is the root API key saved in the keys dir, with its lock.
type placedKey struct {
	dir, name string
	unlock    func()
}

func (p *placedKey) paths(exts ...string) []string {
	out := make([]string, len(exts))
	for i, e := range exts {
		out[i] = filepath.Join(p.dir, p.name+e)
	}
	return out
}

// placeKey saves key as dir/name.{private,public,meta}, holding
// dir/name.lock while the simulator runs. Files of the same name are
// replaced only if they hold the same key (a restart with the same state)
// or were written by a turnkey local that is no longer running (a crash);
// those of a running simulator or of anyone else are left alone.
func placeKey(dir, name string, key *stamp.APIKey, meta *stamp.KeyMeta) (*placedKey, error) {
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, localError(fmt.Errorf("creating the keys dir: %w", err))
	}
	p := &placedKey{dir: dir, name: name}
	if _, err := stamp.LoadKeyMeta(dir, name); errors.Is(err, stamp.ErrInvalidName) {
		return nil, badInput("invalid --key-name %q: %v", name, err)
	}
	unlock, err := lockFile(p.paths(".lock")[0])
	switch {
	case errors.Is(err, errLocked):
		return nil, localError(fmt.Errorf("a key named %q already exists in %s and is in use by another running turnkey local%s: choose another --key-name", name, dir, lockHint))
	case err != nil:
		return nil, localError(fmt.Errorf("locking the key files: %w", err))
	}
	p.unlock = unlock
	existing, err := stamp.LoadKeyFile(dir, name)
	same := err == nil && existing.PublicKey() == key.PublicKey()
	if !same && p.anyExists(".private", ".public") {
		if m, err := stamp.LoadKeyMeta(dir, name); err != nil || m.Name != localKeyMarker {
			unlock()
			return nil, localError(fmt.Errorf("a key named %q already exists in %s; it was left alone: choose another --key-name", name, dir))
		}
		for _, f := range p.paths(".private", ".public") { // a crashed run's
			os.Remove(f)
		}
	}
	if !same {
		if err := stamp.SaveKeyFile(dir, name, key); err != nil {
			unlock()
			return nil, localError(fmt.Errorf("saving the root API key: %w", err))
		}
	}
	meta.Name = localKeyMarker
	if err := stamp.SaveKeyMeta(dir, name, meta); err != nil {
		p.remove(!same)
		return nil, localError(fmt.Errorf("saving the root API key's metadata: %w", err))
	}
	return p, nil
}

func (p *placedKey) anyExists(exts ...string) bool {
	for _, f := range p.paths(exts...) {
		if _, err := os.Lstat(f); err == nil {
			return true
		}
	}
	return false
}

// remove unlocks, removing the key files first if files is set.
func (p *placedKey) remove(files bool) {
	if files {
		for _, f := range p.paths(".private", ".public", ".meta", ".lock") {
			os.Remove(f)
		}
	}
	p.unlock()
}

// parseSeed reads --seed: hex, at least MinSeedLength bytes.
func parseSeed(s string) ([]byte, error) {
	seed, err := hex.DecodeString(strings.TrimPrefix(s, "0x"))
	if err != nil || len(seed) < turnkeytest.MinSeedLength {
		return nil, usageError("--seed must be hex of at least %d bytes", turnkeytest.MinSeedLength)
	}
	return seed, nil
}
