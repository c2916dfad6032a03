package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit codes after a signal, as shells report a process killed by one:
// 128 + the signal's number.
const (
	exitInterrupt = 130 // SIGINT (Ctrl-C)
	exitTerminate = 143 // SIGTERM
)

// signalGrace is how long a command may take to stop by itself once a signal
// has cancelled its context (to finish writing what it printed); after that,
// or on a second signal, the process exits at once, even if the command is
// blocked outside the context (reading standard input, opening a FIFO).
const signalGrace = 200 * time.Millisecond

// serverGrace is how long a command that serves until interrupted ("local")
// may take to shut down cleanly after a signal; its own exit status then
// stands, since a signal is how it is meant to stop.
const serverGrace = 5 * time.Second

// runMain runs the command named by args and returns its exit code. SIGINT
// and SIGTERM cancel the command's context and end the program within
// signalGrace, with exitInterrupt or exitTerminate; "turnkey local" gets
// serverGrace to shut down and exits with its own status. A second signal
// always ends the program at once.
func runMain(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	sigs := make(chan os.Signal, 2)
	signal.Notify(sigs, os.Interrupt, syscall.SIGTERM)
	defer signal.Stop(sigs)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	done := make(chan int, 1)
	go func() { done <- runContext(ctx, args, stdin, stdout, stderr) }()
	select {
	case code := <-done:
		return code
	case sig := <-sigs:
		cancel()
		grace := signalGrace
		server := len(args) > 0 && args[0] == "local"
		if server {
			grace = serverGrace
		}
		select {
		case code := <-done:
			if server {
				return code
			}
		case <-sigs:
		case <-time.After(grace):
		}
		fmt.Fprintf(stderr, "turnkey: interrupted by %v\n", sig)
		if sig == syscall.SIGTERM {
			return exitTerminate
		}
		return exitInterrupt
	}
}
