package v1_test

import (
	"encoding/base64"
	"strings"
	"testing"

	"fanout/api/apitest"
	"fanout/pkg/job"
)

// One request cannot flood the queue: a repeated file is refused by name,
// more tasks than the limit are refused before anything is queued, and a
// body over the size limit is a 413.
func TestPublishLimits(t *testing.T) {
	a := apitest.Setup(t)
	cfg := a.Config()
	cfg.MaxTasks, cfg.MaxJSONBytes = 3, 2048
	a.Serve(cfg)
	f1, f2 := a.Video(), a.Video()
	acc1, acc2 := a.Account("one"), a.Account("two")
	ids := make([]string, 100)
	for i := range ids {
		ids[i] = f1.ID
	}
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": ids[:2], "account_ids": []string{acc1.ID}, "title": "t"}).
		WantError(t, 400, job.EInvalid, "file_ids[1]")
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f1.ID, f2.ID}, "account_ids": []string{acc1.ID, acc2.ID}, "title": "t"}).
		WantError(t, 400, job.EInvalid, "file_ids")
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f1.ID}, "account_ids": []string{acc1.ID}, "title": strings.Repeat("x", 3000)}).
		WantError(t, 413, job.ETooLarge, "body")
	a.JSONDo("POST", "/api/v1/accounts", `{"platform":"douyin","name":"`+strings.Repeat("x", 3000)+`"}`).
		WantError(t, 413, job.ETooLarge, "body")
	var list struct{ Items []job.Task }
	a.Do("GET", "/api/v1/tasks", nil, "").JSON(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("refused requests queued %d tasks", len(list.Items))
	}
}

// Text Postgres cannot store, or a page would not show, is refused at the
// edge with the field named, never a 500; so is a field the route does not
// know and a cursor that is not one of ours.
func TestBadInputIsRefusedByField(t *testing.T) {
	a := apitest.Setup(t)
	f, acc := a.Video(), a.Account("one")
	base := func(k string, v any) map[string]any {
		m := map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t"}
		m[k] = v
		return m
	}
	for _, c := range []struct {
		body  any
		field string
	}{
		{base("title", "a\x00b"), "title"},
		{base("title", "a\x07b"), "title"},
		{base("description", "line\n\x00"), "description"},
		{base("tags", []string{"ok", "b\x00d"}), "tags[1]"},
		{base("options", map[string]any{"declaration": "x\x00"}), "options.declaration"},
		{base("draft", true), "draft"},
		{`{"file_ids":["` + f.ID + `"],"account_ids":["` + acc.ID + `"],"title":"t"} {}`, "body"},
	} {
		a.JSONDo("POST", "/api/v1/publish", c.body).WantError(t, 400, job.EInvalid, c.field)
	}
	a.JSONDo("POST", "/api/v1/publish", base("description", "two\nlines\tand a tab")).JSON(t, &struct{}{})
	a.JSONDo("POST", "/api/v1/accounts", map[string]string{"platform": "douyin", "name": "n\x00"}).WantError(t, 400, job.EInvalid, "name")
	a.JSONDo("PATCH", "/api/v1/accounts/"+acc.ID, map[string]string{"name": "\x1b[31m"}).WantError(t, 400, job.EInvalid, "name")
	for _, p := range []string{"http://127.0.0.1:8080", "socks5://localhost:1080", "http://169.254.169.254:80", "http://[::1]:3128", "http://10.0.0.2:3128"} {
		a.JSONDo("PATCH", "/api/v1/accounts/"+acc.ID, map[string]string{"proxy": p}).WantError(t, 400, job.EInvalid, "proxy")
	}
	cursor := base64.RawURLEncoding.EncodeToString([]byte("2026-03-10T15:42:00Z|not-a-uuid"))
	a.Do("GET", "/api/v1/tasks?cursor="+cursor, nil, "").WantError(t, 400, job.EInvalid, "cursor")
}
