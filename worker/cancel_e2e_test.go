package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
	"time"

	"fanout/pkg/job"
	"fanout/pkg/platform/fakesite"
)

// attemptsStarted counts the attempts a task's event log shows, and whether
// it was ever handed back to the queue after it started.
func (s *stack) attemptsStarted(id string) (starts int, requeued bool) {
	s.t.Helper()
	evs, err := s.store.Events(context.Background(), id, 0, 1000)
	if err != nil {
		s.t.Fatal(err)
	}
	running := false
	for _, e := range evs {
		if strings.HasPrefix(e.Message, "attempt started") {
			starts++
			running = true
		}
		if running && e.State == job.StateQueued {
			requeued = true
		}
	}
	return starts, requeued
}

func (s *stack) cancel(id string) {
	s.t.Helper()
	if st := s.call("POST", "/api/v1/tasks/"+id+"/cancel", nil, nil); st != 202 {
		s.t.Fatalf("cancel: %d", st)
	}
}

// A cancel is terminal: the login waiting for its scan is not handed back
// and run again (which would show the user a new QR code).
func TestCancelWaitingLoginNeverRunsAgain(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	acc := s.newAccount("cancel-login")
	var lt struct {
		TaskID string `json:"task_id"`
	}
	s.call("POST", "/api/v1/accounts/"+acc.ID+"/login", nil, &lt)
	s.waitTask(lt.TaskID, 60*time.Second, "a QR code", func(tk job.Task) bool {
		return strings.Contains(string(tk.Result), `"phase":"qrcode"`) || terminal(tk)
	})
	s.cancel(lt.TaskID)
	tk := s.waitTask(lt.TaskID, 20*time.Second, "the cancel to land", terminal)
	time.Sleep(time.Second) // a re-run would show up within this (queue poll 20 ms)
	tk = s.task(lt.TaskID)
	starts, requeued := s.attemptsStarted(lt.TaskID)
	if tk.State != job.StateCanceled || tk.Attempts != 1 || starts != 1 || requeued {
		t.Fatalf("ended %s after %d attempts (%d started, requeued %v), want canceled after one", tk.State, tk.Attempts, starts, requeued)
	}
}

// A publish canceled while uploading ends canceled, with nothing posted and
// no second attempt.
func TestCancelDuringUploadEndsCanceledOnce(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	acc := s.newAccount("cancel-upload")
	s.loggedIn(acc)
	s.site.SetDelay(fakesite.DelayUpload, time.Minute)
	f := s.uploadSample()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "上传中取消"})
	s.waitTask(id, 60*time.Second, "uploading", func(tk job.Task) bool { return tk.Step == "uploading" || terminal(tk) })
	s.cancel(id)
	s.waitTask(id, 20*time.Second, "the cancel to land", terminal)
	time.Sleep(time.Second)
	tk := s.task(id)
	starts, requeued := s.attemptsStarted(id)
	if tk.State != job.StateCanceled || tk.Attempts != 1 || starts != 1 || requeued || len(s.site.Published()) != 0 {
		t.Fatalf("ended %s after %d attempts (%d started, requeued %v) with %d posts", tk.State, tk.Attempts, starts, requeued, len(s.site.Published()))
	}
}

// A cancel that arrives after the publish click cannot unpublish: the task
// ends succeeded, with the cancel noted, never canceled while the post is
// live.
func TestCancelAfterClickEndsSucceededWithNote(t *testing.T) {
	s := newStack(t)
	s.startWorker()
	acc := s.newAccount("cancel-late")
	s.loggedIn(acc)
	s.site.SetDelay(fakesite.DelaySubmit, 3*time.Second)
	f := s.uploadSample()
	id := s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "点击后取消"})
	s.waitTask(id, 60*time.Second, "submitted", func(tk job.Task) bool { return tk.Step == "submitted" || terminal(tk) })
	s.cancel(id)
	tk := s.waitTask(id, 60*time.Second, "the publish to end", terminal)
	var res struct {
		CancelNote string `json:"cancel_note"`
	}
	json.Unmarshal(tk.Result, &res)
	if tk.State != job.StateSucceeded || res.CancelNote == "" || tk.Step != "published" || len(s.site.Published()) != 1 {
		t.Fatalf("ended %s step %s result %s with %d posts; want succeeded, published, the cancel noted, one post",
			tk.State, tk.Step, tk.Result, len(s.site.Published()))
	}
}
