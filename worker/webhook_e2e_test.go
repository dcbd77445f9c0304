package main

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"fanout/pkg/job"
	"fanout/pkg/webhook"
)

// receiver is a webhook endpoint that checks signatures and can fail the
// first deliveries.
type receiver struct {
	t      *testing.T
	secret string
	mu     sync.Mutex
	fail   int // answer 500 this many times first
	tries  int
	events []webhook.Event
	bad    int // deliveries with a wrong signature
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	body, _ := io.ReadAll(req.Body)
	r.mu.Lock()
	defer r.mu.Unlock()
	r.tries++
	if !webhook.Verify(r.secret, req.Header.Get(webhook.HeaderID), req.Header.Get(webhook.HeaderTimestamp),
		req.Header.Get(webhook.HeaderSignature), body, 5*time.Minute) {
		r.bad++
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	if r.fail > 0 {
		r.fail--
		w.WriteHeader(http.StatusInternalServerError)
		return
	}
	var e webhook.Event
	_ = json.Unmarshal(body, &e)
	r.events = append(r.events, e)
}

func (r *receiver) got() (events []webhook.Event, tries, bad int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]webhook.Event(nil), r.events...), r.tries, r.bad
}

// A publish's end reaches a webhook, signed; a receiver that fails twice
// gets it on the third try, and every attempt is recorded.
func TestWebhookGetsTaskFinishedAfterTwoFailures(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	rcv := &receiver{t: t, secret: "a-test-secret-of-some-length", fail: 2}
	srv := httptest.NewServer(rcv)
	defer srv.Close()
	var hook job.Webhook
	if st := s.call("POST", "/api/v1/webhooks", map[string]any{"url": srv.URL + "/hook", "events": []string{job.EventTaskFinished},
		"secret": rcv.secret}, &hook); st != 201 {
		t.Fatalf("create webhook: %d", st)
	}
	acc := s.newAccount("hooked")
	s.loggedIn(acc)
	f := s.uploadSample()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "通知"})
	s.waitTask(id, 60*time.Second, "the publish", terminal)
	deadline := time.Now().Add(30 * time.Second)
	for {
		if evs, _, _ := rcv.got(); len(evs) > 0 {
			break
		}
		if time.Now().After(deadline) {
			_, tries, bad := rcv.got()
			t.Fatalf("no delivery arrived (%d tries, %d badly signed)", tries, bad)
		}
		time.Sleep(50 * time.Millisecond)
	}
	evs, tries, bad := rcv.got()
	var task job.Task
	b, _ := json.Marshal(evs[0].Data)
	_ = json.Unmarshal(b, &task)
	if evs[0].Type != job.EventTaskFinished || task.ID != id || task.State != job.StateSucceeded || tries != 3 || bad != 0 {
		t.Fatalf("got %+v (task %s %s) after %d tries, %d badly signed", evs[0], task.ID, task.State, tries, bad)
	}
	// The receiver has the event before the worker records the answer, so
	// the delivery's row is awaited rather than read once.
	var ds struct {
		Items []job.Delivery `json:"items"`
	}
	deadline = time.Now().Add(10 * time.Second)
	for {
		s.call("GET", "/api/v1/webhooks/"+hook.ID+"/deliveries", nil, &ds)
		if len(ds.Items) == 1 && ds.Items[0].State == "succeeded" && ds.Items[0].Attempts == 3 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("deliveries %+v", ds.Items)
		}
		time.Sleep(50 * time.Millisecond)
	}
}
