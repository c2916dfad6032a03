package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"github.com/turnkey-go/turnkey/sdk"
	"github.com/turnkey-go/turnkey/stamp"
)

// keyFlags select an API key: a Turnkey CLI key file, or the environment.
type keyFlags struct {
	name string // --key-name; "" means the environment's key or "default"
	dir  string // --keys-dir; "" means stamp.DefaultKeysDir()
}

func (k *keyFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&k.name, "key-name", "", "API key `NAME`: the files NAME.private and NAME.public in the keys dir\n(default \"default\", or TURNKEY_API_PRIVATE_KEY when that is set)")
	fs.StringVar(&k.dir, "keys-dir", "", "`DIR`: the directory of the key files (default the Turnkey CLI's, ~/.config/turnkey/keys)")
}

// fromEnv reports whether the key comes from TURNKEY_API_PRIVATE_KEY: it is
// set and neither --key-name nor --keys-dir was given.
func (k *keyFlags) fromEnv() bool {
	return k.name == "" && k.dir == "" && strings.TrimSpace(os.Getenv(sdk.EnvAPIPrivateKey)) != ""
}

// keyName is the key file's name: --key-name or "default".
func (k *keyFlags) keyName() string {
	if k.name == "" {
		return stamp.DefaultKeyName
	}
	return k.name
}

// keysDir is --keys-dir or the Turnkey CLI's directory.
func (k *keyFlags) keysDir() (string, error) {
	if k.dir != "" {
		return k.dir, nil
	}
	dir, err := stamp.DefaultKeysDir()
	if err != nil {
		return "", localError(fmt.Errorf("finding the default keys dir (pass --keys-dir): %w", err))
	}
	return dir, nil
}

// load returns the selected API key, warning on warn about a key file that
// others can read.
func (k *keyFlags) load(warn io.Writer) (*stamp.APIKey, error) {
	if k.fromEnv() {
		curve := stamp.CurveP256
		if s := strings.TrimSpace(os.Getenv(sdk.EnvAPIKeyCurve)); s != "" {
			c, err := stamp.ParseCurve(s)
			if err != nil {
				return nil, localError(fmt.Errorf("%s: %w", sdk.EnvAPIKeyCurve, err))
			}
			curve = c
		}
		var opts []stamp.ParseOption
		if pub := strings.TrimSpace(os.Getenv(sdk.EnvAPIPublicKey)); pub != "" {
			opts = append(opts, stamp.WithExpectedPublicKey(pub))
		}
		key, err := stamp.ParseAPIKey(curve, os.Getenv(sdk.EnvAPIPrivateKey), opts...)
		if err != nil {
			return nil, localError(fmt.Errorf("%s: %w", sdk.EnvAPIPrivateKey, err))
		}
		return key, nil
	}
	dir, err := k.keysDir()
	if err != nil {
		return nil, err
	}
	warnPermissions(warn, dir, k.keyName())
	key, err := stamp.LoadKeyFile(dir, k.keyName())
	if err != nil {
		return nil, k.fileError(dir, err)
	}
	return key, nil
}

// fileError explains a failure to load the key file name from dir.
func (k *keyFlags) fileError(dir string, err error) error {
	name := k.keyName()
	switch {
	case errors.Is(err, stamp.ErrInvalidName):
		return badInput("invalid --key-name %q: %v", name, err)
	case errors.Is(err, fs.ErrNotExist):
		hint := fmt.Sprintf("create it with 'turnkey keygen --key-name %s", name)
		if k.dir != "" {
			hint += " --keys-dir " + dir
		}
		hint += "'"
		if k.name == "" {
			hint += ", pass --key-name, or set " + sdk.EnvAPIPrivateKey
		}
		return localError(fmt.Errorf("no API key %q in %s (%s): %s", name, dir,
			filepath.Join(dir, name+".private"), hint))
	}
	return localError(fmt.Errorf("loading API key %q from %s: %w", name, dir, err))
}

// warnPermissions writes a warning to w when the private key file of name in
// dir can be read or written by its group or by others, as ssh does; the key
// is still used. It says nothing on Windows, whose permission bits mean
// little, or when the file cannot be examined (loading reports that).
func warnPermissions(w io.Writer, dir, name string) {
	if w == nil || runtime.GOOS == "windows" || strings.ContainsAny(name, `/\`) {
		return
	}
	path := filepath.Join(dir, name+".private")
	fi, err := os.Stat(path)
	if err != nil || !fi.Mode().IsRegular() {
		return
	}
	if perm := fi.Mode().Perm(); perm&0o077 != 0 {
		fmt.Fprintf(w, "turnkey: WARNING: private key file %s is accessible by group or others (mode %04o); "+
			"anyone who can read it holds the API key. Restrict it with: chmod 600 %s\n", path, perm, shellQuote(path))
	}
}

// connFlags are the flags of the commands that call the API.
type connFlags struct {
	key     keyFlags
	org     string
	baseURL string
	timeout time.Duration
}

func (c *connFlags) register(fs *flag.FlagSet) {
	fs.StringVar(&c.org, "organization", "", "organization `ID` to act on (default $TURNKEY_ORGANIZATION_ID)")
	c.key.register(fs)
	fs.StringVar(&c.baseURL, "base-url", "", "API address `URL` (default $TURNKEY_BASE_URL, else "+sdk.DefaultBaseURL+")")
	fs.DurationVar(&c.timeout, "timeout", 0, "give up after `DURATION` (e.g. 30s, 5m) in all, waiting for an activity included (default: no limit\nbut the SDK's: 30s per attempt, with retries, and at most a minute of waiting for an activity)")
}

// withTimeout bounds ctx by --timeout, if given. A negative timeout is a
// usage error.
func (c *connFlags) withTimeout(ctx context.Context) (context.Context, context.CancelFunc, error) {
	switch {
	case c.timeout < 0:
		return ctx, func() {}, usageError("--timeout %v must not be negative", c.timeout)
	case c.timeout == 0:
		return ctx, func() {}, nil
	}
	ctx, cancel := context.WithTimeoutCause(ctx, c.timeout, errTimeout{c.timeout})
	return ctx, cancel, nil
}

// errTimeout is the cause of a context ended by --timeout.
type errTimeout struct{ d time.Duration }

func (e errTimeout) Error() string { return fmt.Sprintf("gave up after --timeout %v", e.d) }

// explainTimeout names --timeout in err when ctx ended by it.
func explainTimeout(ctx context.Context, err error) error {
	var te errTimeout
	if err != nil && errors.As(context.Cause(ctx), &te) {
		return fmt.Errorf("%w: %w", te, err)
	}
	return err
}

// organization is --organization, else TURNKEY_ORGANIZATION_ID, else "".
func (c *connFlags) organization() string {
	if s := strings.TrimSpace(c.org); s != "" {
		return s
	}
	return strings.TrimSpace(os.Getenv(sdk.EnvOrganizationID))
}

// apiURL is --base-url, else TURNKEY_BASE_URL, else the production API,
// checked to be an absolute http(s) URL.
func (c *connFlags) apiURL() (string, error) {
	raw, from := strings.TrimSpace(c.baseURL), "--base-url"
	if raw == "" {
		raw, from = strings.TrimSpace(os.Getenv(sdk.EnvBaseURL)), sdk.EnvBaseURL
	}
	if raw == "" {
		return sdk.DefaultBaseURL, nil
	}
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		return "", badInput("%s %q is not an absolute http(s) URL such as %s or http://127.0.0.1:8080", from, raw, sdk.DefaultBaseURL)
	}
	return raw, nil
}

var errNoOrganization = badInput("no organization: pass --organization ID or set %s", sdk.EnvOrganizationID)

// client builds the API client the flags describe. Its default organization
// is organization(), if any. Warnings (a key file others can read) go to warn.
func (c *connFlags) client(warn io.Writer) (*sdk.Client, error) {
	base, err := c.apiURL()
	if err != nil {
		return nil, err
	}
	opts := []sdk.Option{sdk.WithBaseURL(base)}
	if org := c.organization(); org != "" {
		opts = append(opts, sdk.WithOrganizationID(org))
	}
	if c.key.fromEnv() {
		cl, err := sdk.NewFromEnv(opts...)
		if err != nil {
			return nil, localError(fmt.Errorf("API key from the environment: %w", err))
		}
		return cl, nil
	}
	dir, err := c.key.keysDir()
	if err != nil {
		return nil, err
	}
	warnPermissions(warn, dir, c.key.keyName())
	cl, err := sdk.NewFromKeyFile(dir, c.key.keyName(), opts...)
	if err != nil {
		return nil, c.key.fileError(dir, err)
	}
	return cl, nil
}
