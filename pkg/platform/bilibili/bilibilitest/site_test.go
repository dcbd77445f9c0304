package bilibilitest

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"

	"fanout/pkg/platform/fakesite"
)

// The fake must catch a client that gets the protocol wrong, or the
// driver's tests prove nothing: chunks out of place, short middle chunks,
// a wrong auth, a complete with a part missing.
func TestFakeRefusesProtocolMistakes(t *testing.T) {
	s := fakesite.Serve(t, New(fakesite.Options{}))
	c := fakesite.Client(t)
	sess := s.SessionCookies()
	do := func(method, url string, hdr map[string]string, body []byte) (int, string) {
		t.Helper()
		req, _ := http.NewRequestWithContext(t.Context(), method, url, bytes.NewReader(body))
		for k, v := range hdr {
			req.Header.Set(k, v)
		}
		for _, ck := range sess {
			req.AddCookie(&http.Cookie{Name: ck.Name, Value: ck.Value})
		}
		res, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var b bytes.Buffer
		_, _ = b.ReadFrom(res.Body)
		return res.StatusCode, b.String()
	}
	const total = 2*DefaultChunkSize + 100
	_, body := do("GET", s.URL()+fmt.Sprintf("/preupload?name=a.mp4&size=%d&r=upos&profile=ugcupos/bup", total), nil, nil)
	var pre struct {
		Auth    string `json:"auth"`
		BizID   int64  `json:"biz_id"`
		UposURI string `json:"upos_uri"`
	}
	if err := json.Unmarshal([]byte(body), &pre); err != nil || pre.Auth == "" {
		t.Fatalf("preupload: %s", body)
	}
	file := s.URL() + "/" + strings.TrimPrefix(pre.UposURI, "upos://")
	auth := map[string]string{"X-Upos-Auth": pre.Auth}
	if st, _ := do("POST", file+"?uploads&output=json", map[string]string{"X-Upos-Auth": "wrong"}, nil); st != http.StatusForbidden {
		t.Errorf("init with a wrong auth = %d, want 403", st)
	}
	_, body = do("POST", file+"?uploads&output=json", auth, nil)
	var init struct {
		UploadID string `json:"upload_id"`
	}
	_ = json.Unmarshal([]byte(body), &init)
	put := func(chunk, part, start, size int) int {
		q := fmt.Sprintf("?uploadId=%s&chunks=3&total=%d&chunk=%d&size=%d&partNumber=%d&start=%d&end=%d",
			init.UploadID, total, chunk, size, part, start, start+size)
		st, _ := do("PUT", file+q, auth, make([]byte, size))
		return st
	}
	for name, st := range map[string]int{
		"partNumber not chunk+1": put(0, 2, 0, DefaultChunkSize),
		"start not chunk·size":   put(1, 2, 10, DefaultChunkSize),
		"short middle chunk":     put(1, 2, DefaultChunkSize, 100),
	} {
		if st != http.StatusBadRequest {
			t.Errorf("%s: %d, want 400", name, st)
		}
	}
	if st := put(0, 1, 0, DefaultChunkSize); st != http.StatusOK {
		t.Fatalf("a good chunk: %d", st)
	}
	if st := put(2, 3, 2*DefaultChunkSize, 100); st != http.StatusOK {
		t.Fatalf("the last chunk: %d", st)
	}
	complete := func() (int, string) {
		parts, _ := json.Marshal(map[string]any{"parts": []map[string]any{{"partNumber": 1, "eTag": "etag"}, {"partNumber": 3, "eTag": "etag"}, {"partNumber": 2, "eTag": "etag"}}})
		return do("POST", file+fmt.Sprintf("?output=json&name=a.mp4&profile=ugcupos/bup&uploadId=%s&biz_id=%d", init.UploadID, pre.BizID), auth, parts)
	}
	if st, body := complete(); st != http.StatusInternalServerError || !strings.Contains(body, "PART_COUNT_ERR") {
		t.Errorf("complete with chunk 2 missing = %d %s, want 500 PART_COUNT_ERR", st, body)
	}
	if st := put(1, 2, DefaultChunkSize, DefaultChunkSize); st != http.StatusOK {
		t.Fatalf("the middle chunk: %d", st)
	}
	if st, body := complete(); st != http.StatusOK {
		t.Errorf("complete = %d %s", st, body)
	}
}
