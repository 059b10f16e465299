#!/usr/bin/env bash
# Throwaway OpenLDAP server holding the demo directory (directory/demo-directory.ldif),
# for the directory tests (.ci/run) and the openldap service of docker-compose.yml.
#
#   scripts/slapd.sh start    configure, start slapd in the background, load the LDIF, return
#   scripts/slapd.sh stop     stop it (by pid file) and wait until it is gone
#   scripts/slapd.sh status   exit 0 and print the URL if it runs, exit 3 if not
#   scripts/slapd.sh check    query it: memberOf is filled, user binds work, wrong passwords fail
#   scripts/slapd.sh run      like start, then stay in the foreground until SIGTERM/SIGINT
#                             (container entrypoint; slapd logs to stderr)
#
# Settings (environment):
#   SLAPD_PORT           TCP port (default 3890)
#   SLAPD_HOST           address to listen on (default 127.0.0.1; 0.0.0.0 in a container)
#   SLAPD_DIR            state directory: config, database, pid and log (default /tmp/smr-slapd);
#                        the database in it is wiped at every start
#   SLAPD_LDIF           entries to load (default directory/demo-directory.ldif of this checkout)
#   SLAPD_ROOT_PASSWORD  password of cn=admin,dc=hannover-stadt,dc=de (default: random, kept in
#                        SLAPD_DIR/rootpw, readable by the owner only)
#   SLAPD_DEBUG          slapd debug level for the log (default "stats": one line per operation)
#   SLAPD_BIN, SLAPD_SCHEMA_DIR, SLAPD_MODULE_DIR   paths of Debian's slapd package by default
#
# The config is slapd.conf style (not cn=config), generated from scripts/slapd/slapd.conf.template.
# Entries are added with ldapadd through the running server, not slapadd, so that the memberof
# overlay fills memberOf. This script installs nothing: it needs Debian's slapd and ldap-utils.
set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
TEMPLATE="$ROOT/scripts/slapd/slapd.conf.template"

PORT=${SLAPD_PORT:-3890}
HOST=${SLAPD_HOST:-127.0.0.1}
STATE_DIR=${SLAPD_DIR:-/tmp/smr-slapd}
LDIF=${SLAPD_LDIF:-$ROOT/directory/demo-directory.ldif}
DEBUG_LEVEL=${SLAPD_DEBUG:-stats}
SCHEMA_DIR=${SLAPD_SCHEMA_DIR:-/etc/ldap/schema}
MODULE_DIR=${SLAPD_MODULE_DIR:-/usr/lib/ldap}
SLAPD_BIN=${SLAPD_BIN:-$(command -v slapd || echo /usr/sbin/slapd)}
SLAPPASSWD_BIN=$(command -v slappasswd || echo /usr/sbin/slappasswd)

BASE_DN='dc=hannover-stadt,dc=de'
ROOT_DN="cn=admin,$BASE_DN"
SERVICE_DN="cn=portal,ou=services,$BASE_DN"
SERVICE_PW='demo-service'
PEOPLE_BASE="ou=people,$BASE_DN"

PID_FILE="$STATE_DIR/slapd.pid"
CONF="$STATE_DIR/slapd.conf"
LOG="$STATE_DIR/slapd.log"
ROOTPW_FILE="$STATE_DIR/rootpw"

# Clients always connect over loopback, also when slapd listens on every address.
client_host() { if [[ $HOST == 0.0.0.0 || $HOST == '*' ]]; then echo 127.0.0.1; else echo "$HOST"; fi; }
client_url() { echo "ldap://$(client_host):$(cat "$STATE_DIR/port" 2>/dev/null || echo "$PORT")"; }

log() { echo "slapd.sh: $*" >&2; }
die() { log "$*"; exit 1; }

# Is this pid a live slapd (not a zombie, not a reused pid)?
pid_alive() {
  local pid=$1 state
  kill -0 "$pid" 2>/dev/null || return 1
  state=$(awk '{print $3}' "/proc/$pid/stat" 2>/dev/null || echo '?')
  [[ $state != Z ]] || return 1
  [[ $(cat "/proc/$pid/comm" 2>/dev/null) == slapd* ]]
}

# The pid of the running slapd, if any.
running_pid() {
  local pid
  pid=$(tr -dc '0-9' 2>/dev/null <"$PID_FILE") || return 1
  [[ -n $pid ]] && pid_alive "$pid" || return 1
  echo "$pid"
}

require_tools() {
  local missing=()
  [[ -x $SLAPD_BIN ]] || missing+=("slapd ($SLAPD_BIN)")
  [[ -x $SLAPPASSWD_BIN ]] || missing+=("slappasswd")
  command -v ldapadd >/dev/null || missing+=("ldapadd (ldap-utils)")
  command -v ldapsearch >/dev/null || missing+=("ldapsearch (ldap-utils)")
  command -v ldapwhoami >/dev/null || missing+=("ldapwhoami (ldap-utils)")
  [[ -d $SCHEMA_DIR ]] || missing+=("schema directory $SCHEMA_DIR")
  ((${#missing[@]} == 0)) || die "missing: ${missing[*]} (install Debian's slapd and ldap-utils)"
  [[ -r $TEMPLATE ]] || die "template $TEMPLATE not found"
  [[ -r $LDIF ]] || die "LDIF $LDIF not found"
}

write_config() {
  local password hash conf
  password=${SLAPD_ROOT_PASSWORD:-$(head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n')}
  (umask 077 && printf '%s' "$password" >"$ROOTPW_FILE")
  hash=$("$SLAPPASSWD_BIN" -T "$ROOTPW_FILE" -h '{SSHA}')
  conf=$(<"$TEMPLATE")
  # Quoted replacements: no pattern characters (& / \) in the values are interpreted.
  conf=${conf//@SCHEMA_DIR@/"$SCHEMA_DIR"}
  conf=${conf//@MODULE_DIR@/"$MODULE_DIR"}
  conf=${conf//@STATE_DIR@/"$STATE_DIR"}
  conf=${conf//@ROOT_PW_HASH@/"$hash"}
  [[ $conf != *@[A-Z_]*@* ]] || die "unfilled placeholder in $TEMPLATE"
  (umask 077 && printf '%s\n' "$conf" >"$CONF")
}

wait_ready() {
  local pid=$1 url=$2 i
  for ((i = 0; i < 100; i++)); do
    if ldapsearch -x -LLL -o nettimeout=2 -H "$url" -b '' -s base '(objectClass=*)' namingContexts >/dev/null 2>&1; then
      return 0
    fi
    kill -0 "$pid" 2>/dev/null || { log "slapd exited during start-up; log:"; tail -n 40 "$LOG" >&2 || true; return 1; }
    sleep 0.1
  done
  log "slapd did not answer on $url within 10 s; log:"
  tail -n 40 "$LOG" >&2 || true
  return 1
}

# Starts slapd in the background and loads the LDIF; prints the URL. $1: where slapd logs.
do_start() {
  local logdest=$1 pid url
  if pid=$(running_pid); then
    if [[ $(cat "$STATE_DIR/port" 2>/dev/null) == "$PORT" ]]; then
      log "already running (pid $pid) on $(client_url)"
      client_url
      return 0
    fi
    die "already running (pid $pid) on $(client_url), not on port $PORT: stop it first"
  fi
  require_tools
  mkdir -p "$STATE_DIR"
  chmod 700 "$STATE_DIR"
  rm -rf "$STATE_DIR/data" "$PID_FILE" "$STATE_DIR/slapd.args"
  mkdir -p "$STATE_DIR/data"
  printf '%s\n' "$PORT" >"$STATE_DIR/port"
  write_config
  "$SLAPD_BIN" -Ttest -u -f "$CONF" >"$STATE_DIR/slaptest.out" 2>&1 ||
    { cat "$STATE_DIR/slaptest.out" >&2; die "invalid config $CONF"; }

  # -d keeps slapd in the foreground of this background job and sends its log to $logdest.
  if [[ $logdest == - ]]; then
    "$SLAPD_BIN" -d "$DEBUG_LEVEL" -f "$CONF" -h "ldap://$HOST:$PORT/" </dev/null &
  else
    : >"$logdest"
    "$SLAPD_BIN" -d "$DEBUG_LEVEL" -f "$CONF" -h "ldap://$HOST:$PORT/" </dev/null >>"$logdest" 2>&1 &
  fi
  pid=$!
  url=$(client_url)
  wait_ready "$pid" "$url" || { do_stop >/dev/null 2>&1 || kill -KILL "$pid" 2>/dev/null || true; return 1; }
  # slapd writes the pid file itself; fall back to the job's pid (the same process).
  [[ -s $PID_FILE ]] || printf '%s\n' "$pid" >"$PID_FILE"

  if ! ldapadd -x -H "$url" -D "$ROOT_DN" -y "$ROOTPW_FILE" -f "$LDIF" >"$STATE_DIR/ldapadd.out" 2>&1; then
    log "loading $LDIF failed:"
    cat "$STATE_DIR/ldapadd.out" >&2
    do_stop >/dev/null || true
    return 1
  fi
  log "running (pid $(running_pid || echo "$pid")) on $url with $(grep -c '^adding new entry' "$STATE_DIR/ldapadd.out") entries from $LDIF"
  echo "$url"
}

do_stop() {
  local pid i
  if ! pid=$(running_pid); then
    rm -f "$PID_FILE"
    log "not running"
    return 0
  fi
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 150; i++)); do
    pid_alive "$pid" || break
    sleep 0.1
  done
  if pid_alive "$pid"; then
    log "slapd (pid $pid) ignored SIGTERM for 15 s, killing it"
    kill -KILL "$pid" 2>/dev/null || true
    sleep 0.5
  fi
  rm -f "$PID_FILE"
  log "stopped (pid $pid)"
}

do_status() {
  local pid
  if pid=$(running_pid); then
    echo "running (pid $pid) on $(client_url), state in $STATE_DIR"
    return 0
  fi
  echo "not running"
  return 3
}

# Verifies what the app relies on; exits non-zero on the first failure.
do_check() {
  local url out
  running_pid >/dev/null || die "check: not running"
  url=$(client_url)
  out=$(ldapsearch -x -LLL -o ldif-wrap=no -H "$url" -D "$SERVICE_DN" -w "$SERVICE_PW" -b "$PEOPLE_BASE" \
    '(uid=leitung)' memberOf departmentNumber) || die "check: service account search failed"
  grep -qi "^memberOf: cn=smr-leitung,ou=groups,$BASE_DN\$" <<<"$out" ||
    die "check: uid=leitung has no memberOf cn=smr-leitung (memberof overlay?): $out"
  grep -q '^departmentNumber: 41$' <<<"$out" || die "check: departmentNumber of uid=leitung missing: $out"
  ldapwhoami -x -H "$url" -D "uid=redaktion,$PEOPLE_BASE" -w demo >/dev/null ||
    die "check: bind as uid=redaktion with the right password failed"
  if ldapwhoami -x -H "$url" -D "uid=redaktion,$PEOPLE_BASE" -w wrong-password >/dev/null 2>&1; then
    die "check: bind as uid=redaktion with a wrong password succeeded"
  fi
  if ldapsearch -x -LLL -H "$url" -D "$SERVICE_DN" -w "$SERVICE_PW" -b "$PEOPLE_BASE" '(uid=redaktion)' userPassword |
    grep -qi '^userPassword'; then
    die "check: userPassword is readable"
  fi
  if [[ -n $(ldapsearch -x -LLL -H "$url" -b "$PEOPLE_BASE" '(uid=*)' dn 2>/dev/null) ]]; then
    die "check: anonymous clients can read people"
  fi
  echo "check ok: memberOf filled, user bind works, wrong password refused, userPassword hidden, anonymous sees nothing ($url)"
}

do_run() {
  local pid
  do_start - >/dev/null
  pid=$(running_pid) || die "slapd is not running after start"
  trap 'do_stop; exit 0' TERM INT
  # Foreground until slapd ends (or a signal arrives: wait returns at once then).
  while running_pid >/dev/null; do
    wait "$pid" 2>/dev/null || true
  done
  die "slapd (pid $pid) exited"
}

case ${1:-} in
  start) do_start "$LOG" ;;
  stop) do_stop ;;
  status) do_status ;;
  check) do_check ;;
  run) do_run ;;
  restart) do_stop && do_start "$LOG" ;;
  *)
    echo "usage: $0 start|stop|status|check|run|restart" >&2
    exit 2
    ;;
esac
