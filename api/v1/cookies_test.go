package v1_test

import (
	"context"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/uuid"

	"fanout/api/apitest"
	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/web"
)

func TestCookieImportExport(t *testing.T) {
	a := apitest.Setup(t)
	acc := a.Account("imported")
	a.Do("GET", "/api/v1/accounts/"+acc.ID+"/cookies", nil, "").WantError(t, 404, job.ENotFound, "")
	state := `{"cookies":[{"name":"sessionid","value":"v1","domain":".douyin.com","path":"/","expires":-1,"httpOnly":true,"secure":true,"sameSite":"Lax"}],"origins":[]}`
	r := a.Do("PUT", "/api/v1/accounts/"+acc.ID+"/cookies", strings.NewReader(state), "application/json")
	var out struct {
		Account     job.Account `json:"account"`
		Cookies     int         `json:"cookies"`
		CheckTaskID string      `json:"check_task_id"`
	}
	r.JSON(t, &out)
	if r.Status != 200 || out.Cookies != 1 || !out.Account.HasCookies || out.CheckTaskID == "" {
		t.Fatalf("import: %d %s", r.Status, r.Body)
	}
	if tk, _ := a.Store.GetTask(context.Background(), out.CheckTaskID); tk.Kind != job.KindCheck {
		t.Fatalf("no check queued: %+v", tk)
	}
	var st web.StorageState
	r = a.Do("GET", "/api/v1/accounts/"+acc.ID+"/cookies", nil, "")
	r.JSON(t, &st)
	if r.Status != 200 || len(st.Cookies) != 1 || st.Cookies[0].Value != "v1" || st.Origins == nil {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	// A bare array works too; garbage and nameless cookies do not.
	if r := a.Do("PUT", "/api/v1/accounts/"+acc.ID+"/cookies", strings.NewReader(`[{"name":"a","value":"b","domain":"x"}]`), "application/json"); r.Status != 200 {
		t.Fatalf("array import: %d %s", r.Status, r.Body)
	}
	a.Do("PUT", "/api/v1/accounts/"+acc.ID+"/cookies", strings.NewReader(`{"nope":1}`), "application/json").WantError(t, 400, job.EInvalid, "cookies")
	a.Do("PUT", "/api/v1/accounts/"+acc.ID+"/cookies", strings.NewReader(`[{"value":"b"}]`), "application/json").WantError(t, 400, job.EInvalid, "cookies")
	a.Do("PUT", "/api/v1/accounts/"+uuid.NewString()+"/cookies", strings.NewReader(state), "application/json").WantError(t, 404, job.ENotFound, "")
}

func TestArtifacts(t *testing.T) {
	a := apitest.Setup(t)
	acc := a.Account("arts")
	ts, err := a.Store.CreateTasks(context.Background(), []job.NewTask{{ID: uuid.NewString(), Kind: job.KindCheck, Platform: platform.Douyin, AccountID: acc.ID, MaxAttempts: 1}})
	if err != nil {
		t.Fatal(err)
	}
	id := ts[0].ID
	var list struct{ Items []string }
	a.Do("GET", "/api/v1/tasks/"+id+"/artifacts", nil, "").JSON(t, &list)
	if len(list.Items) != 0 {
		t.Fatalf("artifacts %v", list.Items)
	}
	dir := filepath.Join(a.Files.Dir(), "artifacts", id)
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "attempt-1-page.html"), []byte("<html>broken</html>"), 0o644)
	a.Do("GET", "/api/v1/tasks/"+id+"/artifacts", nil, "").JSON(t, &list)
	if len(list.Items) != 1 || list.Items[0] != "attempt-1-page.html" {
		t.Fatalf("artifacts %v", list.Items)
	}
	r := a.Do("GET", "/api/v1/tasks/"+id+"/artifacts/attempt-1-page.html", nil, "")
	if r.Status != http.StatusOK || string(r.Body) != "<html>broken</html>" {
		t.Fatalf("artifact: %d %s", r.Status, r.Body)
	}
	a.Do("GET", "/api/v1/tasks/"+id+"/artifacts/..%2F..%2Fsecret.key", nil, "").WantError(t, 400, job.EInvalid, "name")
	a.Do("GET", "/api/v1/tasks/"+id+"/artifacts/missing.png", nil, "").WantError(t, 404, job.ENotFound, "")
}
