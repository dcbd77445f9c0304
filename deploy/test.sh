#!/usr/bin/env bash
# The test command (`make test`): go vet, the gofmt check and every test
# against real Postgres, Redis and headless Chromium. On a machine that has
# only Go and apt it provisions them first, the way `make demo` does
# (deploy/services.sh: the running Redis on 6379 and Postgres on 5432 when
# they answer, else private ones; Chromium from apt when missing; the
# database `test`), and stops what it started when done. When
# TEST_DATABASE_URL, TEST_REDIS_ADDR and CHROME_PATH are all given (.ci/run
# gives them) it uses those as they are.
#
#   deploy/test.sh [go test flags…]      default: -count=1 -p 2 -timeout 12m
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."
export PATH=$PATH:/usr/local/go/bin
# shellcheck source=deploy/lib.sh
. deploy/lib.sh

if [ -z "${TEST_DATABASE_URL:-}" ] || [ -z "${TEST_REDIS_ADDR:-}" ] || [ -z "${CHROME_PATH:-}" ]; then
	state=$(pwd)/.run/test-services
	mkdir -p "$state"
	trap 'deploy/services.sh stop "$state" >/dev/null 2>&1 || true' EXIT
	deploy/services.sh start "$state" test "$state/services.env" >/dev/null
	# shellcheck source=/dev/null
	. "$state/services.env"
	export TEST_DATABASE_URL=${TEST_DATABASE_URL:-$DATABASE_URL} TEST_REDIS_ADDR=${TEST_REDIS_ADDR:-$REDIS_ADDR} CHROME_PATH
	echo "test services: postgres $TEST_DATABASE_URL, redis $TEST_REDIS_ADDR, chromium $CHROME_PATH"
fi

go vet ./...
files=$(gofmt -l .)
if [ -n "$files" ]; then
	echo "gofmt needed on:"
	echo "$files"
	exit 1
fi
echo "gofmt: ok"
if [ $# -eq 0 ]; then
	set -- -count=1 -p 2 -timeout 12m
fi
# The longest packages first (go test starts them in the order given), so
# two run side by side to the end instead of the last long one alone.
mod=$(go list -m)
first=(worker deploy/chaos pkg/platform/channels pkg/platform/xiaohongshu pkg/platform/douyin
	pkg/platform/kuaishou pkg/platform/baijiahao pkg/platform/weibo pkg/platform/tiktok pkg/platform/youtube)
pkgs=()
for p in "${first[@]}"; do pkgs+=("$mod/$p"); done
while read -r p; do
	case " ${pkgs[*]} " in *" $p "*) ;; *) pkgs+=("$p") ;; esac
done < <(go list ./...)
go test "$@" "${pkgs[@]}"
