// Package turnkeytest runs a local simulator of the Turnkey API, to test
// integrations offline, much as net/http/httptest runs a local HTTP server.
//
// NewServer listens on a loopback address and bootstraps a root organization
// with one root user and its P-256 API key (Server.Root). Server.Client
// returns an sdk client for it; any other client, in any language, can use
// Server.URL and the root key (stamp.SaveKeyFile writes it as Turnkey CLI key
// files). State lives in memory and is gone when the server is closed.
//
// The simulator serves the generated strict server of api/openapi.yaml
// (StrictServerInterface, generated into internal/genserver), the spec the client is generated from, and
// takes each submit's activity type, intent and result properties from the
// spec's x-turnkey-activity extension: the client and the simulator cannot
// drift apart.
//
// # Requests
//
// Every request must carry an X-Stamp over its exact body, made by an API key
// registered in the organization named by the body's organizationId, or in
// one of its parent organizations. A parent's key may read a sub-organization
// but not change it: of the submits, it may only start the flows that
// authenticate the sub-organization's users (email_auth, init_otp_auth,
// otp_auth, oauth, init_user_email_recovery, init_otp, verify_otp, otp_login,
// oauth_login); any other is answered HTTP 403 (code 7). A missing, malformed or invalid stamp, or an unknown or expired key, is
// answered HTTP 401 (code 16); a key of an unrelated organization HTTP 403
// (code 7); an unknown organization HTTP 404 (code 5); a body that is not
// JSON or lacks organizationId HTTP 400 (code 3). Error bodies are
// {"code", "message", "details"}, as Turnkey's.
//
// A submit must name the current activity type version of its endpoint (for
// example ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7 for
// create_sub_organization) and a timestampMs at most 5 minutes old and 1
// minute ahead (WithTimestampWindow); otherwise HTTP 400 (code 3) says what
// was expected. Parameters that are wrong whatever the state (a bad curve, an
// address format that is not simulated, a malformed payload) are refused
// with HTTP 400 too, and create no activity.
//
// # Activities
//
// Every other submit creates an activity, whose fingerprint is the hex
// SHA-256 of the body. A byte-identical body returns the same activity
// instead of executing again (Stats.DuplicatesAvoided): clients retry submits
// by resending their exact bytes. Note that two identical calls made in the
// same millisecond have identical bodies, and are one activity.
//
// An activity completes at once (status COMPLETED in the answer to the
// submit), or, with WithActivityDelay, is CREATED, then PENDING, and
// completes on the first request after its delay. Its effect on the state
// happens exactly once, when it completes; the result is under
// activity.result.<the spec's result property>. An effect that fails (an
// unknown wallet, a duplicate name, a wallet not exported before deletion)
// makes the activity FAILED with failure {code, message}.
//
// With a root quorum threshold above 1 (WithRootQuorum, update_root_quorum,
// or a sub-organization's rootQuorumThreshold), every activity but
// approve_activity and reject_activity is CONSENSUS_NEEDED, with the
// submitter's approval counted if they are in the quorum, until enough root
// users approve it by fingerprint; it then completes. One rejection by a
// member of the quorum makes it REJECTED. Votes, canApprove and canReject
// (for the caller) are filled in.
//
// # Simulated endpoints
//
// Queries: get_activity, list_activities, whoami, get_organization_configs,
// list_suborgs (filters NAME, USERNAME, EMAIL, PHONE_NUMBER, PUBLIC_KEY,
// CREDENTIAL_ID, WALLET_ACCOUNT_ADDRESS), get_user, list_users, get_api_key,
// get_api_keys, get_authenticator, get_authenticators, get_oauth_providers,
// list_user_tags, get_policy, list_policies, get_wallet, list_wallets,
// get_wallet_account, list_wallet_accounts, get_private_key,
// list_private_keys, list_private_key_tags.
//
// Submits: approve_activity, reject_activity; create_sub_organization (V7:
// root users with API keys, authenticators and OAuth providers, and an
// optional wallet), delete_sub_organization, update_root_quorum,
// set_organization_feature, remove_organization_feature; create_users (V2),
// delete_users, update_user, create_user_tag, update_user_tag,
// delete_user_tags; create_api_keys (V2; a new key stamps at once),
// delete_api_keys, create_authenticators (V2), delete_authenticators,
// create_oauth_providers, delete_oauth_providers;
// create_read_write_session (V2); create_policy (V3), create_policies,
// update_policy, delete_policy; create_wallet, create_wallet_accounts,
// update_wallet, delete_wallets; create_private_keys (V2),
// delete_private_keys, create_private_key_tag, update_private_key_tag,
// delete_private_key_tags; sign_raw_payload (V2), sign_raw_payloads;
// export_wallet, export_wallet_account, export_private_key;
// init_import_wallet, import_wallet, init_import_private_key,
// import_private_key.
//
// Every other endpoint of the spec answers HTTP 501 with
// {"code": 12, "message": "turnkeytest: <endpoint> is not simulated",
// "details": []}: list_verified_suborgs, create_read_only_session,
// sign_transaction, stamp_login, the invitation endpoints and the email, SMS,
// OTP, OAuth login and recovery flows.
//
// # Keys, addresses and signatures
//
// Keys are real: secp256k1 (github.com/decred/dcrd/dcrec/secp256k1/v4) and
// Ed25519; CURVE_P256 wallets and keys are not simulated. Address formats:
// ADDRESS_FORMAT_COMPRESSED (the hex public key) for both curves;
// ADDRESS_FORMAT_UNCOMPRESSED and ADDRESS_FORMAT_ETHEREUM (Keccak-256,
// EIP-55 checksummed) for secp256k1; ADDRESS_FORMAT_SOLANA (base58) for
// Ed25519. Other formats are refused with "address format X is not
// simulated".
//
// sign_raw_payload and sign_raw_payloads find the key by signWith: a wallet
// account address, a private key ID or a private key address. Payloads are
// PAYLOAD_ENCODING_HEXADECIMAL or PAYLOAD_ENCODING_TEXT_UTF8. secp256k1 keys
// sign the payload's HASH_FUNCTION_SHA256 or HASH_FUNCTION_KECCAK256 digest,
// or with HASH_FUNCTION_NO_OP the payload itself, which must then be 32
// bytes, with RFC 6979 low-S ECDSA: r and s are 32-byte hex, v the recovery
// id ("00" or "01"). Ed25519 keys sign the payload itself and need
// HASH_FUNCTION_NOT_APPLICABLE: r ‖ s is the 64-byte signature, v is "00".
// The signatures verify with any standard library.
//
// Simplifications: wallet mnemonics look like BIP-39 English mnemonics but
// are not (random words from the start of the BIP-39 list, no checksum), and
// accounts are derived deterministically from the mnemonic and the path, but
// NOT by BIP-32 / SLIP-10: a real wallet's mnemonic gives other addresses
// here. Exporting a wallet and importing its mnemonic does give the same
// addresses. Private keys are exported and imported as their 32 raw bytes
// (the secp256k1 scalar, the Ed25519 seed).
//
// # Enclave bundles
//
// create_read_write_session generates a P-256 session key for the user,
// registers it with its expiry (default 15 minutes) and returns it in a real
// credential bundle encrypted to targetPublicKey: decrypted with
// enclave.DecryptCredentialBundle, it stamps requests. Export and import
// bundles are real too, signed by the simulator's own enclave signer, which
// clients must trust explicitly: enclave.WithSignerPublicKey or
// sdk.WithEnclaveSigner with EnclaveSignerPublicKey (Server.Client does it).
//
// # What is stored but not enforced
//
// Policies are stored and listed but never evaluated: every authenticated
// request is allowed, subject only to the root quorum. Organization features
// are stored without effect. Authenticators and OAuth providers are stored
// and listed, but passkey (X-Stamp-WebAuthn) stamps, attestations and OIDC
// token signatures are not verified, so they authenticate nothing; the
// disable* flags of create_sub_organization are ignored. Pagination follows
// the spec (limit 1 to 100, default 10, before and after an ID).
//
// # Faults
//
// WithFaults makes the server answer 500 or 429, drop connections or answer
// slowly, at random but repeatably (seeded), to test a client's retries. A
// fault never corrupts the state: see Faults for which faults happen before
// and which after a request runs.
//
// # Concurrency
//
// A Server is safe for concurrent use. One mutex guards the state; requests
// are handled concurrently but see and leave it consistent.
package turnkeytest

//go:generate go test -run TestUnimplementedUpToDate -update
