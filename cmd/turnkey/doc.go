// Command turnkey is a command-line client for the Turnkey API, built on this
// module's sdk and stamp packages.
//
// Usage:
//
//	turnkey <command> [flags] [arguments]
//
// The commands:
//
//	keygen   generate an API key and save it as Turnkey CLI key files
//	stamp    print the X-Stamp header value for a request body
//	request  make a stamped call to any API endpoint
//	whoami   show the user and organization behind an API key
//	local    run a local simulator of the Turnkey API
//	version  print the version (also --version)
//	policy   check policy files and evaluate policies offline
//	help     show the help of a command
//
// Run "turnkey help COMMAND" for a command's flags. Flags may come before or
// after the arguments, and be spelt -name or --name.
//
// # Keys
//
// keygen writes NAME.private (mode 0600, "<private key hex>:<curve>") and
// NAME.public in the keys dir, ~/.config/turnkey/keys unless --keys-dir says
// otherwise: the files and the directory of the Turnkey CLI, so that each tool
// can use the other's keys. It never overwrites a key.
//
// stamp, request and whoami take the API key from --key-name and --keys-dir;
// when neither is given and TURNKEY_API_PRIVATE_KEY is set, from the
// environment (TURNKEY_API_PRIVATE_KEY, TURNKEY_API_PUBLIC_KEY,
// TURNKEY_API_KEY_CURVE, as sdk.NewFromEnv reads them); otherwise from the key
// file named "default". A private key file that its group or others can
// read or write is still used, with a warning on standard error (as ssh
// warns); chmod 600 it.
//
// # Calling the API
//
//	turnkey whoami --organization ORG --key-name NAME
//	turnkey request list_wallets --organization ORG
//	turnkey request create_wallet --body @wallet.json
//
// request names the endpoint like the API's path does ("create_wallet"; the
// path itself, "create-wallet" and "CreateWallet" work too; "turnkey request
// --list" lists them). For a query the body is the request, and its
// organizationId is filled in when absent. For an activity the body is only
// the parameters: the command adds the activity type version this module
// knows (sdk.LookupOperation), timestampMs and organizationId, waits for the
// activity to finish unless --no-wait, and prints it.
//
// The organization comes from --organization or TURNKEY_ORGANIZATION_ID, the
// API's address from --base-url or TURNKEY_BASE_URL, by default
// https://api.turnkey.com. Answers are printed as indented JSON on standard
// output; errors go to standard error, and so do progress lines while request
// waits for a pending activity. --timeout DURATION (request, whoami) bounds
// the whole command, retries and waiting included.
//
// # The local simulator
//
//	turnkey local [--addr 127.0.0.1:8080] [--state-dir DIR]
//
// runs the simulator of package turnkeytest, saves its root user's API key as
// key files in a new temporary directory (or --keys-dir), prints the
// organization ID, the enclave signer public key and the environment to point
// the SDK and this command at it, and serves until interrupted. With
// --state-dir (or --seed) the organization, root user, API key and enclave
// signer key are the same on every start, also after a crash.
//
// # Exit status
//
//	0  success
//	1  API error: the API answered with an error or could not be reached, or
//	   the activity failed, was rejected, needs consensus or did not finish
//	   in time
//	2  usage error: unknown command, bad flag, argument, body or endpoint name
//	3  local error: reading or writing a file, loading or parsing an API key
//	130  interrupted by SIGINT (Ctrl-C); 143 for SIGTERM
//
// A signal cancels the command; if it has not stopped 200 ms later (it may be
// blocked reading standard input or a FIFO), or on a second signal, the
// process exits at once. An activity already submitted may still complete.
// "turnkey local", which serves until interrupted, gets 5 s to shut down and
// then exits with its own status (0 after a clean stop).
package main
