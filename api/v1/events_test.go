package v1_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"fanout/api/apitest"
	"fanout/api/httpx"
	"fanout/pkg/job"
	"fanout/pkg/postgres"
)

// openEvents opens a task's event stream with Last-Event-ID (if set) and
// returns everything it sent, failing if it is still open after wait.
func openEvents(t *testing.T, a *apitest.API, id, lastEventID string, wait time.Duration, during func()) string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), wait)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", a.Srv.URL+"/api/v1/tasks/"+id+"/events", nil)
	req.Header.Set("Authorization", "Bearer "+a.Token)
	if lastEventID != "" {
		req.Header.Set("Last-Event-ID", lastEventID)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	if during != nil {
		during()
	}
	b, err := io.ReadAll(res.Body)
	if ctx.Err() != nil {
		t.Fatalf("stream still open after %s (Last-Event-ID %q); read %q", wait, lastEventID, b)
	}
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// An EventSource reconnects after the server closes the stream, sending the
// terminal event's id: that stream must end at once instead of idling with
// keep-alives forever. So must one whose id is beyond the last event.
func TestEventStreamEndsOnReconnectAfterTheEnd(t *testing.T) {
	a := apitest.Setup(t)
	f, acc := a.Video(), a.Account("sse")
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t"}).JSON(t, &out)
	id := out.TaskIDs[0]
	a.Do("POST", "/api/v1/tasks/"+id+"/cancel", nil, "")
	evs, err := a.Store.Events(context.Background(), id, 0, 100)
	if err != nil || len(evs) == 0 || !evs[len(evs)-1].State.Terminal() {
		t.Fatalf("events %+v %v", evs, err)
	}
	last := evs[len(evs)-1].ID
	if body := openEvents(t, a, id, "", 5*time.Second, nil); !strings.Contains(body, `"state":"canceled"`) {
		t.Fatalf("first stream %q lacks the terminal event", body)
	}
	if body := openEvents(t, a, id, httpx.Itoa(last), 5*time.Second, nil); strings.Contains(body, "data:") {
		t.Fatalf("reconnect after the terminal event sent events: %q", body)
	}
	openEvents(t, a, id, httpx.Itoa(last+1000), 5*time.Second, nil)
}

// A running task's stream whose Last-Event-ID is beyond every event still
// ends once the task does, and every stream ends when the server shuts down.
func TestEventStreamEndsWhenTheTaskOrServerDoes(t *testing.T) {
	a := apitest.Setup(t)
	f, acc := a.Video(), a.Account("sse2")
	var out struct {
		TaskIDs []string `json:"task_ids"`
	}
	a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID, a.Video().ID}, "account_ids": []string{acc.ID}, "title": "t"}).JSON(t, &out)
	ctx := context.Background()
	// The account's tasks run one at a time in the request's order.
	running, queued := out.TaskIDs[0], out.TaskIDs[1]
	if _, got, err := a.Store.Claim(ctx, running, "w", time.Minute); err != nil || got != postgres.Claimed {
		t.Fatalf("the first task: %v %v", got, err)
	}
	openEvents(t, a, running, "999999999", 10*time.Second, func() {
		if err := a.Store.Finish(ctx, running, "w", job.StateFailed, nil, &job.TaskError{Code: job.CodeInternal, Message: "x"}); err != nil {
			t.Fatal(err)
		}
	})
	// The other task stays queued: only the shutdown ends its stream.
	openEvents(t, a, queued, "", 5*time.Second, func() {
		time.Sleep(100 * time.Millisecond)
		a.App.Close()
	})
}

// The stream of everything: it starts at the newest event (older ones are
// not replayed), carries every task's later events, resumes after ?after=,
// reports an account whose status changed, and ends with the server.
func TestAllEventsStream(t *testing.T) {
	a := apitest.Setup(t)
	f, acc := a.Video(), a.Account("all")
	publish := func() string {
		var out struct {
			TaskIDs []string `json:"task_ids"`
		}
		a.JSONDo("POST", "/api/v1/publish", map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "t"}).JSON(t, &out)
		return out.TaskIDs[0]
	}
	before := publish()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "GET", a.Srv.URL+"/api/v1/events", nil)
	req.Header.Set("Authorization", "Bearer "+a.Token)
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	after := publish()
	if err := a.Store.SetAccountStatus(context.Background(), acc.ID, job.AccountExpired); err != nil {
		t.Fatal(err)
	}
	// The account look runs each second; then the server shuts down.
	time.Sleep(1500 * time.Millisecond)
	a.App.Close()
	b, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil || ctx.Err() != nil {
		t.Fatalf("stream: %v %v", err, ctx.Err())
	}
	body := string(b)
	if strings.Contains(body, before) || !strings.Contains(body, `"task_id":"`+after+`"`) {
		t.Fatalf("stream %q: want only the later task %s", body, after)
	}
	if !strings.Contains(body, "event:account") || !strings.Contains(body, `"status":"expired","previous":"new"`) {
		t.Fatalf("stream %q lacks the account's change", body)
	}
	// Bad resume points are refused, in the envelope.
	a.Do("GET", "/api/v1/events?after=x", nil, "").WantError(t, http.StatusBadRequest, job.EInvalid, "after")
}
