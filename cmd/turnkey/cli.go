package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"runtime"
	"strings"

	"github.com/turnkey-go/turnkey/sdk"
)

// Exit codes of the turnkey command; usageText and doc.go document them.
const (
	exitOK    = 0 // success
	exitAPI   = 1 // the API answered with an error, could not be reached, or the activity did not complete
	exitUsage = 2 // bad command, flag, argument, body or endpoint name
	exitLocal = 3 // local I/O or key error: reading or writing files, loading or parsing an API key
)

const usageText = `turnkey is a command-line client for the Turnkey API.

Usage:
  turnkey <command> [flags] [arguments]

Commands:
  keygen    generate an API key and save it as Turnkey CLI key files
  stamp     print the X-Stamp header value for a request body
  request   make a stamped call to any API endpoint
  whoami    show the user and organization behind an API key
  local     run a local simulator of the Turnkey API
  version   print the version (also --version)
  policy    check policy files and evaluate policies offline
  help      show the help of a command

Connection (request, whoami):
  API key       --key-name/--keys-dir (Turnkey CLI key files); else, when set,
                TURNKEY_API_PRIVATE_KEY (with TURNKEY_API_PUBLIC_KEY and
                TURNKEY_API_KEY_CURVE); else the key file named "default"
  organization  --organization, else TURNKEY_ORGANIZATION_ID
  API address   --base-url, else TURNKEY_BASE_URL, else https://api.turnkey.com
  Key files live in --keys-dir, by default the Turnkey CLI's directory
  (~/.config/turnkey/keys on Linux and macOS).

Exit status:
  0  success
  1  API error: the API answered with an error or could not be reached, or the
     activity failed, was rejected, needs consensus or did not finish in time
  2  usage error: unknown command, bad flag, argument, body or endpoint name
  3  local error: reading or writing a file, loading or parsing an API key

Run 'turnkey help <command>' or 'turnkey <command> -h' for a command's flags.
`

// env is what a subcommand reads from and writes to.
type env struct {
	stdin          io.Reader
	stdout, stderr io.Writer
}

// command is one subcommand.
type command struct {
	name     string
	synopsis string // the usage line(s), without "Usage:"
	help     string // what the command does, shown after the usage line
	// setup defines the command's flags on fs and returns what runs it,
	// holding the flags' values.
	setup func(fs *flag.FlagSet) runner
}

// runner runs a subcommand with its positional arguments, once its flags
// are parsed.
type runner interface {
	run(ctx context.Context, e *env, args []string) error
}

// commands lists the subcommands in the order the usage shows them.
func commands() []*command {
	return []*command{keygenCommand(), stampCommand(), requestCommand(), whoamiCommand(), localCommand(), policyCommand()}
}

func findCommand(name string) *command {
	for _, c := range commands() {
		if c.name == name {
			return c
		}
	}
	return nil
}

// run is the whole program: it runs the command named by args[0] and returns
// the exit code; signals are handled by runMain (main.go).
func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	return runMain(args, stdin, stdout, stderr)
}

// runContext is run with a context that ends the command when done (run's
// ends on SIGINT or SIGTERM).
func runContext(ctx context.Context, args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	e := &env{stdin: stdin, stdout: stdout, stderr: stderr}
	if len(args) == 0 {
		fmt.Fprint(stderr, usageText)
		return exitUsage
	}
	name, rest := args[0], args[1:]
	switch name {
	case "-h", "-help", "--help":
		fmt.Fprint(stdout, usageText)
		return exitOK
	case "version", "-version", "--version":
		if len(rest) > 0 && !isHelpFlag(rest[0]) {
			fmt.Fprintf(stderr, "turnkey version: unexpected argument %q\n", rest[0])
			return exitUsage
		}
		fmt.Fprintln(stdout, versionLine())
		return exitOK
	case "help":
		if len(rest) == 0 || (len(rest) == 1 && (isHelpFlag(rest[0]) || rest[0] == "help")) {
			fmt.Fprint(stdout, usageText)
			return exitOK
		}
		c := findCommand(rest[0])
		if c == nil || len(rest) > 1 {
			fmt.Fprintf(stderr, "turnkey help: unknown command %q\n\n%s", strings.Join(rest, " "), usageText)
			return exitUsage
		}
		printCommandUsage(stdout, c)
		return exitOK
	}
	c := findCommand(name)
	if c == nil {
		fmt.Fprintf(stderr, "turnkey: unknown command %q\n\n%s", name, usageText)
		return exitUsage
	}
	return c.execute(ctx, e, rest)
}

// execute parses the command's flags and runs it, turning its error into an
// exit code and a message on stderr.
func (c *command) execute(ctx context.Context, e *env, args []string) int {
	fs := flag.NewFlagSet("turnkey "+c.name, flag.ContinueOnError)
	fs.SetOutput(io.Discard) // errors are printed below, with the usage
	fs.Usage = func() {}
	r := c.setup(fs)
	pos, err := parseInterleaved(fs, args)
	if errors.Is(err, flag.ErrHelp) {
		printCommandUsage(e.stdout, c)
		return exitOK
	}
	if err != nil {
		err = usageError("%v", err)
	} else {
		err = r.run(ctx, e, pos)
	}
	if err == nil {
		return exitOK
	}
	code := exitCode(err)
	fmt.Fprintf(e.stderr, "turnkey %s: %s\n", c.name, describe(err))
	var ue *usageErr
	if errors.As(err, &ue) && !ue.noUsage {
		fmt.Fprintln(e.stderr)
		printCommandUsage(e.stderr, c)
	}
	return code
}

func isHelpFlag(arg string) bool { return arg == "-h" || arg == "-help" || arg == "--help" }

// versionLine is what `turnkey version` prints: the SDK's version (the
// module's, see RELEASING.md), and the Go toolchain and platform.
func versionLine() string {
	return fmt.Sprintf("turnkey %s (%s %s/%s)", sdk.Version, runtime.Version(), runtime.GOOS, runtime.GOARCH)
}

func printCommandUsage(w io.Writer, c *command) {
	fmt.Fprintf(w, "Usage:\n  %s\n\n%s", strings.ReplaceAll(c.synopsis, "\n", "\n  "), c.help)
	fs := flag.NewFlagSet("turnkey "+c.name, flag.ContinueOnError)
	c.setup(fs)
	has := false
	fs.VisitAll(func(*flag.Flag) { has = true })
	if has {
		fmt.Fprint(w, "\nFlags:\n")
		printFlags(w, fs)
	}
	fmt.Fprint(w, "\nExit status: 0 success, 1 API error, 2 usage error, 3 local I/O or key error.\n")
}

// printFlags is flag.PrintDefaults with the flags spelt "--name", as the
// usage lines spell them (Go's flag package accepts both).
func printFlags(w io.Writer, fs *flag.FlagSet) {
	fs.VisitAll(func(f *flag.Flag) {
		arg, usage := flag.UnquoteUsage(f)
		line := "  --" + f.Name
		if arg != "" {
			line += " " + arg
		}
		usage = strings.ReplaceAll(usage, "\n", "\n      ")
		fmt.Fprintf(w, "%s\n      %s", line, usage)
		if f.DefValue != "" && f.DefValue != "false" && f.DefValue != "0s" && !strings.Contains(usage, "(default") {
			fmt.Fprintf(w, " (default %s)", f.DefValue)
		}
		fmt.Fprintln(w)
	})
}

// parseInterleaved parses flags that may come before, between or after the
// positional arguments ("turnkey request whoami --key-name k"), and returns
// the positional arguments. Everything after "--" is positional.
func parseInterleaved(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, err
		}
		rest := fs.Args()
		consumed := len(args) - len(rest)
		if consumed > 0 && args[consumed-1] == "--" {
			return append(pos, rest...), nil
		}
		if len(rest) == 0 {
			return pos, nil
		}
		pos = append(pos, rest[0])
		args = rest[1:]
	}
}

// usageErr is a usage error (exit code 2); the command's usage is printed
// after it unless noUsage is set (for errors whose message says enough).
type usageErr struct {
	msg     string
	noUsage bool
}

func (e *usageErr) Error() string { return e.msg }

func usageError(format string, args ...any) error {
	return &usageErr{msg: fmt.Sprintf(format, args...)}
}

// badInput is a usage error in a value (a body, an endpoint name) rather than
// in the command line's shape: the usage is not repeated after it.
func badInput(format string, args ...any) error {
	return &usageErr{msg: fmt.Sprintf(format, args...), noUsage: true}
}

// exitErr gives err an exit code.
type exitErr struct {
	code int
	err  error
}

func (e *exitErr) Error() string { return e.err.Error() }
func (e *exitErr) Unwrap() error { return e.err }

// localError marks err as a local I/O or key error (exit code 3).
func localError(err error) error { return &exitErr{code: exitLocal, err: err} }

// exitCode maps an error to the exit code of the command.
func exitCode(err error) int {
	var ue *usageErr
	var ee *exitErr
	switch {
	case err == nil:
		return exitOK
	case errors.As(err, &ue):
		return exitUsage
	case errors.As(err, &ee):
		return ee.code
	}
	return exitAPI
}

// write writes s to w; a failure is a local I/O error.
func write(w io.Writer, s string) error {
	if _, err := io.WriteString(w, s); err != nil {
		return localError(fmt.Errorf("writing the output: %w", err))
	}
	return nil
}

// shellQuote quotes s for a POSIX shell if it needs it.
func shellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' || strings.ContainsRune("/._-+:=@%", r))
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
