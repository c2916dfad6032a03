package policy

import "slices"

// The structs of Turnkey's policy language, with the fields its language
// reference documents.
var (
	userType = structOf("User", map[string]*Type{
		"id": String, "tags": ListOf(String), "email": String, "alias": String,
	})
	credentialType = structOf("Credential", map[string]*Type{
		"id": String, "user_id": String, "type": String, "credential_id": String, "public_key": String,
	})
	activityType = structOf("Activity", map[string]*Type{
		"type": String, "resource": String, "action": String,
		// The parameters the reference documents, each for some activity types.
		"params": structOf("ActivityParams", map[string]*Type{
			"hash_function": String, "encoding": String, "type": String,
			"user_ids": ListOf(String), "wallet_id": String, "otp_length": Int,
		}),
	})
	walletType = structOf("Wallet", map[string]*Type{
		"id": String, "imported": Bool, "exported": Bool, "label": String,
	})
	walletAccountType = structOf("WalletAccount", map[string]*Type{
		"address": String, "path_indexes": ListOf(Int), "path_hardened": ListOf(Bool),
	})
	privateKeyType = structOf("PrivateKey", map[string]*Type{
		"id": String, "tags": ListOf(String), "imported": Bool, "exported": Bool, "label": String,
	})
	ethTxType = structOf("EthereumTransaction", map[string]*Type{
		"from": String, "to": String, "data": String, "value": Int, "gas": Int, "gas_price": Int,
		"chain_id": Int, "nonce": Int, "max_fee_per_gas": Int, "max_priority_fee_per_gas": Int,
		"max_fee_per_blob_gas": Int, "type": String, "function_name": String, "function_signature": String,
		"contract_call_args": MapOf(Dynamic),
	})
	eip712Type = structOf("Eip712TypedData", map[string]*Type{
		"primary_type": String,
		"domain": structOf("Eip712Domain", map[string]*Type{
			"name": String, "version": String, "chain_id": Int, "verifying_contract": String,
		}),
		"message": MapOf(Dynamic),
	})
	eip7702Type = structOf("Eip7702Authorization", map[string]*Type{
		"address": String, "chain_id": Int, "nonce": Int,
	})
	solanaAddressTableLookup = structOf("AddressTableLookup", map[string]*Type{
		"address_table_key": String, "writable_indexes": ListOf(Int), "readonly_indexes": ListOf(Int),
	})
	solanaTxType = structOf("SolanaTransaction", map[string]*Type{
		"account_keys": ListOf(String),
		"program_keys": ListOf(String),
		"instructions": ListOf(structOf("Instruction", map[string]*Type{
			"program_key": String,
			"accounts": ListOf(structOf("Account", map[string]*Type{
				"account_key": String, "signer": Bool, "writable": Bool,
			})),
			"instruction_data_hex":  String,
			"address_table_lookups": ListOf(solanaAddressTableLookup),
			"parsed_instruction_data": structOf("SolanaParsedInstructionData", map[string]*Type{
				"instruction_name": String, "discriminator": String,
				"named_accounts": MapOf(String), "program_call_args": MapOf(Dynamic),
			}),
		})),
		"transfers": ListOf(structOf("Transfer", map[string]*Type{
			"from": String, "to": String, "amount": Int,
		})),
		"recent_blockhash": String,
		"spl_transfers": ListOf(structOf("SPLTransfer", map[string]*Type{
			"from": String, "to": String, "amount": Int, "owner": String, "signers": ListOf(String), "token_mint": String,
		})),
		"address_table_lookups": ListOf(solanaAddressTableLookup),
	})
	tronPermission = structOf("TronPermission", map[string]*Type{
		"type": String, "id": Int, "permission_name": String, "threshold": Int, "parent_id": Int,
		"operations": String, "keys": ListOf(structOf("TronKey", map[string]*Type{"address": String, "weight": Int})),
	})
	tronTxType = structOf("TronTransaction", map[string]*Type{
		"ref_block_bytes": String, "ref_block_hash": String, "expiration": Int, "timestamp": Int,
		"data": String, "fee_limit": Int,
		"contract": ListOf(structOf("TronContract", map[string]*Type{
			"type": String, "permission_id": Int, "owner_address": String, "to_address": String,
			"amount": Int, "contract_address": String, "call_value": Int, "data": String,
			"call_token_value": Int, "token_id": Int, "resource": String, "balance": Int,
			"receiver_address": String, "lock": Bool, "lock_period": Int, "frozen_balance": Int,
			"unfreeze_balance": Int, "owner": tronPermission, "witness": tronPermission,
			"actives": ListOf(tronPermission),
		})),
	})
	bitcoinTxType = structOf("BitcoinTransaction", map[string]*Type{
		"version": String,
		"inputs": ListOf(structOf("BitcoinTxInput", map[string]*Type{
			"tx_id": String, "vout": Int, "sequence": Int,
		})),
		"outputs": ListOf(structOf("BitcoinTxOutput", map[string]*Type{
			"value": Int, "script_pubkey": String, "address": String, "address_type": String,
		})),
		"locktime": structOf("BitcoinTxLocktime", map[string]*Type{"amount": Int, "type": String}),
		"fee":      Int,
	})
	tempoTxType = structOf("TempoTransaction", map[string]*Type{
		"chain_id": Int, "from": String, "nonce": Int, "gas_limit": Int, "max_fee_per_gas": Int,
		"max_priority_fee_per_gas": Int, "fee_token": String, "valid_before": Int, "valid_after": Int,
		"calls": ListOf(structOf("TempoCall", map[string]*Type{
			"to": String, "value": Int, "input": String, "function_signature": String,
		})),
	})
)

// Field is which field of a policy an expression is: each has its own
// keywords.
type Field string

// The two expression fields of a policy.
const (
	FieldConsensus Field = "consensus"
	FieldCondition Field = "condition"
)

// Keywords returns the keywords an expression in field may use, with their
// types. Namespaces (eth, solana, ...) are structs whose fields are the
// keywords under them (eth.tx).
func Keywords(field Field) map[string]*Type {
	if field == FieldConsensus {
		return consensusKeywords
	}
	return conditionKeywords
}

var consensusKeywords = map[string]*Type{
	"approvers":   ListOf(userType),
	"credentials": ListOf(credentialType),
}

var conditionKeywords = map[string]*Type{
	"activity": activityType,
	"eth": structOf("eth", map[string]*Type{
		"tx": ethTxType, "eip_712": eip712Type, "eip_7702_authorization": eip7702Type,
	}),
	"solana":         structOf("solana", map[string]*Type{"tx": solanaTxType}),
	"tron":           structOf("tron", map[string]*Type{"tx": tronTxType}),
	"bitcoin":        structOf("bitcoin", map[string]*Type{"tx": bitcoinTxType}),
	"tempo":          structOf("tempo", map[string]*Type{"tx": tempoTxType}),
	"wallet":         walletType,
	"wallets":        ListOf(walletType),
	"private_key":    privateKeyType,
	"wallet_account": walletAccountType,
}

func keywordNames(m map[string]*Type) []string {
	names := make([]string, 0, len(m))
	for n := range m {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
