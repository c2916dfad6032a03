package turnkeytest

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// wallet is an HD wallet: a mnemonic and the accounts derived from it.
type wallet struct {
	id, name           string
	mnemonic           string
	seed               []byte
	exported, imported bool
	seq                uint64
	createdAt          time.Time
	updatedAt          time.Time
	accounts           []*account
}

// account is a wallet account: a key derived from the wallet's seed and
// path, and its address in one format.
type account struct {
	id, walletID, orgID string
	params              gen.WalletAccountParams
	address             string
	key                 *keyPair
	createdAt           time.Time
}

func (o *org) wallet(id string) (*wallet, error) {
	if w := o.wallets[id]; w != nil {
		return w, nil
	}
	return nil, notFound("wallet %s not found in organization %s", id, o.id)
}

func (w *wallet) render() gen.Wallet {
	return gen.Wallet{WalletID: w.id, WalletName: w.name, Exported: w.exported, Imported: w.imported,
		CreatedAt: timestamp(w.createdAt), UpdatedAt: timestamp(w.updatedAt)}
}

func (a *account) render() gen.WalletAccount {
	pub := a.key.publicKeyHex()
	return gen.WalletAccount{
		WalletAccountID: a.id, WalletID: a.walletID, OrganizationID: a.orgID, Address: a.address,
		AddressFormat: a.params.AddressFormat, Curve: a.params.Curve, Path: a.params.Path,
		PathFormat: a.params.PathFormat, PublicKey: &pub,
		CreatedAt: timestamp(a.createdAt), UpdatedAt: timestamp(a.createdAt),
	}
}

// findAccount finds the wallet account with address in o. Ethereum
// addresses match without regard to case.
func (o *org) findAccount(address string) *account {
	for _, w := range o.wallets {
		for _, a := range w.accounts {
			if sameAddress(a.address, address) {
				return a
			}
		}
	}
	return nil
}

func sameAddress(a, b string) bool {
	if strings.HasPrefix(a, "0x") {
		return strings.EqualFold(a, b)
	}
	return a == b
}

// checkWallet validates a new wallet's name, mnemonic length and accounts.
func checkWallet(name string, mnemonicLength *int32, accounts []gen.WalletAccountParams) (int, error) {
	if strings.TrimSpace(name) == "" {
		return 0, invalidArgument("walletName is required")
	}
	n := int32(12)
	if mnemonicLength != nil {
		n = *mnemonicLength
	}
	if !slices.Contains(mnemonicLengths, n) {
		return 0, invalidArgument("mnemonicLength %d must be 12, 15, 18, 21 or 24", n)
	}
	return int(n), checkAccounts(accounts)
}

func checkAccounts(accounts []gen.WalletAccountParams) error {
	for i, a := range accounts {
		if err := checkAccountParams("accounts["+strconv.Itoa(i)+"]", a); err != nil {
			return err
		}
	}
	return nil
}

func (o *org) checkWalletName(name string, except *wallet) error {
	for _, w := range o.wallets {
		if w != except && w.name == name {
			return alreadyExists("a wallet named %q already exists in organization %s", name, o.id)
		}
	}
	return nil
}

// createWallet creates a wallet with mnemonic and derives its accounts.
func (st *state) createWallet(o *org, name, mnemonic string, accounts []gen.WalletAccountParams, imported bool, now time.Time) (*wallet, []string, error) {
	if err := o.checkWalletName(name, nil); err != nil {
		return nil, nil, err
	}
	w := &wallet{id: newID(), name: name, mnemonic: mnemonic, seed: walletSeed(mnemonic), imported: imported,
		seq: st.nextSeq(), createdAt: now, updatedAt: now}
	addrs, err := w.derive(o, accounts, true, now)
	if err != nil {
		return nil, nil, err
	}
	o.wallets[w.id] = w
	return w, addrs, nil
}

// derive derives accounts of w, adding them to w if persist is set. An
// account with the same curve, path and address format as another fails.
func (w *wallet) derive(o *org, params []gen.WalletAccountParams, persist bool, now time.Time) ([]string, error) {
	var added []*account
	addrs := make([]string, 0, len(params))
	for i, p := range params {
		for _, a := range slices.Concat(w.accounts, added) {
			if a.params.Curve == p.Curve && a.params.Path == p.Path && a.params.AddressFormat == p.AddressFormat {
				return nil, alreadyExists("accounts[%d]: wallet %s already has an account %s %s %s", i, w.id, p.Curve, p.Path, p.AddressFormat)
			}
		}
		k, err := deriveKey(w.seed, p.Curve, p.Path)
		if err != nil {
			return nil, err
		}
		addr, err := k.address(p.AddressFormat)
		if err != nil {
			return nil, err
		}
		added = append(added, &account{id: newID(), walletID: w.id, orgID: o.id, params: p, address: addr, key: k, createdAt: now})
		addrs = append(addrs, addr)
	}
	if persist {
		w.accounts = append(w.accounts, added...)
		w.updatedAt = now
	}
	return addrs, nil
}

// CreateWallet creates a wallet with a new mnemonic and derives its accounts.
func (h *handlers) CreateWallet(ctx context.Context, r gen.CreateWalletRequestObject) (gen.CreateWalletResponseObject, error) {
	return respond[gen.CreateWallet200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createWallet))
}

func (s *Server) createWallet(c *call, p gen.CreateWalletIntent) (work, error) {
	words, err := checkWallet(p.WalletName, p.MnemonicLength, p.Accounts)
	if err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		w, addrs, err := st.createWallet(o, p.WalletName, newMnemonic(words), p.Accounts, false, now)
		if err != nil {
			return nil, err
		}
		return gen.CreateWalletOutcome{WalletID: w.id, Addresses: addrs}, nil
	}), nil
}

// CreateWalletAccounts derives more accounts of a wallet.
func (h *handlers) CreateWalletAccounts(ctx context.Context, r gen.CreateWalletAccountsRequestObject) (gen.CreateWalletAccountsResponseObject, error) {
	return respond[gen.CreateWalletAccounts200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.createWalletAccounts))
}

func (s *Server) createWalletAccounts(c *call, p gen.CreateWalletAccountsIntent) (work, error) {
	if p.WalletID == "" {
		return nil, invalidArgument("walletId is required")
	}
	if len(p.Accounts) == 0 {
		return nil, invalidArgument("accounts: at least one account is required")
	}
	if err := checkAccounts(p.Accounts); err != nil {
		return nil, err
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		w, err := o.wallet(p.WalletID)
		if err != nil {
			return nil, err
		}
		addrs, err := w.derive(o, p.Accounts, p.Persist == nil || *p.Persist, now)
		if err != nil {
			return nil, err
		}
		return gen.CreateWalletAccountsOutcome{Addresses: addrs}, nil
	}), nil
}

// GetWallet returns one wallet.
func (h *handlers) GetWallet(ctx context.Context, r gen.GetWalletRequestObject) (gen.GetWalletResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.GetWallet200JSONResponse, error) {
		w, err := o.wallet(r.Body.WalletID)
		if err != nil {
			return gen.GetWallet200JSONResponse{}, err
		}
		return gen.GetWallet200JSONResponse{Wallet: w.render()}, nil
	})
}

// ListWallets lists the wallets of the organization.
func (h *handlers) ListWallets(ctx context.Context, _ gen.ListWalletsRequestObject) (gen.ListWalletsResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.ListWallets200JSONResponse, error) {
		out := gen.ListWallets200JSONResponse{Wallets: []gen.Wallet{}}
		for _, w := range sortedBySeq(o.wallets, func(w *wallet) uint64 { return w.seq }) {
			out.Wallets = append(out.Wallets, w.render())
		}
		return out, nil
	})
}

// GetWalletAccount returns one account of a wallet, by address or path.
func (h *handlers) GetWalletAccount(ctx context.Context, r gen.GetWalletAccountRequestObject) (gen.GetWalletAccountResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.GetWalletAccount200JSONResponse, error) {
		var zero gen.GetWalletAccount200JSONResponse
		b := r.Body
		hasAddr, hasPath := b.Address != nil && *b.Address != "", b.Path != nil && *b.Path != ""
		if !hasAddr && !hasPath {
			return zero, invalidArgument("address or path is required")
		}
		w, err := o.wallet(b.WalletID)
		if err != nil {
			return zero, err
		}
		for _, a := range w.accounts {
			if (!hasAddr || sameAddress(a.address, *b.Address)) && (!hasPath || a.params.Path == *b.Path) {
				return gen.GetWalletAccount200JSONResponse{Account: a.render()}, nil
			}
		}
		return zero, notFound("no such account in wallet %s", w.id)
	})
}

// ListWalletAccounts lists the accounts of a wallet, paginated.
func (h *handlers) ListWalletAccounts(ctx context.Context, r gen.ListWalletAccountsRequestObject) (gen.ListWalletAccountsResponseObject, error) {
	return query(ctx, h.s, func(_ *state, _ *call, o *org) (gen.ListWalletAccounts200JSONResponse, error) {
		w, err := o.wallet(r.Body.WalletID)
		if err != nil {
			return gen.ListWalletAccounts200JSONResponse{}, err
		}
		page, err := paginate(w.accounts, func(a *account) string { return a.id }, r.Body.PaginationOptions)
		if err != nil {
			return gen.ListWalletAccounts200JSONResponse{}, err
		}
		out := gen.ListWalletAccounts200JSONResponse{Accounts: make([]gen.WalletAccount, 0, len(page))}
		for _, a := range page {
			out.Accounts = append(out.Accounts, a.render())
		}
		return out, nil
	})
}

// DeleteWallets deletes wallets; unexported ones only with deleteWithoutExport.
func (h *handlers) DeleteWallets(ctx context.Context, r gen.DeleteWalletsRequestObject) (gen.DeleteWalletsResponseObject, error) {
	return respond[gen.DeleteWallets200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.deleteWallets))
}

func (s *Server) deleteWallets(c *call, p gen.DeleteWalletsIntent) (work, error) {
	if len(p.WalletIds) == 0 {
		return nil, invalidArgument("walletIds: at least one wallet is required")
	}
	if err := checkIDs("walletIds", p.WalletIds); err != nil {
		return nil, err
	}
	force := p.DeleteWithoutExport != nil && *p.DeleteWithoutExport
	return inOrg(c, func(st *state, o *org, _ time.Time) (any, error) {
		for _, id := range p.WalletIds {
			w, err := o.wallet(id)
			if err != nil {
				return nil, err
			}
			if !w.exported && !force {
				return nil, failedPrecondition("wallet %s has not been exported: export it first or set deleteWithoutExport", id)
			}
		}
		for _, id := range p.WalletIds {
			delete(o.wallets, id)
		}
		return gen.DeleteWalletsOutcome{WalletIds: p.WalletIds}, nil
	}), nil
}

// UpdateWallet renames a wallet.
func (h *handlers) UpdateWallet(ctx context.Context, r gen.UpdateWalletRequestObject) (gen.UpdateWalletResponseObject, error) {
	return respond[gen.UpdateWallet200JSONResponse](submit(ctx, h.s, r.Body.Parameters, h.s.updateWallet))
}

func (s *Server) updateWallet(c *call, p gen.UpdateWalletIntent) (work, error) {
	if p.WalletID == "" {
		return nil, invalidArgument("walletId is required")
	}
	if p.WalletName != nil && strings.TrimSpace(*p.WalletName) == "" {
		return nil, invalidArgument("walletName must not be empty")
	}
	return inOrg(c, func(st *state, o *org, now time.Time) (any, error) {
		w, err := o.wallet(p.WalletID)
		if err != nil {
			return nil, err
		}
		if p.WalletName != nil {
			if err := o.checkWalletName(*p.WalletName, w); err != nil {
				return nil, err
			}
			w.name = *p.WalletName
		}
		w.updatedAt = now
		return gen.UpdateWalletOutcome{WalletID: w.id}, nil
	}), nil
}
