package platform

import (
	"time"

	"fanout/pkg/web"
)

// sessionCookies name the cookie that carries each platform's logged-in
// session (the drivers' selectors.go cite where each comes from).
var sessionCookies = map[Name]string{
	Douyin:      "sessionid",
	Kuaishou:    "kuaishou.web.cp.api_st",
	Xiaohongshu: "galaxy_creator_session_id",
	Channels:    "sessionid", // assumed, as in the driver
	TikTok:      "sessionid",
	Bilibili:    "SESSDATA",       // bilibili-upload.md §2.2
	YouTube:     "__Secure-3PSID", // assumed: Google's session cookie
	Baijiahao:   "BDUSS",          // platform-flows.md §3.7
	Weibo:       "SUB",            // platform-flows.md §3.9
}

// ExpiresHint is when n's session in cookies says it ends: the expiry of
// its session cookie, or nil when the cookie is absent or lasts only as long
// as the browser. It is a hint shown beside the account's status; the
// periodic check remains what marks an account expired.
func ExpiresHint(n Name, cookies []web.Cookie) *time.Time {
	name, ok := sessionCookies[n]
	if !ok {
		return nil
	}
	var hint *time.Time
	for _, c := range cookies {
		if c.Name != name || c.Expires <= 0 {
			continue
		}
		at := time.Unix(int64(c.Expires), 0).UTC()
		if hint == nil || at.Before(*hint) {
			hint = &at
		}
	}
	return hint
}
