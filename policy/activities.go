package policy

import (
	"regexp"
	"strings"
)

// resourceActions maps activity types, without their _V<n> version suffix,
// to the resource and action Turnkey's policy language reference lists for
// them (its "Activity breakdown" table).
var resourceActions = map[string][2]string{
	"CREATE_SUB_ORGANIZATION": {"ORGANIZATION", "CREATE"},
	"DELETE_ORGANIZATION":     {"ORGANIZATION", "DELETE"},
	"DELETE_SUB_ORGANIZATION": {"ORGANIZATION", "DELETE"},

	"CREATE_INVITATIONS": {"INVITATION", "CREATE"},
	"DELETE_INVITATION":  {"INVITATION", "DELETE"},

	"CREATE_POLICY":   {"POLICY", "CREATE"},
	"CREATE_POLICIES": {"POLICY", "CREATE"},
	"UPDATE_POLICY":   {"POLICY", "UPDATE"},
	"DELETE_POLICY":   {"POLICY", "DELETE"},

	"CREATE_SMART_CONTRACT_INTERFACE": {"SMART_CONTRACT_INTERFACE", "CREATE"},
	"DELETE_SMART_CONTRACT_INTERFACE": {"SMART_CONTRACT_INTERFACE", "DELETE"},

	"CREATE_WALLET":          {"WALLET", "CREATE"},
	"CREATE_WALLET_ACCOUNTS": {"WALLET", "CREATE"},
	"EXPORT_WALLET":          {"WALLET", "EXPORT"},
	"EXPORT_WALLET_ACCOUNT":  {"WALLET", "EXPORT"},
	"INIT_IMPORT_WALLET":     {"WALLET", "IMPORT"},
	"IMPORT_WALLET":          {"WALLET", "IMPORT"},
	"DELETE_WALLETS":         {"WALLET", "DELETE"},
	"UPDATE_WALLET":          {"WALLET", "UPDATE"},
	"DELETE_WALLET_ACCOUNTS": {"WALLET", "DELETE"},

	"CREATE_PRIVATE_KEYS":     {"PRIVATE_KEY", "CREATE"},
	"CREATE_PRIVATE_KEY_TAG":  {"PRIVATE_KEY", "CREATE"},
	"UPDATE_PRIVATE_KEY_TAG":  {"PRIVATE_KEY", "UPDATE"},
	"DISABLE_PRIVATE_KEY":     {"PRIVATE_KEY", "DELETE"},
	"DELETE_PRIVATE_KEY_TAGS": {"PRIVATE_KEY", "DELETE"},
	"DELETE_PRIVATE_KEYS":     {"PRIVATE_KEY", "DELETE"},
	"EXPORT_PRIVATE_KEY":      {"PRIVATE_KEY", "EXPORT"},
	"INIT_IMPORT_PRIVATE_KEY": {"PRIVATE_KEY", "IMPORT"},
	"IMPORT_PRIVATE_KEY":      {"PRIVATE_KEY", "IMPORT"},
	"SIGN_RAW_PAYLOAD":        {"PRIVATE_KEY", "SIGN"},
	"SIGN_RAW_PAYLOADS":       {"PRIVATE_KEY", "SIGN"},
	"SIGN_TRANSACTION":        {"PRIVATE_KEY", "SIGN"},
	"ETH_SEND_TRANSACTION":    {"PRIVATE_KEY", "SIGN"},
	"SOL_SEND_TRANSACTION":    {"PRIVATE_KEY", "SIGN"},

	"CREATE_USERS":             {"USER", "CREATE"},
	"CREATE_USER_TAG":          {"USER", "CREATE"},
	"CREATE_API_ONLY_USERS":    {"USER", "CREATE"},
	"UPDATE_USER":              {"USER", "UPDATE"},
	"UPDATE_USER_NAME":         {"USER", "UPDATE"},
	"UPDATE_USER_EMAIL":        {"USER", "UPDATE"},
	"UPDATE_USER_PHONE_NUMBER": {"USER", "UPDATE"},
	"UPDATE_USER_TAG":          {"USER", "UPDATE"},
	"DELETE_USERS":             {"USER", "DELETE"},
	"DELETE_USER_TAGS":         {"USER", "DELETE"},

	"CREATE_API_KEYS":        {"CREDENTIAL", "CREATE"},
	"CREATE_AUTHENTICATORS":  {"CREDENTIAL", "CREATE"},
	"DELETE_API_KEYS":        {"CREDENTIAL", "DELETE"},
	"DELETE_AUTHENTICATORS":  {"CREDENTIAL", "DELETE"},
	"CREATE_OAUTH_PROVIDERS": {"CREDENTIAL", "CREATE"},
	"DELETE_OAUTH_PROVIDERS": {"CREDENTIAL", "DELETE"},

	"SET_PAYMENT_METHOD":     {"PAYMENT_METHOD", "UPDATE"},
	"DELETE_PAYMENT_METHOD":  {"PAYMENT_METHOD", "DELETE"},
	"ACTIVATE_BILLING_TIER":  {"SUBSCRIPTION", "CREATE"},
	"UPDATE_ALLOWED_ORIGINS": {"CONFIG", "UPDATE"},

	"INIT_USER_EMAIL_RECOVERY": {"RECOVERY", "CREATE"},

	"EMAIL_AUTH":                {"AUTH", "CREATE"},
	"INIT_OTP_AUTH":             {"AUTH", "CREATE"},
	"OTP_AUTH":                  {"AUTH", "CREATE"},
	"OAUTH":                     {"AUTH", "CREATE"},
	"OAUTH_LOGIN":               {"AUTH", "CREATE"},
	"OTP_LOGIN":                 {"AUTH", "CREATE"},
	"STAMP_LOGIN":               {"AUTH", "CREATE"},
	"CREATE_READ_WRITE_SESSION": {"AUTH", "CREATE"},
	"CREATE_OAUTH2_CREDENTIAL":  {"AUTH", "CREATE"},
	"DELETE_OAUTH2_CREDENTIAL":  {"AUTH", "DELETE"},
	"UPDATE_OAUTH2_CREDENTIAL":  {"AUTH", "UPDATE"},
	"OAUTH2_AUTHENTICATE":       {"AUTH", "CREATE"},

	"INIT_OTP":   {"OTP", "CREATE"},
	"VERIFY_OTP": {"OTP", "VERIFY"},

	"ENABLE_AUTH_PROXY":        {"AUTH_PROXY", "CREATE"},
	"DISABLE_AUTH_PROXY":       {"AUTH_PROXY", "DELETE"},
	"UPDATE_AUTH_PROXY_CONFIG": {"AUTH_PROXY", "UPDATE"},
}

var versionSuffix = regexp.MustCompile(`_V[0-9]+$`)

// ResourceAction returns the resource and the action of an activity type
// (with or without its ACTIVITY_TYPE_ prefix and _V<n> suffix), as the
// policy language's activity.resource and activity.action see them. ok is
// false for a type Turnkey's reference does not list.
func ResourceAction(activityType string) (resource, action string, ok bool) {
	base := versionSuffix.ReplaceAllString(strings.TrimPrefix(activityType, "ACTIVITY_TYPE_"), "")
	ra, ok := resourceActions[base]
	return ra[0], ra[1], ok
}

// rootQuorumOnly lists the activities only the root quorum may take,
// whatever the policies say.
var rootQuorumOnly = map[string]bool{
	"UPDATE_ROOT_QUORUM": true, "SET_ORGANIZATION_FEATURE": true, "REMOVE_ORGANIZATION_FEATURE": true,
}

// RootQuorumOnly reports whether an activity type is governed by the root
// quorum alone: Turnkey's reference names update_root_quorum,
// set_organization_feature and remove_organization_feature.
func RootQuorumOnly(activityType string) bool {
	return rootQuorumOnly[versionSuffix.ReplaceAllString(strings.TrimPrefix(activityType, "ACTIVITY_TYPE_"), "")]
}
