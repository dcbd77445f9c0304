package apitest

import (
	"bytes"
	"encoding/json"
	"mime/multipart"
	"strings"
	"testing"
)

// SauResp is the original tool's envelope with data kept raw.
type SauResp struct {
	Code int             `json:"code"`
	Msg  *string         `json:"msg"`
	Data json.RawMessage `json:"data"`
}

// Sau decodes a legacy answer and checks HTTP status == code == status.
func (r Resp) Sau(t *testing.T, status int) SauResp {
	t.Helper()
	var out SauResp
	if err := json.Unmarshal(r.Body, &out); err != nil {
		t.Fatalf("not a legacy envelope (%d): %s", r.Status, r.Body)
	}
	var keys map[string]json.RawMessage
	_ = json.Unmarshal(r.Body, &keys)
	if len(keys) != 3 {
		t.Fatalf("envelope keys %v, want code,msg,data", keys)
	}
	if r.Status != status || out.Code != status {
		t.Fatalf("HTTP %d code %d, want %d; body %s", r.Status, out.Code, status, r.Body)
	}
	return out
}

// MsgText is msg, or "<null>".
func (s SauResp) MsgText() string {
	if s.Msg == nil {
		return "<null>"
	}
	return *s.Msg
}

// WantMsg checks a legacy error's status and that its msg contains want.
func (r Resp) WantMsg(t *testing.T, status int, want string) {
	t.Helper()
	out := r.Sau(t, status)
	if !strings.Contains(out.MsgText(), want) || string(out.Data) != "null" {
		t.Fatalf("msg %q data %s, want msg containing %q", out.MsgText(), out.Data, want)
	}
}

// Multipart posts fields and one file part (before or after the fields).
func (a *API) Multipart(path string, fields map[string]string, fileField, fileName string, data []byte, fieldsFirst bool) Resp {
	a.T.Helper()
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)
	writeFields := func() {
		for k, v := range fields {
			mw.WriteField(k, v)
		}
	}
	if fieldsFirst {
		writeFields()
	}
	if fileField != "" {
		w, _ := mw.CreateFormFile(fileField, fileName)
		w.Write(data)
	}
	if !fieldsFirst {
		writeFields()
	}
	mw.Close()
	return a.Do("POST", path, &buf, mw.FormDataContentType())
}

// SauUpload uploads sample.mp4 with /upload and returns its stored path.
func (a *API) SauUpload() string {
	a.T.Helper()
	out := a.Multipart("/upload", nil, "file", "clip.mp4", Sample(a.T, "sample.mp4"), false).Sau(a.T, 200)
	var p string
	if err := json.Unmarshal(out.Data, &p); err != nil || p == "" {
		a.T.Fatalf("/upload data %s", out.Data)
	}
	return p
}
