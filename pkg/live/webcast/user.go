package webcast

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
)

// User is a Douyin user as Fanout shows it.
type User struct {
	UID    string `json:"uid"`
	SecUID string `json:"sec_uid"`
	// DouyinID is the 抖音号: unique_id when the user set one, else short_id.
	DouyinID  string `json:"douyin_id"`
	Nickname  string `json:"nickname"`
	Signature string `json:"signature"`
}

// Me returns the session's own user (GET /webcast/user/me/); the login job
// learns the account's 抖音号 from it.
func (c *Conn) Me(ctx context.Context) (User, error) {
	var d struct {
		IDStr     string      `json:"id_str"`
		SecUID    string      `json:"sec_uid"`
		DisplayID string      `json:"display_id"`
		UniqueID  string      `json:"unique_id"`
		ShortID   json.Number `json:"short_id"`
		Nickname  string      `json:"nickname"`
		Signature string      `json:"signature"`
	}
	if err := c.call(ctx, "GET", "/webcast/user/me/", nil, nil, &d); err != nil {
		return User{}, err
	}
	u := User{UID: d.IDStr, SecUID: d.SecUID, DouyinID: d.DisplayID, Nickname: d.Nickname, Signature: d.Signature}
	if u.DouyinID == "" {
		u.DouyinID = d.UniqueID
	}
	if u.DouyinID == "" && d.ShortID != "" && d.ShortID != "0" {
		u.DouyinID = d.ShortID.String()
	}
	if u.DouyinID == "" {
		return User{}, fmt.Errorf("webcast: user/me: the answer has no 抖音号")
	}
	return u, nil
}

// SearchUser finds the user whose 抖音号 is exactly douyinID through the web
// search (aweme_user_web channel). No exact match is ErrUserNotFound.
func (c *Conn) SearchUser(ctx context.Context, douyinID string) (User, error) {
	q := url.Values{
		"device_platform":    {"webapp"},
		"aid":                {"6383"},
		"channel":            {"channel_pc_web"},
		"search_channel":     {"aweme_user_web"},
		"keyword":            {douyinID},
		"search_source":      {"normal_search"},
		"query_correct_type": {"1"},
		"is_filter_search":   {"0"},
		"offset":             {"0"},
		"count":              {"10"},
	}
	const path = "/aweme/v1/web/discover/search/"
	_, b, err := c.send(ctx, "GET", c.c.cfg.WebURL, path, q, nil)
	if err != nil {
		return User{}, err
	}
	var a struct {
		StatusCode int `json:"status_code"`
		Data       []struct {
			UserList []struct {
				UserInfo struct {
					UID       string      `json:"uid"`
					SecUID    string      `json:"sec_uid"`
					UniqueID  string      `json:"unique_id"`
					ShortID   json.Number `json:"short_id"`
					Nickname  string      `json:"nickname"`
					Signature string      `json:"signature"`
				} `json:"user_info"`
			} `json:"user_list"`
		} `json:"data"`
	}
	if err := json.Unmarshal(b, &a); err != nil {
		return User{}, fmt.Errorf("webcast: search: unexpected answer %.120q", b)
	}
	if a.StatusCode != 0 {
		return User{}, &APIError{Path: path, Code: a.StatusCode}
	}
	for _, d := range a.Data {
		for _, ul := range d.UserList {
			ui := ul.UserInfo
			if ui.UniqueID == douyinID || (ui.UniqueID == "" && ui.ShortID.String() == douyinID) {
				return User{UID: ui.UID, SecUID: ui.SecUID, DouyinID: douyinID, Nickname: ui.Nickname, Signature: ui.Signature}, nil
			}
		}
	}
	return User{}, ErrUserNotFound
}
