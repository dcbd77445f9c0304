// Command fanout-worker runs Fanout's tasks: it pulls publish, login and
// check tasks from Redis, drives one headless Chromium (an isolated browser
// context per task) through the platform drivers, and writes every state to
// Postgres.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
	"time"

	"fanout/pkg/config"
	"fanout/pkg/live"
)

// Config is the worker's configuration, from the environment.
type Config struct {
	config.Common
	Concurrency int `env:"FANOUT_WORKER_CONCURRENCY" envDefault:"4"`
	// MetricsAddr is where the worker serves /metrics (Prometheus); empty
	// serves none.
	MetricsAddr string `env:"FANOUT_METRICS_ADDR"`
	// VerificationTimeout bounds the wait for a person's answer when a site
	// asks for a verification (SMS code, real-name check).
	VerificationTimeout time.Duration `env:"FANOUT_VERIFICATION_TIMEOUT" envDefault:"10m"`
	// DBTimeout bounds one Postgres call (a partitioned database fails it
	// instead of hanging the task).
	DBTimeout  time.Duration `env:"FANOUT_DB_TIMEOUT" envDefault:"10s"`
	ChromePath string        `env:"CHROME_PATH"`
	// Queues limits the platforms served, e.g. "douyin"; empty serves all.
	Queues        string        `env:"FANOUT_WORKER_QUEUES"`
	DouyinBaseURL string        `env:"FANOUT_DOUYIN_BASE_URL" envDefault:"https://creator.douyin.com"`
	Declaration   string        `env:"FANOUT_DOUYIN_DECLARATION" envDefault:"内容由AI生成"`
	PollInterval  time.Duration `env:"FANOUT_QUEUE_POLL_INTERVAL" envDefault:"50ms"`
	Heartbeat     time.Duration `env:"FANOUT_HEARTBEAT_INTERVAL" envDefault:"5s"`
	StaleAfter    time.Duration `env:"FANOUT_STALE_AFTER" envDefault:"45s"`
	SweepInterval time.Duration `env:"FANOUT_SWEEP_INTERVAL" envDefault:"15s"`
	QueuedAge     time.Duration `env:"FANOUT_SWEEP_QUEUED_AGE" envDefault:"30s"`
	RetryBase     time.Duration `env:"FANOUT_RETRY_BASE" envDefault:"10s"`
	// HealthInterval is how old an account's last cookie check may get
	// before the worker checks it by itself (0 turns that off);
	// HealthMax bounds the checks queued or running at once.
	HealthInterval time.Duration `env:"FANOUT_HEALTH_CHECK_INTERVAL" envDefault:"6h"`
	HealthMax      int           `env:"FANOUT_HEALTH_CHECK_MAX" envDefault:"2"`
	BusyRetry      time.Duration `env:"FANOUT_BUSY_RETRY" envDefault:"2s"`
	// ElementTimeout bounds the wait for an element that should already be
	// on its way; a page redesign fails a step after this long.
	ElementTimeout time.Duration `env:"FANOUT_BROWSER_ELEMENT_TIMEOUT" envDefault:"20s"`
	// Each platform's hosts, overridable for the fakes and for mirrors (such
	// as creator.rednote.com); declarations left empty take the driver's
	// default for that platform.
	KuaishouBaseURL        string `env:"FANOUT_KUAISHOU_BASE_URL" envDefault:"https://cp.kuaishou.com"`
	KuaishouPassportURL    string `env:"FANOUT_KUAISHOU_PASSPORT_URL" envDefault:"https://passport.kuaishou.com"`
	KuaishouDeclaration    string `env:"FANOUT_KUAISHOU_DECLARATION"`
	XiaohongshuBaseURL     string `env:"FANOUT_XIAOHONGSHU_BASE_URL" envDefault:"https://creator.xiaohongshu.com"`
	XiaohongshuDeclaration string `env:"FANOUT_XIAOHONGSHU_DECLARATION"`
	ChannelsBaseURL        string `env:"FANOUT_CHANNELS_BASE_URL" envDefault:"https://channels.weixin.qq.com"`
	ChannelsDeclaration    string `env:"FANOUT_CHANNELS_DECLARATION"`
	TikTokBaseURL          string `env:"FANOUT_TIKTOK_BASE_URL" envDefault:"https://www.tiktok.com"`
	TikTokDeclaration      string `env:"FANOUT_TIKTOK_DECLARATION"`
	// Bilibili is driven over HTTP (no browser): its member (creator),
	// passport (login) and api hosts; a fake serves all three on one URL.
	BilibiliBaseURL      string `env:"FANOUT_BILIBILI_BASE_URL" envDefault:"https://member.bilibili.com"`
	BilibiliPassportURL  string `env:"FANOUT_BILIBILI_PASSPORT_URL" envDefault:"https://passport.bilibili.com"`
	BilibiliAPIURL       string `env:"FANOUT_BILIBILI_API_URL" envDefault:"https://api.bilibili.com"`
	YouTubeBaseURL       string `env:"FANOUT_YOUTUBE_BASE_URL" envDefault:"https://studio.youtube.com"`
	BaijiahaoBaseURL     string `env:"FANOUT_BAIJIAHAO_BASE_URL" envDefault:"https://baijiahao.baidu.com"`
	BaijiahaoDeclaration string `env:"FANOUT_BAIJIAHAO_DECLARATION"`
	WeiboBaseURL         string `env:"FANOUT_WEIBO_BASE_URL" envDefault:"https://weibo.com"`
	WeiboPassportURL     string `env:"FANOUT_WEIBO_PASSPORT_URL" envDefault:"https://passport.weibo.com"`
	WeiboDeclaration     string `env:"FANOUT_WEIBO_DECLARATION"`
	// Live configures the Douyin live assistant (FANOUT_LIVE_*, FANOUT_TENCENT_*).
	Live live.Config
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Getenv, os.Stderr, nil); err != nil {
		fmt.Fprintln(os.Stderr, "fanout-worker:", err)
		os.Exit(1)
	}
}

// run is main without globals, so tests run the worker in-process. ready,
// when not nil, is closed once the worker takes tasks.
func run(ctx context.Context, getenv func(string) string, stderr io.Writer, ready chan<- struct{}) error {
	var cfg Config
	if err := config.Load(&cfg, getenv); err != nil {
		return err
	}
	return serve(ctx, cfg, cfg.Logger(stderr), ready)
}
