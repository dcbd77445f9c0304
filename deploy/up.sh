#!/usr/bin/env bash
# Starts the whole Fanout stack locally, in the background (`make up`):
#
#   1. deploy/services.sh start .run/services  -> Redis, Postgres (db fanout),
#      Chromium: the machine's own on 6379/5432 if usable, else private ones
#   2. go build the four binaries into bin/
#   3. bin/fanout-api migrate
#   4. bin/fanout-fakesites, bin/fanout-api serve, bin/fanout-worker in the
#      background, each in its own session; logs and pids in .run/NAME.{log,pid}
#   5. waits (bounded) for GET /readyz, creates an API token
#   6. writes .run/env (shell syntax, `export` lines):
#        FANOUT_URL, FANOUT_TOKEN, FAKE_DOUYIN_URL (and the live assistant's
#        FAKE_WEBCAST_URL, FAKE_TENCENT_*), FAKE_DOUYIN_SCAN (the
#        command that simulates the phone scan of the QR login:
#        `eval "$FAKE_DOUYIN_SCAN"`), DATABASE_URL, REDIS_URL, REDIS_ADDR,
#        CHROME_PATH, FANOUT_DATA_DIR, FANOUT_WORKER_METRICS_URL
#      Use it with:  . .run/env && curl -H "Authorization: Bearer $FANOUT_TOKEN" $FANOUT_URL/...
#
# FANOUT_SECRET_KEY is taken from the environment, else from .run/secret.key,
# which is generated once (and kept by `make down`, so stored cookies stay
# readable). The API listens on FANOUT_HTTP_ADDR if set, else 127.0.0.1:8080,
# or the first free port after it. The worker's Douyin base URL is always the
# fake site (this is a local/demo stack). If any step fails, the tail of the
# relevant log is printed and everything started is stopped again (set
# KEEP_ON_FAILURE=1 to leave it running for inspection).
#
#   deploy/up.sh                 start (restarts a stack that is still up)
#   deploy/up.sh --migrate-only  services + build api + migrate, then exit
#
# Knobs: UP_READY_TIMEOUT (seconds, default 90), FANOUT_DB (default fanout),
# plus every FANOUT_* variable of deploy/env.example.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=deploy/lib.sh
. deploy/lib.sh

run=$root/.run
ready_timeout=${UP_READY_TIMEOUT:-90}
mode=${1:-}
case $mode in '' | --migrate-only) ;; *) die "usage: $0 [--migrate-only]" ;; esac
command -v go >/dev/null || export PATH=$PATH:/usr/local/go/bin
command -v go >/dev/null || die "go not found (expected on PATH or in /usr/local/go/bin)"

mkdir -p "$run"

# show_log NAME: the tail of .run/NAME.log, framed
show_log() {
	local f=$run/$1.log
	[ -s "$f" ] || { printf '(%s is empty or missing)\n' "$f" >&2; return 0; }
	printf '%s---- last 40 lines of %s ----%s\n' "$_c_b" "$f" "$_c_0" >&2
	tail -n 40 "$f" >&2
	printf '%s---- end of %s ----%s\n' "$_c_b" "$f" "$_c_0" >&2
}

# fail LOGNAME MESSAGE
fail() {
	[ -n "$1" ] && show_log "$1"
	die "$2"
}

ok=0
on_exit() {
	local rc=$?
	[ "$ok" = 1 ] && return 0
	if [ -n "${KEEP_ON_FAILURE:-}" ]; then
		warn "up failed (exit $rc); KEEP_ON_FAILURE is set, leaving what started running (make down stops it)"
	else
		warn "up failed (exit $rc); stopping what was started"
		"$root/deploy/down.sh" || true
	fi
}
trap on_exit EXIT

# start_bg NAME CMD...: run CMD in the background in a session of its own
# (so down.sh can reach every child, e.g. Chromium), output to .run/NAME.log,
# pid to .run/NAME.pid. The pid is written by the process itself, then it
# execs CMD, so the pid is the binary's.
start_bg() {
	local name=$1 i
	shift
	[ -f "$run/$name.log" ] && mv -f "$run/$name.log" "$run/$name.log.prev"
	rm -f "$run/$name.pid"
	# shellcheck disable=SC2016 # $$ and $@ are for the inner bash
	setsid bash -c 'echo $$ >"$0"; exec "$@"' "$run/$name.pid" "$@" >"$run/$name.log" 2>&1 </dev/null &
	for ((i = 0; i < 50; i++)); do
		[ -s "$run/$name.pid" ] && break
		sleep 0.1
	done
	[ -s "$run/$name.pid" ] || fail "$name" "$name did not start"
	log "$name started (pid $(read_pid "$run/$name.pid"), log .run/$name.log)"
}

alive() { pid_alive "$(read_pid "$run/$1.pid")"; }

# ------------------------------------------------------------- previous run --
if [ -z "$mode" ]; then
	for n in worker api fakesites; do
		if alive "$n"; then
			log "a previous stack is still running; stopping it first"
			"$root/deploy/down.sh" --keep-services
			break
		fi
	done
fi

# ----------------------------------------------------------------- services --
section "services"
deploy/services.sh start "$run/services" "${FANOUT_DB:-fanout}" "$run/services.env" >/dev/null ||
	die "deploy/services.sh failed"
# shellcheck source=/dev/null
. "$run/services.env"
export DATABASE_URL REDIS_ADDR REDIS_URL CHROME_PATH
command -v curl >/dev/null || apt_install --no-install-recommends curl || die "curl is needed (apt-get install curl)"

# --------------------------------------------------------------- secret key --
if [ -z "${FANOUT_SECRET_KEY:-}" ]; then
	if [ ! -s "$run/secret.key" ]; then
		(umask 077 && head -c 32 /dev/urandom | base64 >"$run/secret.key")
		log "generated FANOUT_SECRET_KEY into .run/secret.key"
	fi
	FANOUT_SECRET_KEY=$(tr -d ' \n' <"$run/secret.key")
fi
export FANOUT_SECRET_KEY
export FANOUT_DATA_DIR=${FANOUT_DATA_DIR:-$run/data}
export FANOUT_SHUTDOWN_TIMEOUT=${FANOUT_SHUTDOWN_TIMEOUT:-10s}
mkdir -p "$FANOUT_DATA_DIR"

# -------------------------------------------------------------------- build --
section "build"
build() { # NAME PKG
	log "go build -o bin/fanout-$1 $2"
	go build -o "bin/fanout-$1" "$2" >"$run/build-$1.log" 2>&1 || fail "build-$1" "go build $2 failed"
}
build api ./api
if [ "$mode" != --migrate-only ]; then
	build worker ./worker
	build fakesites ./deploy/fakesites
	build demo ./deploy/demo
fi

# ------------------------------------------------------------------ migrate --
section "migrate"
timeout 120 bin/fanout-api migrate >"$run/migrate.log" 2>&1 || fail migrate "bin/fanout-api migrate failed"
log "migrations applied ($DATABASE_URL)"
if [ "$mode" = --migrate-only ]; then
	ok=1
	exit 0
fi

# ---------------------------------------------------------------- fakesites --
section "start"
rm -f "$run/fakesites.env"
start_bg fakesites bin/fanout-fakesites -douyin-addr 127.0.0.1:0 -env-file "$run/fakesites.env"
deadline=$((SECONDS + 20))
FAKE_DOUYIN_URL=''
while :; do
	if [ -s "$run/fakesites.env" ] && grep -q '^\(export \)\{0,1\}FAKE_DOUYIN_URL=' "$run/fakesites.env"; then
		# shellcheck source=/dev/null
		FAKE_DOUYIN_URL=$(. "$run/fakesites.env" && printf '%s' "${FAKE_DOUYIN_URL:-}")
		hp=${FAKE_DOUYIN_URL#*://}
		hp=${hp%%/*}
		[ -n "$FAKE_DOUYIN_URL" ] && tcp_open "${hp%:*}" "${hp##*:}" && break
	fi
	alive fakesites || fail fakesites "fanout-fakesites exited"
	[ "$SECONDS" -lt "$deadline" ] || fail fakesites "fanout-fakesites did not write FAKE_DOUYIN_URL to .run/fakesites.env within 20s"
	sleep 0.2
done
log "fake Douyin at $FAKE_DOUYIN_URL"
export FANOUT_DOUYIN_BASE_URL=$FAKE_DOUYIN_URL
# The live assistant talks to the fake webcast/passport endpoints (which also
# sign requests) and the fake Tencent Cloud API, with the fake's demo keys.
# Demo mode accepts the seed's test token "test_token" on the live routes:
# this is a local stack; never set it in production.
# shellcheck source=/dev/null
fake_env() { (. "$run/fakesites.env" && printf '%s' "${!1:-}"); }
# Every other platform's worker driver points at its fake creator site.
for p in KUAISHOU XIAOHONGSHU CHANNELS TIKTOK BILIBILI YOUTUBE BAIJIAHAO WEIBO; do
	u=$(fake_env "FAKE_${p}_URL")
	[ -n "$u" ] || fail fakesites "fanout-fakesites wrote no FAKE_${p}_URL"
	export "FANOUT_${p}_BASE_URL=$u"
done
export FANOUT_KUAISHOU_PASSPORT_URL=$FANOUT_KUAISHOU_BASE_URL
# Bilibili's passport and api hosts and Weibo's passport are the same fakes.
export FANOUT_BILIBILI_PASSPORT_URL=$FANOUT_BILIBILI_BASE_URL FANOUT_BILIBILI_API_URL=$FANOUT_BILIBILI_BASE_URL
export FANOUT_WEIBO_PASSPORT_URL=$FANOUT_WEIBO_BASE_URL
FAKE_WEBCAST_URL=$(fake_env FAKE_WEBCAST_URL)
[ -n "$FAKE_WEBCAST_URL" ] || fail fakesites "fanout-fakesites wrote no FAKE_WEBCAST_URL"
export FANOUT_LIVE_WEBCAST_URL=$FAKE_WEBCAST_URL FANOUT_LIVE_PASSPORT_URL=$FAKE_WEBCAST_URL FANOUT_LIVE_WEB_URL=$FAKE_WEBCAST_URL
export FANOUT_LIVE_SIGNER_URL=$FAKE_WEBCAST_URL/__fake__/sign FANOUT_LIVE_DEMO_MODE=true
# Everything of this local stack is on loopback, the demo's webhook receiver
# too; a deployment keeps the default (private webhook URLs refused).
export FANOUT_WEBHOOK_ALLOW_PRIVATE=${FANOUT_WEBHOOK_ALLOW_PRIVATE:-true}
FANOUT_TENCENT_API_URL=$(fake_env FAKE_TENCENT_URL)
FANOUT_TENCENT_SECRET_ID=$(fake_env FAKE_TENCENT_SECRET_ID)
FANOUT_TENCENT_SECRET_KEY=$(fake_env FAKE_TENCENT_SECRET_KEY)
export FANOUT_TENCENT_API_URL FANOUT_TENCENT_SECRET_ID FANOUT_TENCENT_SECRET_KEY
export FANOUT_TENCENT_PUSH_DOMAIN=${FANOUT_TENCENT_PUSH_DOMAIN:-push.fanout.test}
export FANOUT_TENCENT_PUSH_KEY=${FANOUT_TENCENT_PUSH_KEY:-fanout-demo-push-key}
export FANOUT_TENCENT_PLAY_DOMAIN=${FANOUT_TENCENT_PLAY_DOMAIN:-play.fanout.test}
log "fake webcast at $FAKE_WEBCAST_URL, fake Tencent API at $FANOUT_TENCENT_API_URL"

# ---------------------------------------------------------------------- api --
if [ -n "${FANOUT_HTTP_ADDR:-}" ]; then
	addr=$FANOUT_HTTP_ADDR
else
	port=8080
	tcp_open 127.0.0.1 "$port" && { port=$(free_port 127.0.0.1 8081 8199) || die "no free port in 8080-8199"; }
	addr=127.0.0.1:$port
fi
export FANOUT_HTTP_ADDR=$addr
host=${addr%:*} port=${addr##*:}
case $host in '' | 0.0.0.0 | '[::]' | '::') host=127.0.0.1 ;; esac
FANOUT_URL=http://$host:$port
start_bg api bin/fanout-api serve

# ------------------------------------------------------------------- worker --
# The worker's Prometheus metrics on a port of their own (FANOUT_METRICS_ADDR).
if [ -z "${FANOUT_METRICS_ADDR:-}" ]; then
	mport=$(free_port 127.0.0.1 9091 9199) || die "no free port in 9091-9199 for the worker's metrics"
	export FANOUT_METRICS_ADDR=127.0.0.1:$mport
fi
start_bg worker bin/fanout-worker

# -------------------------------------------------------------------- ready --
section "wait for readiness"
deadline=$((SECONDS + ready_timeout))
until curl -fsS -m 3 -o /dev/null "$FANOUT_URL/readyz" 2>/dev/null; do
	alive api || fail api "fanout-api exited before it was ready"
	alive worker || fail worker "fanout-worker exited"
	[ "$SECONDS" -lt "$deadline" ] || {
		curl -sS -m 3 "$FANOUT_URL/readyz" >&2 || true
		fail api "$FANOUT_URL/readyz not 200 after ${ready_timeout}s"
	}
	sleep 0.5
done
log "$FANOUT_URL/readyz is 200"
# The worker serves its metrics once its browser has started (the slow part
# of its start): wait for them, so the demo's first reading finds them.
until curl -fsS -m 3 -o /dev/null "http://$FANOUT_METRICS_ADDR/metrics" 2>/dev/null; do
	alive worker || fail worker "fanout-worker exited before it was ready"
	[ "$SECONDS" -lt "$deadline" ] || fail worker "the worker's http://$FANOUT_METRICS_ADDR/metrics not up after ${ready_timeout}s"
	sleep 0.5
done
log "worker is up (http://$FANOUT_METRICS_ADDR/metrics)"
alive worker || fail worker "fanout-worker exited"
alive fakesites || fail fakesites "fanout-fakesites exited"

# -------------------------------------------------------------------- token --
FANOUT_TOKEN=$(timeout 60 bin/fanout-api token create -name "up-$(date +%Y%m%d-%H%M%S)" 2>"$run/token.log") ||
	fail token "bin/fanout-api token create failed"
FANOUT_TOKEN=$(printf '%s' "$FANOUT_TOKEN" | tr -d '\r' | sed -e '/^[[:space:]]*$/d')
if [ -z "$FANOUT_TOKEN" ] || [ "$(printf '%s\n' "$FANOUT_TOKEN" | wc -l)" != 1 ]; then
	fail token "token create did not print exactly one token line"
fi

# ---------------------------------------------------------------- .run/env --
fake_vars=()
while IFS= read -r kv; do fake_vars+=("$kv"); done < <(
	# shellcheck source=/dev/null
	. "$run/fakesites.env" && for v in $(compgen -v FAKE_); do printf '%s=%s\n' "$v" "${!v}"; done
)
write_env "$run/env" \
	"# The local Fanout stack started by deploy/up.sh; \`make down\` stops it." \
	"FANOUT_URL=$FANOUT_URL" \
	"FANOUT_TOKEN=$FANOUT_TOKEN" \
	"${fake_vars[@]}" \
	"# Simulates the phone scan of the fake Douyin QR login: eval \"\$FAKE_DOUYIN_SCAN\"" \
	"FAKE_DOUYIN_SCAN=curl -fsS -X POST $FAKE_DOUYIN_URL/__fake__/scan" \
	"# The same for the other fake sites: curl -X POST \$FAKE_<PLATFORM>_URL/__fake__/scan" \
	"DATABASE_URL=$DATABASE_URL" \
	"REDIS_URL=$REDIS_URL" \
	"REDIS_ADDR=$REDIS_ADDR" \
	"CHROME_PATH=$CHROME_PATH" \
	"FANOUT_DATA_DIR=$FANOUT_DATA_DIR" \
	"# Prometheus: \$FANOUT_URL/metrics (api) and this (worker)" \
	"FANOUT_WORKER_METRICS_URL=http://$FANOUT_METRICS_ADDR/metrics"

ok=1
section "up"
cat <<EOF
Fanout is up.
  API        $FANOUT_URL   (healthz/readyz OK)
  fake sites $FAKE_DOUYIN_URL
  logs/pids  .run/{api,worker,fakesites}.{log,pid}
  env        .run/env     ->  . .run/env
               curl -H "Authorization: Bearer \$FANOUT_TOKEN" \$FANOUT_URL/healthz
               eval "\$FAKE_DOUYIN_SCAN"    # simulate the QR-code scan
  stop       make down
EOF
