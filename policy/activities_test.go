package policy

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestResourceAction(t *testing.T) {
	for typ, want := range map[string][2]string{
		"ACTIVITY_TYPE_SIGN_TRANSACTION_V2":        {"PRIVATE_KEY", "SIGN"},
		"ACTIVITY_TYPE_SIGN_RAW_PAYLOADS":          {"PRIVATE_KEY", "SIGN"},
		"ACTIVITY_TYPE_CREATE_SUB_ORGANIZATION_V8": {"ORGANIZATION", "CREATE"},
		"ACTIVITY_TYPE_VERIFY_OTP":                 {"OTP", "VERIFY"},
		"ACTIVITY_TYPE_EXPORT_WALLET_ACCOUNT":      {"WALLET", "EXPORT"},
		"ACTIVITY_TYPE_DELETE_USERS":               {"USER", "DELETE"},
		"ACTIVITY_TYPE_INIT_USER_EMAIL_RECOVERY":   {"RECOVERY", "CREATE"},
		"CREATE_POLICY_V3":                         {"POLICY", "CREATE"},
	} {
		r, a, ok := ResourceAction(typ)
		assert.True(t, ok, typ)
		assert.Equal(t, want, [2]string{r, a}, typ)
	}
	_, _, ok := ResourceAction("ACTIVITY_TYPE_SOMETHING_NEW")
	assert.False(t, ok)
	assert.True(t, RootQuorumOnly("ACTIVITY_TYPE_UPDATE_ROOT_QUORUM"))
	assert.True(t, RootQuorumOnly("ACTIVITY_TYPE_SET_ORGANIZATION_FEATURE"))
	assert.False(t, RootQuorumOnly("ACTIVITY_TYPE_CREATE_WALLET"))
}
