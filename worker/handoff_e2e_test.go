package main

import (
	"sort"
	"testing"
	"time"

	"fanout/pkg/job"
	"fanout/pkg/platform/fakesite"
)

// Tasks of one account run one at a time, in submission order, across two
// workers and a worker killed mid-task; the next starts when the previous
// ends (hand-off), not after a retry delay.
func TestAccountTasksRunInOrderAndHandOff(t *testing.T) {
	s := newStack(t)
	s.env["FANOUT_BUSY_RETRY"] = "5s" // the old bounce delay, to tell a hand-off from a bounce
	s.site.SetDelay(fakesite.DelayUpload, 700*time.Millisecond)
	kill := s.startChildWorker()
	s.startWorker()
	acc, other := s.newAccount("ordered"), s.newAccount("other")
	s.loggedIn(acc)
	s.loggedIn(other)
	f := s.uploadSample()
	var ids, others []string
	for i := 0; i < 5; i++ {
		ids = append(ids, s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{acc.ID}, "title": "顺序" + string(rune('A'+i))}))
		others = append(others, s.publish(map[string]any{"file_ids": []string{f.ID}, "account_ids": []string{other.ID}, "title": "其他" + string(rune('A'+i))}))
	}
	// Kill the child worker while it runs one of them.
	deadline := time.Now().Add(60 * time.Second)
	for killed := false; !killed && time.Now().Before(deadline); {
		ended := 0
		for _, id := range ids {
			tk := s.task(id)
			if tk.State == job.StateRunning && tk.Step == "uploading" {
				kill()
				killed = true
				break
			}
			if terminal(tk) {
				ended++
			}
		}
		if ended == len(ids) {
			t.Fatal("every task ended before the kill; the test needs one running")
		}
		time.Sleep(30 * time.Millisecond)
	}
	var tasks []job.Task
	for _, id := range ids {
		tasks = append(tasks, s.waitTask(id, 120*time.Second, "the end", terminal))
	}
	for _, id := range others {
		s.waitTask(id, 120*time.Second, "the other account's tasks to end", terminal)
	}
	sort.Slice(tasks, func(i, j int) bool { return tasks[i].CreatedAt.Before(tasks[j].CreatedAt) })
	var gaps []time.Duration
	for i, tk := range tasks {
		if tk.State != job.StateSucceeded || tk.StartedAt == nil || tk.FinishedAt == nil {
			t.Fatalf("task %d ended %s %+v", i, tk.State, tk.Error)
		}
		if i == 0 {
			continue
		}
		prev := tasks[i-1]
		// started_at is the first attempt's start: in submission order, and
		// never before the previous one ended (one at a time).
		if tk.StartedAt.Before(*prev.FinishedAt) {
			t.Fatalf("task %d started %s, before task %d ended %s", i, tk.StartedAt, i-1, prev.FinishedAt)
		}
		gaps = append(gaps, tk.StartedAt.Sub(*prev.FinishedAt))
	}
	t.Logf("gaps %v", gaps)
	sort.Slice(gaps, func(i, j int) bool { return gaps[i] < gaps[j] })
	// The median gap is a hand-off, far below the 5 s bounce delay (the one
	// after the kill waits for the dead worker's claim to go stale).
	if med := gaps[len(gaps)/2]; med > 2*time.Second {
		t.Fatalf("gaps between tasks %v: the next task did not start on the previous one's end", gaps)
	}
	if n := len(s.site.Published()); n != 10 {
		t.Fatalf("%d posts, want 10", n)
	}
}
