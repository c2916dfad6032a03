// Compiled by scripts/check-generators.sh with `tsc --strict --noEmit` next to
// turnkey.ts, the types openapi-typescript generates from api/openapi.yaml.
import type { components, operations } from "./turnkey";

type Schemas = components["schemas"];
type Activity = Schemas["Activity"];

// Answers are open: a type or status Turnkey adds after this spec was written
// is a valid Activity, so a client that decodes it keeps it as it is.
export const future: Pick<Activity, "type" | "status"> = {
  type: "ACTIVITY_TYPE_SOMETHING_NEW_V9",
  status: "ACTIVITY_STATUS_SOMETHING_NEW",
};

// Requests are closed: a curve the spec does not list does not compile.
export const account: Schemas["WalletAccountParams"] = {
  curve: "CURVE_SECP256K1",
  pathFormat: "PATH_FORMAT_BIP32",
  path: "m/44'/60'/0'/0/0",
  addressFormat: "ADDRESS_FORMAT_ETHEREUM",
};
export const badAccount: Schemas["WalletAccountParams"] = {
  ...account,
  // @ts-expect-error: not a curve of the spec
  curve: "CURVE_NOT_IN_THE_SPEC",
};

// Each submit's body names its one activity type.
type CreateWalletBody = operations["CreateWallet"]["requestBody"]["content"]["application/json"];
export const createWallet: CreateWalletBody = {
  type: "ACTIVITY_TYPE_CREATE_WALLET",
  timestampMs: String(Date.now()),
  organizationId: "org",
  parameters: { walletName: "w", accounts: [account] },
};

// Status.code and message are required in every error.
export function describe(s: Schemas["Status"]): string {
  const code: number = s.code;
  const message: string = s.message;
  return `${code}: ${message}`;
}

// The result of a completed activity, read by its result member.
export function walletId(a: Activity): string | undefined {
  return a.result.createWalletResult?.walletId;
}

// The discriminated form next to the flat one: switching on `type` narrows the
// intent and the result to that type's members.
type TypedActivity = Schemas["TypedActivity"];
export function summary(raw: unknown): string {
  const a = raw as TypedActivity; // the same JSON as the flat Activity
  switch (a.type) {
    case "ACTIVITY_TYPE_CREATE_WALLET": {
      const name: string = a.intent.createWalletIntent.walletName;
      const id: string | undefined = a.result.createWalletResult?.walletId;
      // @ts-expect-error: a create_wallet activity has no sign_transaction result
      a.result.signTransactionResult;
      return `${name} ${id ?? "pending"}`;
    }
    case "ACTIVITY_TYPE_SIGN_TRANSACTION_V2":
      return a.result.signTransactionResult?.signedTransaction ?? "pending";
    default:
      return a.type;
  }
}

// The README's form of it, from a get_activity answer.
export function walletOf(answer: Schemas["ActivityResponse"]): string | undefined {
  const a = answer.activity as Schemas["TypedActivity"];
  switch (a.type) {
    case "ACTIVITY_TYPE_CREATE_WALLET":
      return a.result.createWalletResult?.walletId;
  }
  return undefined;
}
