package legacy_test

import (
	"net/url"
	"testing"
)

// Bad text and floods are refused in the legacy envelope with a 400, never
// a 500: NUL characters in names and titles, and a batch that repeats one
// video to one account thousands of times.
func TestSauBadInputAndFloods(t *testing.T) {
	a := sauSetup(t, nil)
	v := a.SauUpload()
	acc := a.Account("poster")
	fp := acc.ID + ".json"
	a.JSONDo("POST", "/updateUserinfo", map[string]any{"id": acc.ID, "userName": "a\x00b"}).WantMsg(t, 400, "userName")
	a.Do("GET", "/login?type=3&id="+url.QueryEscape("a\x00b"), nil, "").WantMsg(t, 400, "name")
	a.JSONDo("POST", "/postVideo", map[string]any{"type": 3, "title": "t\x00", "fileList": []string{v}, "accountList": []string{fp}}).WantMsg(t, 400, "title")
	a.JSONDo("POST", "/postVideo", map[string]any{"type": 3, "title": "t", "fileList": []string{v, v}, "accountList": []string{fp}}).WantMsg(t, 400, "fileList[1]")
	files := make([]string, 100)
	for i := range files {
		files[i] = v
	}
	item := map[string]any{"type": 3, "title": "t", "fileList": files, "accountList": []string{fp}}
	batch := make([]any, 50)
	for i := range batch {
		batch[i] = item
	}
	a.JSONDo("POST", "/postVideoBatch", batch).WantMsg(t, 400, "at most 1000 per request")
}
