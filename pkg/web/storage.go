package web

import (
	"encoding/json"
	"errors"
	"fmt"
)

// StorageState is Playwright's storage-state file ({cookies, origins}), the
// format the original tool kept accounts in. Fanout imports and exports it
// so accounts move between the two, and so a platform whose login cannot be
// automated can take cookies exported from a real browser.
type StorageState struct {
	Cookies []Cookie          `json:"cookies"`
	Origins []json.RawMessage `json:"origins"`
}

// ParseCookies reads a storage state, or a bare JSON array of cookies (as
// browser cookie-export extensions write), and checks every cookie has a name
// and a domain.
func ParseCookies(b []byte) ([]Cookie, error) {
	var st StorageState
	if err := json.Unmarshal(b, &st); err != nil || st.Cookies == nil {
		var arr []Cookie
		if err2 := json.Unmarshal(b, &arr); err2 != nil {
			return nil, errors.New("web: not a storage state ({\"cookies\":[…],\"origins\":[…]}) or a cookie array")
		}
		st.Cookies = arr
	}
	if len(st.Cookies) == 0 {
		return nil, errors.New("web: no cookies in the storage state")
	}
	for i, c := range st.Cookies {
		if c.Name == "" || c.Domain == "" {
			return nil, fmt.Errorf("web: cookie %d needs a name and a domain", i)
		}
		if c.Path == "" {
			st.Cookies[i].Path = "/"
		}
	}
	return st.Cookies, nil
}

// NewStorageState wraps cookies for export.
func NewStorageState(cookies []Cookie) StorageState {
	if cookies == nil {
		cookies = []Cookie{}
	}
	return StorageState{Cookies: cookies, Origins: []json.RawMessage{}}
}
