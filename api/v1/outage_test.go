package v1_test

import (
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/hibiken/asynq"

	"fanout/api/apitest"
	"fanout/api/server"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/secret"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
	"fanout/pkg/testenv/faultnet"
)

// viaProxy returns dsn with its host:port replaced by addr.
func viaProxy(t *testing.T, dsn, addr string) (string, string) {
	t.Helper()
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatal(err)
	}
	target := u.Host
	u.Host = addr
	return u.String(), target
}

// With the database refusing connections or unreachable (a partition), every
// route answers 503 unavailable in its own envelope — promptly, not after
// the network gives up — and /readyz blames only Postgres, telling an
// anonymous caller nothing about the database's address or user.
func TestPostgresOutageAnswers503(t *testing.T) {
	dsn := pgtest.DSN(t)
	u, _ := url.Parse(dsn)
	fwd := faultnet.New(t, u.Host)
	proxied, _ := viaProxy(t, dsn, fwd.Addr())
	store, _ := pgtest.StoreAt(t, proxied, secret.NewKey())
	store.WithTimeout(2 * time.Second)
	addr, db := testenv.Redis(t)
	queue := task.NewQueue(asynq.RedisClientOpt{Addr: addr, DB: db})
	t.Cleanup(func() { queue.Close() })
	files, _ := filestore.New(t.TempDir())
	a := &apitest.API{T: t, Store: store, Queue: queue, Files: files}
	a.Serve(server.Config{})
	a.Token = pgtest.Token(t, store, "outage")
	if r := a.Do("GET", "/api/v1/files", nil, ""); r.Status != 200 {
		t.Fatalf("before the outage: %d %s", r.Status, r.Body)
	}
	client := &http.Client{Timeout: 15 * time.Second} // a hang fails here
	get := func(path string, auth bool) apitest.Resp {
		req, _ := http.NewRequest("GET", a.Srv.URL+path, nil)
		if auth {
			req.Header.Set("Authorization", "Bearer "+a.Token)
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", path, err)
		}
		defer res.Body.Close()
		var b strings.Builder
		buf := make([]byte, 4096)
		for {
			n, err := res.Body.Read(buf)
			b.Write(buf[:n])
			if err != nil {
				break
			}
		}
		return apitest.Resp{Status: res.StatusCode, Body: []byte(b.String()), Header: res.Header}
	}
	for _, mode := range []faultnet.Mode{faultnet.Refuse, faultnet.Blackhole} {
		fwd.Set(mode)
		get("/api/v1/files", true).WantError(t, 503, job.EUnavailable, "")
		get("/api/v1/tasks/"+"00000000-0000-0000-0000-000000000000", true).WantError(t, 503, job.EUnavailable, "")
		if r := get("/getAccounts", true); r.Status != 503 || !strings.Contains(string(r.Body), `"code":503`) {
			t.Fatalf("legacy route in outage mode %d: %d %s", mode, r.Status, r.Body)
		}
		r := get("/readyz", false)
		var ready struct {
			Checks map[string]string `json:"checks"`
		}
		json.Unmarshal(r.Body, &ready)
		if r.Status != 503 || ready.Checks["postgres"] != "unavailable" || ready.Checks["redis"] != "ok" {
			t.Fatalf("readyz in outage mode %d: %d %s", mode, r.Status, r.Body)
		}
		if len(ready.Checks) != 2 {
			t.Fatalf("readyz checks %v", ready.Checks)
		}
	}
	fwd.Set(faultnet.Pass)
	deadline := time.Now().Add(10 * time.Second)
	for get("/api/v1/files", true).Status != 200 {
		if time.Now().After(deadline) {
			t.Fatal("the API did not recover after the database came back")
		}
		time.Sleep(100 * time.Millisecond)
	}
}
