# shellcheck shell=bash
# Helpers shared by deploy/*.sh and .ci/run. Source it; it defines functions
# only and changes no state.

if [ -t 2 ] && [ -z "${NO_COLOR:-}" ]; then
	_c_b=$'\033[1m' _c_r=$'\033[31m' _c_y=$'\033[33m' _c_0=$'\033[0m'
else
	_c_b='' _c_r='' _c_y='' _c_0=''
fi
_me=${0##*/}

log() { printf '%s[%s]%s %s\n' "$_c_b" "$_me" "$_c_0" "$*" >&2; }
warn() { printf '%s[%s] WARNING:%s %s\n' "$_c_y" "$_me" "$_c_0" "$*" >&2; }
die() {
	printf '%s[%s] ERROR:%s %s\n' "$_c_r" "$_me" "$_c_0" "$*" >&2
	exit 1
}
section() { printf '\n%s==== %s ====%s\n' "$_c_b" "$*" "$_c_0"; }

is_root() { [ "$(id -u)" = 0 ]; }

# tcp_open HOST PORT: something accepts TCP connections there.
tcp_open() {
	(exec 3<>"/dev/tcp/$1/$2") 2>/dev/null
}

# redis_ping HOST PORT: a Redis server answers PING with PONG (no redis-cli
# needed).
redis_ping() {
	local reply=''
	# shellcheck disable=SC2034
	reply=$(
		exec 2>/dev/null
		exec 3<>"/dev/tcp/$1/$2" || exit 1
		printf 'PING\r\n' >&3
		IFS= read -r -t 2 line <&3 || exit 1
		printf '%s' "$line"
	) || return 1
	[ "${reply%$'\r'}" = "+PONG" ]
}

# free_port HOST FIRST LAST: print the first port in [FIRST, LAST] where
# nothing listens.
free_port() {
	local p
	for ((p = $2; p <= $3; p++)); do
		if ! tcp_open "$1" "$p"; then
			echo "$p"
			return 0
		fi
	done
	return 1
}

# pid_alive PID: the process exists (and is not a zombie).
pid_alive() {
	local pid=$1 state
	[ -n "$pid" ] && kill -0 "$pid" 2>/dev/null || return 1
	state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null) || return 0
	[ "$state" != Z ]
}

# read_pid FILE: the pid in FILE (first line), or nothing.
read_pid() {
	[ -f "$1" ] || return 0
	head -n1 "$1" | tr -dc '0-9'
}

# wait_gone PID SECONDS: wait until PID exits; 1 if it is still there.
wait_gone() {
	local pid=$1 deadline=$((SECONDS + $2))
	while pid_alive "$pid"; do
		[ "$SECONDS" -ge "$deadline" ] && return 1
		sleep 0.2
	done
	return 0
}

# apt_install [APT-OPTION...] PKG...: `apt-get install -y` as root, running
# apt-get update at most once per $APT_UPDATED_STAMP (a file; default: once
# per calling process).
apt_install() {
	is_root || return 1
	command -v apt-get >/dev/null || return 1
	export DEBIAN_FRONTEND=noninteractive
	local stamp=${APT_UPDATED_STAMP:-}
	if [ -z "$stamp" ] || [ ! -e "$stamp" ]; then
		if [ -z "${_apt_updated:-}" ]; then
			log "apt-get update"
			apt-get update -qq >&2 || return 1
			_apt_updated=1
			[ -n "$stamp" ] && : >"$stamp"
		fi
	fi
	log "apt-get install -y $*"
	apt-get install -y -qq "$@" >&2
}

# find_chrome: print CHROME_PATH if set and executable, else the first
# Chromium-like binary on PATH.
find_chrome() {
	local c
	if [ -n "${CHROME_PATH:-}" ]; then
		[ -x "$CHROME_PATH" ] && { echo "$CHROME_PATH"; return 0; }
		c=$(command -v "$CHROME_PATH" 2>/dev/null) && { echo "$c"; return 0; }
		return 1
	fi
	for c in chromium chromium-browser google-chrome google-chrome-stable headless-shell; do
		if command -v "$c" >/dev/null 2>&1; then
			command -v "$c"
			return 0
		fi
	done
	return 1
}

# shq VALUE: VALUE quoted for a POSIX shell (single quotes).
shq() { printf "'%s'" "${1//\'/\'\\\'\'}"; }

# write_env FILE KEY=VALUE...: write shell-syntax `export KEY='VALUE'` lines
# atomically (mode 600).
write_env() {
	local file=$1 tmp kv
	shift
	tmp=$(mktemp "$file.XXXXXX")
	{
		printf '# Written by %s on %s. Load with: . %s\n' "$_me" "$(date -u +%FT%TZ)" "$file"
		for kv in "$@"; do
			case $kv in
			'#'*) printf '%s\n' "$kv" ;;
			*) printf 'export %s=%s\n' "${kv%%=*}" "$(shq "${kv#*=}")" ;;
			esac
		done
	} >"$tmp"
	chmod 600 "$tmp"
	mv -f "$tmp" "$file"
}
