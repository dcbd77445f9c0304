package perf_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/google/uuid"
	"github.com/hibiken/asynq"

	"fanout/api/server"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
)

// load is one load run's figures.
type load struct {
	n        int64
	rps      float64
	p50, p99 time.Duration
}

// run calls op from conc goroutines for d and measures it.
func run(conc int, d time.Duration, op func() error) (load, error) {
	var n atomic.Int64
	var mu sync.Mutex
	var lat []time.Duration
	var firstErr error
	stop := time.Now().Add(d)
	var wg sync.WaitGroup
	start := time.Now()
	for range conc {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var mine []time.Duration
			for time.Now().Before(stop) {
				t := time.Now()
				if err := op(); err != nil {
					mu.Lock()
					if firstErr == nil {
						firstErr = err
					}
					mu.Unlock()
					return
				}
				mine = append(mine, time.Since(t))
				n.Add(1)
			}
			mu.Lock()
			lat = append(lat, mine...)
			mu.Unlock()
		}()
	}
	wg.Wait()
	el := time.Since(start)
	if firstErr != nil {
		return load{}, firstErr
	}
	slices.Sort(lat)
	pct := func(p float64) time.Duration {
		if len(lat) == 0 {
			return 0
		}
		return lat[min(len(lat)-1, int(float64(len(lat))*p))]
	}
	return load{n: n.Load(), rps: float64(n.Load()) / el.Seconds(), p50: pct(0.5), p99: pct(0.99)}, nil
}

// BenchmarkAPILoad drives POST /api/v1/publish (one file to one account)
// and GET /api/v1/tasks/{id} at 16 and 64 concurrent clients against the
// real handler, Postgres and Redis, next to the raw work of a publish (one
// task insert plus one enqueue, straight to the store and the queue) at the
// same concurrency: the ratio is how close the API comes to its machine.
// Run with -benchtime=1x: each figure is a fixed-length run.
func BenchmarkAPILoad(b *testing.B) {
	store, _ := pgtest.Store(b)
	addr, db := testenv.Redis(b)
	queue := task.NewQueue(asynq.RedisClientOpt{Addr: addr, DB: db, PoolSize: 128})
	b.Cleanup(func() { queue.Close() })
	files, _ := filestore.New(b.TempDir())
	srv := httptest.NewServer(server.New(store, queue, files, discard(), server.Config{}))
	b.Cleanup(srv.Close)
	token := pgtest.Token(b, store, "bench")
	ctx := context.Background()
	acc, err := store.CreateAccount(ctx, uuid.NewString(), "douyin", "bench", "")
	if err != nil {
		b.Fatal(err)
	}
	f, err := files.Save(uuid.NewString(), strings.NewReader("\x00\x00\x00\x18ftypmp42"+strings.Repeat("x", 600)), filestore.Video, 1<<20)
	if err != nil {
		b.Fatal(err)
	}
	file, err := store.CreateFile(ctx, job.File{ID: uuid.NewString(), Filename: "v.mp4", StoredName: f.StoredName, SizeBytes: f.Size, SHA256: f.SHA256, ContentType: f.ContentType})
	if err != nil {
		b.Fatal(err)
	}
	client := &http.Client{Transport: &http.Transport{MaxIdleConnsPerHost: 256, MaxConnsPerHost: 256}}
	body := fmt.Sprintf(`{"file_ids":[%q],"account_ids":[%q],"title":"压测"}`, file.ID, acc.ID)
	call := func(method, path, body string) error {
		var rd io.Reader
		if body != "" {
			rd = strings.NewReader(body)
		}
		req, _ := http.NewRequest(method, srv.URL+path, rd)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", "application/json")
		res, err := client.Do(req)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode >= 300 {
			return fmt.Errorf("%s %s: %d", method, path, res.StatusCode)
		}
		return nil
	}
	var taskID string
	{
		ts, err := store.CreateTasks(ctx, []job.NewTask{{ID: uuid.NewString(), Kind: job.KindPublish, Platform: "douyin",
			AccountID: acc.ID, FileID: &file.ID, MaxAttempts: 3, Request: job.PublishSpec{FileID: file.ID, Title: "t"}}})
		if err != nil {
			b.Fatal(err)
		}
		taskID = ts[0].ID
	}
	const d = 3 * time.Second
	for _, conc := range []int{16, 64} {
		b.Run(fmt.Sprintf("clients=%d", conc), func(b *testing.B) {
			raw, err := run(conc, d, func() error {
				ts, err := store.CreateTasks(ctx, []job.NewTask{{ID: uuid.NewString(), Kind: job.KindPublish, Platform: "douyin",
					AccountID: acc.ID, FileID: &file.ID, MaxAttempts: 3, Request: job.PublishSpec{FileID: file.ID, Title: "压测"}}})
				if err != nil {
					return err
				}
				return queue.Enqueue(ctx, ts[0])
			})
			if err != nil {
				b.Fatal(err)
			}
			pub, err := run(conc, d, func() error { return call("POST", "/api/v1/publish", body) })
			if err != nil {
				b.Fatal(err)
			}
			get, err := run(conc, d, func() error { return call("GET", "/api/v1/tasks/"+taskID, "") })
			if err != nil {
				b.Fatal(err)
			}
			b.ReportMetric(raw.rps, "raw-insert+enqueue/s")
			b.ReportMetric(pub.rps, "publish-req/s")
			b.ReportMetric(float64(pub.p50.Microseconds())/1000, "publish-p50-ms")
			b.ReportMetric(float64(pub.p99.Microseconds())/1000, "publish-p99-ms")
			b.ReportMetric(pub.rps/raw.rps, "publish/raw")
			b.ReportMetric(get.rps, "get-task-req/s")
			b.ReportMetric(float64(get.p99.Microseconds())/1000, "get-p99-ms")
		})
	}
}
