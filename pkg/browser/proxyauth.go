package browser

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"sync"

	"github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/chromedp"
)

// splitProxy turns an account's proxy URL ([scheme://][user:pass@]host:port)
// into what Chromium takes as a browser context's proxyServer —
// scheme://host:port, which cannot carry credentials — and the credentials,
// which the tab answers on Fetch.authRequired instead. Chromium cannot
// authenticate to a SOCKS proxy, so a socks5 proxy with credentials is an
// error rather than a silent direct connection.
func splitProxy(proxy string) (server string, creds *url.Userinfo, err error) {
	if proxy == "" {
		return "", nil, nil
	}
	raw := proxy
	if !strings.Contains(raw, "://") {
		raw = "http://" + raw
	}
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return "", nil, errors.New("browser: bad proxy URL")
	}
	if u.User != nil && strings.HasPrefix(u.Scheme, "socks") {
		return "", nil, errors.New("browser: Chromium cannot authenticate to a SOCKS proxy; use an http proxy for accounts that need credentials")
	}
	return u.Scheme + "://" + u.Host, u.User, nil
}

// answerProxyAuth makes the tab answer proxy authentication challenges with
// creds: it enables the Fetch domain with handleAuthRequests (which pauses
// every request), continues each paused request unchanged, and answers each
// proxy challenge once with the credentials (a second challenge for the same
// request means they are wrong: it is canceled, not retried forever).
// Server challenges keep Chromium's default behaviour. The listeners end
// with the tab.
func answerProxyAuth(tabCtx context.Context, creds *url.Userinfo) error {
	user := creds.Username()
	pass, _ := creds.Password()
	paused := chromedp.Events(tabCtx, fetch.RequestPaused)
	auths := chromedp.Events(tabCtx, fetch.AuthRequired)
	if _, err := chromedp.Call(tabCtx, fetch.Enable, fetch.EnableParams{HandleAuthRequests: new(true)}); err != nil {
		return fmt.Errorf("browser: enable proxy auth: %w", err)
	}
	go func() {
		for ev, err := range paused {
			if err != nil {
				return
			}
			go func() {
				_, _ = chromedp.Call(tabCtx, fetch.ContinueRequest, fetch.ContinueRequestParams{RequestID: ev.RequestID})
			}()
		}
	}()
	go func() {
		var mu sync.Mutex
		answered := map[fetch.RequestID]bool{}
		for ev, err := range auths {
			if err != nil {
				return
			}
			resp := &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseDefault}
			if ev.AuthChallenge != nil && ev.AuthChallenge.Source == fetch.AuthChallengeSourceProxy {
				mu.Lock()
				again := answered[ev.RequestID]
				answered[ev.RequestID] = true
				mu.Unlock()
				resp = &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseProvideCredentials, Username: user, Password: pass}
				if again {
					resp = &fetch.AuthChallengeResponse{Response: fetch.AuthChallengeResponseResponseCancelAuth}
				}
			}
			go func() {
				_, _ = chromedp.Call(tabCtx, fetch.ContinueWithAuth, fetch.ContinueWithAuthParams{RequestID: ev.RequestID, AuthChallengeResponse: resp})
			}()
		}
	}()
	return nil
}
