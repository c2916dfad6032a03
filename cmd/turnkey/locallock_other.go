//go:build !unix

package main

import (
	"errors"
	"os"
)

// errLocked: another process holds the lock.
var errLocked = errors.New("locked by another process")

// lockHint completes the error about a held lock.
const lockHint = " (or by one that crashed: without file locks on this system, remove its .lock file by hand)"

// lockFile creates path exclusively. Without advisory locks, a lock file
// left by a crashed run is not told apart from a running one's: remove it
// by hand after a crash.
func lockFile(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if errors.Is(err, os.ErrExist) {
		return nil, errLocked
	}
	if err != nil {
		return nil, err
	}
	return func() { f.Close(); os.Remove(path) }, nil
}
