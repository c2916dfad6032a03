// Package turnkeytest runs a local simulator of the Turnkey API, to test
// integrations offline, much as net/http/httptest runs a local HTTP server.
//
// NewServer listens on a loopback address and bootstraps a root organization
// with one root user and its P-256 API key (Server.Root). Server.Client
// returns an sdk client for it; any other client, in any language, can use
// Server.URL and the root key (stamp.SaveKeyFile writes it as Turnkey CLI key
// files). State lives in memory and is gone when the server is closed;
// WithSeed makes the server's identity (root organization and users, their
// API keys, the enclave signer key) the same on every start.
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
// oauth_login); any other is answered HTTP 403 (code 7). Instead of a stamp,
// a query may carry a read-only session token in an X-Session header (see
// Authentication flows). A missing, malformed or invalid stamp, or an unknown or expired key, is
// answered HTTP 401 (code 16); a key of an unrelated organization HTTP 403
// (code 7); an unknown organization HTTP 404 (code 5); a path that is no
// endpoint of the API HTTP 404 with code 12 and a message that names the
// path and says it is not an endpoint of the Turnkey API; a body that is not
// JSON or lacks organizationId HTTP 400 (code 3). Error bodies are
// {"code", "message", "details"}, as Turnkey's.
//
// A submit must name the documented activity type version of its endpoint
// (for example ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V7 for
// create_sub_organization) or a newer one the simulator serves, as Turnkey's
// own clients send them: create_sub_organization V8, create_users V3 and V4,
// update_policy V2, create_oauth_providers V2, email_auth V3, init_otp V2 and
// V3, init_otp_auth V2 and V3, init_user_email_recovery V2, otp_login V2 and
// verify_otp V2. The activity records the version sent (its type, its intent
// as sent, the result member that version names), and a timestampMs at most 5 minutes old and 1
// minute ahead (WithTimestampWindow); otherwise HTTP 400 (code 3) says what
// was expected. Parameters that are wrong whatever the state (a bad curve, an
// address format that is not simulated, a malformed payload) are refused
// with HTTP 400 too, and create no activity.
//
// # Activities
//
// Every other submit creates an activity, whose fingerprint is, as in
// Turnkey, "sha256:" followed by the hex SHA-256 of the exact body. A byte-identical body returns the same activity
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
// # Policies
//
// Policies are enforced with package policy, by Turnkey's outcome rules: a
// quorum of root users allows; otherwise an applicable EFFECT_DENY policy
// denies; otherwise an applicable EFFECT_ALLOW policy allows; otherwise the
// activity is denied. A denied activity is answered HTTP 403, code 7, with a
// PolicyEnginePermissionError detail, and is not stored. An activity an
// allow policy's consensus can still reach (it counts the submitter) is
// CONSENSUS_NEEDED; each approval re-decides it, and users that consensus
// counts may approve. create_policy, create_policies and update_policy
// refuse a condition or consensus that does not parse or type-check (code
// 3, "invalid policy condition: ..."). Users may change their own
// credentials without a policy; parent-organization auth flows in a
// sub-organization are not policy-checked.
//
// sign_transaction conditions see the transaction sign_transaction parses:
// eth.tx (to, from, data as 0x-hex, value, gas, gas_price — max_fee_per_gas
// for EIP-1559, as Turnkey sets it —, chain_id, nonce, the max fee fields,
// type LEGACY, TYPE_1 or TYPE_2; addresses in lower-case hex) and solana.tx
// (account_keys, program_keys, instructions with their accounts' signer and
// writable flags, recent_blockhash, System Program transfers,
// address_table_lookups; an account loaded from a lookup table reads
// ADDRESS_TABLE_LOOKUP). spl_transfers is always empty, and the fields that
// need an uploaded ABI or IDL (function_name, contract_call_args,
// parsed_instruction_data) are absent: a policy that reads them neither
// allows nor denies.
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
// delete_private_key_tags; sign_raw_payload (V2), sign_raw_payloads,
// sign_transaction (V2, see below); export_wallet, export_wallet_account, export_private_key;
// init_import_wallet, import_wallet, init_import_private_key,
// import_private_key.
//
// Authentication flows (see below): email_auth (V2), init_otp_auth,
// otp_auth, init_otp, verify_otp, otp_login, oauth, oauth_login,
// stamp_login, init_user_email_recovery, recover_user, create_invitations,
// delete_invitation, create_read_only_session; the query
// list_verified_suborgs.
//
// An endpoint of the spec that is not simulated answers HTTP 501 with
// {"code": 12, "message": "turnkeytest: <endpoint> is not simulated",
// "details": []}: none today (every endpoint of the spec is simulated).
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
// sign_transaction signs TRANSACTION_TYPE_ETHEREUM transactions given as hex
// RLP: legacy (6 fields, or the 9 of EIP-155 with chainId, 0, 0), EIP-2930
// (0x01) and EIP-1559 (0x02), unsigned. signedTransaction is the signed
// transaction, ready to broadcast, whose recovered sender is the signing
// account (v = chainId*2+35+recovery for EIP-155, 27+recovery without a
// chain ID, yParity for typed transactions; low S). TRANSACTION_TYPE_SOLANA
// takes an unsigned transaction (signature slots and a legacy or v0
// message) or a bare message, and returns the transaction with the
// account's Ed25519 signature in its signer slot; the account must be one of
// the message's required signers. Other transaction types (Bitcoin, Tron,
// Tempo) and other Ethereum types (blob, set-code) are refused with HTTP 400
// naming what is simulated. Parsing and signing live in internal/chain/eth
// and internal/chain/solana.
//
// Wallets are real: mnemonics are BIP-39 English mnemonics with their
// checksum (imports are checked: a wrong word count, an unknown word or a bad
// checksum fails the activity with a message that says which), the seed is
// PBKDF2-HMAC-SHA512 of the mnemonic with an empty passphrase, and accounts
// are derived by BIP-32 (secp256k1) or SLIP-10 (Ed25519, hardened paths
// only), so a mnemonic gives the same addresses here as in any other wallet:
// the BIP-39 test mnemonic "abandon ... about" gives
// 0x9858EfFD232B4033E47d90003D41EC34EcaEda94 at m/44'/60'/0'/0/0 and
// HAgk14JpMQLgt6rVgv7cBQFJWFto5Dqxi472uT3DKpqk at m/44'/501'/0'/0'. Exporting
// a wallet and importing its mnemonic elsewhere gives the same
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
// # Authentication flows
//
// What Turnkey would send by email or SMS lands in an outbox instead:
// Server.Outbox and Server.LastMessage in Go, GET <URL>/_local/outbox
// (optionally ?to=<email or phone>) as JSON from any language. Messages
// carry the OTP code and ID, the credential bundle and magic link, or the
// invitation ID.
//
// OTP: init_otp sends a code to any contact (OTP_TYPE_EMAIL or OTP_TYPE_SMS;
// 9 Crockford Base32 characters by default, otpLength 6 to 9, alphanumeric
// false for digits; valid 5 minutes by default, at most 600 seconds).
// verify_otp checks it in the same organization and returns a verification
// token (a JWT: id, exp, verification_type, contact, and public_key if
// verify_otp was given one; valid 1 hour by default, at most 86400 seconds).
// otp_login, in the organization of a user whose email address or phone
// number is the token's contact, consumes the token (once) and registers
// publicKey as the user's login key (CREDENTIAL_TYPE_LOGIN, 15 minutes by
// default); a token bound to a public key also needs a clientSignature by
// that key (P-256 ECDSA over the SHA-256 of its message, whose content is
// not checked). Newer versions: init_otp V2 takes the app name in the intent
// (required); V3 also returns, in initOtpResultV2, an
// otpEncryptionTargetBundle, a bundle signed by the enclave signer
// (Server.EnclaveSignerPublicKey) holding a target key for the code;
// verify_otp V2 takes the code and the client public key to bind the token
// to, HPKE-encrypted to that key ({"otp_code", "public_key"}; see
// enclave.EncryptOtpCode), and needs an OTP of init_otp V3 (code 9
// otherwise; a bundle that does not open fails with code 3). otp_login V2
// requires clientSignature, by the bound key or, for a token bound to none,
// by publicKey. A token this simulator did not sign, an expired one or one
// already used fails otp_login with code 16; a contact no user of the
// organization has, with code 5. init_otp_auth sends a 6-digit code to the
// user of the organization with that contact (V2 and V3: otpLength and
// alphanumeric as for init_otp, 9 alphanumeric characters by default, and
// the result initOtpAuthResultV2; V3 also takes appName, required, and
// expirationSeconds); otp_auth checks it and returns
// that user's new API key in a credential bundle. A code may be tried 3
// times: a wrong code fails the activity (code 3) and counts, and the third
// wrong code locks it (code 8, even for the right code); a used code or an
// expired one fails with code 9. With a userIdentifier, init_otp and
// init_otp_auth take at most 3 requests in 3 minutes per identifier (then
// HTTP 429, code 8, and no activity); the limit of active codes per user is
// not simulated. A contact whose code passed verify_otp or otp_auth is
// verified: list_verified_suborgs lists the direct sub-organizations with a
// user whose email or phone number is verified (filterType EMAIL or
// PHONE_NUMBER).
//
// OAuth: the simulator trusts one OIDC issuer, its own (Server.OIDCIssuer,
// <URL>/_local/oidc, with a discovery document and a JWKS), whose ES256 ID
// tokens Server.MintIDToken makes, and POST <URL>/_local/oidc/token for
// clients in other languages ({"sub", "aud", "nonce", "email",
// "expiresInSeconds"} → {"idToken"}). oauth and oauth_login verify the
// token's issuer, signature and expiry, require its nonce (or tknonce) to be
// sha256(public key) in hex (OIDCNonce; targetPublicKey for oauth, publicKey
// for oauth_login), and find the user of the organization with an OAuth
// provider of the token's iss, aud and sub. Failures are FAILED activities:
// code 16 for an untrusted issuer, a bad signature, an expired token or a
// wrong nonce, code 5 when no user has that provider (another audience or
// subject); a token that is not a JWT is refused with HTTP 400.
//
// Email auth and recovery: email_auth emails the user with that address a
// new API key in a credential bundle encrypted to targetPublicKey (the
// bundle is in the outbox, not in the result); email_auth V3 and
// init_user_email_recovery V2 require emailCustomization with its appName
// (HTTP 400 without). init_user_email_recovery
// emails a recovery credential: it may read, and submit recover_user for its
// own user, which registers a new authenticator; any other submit is
// answered HTTP 403.
//
// Sessions: oauth_login, otp_login and stamp_login (for the user whose key
// stamped it) return session tokens, JWTs with exp, public_key,
// session_type, user_id and organization_id, signed (ES256 over
// sha256(sha256(header.payload)), as Turnkey's) by the simulator's
// session-token key: Server.SessionTokenPublicKey,
// Server.VerifySessionToken. create_read_only_session returns a
// SESSION_TYPE_READ_ONLY token, valid an hour, that authenticates queries in
// an X-Session header in its organization and its sub-organizations; submits
// refuse it (HTTP 403). Session profiles are not simulated (HTTP 400). A
// user keeps at most 10 expiring keys from these flows: a new one deletes an
// expired one first, otherwise the oldest.
//
// Invitations: create_invitations stores invitations and emails them (to the
// outbox); delete_invitation removes one. Nothing accepts them.
//
// # What is stored but not enforced
//
// Organization features are stored without effect. Authenticators and OAuth
// providers are stored and listed, but passkey (X-Stamp-WebAuthn) stamps and
// attestations are not verified, so passkeys authenticate nothing; OIDC
// tokens are verified by oauth and oauth_login only (create_oauth_providers
// and create_sub_organization read their iss, aud and sub unverified); the
// disable* flags of create_sub_organization and the email, OTP and SMS
// organization features are not enforced. Pagination follows
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
