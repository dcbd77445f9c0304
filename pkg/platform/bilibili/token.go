package bilibili

import (
	"context"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fanout/pkg/platform"
	"fanout/pkg/web"
)

// The TV login's tokens (§2.1 step 4) are kept with the account's cookies,
// sealed with them, as two records of the driver's own: the store holds
// cookies only, and an export of the account carries them along. They are
// never sent to the site as cookies (cookieHeader skips the prefix).
const (
	tokenPrefix     = "fanout_bili_"
	accessTokenName = tokenPrefix + "access_token"
	refreshName     = tokenPrefix + "refresh_token"
)

// loginData is the login object a successful QR poll and a token refresh
// return (§2.1 step 4, §2.2 Refresh).
type loginData struct {
	TokenInfo struct {
		Mid          int64  `json:"mid"`
		AccessToken  string `json:"access_token"`
		RefreshToken string `json:"refresh_token"`
		ExpiresIn    int64  `json:"expires_in"`
	} `json:"token_info"`
	CookieInfo struct {
		Cookies []struct {
			Name     string `json:"name"`
			Value    string `json:"value"`
			HTTPOnly int    `json:"http_only"`
			Expires  int64  `json:"expires"`
			Secure   int    `json:"secure"`
		} `json:"cookies"`
		Domains []string `json:"domains"`
	} `json:"cookie_info"`
}

// cookies turns the login object into the account's cookies: the site's
// (SESSDATA, bili_jct, DedeUserID…) on .bilibili.com and the token records.
func (l loginData) cookies() []web.Cookie {
	domain := ".bilibili.com"
	for _, d := range l.CookieInfo.Domains {
		if strings.HasSuffix(d, "bilibili.com") {
			domain = d
			break
		}
	}
	var out []web.Cookie
	for _, c := range l.CookieInfo.Cookies {
		out = append(out, web.Cookie{Name: c.Name, Value: c.Value, Domain: domain, Path: "/",
			Expires: float64(c.Expires), HTTPOnly: c.HTTPOnly == 1, Secure: c.Secure == 1})
	}
	if t := l.TokenInfo; t.AccessToken != "" {
		exp := float64(time.Now().Add(time.Duration(t.ExpiresIn) * time.Second).Unix())
		out = append(out,
			web.Cookie{Name: accessTokenName, Value: t.AccessToken, Domain: domain, Path: "/", Expires: exp, HTTPOnly: true, Secure: true},
			web.Cookie{Name: refreshName, Value: t.RefreshToken, Domain: domain, Path: "/", Expires: exp, HTTPOnly: true, Secure: true})
	}
	return out
}

// refreshToken is the token check of §2.2: oauth2/info with the access
// token; when it answers refresh:true, refresh_token, whose complete new
// login object replaces the account's cookies (handed to the worker at
// once through the session). Imported browser cookies carry no token and
// skip it. A token the site no longer knows is a logged-out account.
func (d *Driver) refreshToken(ctx context.Context, s *platform.HTTPSession) error {
	access, refresh := cookie(s, accessTokenName), cookie(s, refreshName)
	if access == "" {
		return nil
	}
	var info struct {
		Mid     int64 `json:"mid"`
		Refresh bool  `json:"refresh"`
	}
	q := sign(url.Values{"access_key": {access}, "actionKey": {"appkey"}})
	env, err := d.api(ctx, call{method: "GET", url: d.cfg.PassportURL + "/x/passport-login/oauth2/info", query: q,
		ua: cookieUA, timeout: d.cfg.Timeout}, &info)
	if err != nil {
		return err
	}
	if env.Code != 0 {
		return fmt.Errorf("bilibili: token check: %s (%d): %w", env.Message, env.Code, platform.ErrLoginRequired)
	}
	if !info.Refresh || refresh == "" {
		return nil
	}
	var fresh loginData
	form := sign(url.Values{"access_key": {access}, "actionKey": {"appkey"}, "refresh_token": {refresh}})
	env, err = d.api(ctx, call{method: "POST", url: d.cfg.PassportURL + "/x/passport-login/oauth2/refresh_token", form: form,
		ua: cookieUA, timeout: d.cfg.Timeout}, &fresh)
	if err != nil {
		return err
	}
	if env.Code != 0 || fresh.TokenInfo.AccessToken == "" {
		return fmt.Errorf("bilibili: token refresh: %s (%d): %w", env.Message, env.Code, platform.ErrLoginRequired)
	}
	if s != nil {
		s.Refresh(fresh.cookies())
	}
	return nil
}
