package turnkeytest

import (
	"context"
	"slices"
	"strings"

	gen "github.com/turnkey-go/turnkey/internal/genserver" // gen's models and the strict server
)

// ListVerifiedSuborgs lists the direct sub-organizations with a user whose
// email address or phone number is verified: a contact is verified once a
// code sent to it passed verify_otp or otp_auth. filterType EMAIL or
// PHONE_NUMBER with filterValue narrows it to that verified contact.
func (h *handlers) ListVerifiedSuborgs(ctx context.Context, r gen.ListVerifiedSuborgsRequestObject) (gen.ListVerifiedSuborgsResponseObject, error) {
	return query(ctx, h.s, func(st *state, _ *call, o *org) (gen.ListVerifiedSuborgsResponseObject, error) {
		b := r.Body
		filter, value := "", ""
		if b.FilterType != nil {
			filter = *b.FilterType
		}
		if b.FilterValue != nil {
			value = *b.FilterValue
		}
		verified := h.s.auth.verified
		var match func(u *user) bool
		switch filter {
		case "":
			match = func(u *user) bool {
				return (u.email != nil && verified[normalContact(*u.email)]) || (u.phone != nil && verified[*u.phone])
			}
		case "EMAIL":
			match = func(u *user) bool {
				return u.email != nil && strings.EqualFold(*u.email, value) && verified[normalContact(*u.email)]
			}
		case "PHONE_NUMBER":
			match = func(u *user) bool { return u.phone != nil && *u.phone == value && verified[*u.phone] }
		default:
			return nil, invalidArgument("filterType %q must be EMAIL or PHONE_NUMBER", filter)
		}
		var subs []*org
		for _, sub := range sortedBySeq(st.orgs, func(o *org) uint64 { return o.seq }) {
			if sub.parentID == o.id && slices.ContainsFunc(sortedBySeq(sub.users, func(u *user) uint64 { return u.seq }), match) {
				subs = append(subs, sub)
			}
		}
		page, err := paginate(subs, func(o *org) string { return o.id }, b.PaginationOptions)
		if err != nil {
			return nil, err
		}
		out := gen.ListVerifiedSuborgs200JSONResponse{OrganizationIds: make([]string, 0, len(page))}
		for _, sub := range page {
			out.OrganizationIds = append(out.OrganizationIds, sub.id)
		}
		return out, nil
	})
}
