package perf_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/chromedp"
	"github.com/hibiken/asynq"

	"fanout/api/server"
	"fanout/pkg/browser"
	"fanout/pkg/filestore"
	"fanout/pkg/job"
	"fanout/pkg/platform"
	"fanout/pkg/platform/douyin"
	"fanout/pkg/platform/douyin/douyintest"
	"fanout/pkg/platform/fakesite"
	"fanout/pkg/postgres/pgtest"
	"fanout/pkg/secret"
	"fanout/pkg/task"
	"fanout/pkg/testenv"
	"fanout/pkg/web"
)

// The run measured on both sides: this many publishes of the sample video
// over this many accounts, this many at a time, to a fake Douyin that takes
// a second to process each upload.
const (
	jobs, accounts, concurrency = 12, 4, 4
	processing                  = time.Second
)

// TestMain doubles as the minimal pool: with PERF_CHILD set (pool or
// launcher) the test binary runs poolChild instead of tests, so the pool is measured as a
// process tree of its own, like the worker.
func TestMain(m *testing.M) {
	if os.Getenv("PERF_CHILD") != "" {
		if err := poolChild(); err != nil {
			fmt.Fprintln(os.Stderr, "pool:", err)
			os.Exit(1)
		}
		os.Exit(0)
	}
	os.Exit(m.Run())
}

// poolResult is what the pool child reports on stdout.
type poolResult struct {
	Wall, CPU float64
	JobMedian float64 // seconds
	Failed    int
}

// poolChild is the minimal hand-written pool the worker is compared with:
// one Chromium, concurrency goroutines, each publish in a fresh browser
// context with the account's cookies, the Douyin driver called directly —
// no database, no queue, no claims, no retries. PERF_CHILD=pool launches
// Chromium as a hand-written pool would, with chromedp's defaults;
// PERF_CHILD=launcher with Fanout's own launcher and sessions (its flags,
// blocked fonts, profile), so the two ratios separate what the launcher
// brings from what the worker's scheduling and reuse bring.
func poolChild() error {
	var cookies [][]web.Cookie
	if err := json.Unmarshal([]byte(os.Getenv("PERF_COOKIES")), &cookies); err != nil {
		return err
	}
	ctx := context.Background()
	var newSession func(ctx context.Context, cookies []web.Cookie) (context.Context, context.CancelFunc, error)
	if os.Getenv("PERF_CHILD") == "launcher" {
		b, err := browser.Start(ctx, browser.Config{}, discard())
		if err != nil {
			return err
		}
		defer b.Close()
		newSession = func(ctx context.Context, cookies []web.Cookie) (context.Context, context.CancelFunc, error) {
			return b.NewSession(ctx, browser.SessionOptions{Cookies: cookies})
		}
	} else {
		allocCtx, cancelAlloc := chromedp.NewExecAllocator(ctx, append(chromedp.DefaultExecAllocatorOptions[:],
			chromedp.ExecPath(os.Getenv("CHROME_PATH")), chromedp.NoSandbox)...)
		defer cancelAlloc()
		bctx, cancelB := chromedp.NewContext(allocCtx)
		defer cancelB()
		if err := chromedp.Do(bctx); err != nil {
			return err
		}
		newSession = func(ctx context.Context, cookies []web.Cookie) (context.Context, context.CancelFunc, error) {
			tab, cancel := chromedp.NewContext(bctx, chromedp.WithNewBrowserContext())
			params := make([]*network.CookieParam, 0, len(cookies))
			for _, c := range cookies {
				params = append(params, &network.CookieParam{Name: c.Name, Value: c.Value, Domain: c.Domain, Path: c.Path,
					Secure: c.Secure, HTTPOnly: c.HTTPOnly})
			}
			if _, err := chromedp.Call(tab, network.SetCookies, network.SetCookiesParams{Cookies: params}); err != nil {
				cancel()
				return nil, nil, err
			}
			return tab, cancel, nil
		}
	}
	d := douyin.New(douyin.Config{BaseURL: os.Getenv("PERF_SITE")})
	work := make(chan int, jobs)
	for i := range jobs {
		work <- i
	}
	close(work)
	var mu sync.Mutex
	failed := 0
	var took []time.Duration
	cpu0, start := treeCPU(os.Getpid()), time.Now()
	var wg sync.WaitGroup
	for range concurrency {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				t0 := time.Now()
				tab, closeTab, err := newSession(ctx, cookies[i%len(cookies)])
				if err == nil {
					_, err = d.Publish(tab, platform.PublishRequest{VideoPath: os.Getenv("PERF_VIDEO"), Title: fmt.Sprintf("pool-%02d", i)},
						func(platform.Progress) error { return nil })
					closeTab()
				}
				mu.Lock()
				took = append(took, time.Since(t0))
				mu.Unlock()
				if err != nil {
					mu.Lock()
					failed++
					mu.Unlock()
					fmt.Fprintln(os.Stderr, "publish:", err)
				}
			}
		}()
	}
	wg.Wait()
	return json.NewEncoder(os.Stdout).Encode(poolResult{Wall: time.Since(start).Seconds(), CPU: treeCPU(os.Getpid()) - cpu0,
		JobMedian: median(took).Seconds(), Failed: failed})
}

var buildWorker = sync.OnceValues(func() (string, error) {
	dir, err := os.MkdirTemp("", "fanout-perf")
	if err != nil {
		return "", err
	}
	bin := filepath.Join(dir, "fanout-worker")
	out, err := exec.Command("go", "build", "-o", bin, "fanout/worker").CombinedOutput()
	if err != nil {
		return "", fmt.Errorf("build the worker: %v\n%s", err, out)
	}
	return bin, nil
})

// BenchmarkPublishThroughput runs the same publishes through Fanout (the
// API, Postgres, Redis and a worker process at concurrency 4) and through
// the minimal pool (and that pool on Fanout's launcher), and reports jobs per minute, CPU-seconds per job and
// the peak PSS of each side's process tree (worker or pool, with their
// Chromium), the ratios, and the median time of each publish step in
// Fanout. Run with -benchtime=1x; PERF_TIMELINE=1 also prints each task's
// events relative to its start.
func BenchmarkPublishThroughput(b *testing.B) {
	chrome := testenv.Chrome(b)
	bin, err := buildWorker()
	if err != nil {
		b.Fatal(err)
	}
	site := fakesite.Serve(b, douyintest.New(fakesite.Options{UploadDuration: processing}))
	var cookies [][]web.Cookie
	for range accounts {
		cookies = append(cookies, site.SessionCookies())
	}
	video := testenv.Testdata("sample.mp4")

	// The minimal pool, and the same pool on Fanout's launcher.
	cj, _ := json.Marshal(cookies)
	runPool := func(mode string) (poolResult, int64) {
		pool := exec.Command(os.Args[0], "-test.run=^$", "-test.bench=^$")
		pool.Env = append(os.Environ(), "PERF_CHILD="+mode, "PERF_SITE="+site.URL(), "PERF_COOKIES="+string(cj), "PERF_VIDEO="+video, "CHROME_PATH="+chrome)
		var out, errOut bytes.Buffer
		pool.Stdout, pool.Stderr = &out, &errOut
		if err := pool.Start(); err != nil {
			b.Fatal(err)
		}
		stopPool := peakPSS(pool.Process.Pid)
		err := pool.Wait()
		pss := stopPool()
		var pr poolResult
		if err != nil || json.Unmarshal(out.Bytes(), &pr) != nil || pr.Failed > 0 {
			b.Fatalf("pool (%s): %v %s %s", mode, err, out.Bytes(), errOut.Bytes())
		}
		return pr, pss
	}
	pr, poolPSS := runPool("pool")
	lr, launcherPSS := runPool("launcher")

	// Fanout.
	key := secret.NewKey()
	dsn := pgtest.DSN(b)
	store, _ := pgtest.StoreAt(b, dsn, key)
	addr, db := testenv.Redis(b)
	queue := task.NewQueue(asynq.RedisClientOpt{Addr: addr, DB: db})
	b.Cleanup(func() { queue.Close() })
	dataDir := b.TempDir()
	files, _ := filestore.New(dataDir)
	api := httptest.NewServer(server.New(store, queue, files, discard(), server.Config{}))
	b.Cleanup(api.Close)
	token := pgtest.Token(b, store, "perf")
	w := exec.Command(bin)
	w.Env = append(os.Environ(), "DATABASE_URL="+dsn, fmt.Sprintf("REDIS_URL=redis://%s/%d", addr, db), "FANOUT_SECRET_KEY="+key,
		"FANOUT_DATA_DIR="+dataDir, "FANOUT_DOUYIN_BASE_URL="+site.URL(), "CHROME_PATH="+chrome, "FANOUT_LOG_LEVEL=warn",
		fmt.Sprintf("FANOUT_WORKER_CONCURRENCY=%d", concurrency))
	w.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	var wlog bytes.Buffer
	w.Stdout, w.Stderr = &wlog, &wlog
	if err := w.Start(); err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { _ = syscall.Kill(-w.Process.Pid, syscall.SIGKILL); _ = w.Wait() })
	call := func(method, path string, body io.Reader, ct string, v any) {
		req, _ := http.NewRequest(method, api.URL+path, body)
		req.Header.Set("Authorization", "Bearer "+token)
		req.Header.Set("Content-Type", ct)
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			b.Fatal(err)
		}
		defer res.Body.Close()
		if err := json.NewDecoder(res.Body).Decode(v); err != nil || res.StatusCode >= 300 {
			b.Fatalf("%s %s: %d %v", method, path, res.StatusCode, err)
		}
	}
	upload, ct := testenv.SampleUpload(b)
	var f job.File
	call("POST", "/api/v1/files", upload, ct, &f)
	var accs []job.Account
	for i := range accounts {
		var a job.Account
		call("POST", "/api/v1/accounts", bytes.NewReader([]byte(fmt.Sprintf(`{"platform":"douyin","name":"perf-%d"}`, i))), "application/json", &a)
		if err := store.SaveCookies(context.Background(), a.ID, cookies[i], job.AccountActive, true); err != nil {
			b.Fatal(err)
		}
		accs = append(accs, a)
	}
	// Let the worker finish starting (its browser) before the clock runs.
	waitReady(b, w.Process.Pid)
	cpu0 := treeCPU(w.Process.Pid)
	stopW := peakPSS(w.Process.Pid)
	start := time.Now()
	var ids []string
	for i := range jobs {
		var r struct {
			TaskIDs []string `json:"task_ids"`
		}
		body := fmt.Sprintf(`{"file_ids":[%q],"account_ids":[%q],"title":"fanout-%02d"}`, f.ID, accs[i%accounts].ID, i)
		call("POST", "/api/v1/publish", bytes.NewReader([]byte(body)), "application/json", &r)
		ids = append(ids, r.TaskIDs...)
	}
	var tasks []job.Task
	deadline := time.Now().Add(5 * time.Minute)
	for len(tasks) < len(ids) && time.Now().Before(deadline) {
		tasks = tasks[:0]
		for _, id := range ids {
			t, err := store.GetTask(context.Background(), id)
			if err == nil && t.State.Terminal() {
				tasks = append(tasks, t)
			}
		}
		time.Sleep(20 * time.Millisecond)
	}
	wall := time.Since(start).Seconds()
	wCPU := treeCPU(w.Process.Pid) - cpu0
	wPSS := stopW()
	for _, t := range tasks {
		if t.State != job.StateSucceeded {
			b.Fatalf("task %s %s %+v\n%s", t.ID, t.State, t.Error, wlog.String())
		}
	}
	if len(tasks) < len(ids) {
		b.Fatalf("%d of %d tasks ended\n%s", len(tasks), len(ids), wlog.String())
	}
	steps := stepMedians(b, store, ids)
	run, gap, gapMax := timeline(tasks)
	if os.Getenv("PERF_TIMELINE") != "" {
		for _, t := range tasks {
			evs, _ := store.Events(context.Background(), t.ID, 0, 1000)
			fmt.Printf("%s acc=%s created=%s start=+%v fin=+%v\n", t.ID[:8], t.AccountID[:4], t.CreatedAt.Format("05.000"), t.StartedAt.Sub(t.CreatedAt), t.FinishedAt.Sub(t.CreatedAt))
			for _, e := range evs {
				fmt.Printf("   %s %s %d +%v\n", e.State, e.Step, e.Progress, e.At.Sub(*t.StartedAt))
			}
		}
	}

	poolJPM, launcherJPM, fanJPM := jobs/pr.Wall*60, jobs/lr.Wall*60, jobs/wall*60
	b.ReportMetric(fanJPM, "fanout-jobs/min")
	b.ReportMetric(poolJPM, "pool-jobs/min")
	b.ReportMetric(fanJPM/poolJPM, "throughput-ratio")
	b.ReportMetric(launcherJPM, "launcher-pool-jobs/min")
	b.ReportMetric(fanJPM/launcherJPM, "throughput-ratio-launcher-pool")
	b.ReportMetric(wCPU/jobs, "fanout-cpu-s/job")
	b.ReportMetric(pr.CPU/jobs, "pool-cpu-s/job")
	b.ReportMetric((wCPU/jobs)/(pr.CPU/jobs), "cpu-ratio")
	b.ReportMetric(lr.CPU/jobs, "launcher-pool-cpu-s/job")
	b.ReportMetric(float64(wPSS)/(1<<20), "fanout-peak-pss-MB")
	b.ReportMetric(float64(poolPSS)/(1<<20), "pool-peak-pss-MB")
	b.ReportMetric(float64(launcherPSS)/(1<<20), "launcher-pool-peak-pss-MB")
	b.ReportMetric(pr.JobMedian, "pool-job-median-s")
	b.ReportMetric(lr.JobMedian, "launcher-pool-job-median-s")
	b.ReportMetric(run.Seconds(), "task-run-median-s")
	b.ReportMetric(gap.Seconds(), "handoff-gap-median-s")
	b.ReportMetric(gapMax.Seconds(), "handoff-gap-max-s")
	for _, s := range steps {
		b.ReportMetric(s.median.Seconds(), "step-"+s.name+"-s")
	}
}

// waitReady waits until the worker's Chromium is up (a child process that
// stays), bounded.
func waitReady(b *testing.B, pid int) {
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		if len(tree(pid, readProcs())) > 3 {
			time.Sleep(500 * time.Millisecond) // settle: the first context opens lazily
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	b.Fatal("the worker's browser did not start")
}

type stepMedian struct {
	name   string
	median time.Duration
}

// stepMedians is the median time between each step event and the next
// (named after the step it ends: "uploaded" is the upload's time).
func stepMedians(b *testing.B, store interface {
	Events(context.Context, string, int64, int) ([]job.Event, error)
}, ids []string) []stepMedian {
	by := map[string][]time.Duration{}
	var order []string
	for _, id := range ids {
		evs, err := store.Events(context.Background(), id, 0, 1000)
		if err != nil {
			b.Fatal(err)
		}
		var prev time.Time
		for _, e := range evs {
			if !prev.IsZero() && e.Step != "" {
				if _, ok := by[e.Step]; !ok {
					order = append(order, e.Step)
				}
				by[e.Step] = append(by[e.Step], e.At.Sub(prev))
			}
			prev = e.At
		}
	}
	var out []stepMedian
	for _, s := range order {
		d := by[s]
		out = append(out, stepMedian{s, median(d)})
	}
	return out
}

// timeline is the median time a task runs (started to finished) and the
// median and longest gap between one task of an account finishing and the
// account's next task starting: what the pool does not have to do.
func timeline(tasks []job.Task) (run, gap, gapMax time.Duration) {
	var runs, gaps []time.Duration
	by := map[string][]job.Task{}
	for _, t := range tasks {
		if t.StartedAt != nil && t.FinishedAt != nil {
			runs = append(runs, t.FinishedAt.Sub(*t.StartedAt))
			by[t.AccountID] = append(by[t.AccountID], t)
		}
	}
	for _, ts := range by {
		slices.SortFunc(ts, func(a, b job.Task) int { return a.StartedAt.Compare(*b.StartedAt) })
		for i := 1; i < len(ts); i++ {
			gaps = append(gaps, ts[i].StartedAt.Sub(*ts[i-1].FinishedAt))
		}
	}
	for _, g := range gaps {
		gapMax = max(gapMax, g)
	}
	return median(runs), median(gaps), gapMax
}

func median(d []time.Duration) time.Duration {
	if len(d) == 0 {
		return 0
	}
	slices.Sort(d)
	return d[len(d)/2]
}
