package metrics

import (
	"context"
	"errors"
	"log/slog"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// QueueStat is one queue's depth and latency.
type QueueStat struct {
	Queue                             string
	Pending, Active, Scheduled, Retry int
	Latency                           time.Duration
}

// AccountCount is how many accounts of a platform have a status.
type AccountCount struct {
	Platform, Status string
	N                int
}

// Sources are what the scrape-time collectors read; a nil func is skipped.
type Sources struct {
	Queues   func() ([]QueueStat, error)
	Accounts func(ctx context.Context) ([]AccountCount, error)
	Rooms    func(ctx context.Context) (int, error)
	Log      *slog.Logger
}

var (
	queueDepth = prometheus.NewDesc("fanout_queue_tasks", "Messages in a queue, by state (pending, active, scheduled, retry).",
		[]string{"queue", "state"}, nil)
	queueLatency = prometheus.NewDesc("fanout_queue_latency_seconds", "Age of the oldest pending message in a queue.",
		[]string{"queue"}, nil)
	accounts = prometheus.NewDesc("fanout_accounts", "Accounts by platform and status.", []string{"platform", "status"}, nil)
	rooms    = prometheus.NewDesc("fanout_live_rooms_open", "Live rooms open.", nil, nil)
)

// collector reads its Sources at scrape time.
type collector struct{ s Sources }

// Register adds the scrape-time collectors of s to the default registry,
// replacing those of an earlier Register in the same process (a test that
// starts a server twice).
func Register(s Sources) error { return replace(collector{s}) }

func replace(c prometheus.Collector) error {
	err := prometheus.Register(c)
	var are prometheus.AlreadyRegisteredError
	if errors.As(err, &are) {
		prometheus.Unregister(are.ExistingCollector)
		err = prometheus.Register(c)
	}
	return err
}

func (c collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueDepth
	ch <- queueLatency
	ch <- accounts
	ch <- rooms
}

func (c collector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	warn := func(what string, err error) {
		if c.s.Log != nil {
			c.s.Log.Warn("metrics: "+what, "err", err)
		}
	}
	if c.s.Queues != nil {
		qs, err := c.s.Queues()
		if err != nil {
			warn("queues", err)
		}
		for _, q := range qs {
			for state, n := range map[string]int{"pending": q.Pending, "active": q.Active, "scheduled": q.Scheduled, "retry": q.Retry} {
				ch <- prometheus.MustNewConstMetric(queueDepth, prometheus.GaugeValue, float64(n), q.Queue, state)
			}
			ch <- prometheus.MustNewConstMetric(queueLatency, prometheus.GaugeValue, q.Latency.Seconds(), q.Queue)
		}
	}
	if c.s.Accounts != nil {
		as, err := c.s.Accounts(ctx)
		if err != nil {
			warn("accounts", err)
		}
		for _, a := range as {
			ch <- prometheus.MustNewConstMetric(accounts, prometheus.GaugeValue, float64(a.N), a.Platform, a.Status)
		}
	}
	if c.s.Rooms != nil {
		n, err := c.s.Rooms(ctx)
		if err != nil {
			warn("live rooms", err)
		} else {
			ch <- prometheus.MustNewConstMetric(rooms, prometheus.GaugeValue, float64(n))
		}
	}
}

// RegisterChromium adds fanout_chromium_processes: this process's
// Chromium processes (its descendants named chrom*), counted at scrape time.
func RegisterChromium() error {
	return replace(prometheus.NewGaugeFunc(prometheus.GaugeOpts{
		Name: "fanout_chromium_processes", Help: "Chromium processes this worker runs.",
	}, func() float64 { return float64(chromium(os.Getpid())) }))
}

// chromium counts root's descendants whose command starts with "chrom".
func chromium(root int) int {
	parent := map[int]int{}
	comm := map[int]string{}
	dirs, _ := filepath.Glob("/proc/[0-9]*")
	for _, d := range dirs {
		pid, err := strconv.Atoi(filepath.Base(d))
		if err != nil {
			continue
		}
		b, err := os.ReadFile(d + "/stat")
		if err != nil {
			continue
		}
		s := string(b)
		open, close := strings.IndexByte(s, '('), strings.LastIndexByte(s, ')')
		if open < 0 || close < open {
			continue
		}
		f := strings.Fields(s[close+1:])
		if len(f) < 2 {
			continue
		}
		ppid, _ := strconv.Atoi(f[1])
		parent[pid], comm[pid] = ppid, s[open+1:close]
	}
	n := 0
	for pid, c := range comm {
		if !strings.HasPrefix(c, "chrom") {
			continue
		}
		for p := parent[pid]; p > 1; p = parent[p] {
			if p == root {
				n++
				break
			}
		}
	}
	return n
}
