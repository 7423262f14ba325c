#!/usr/bin/env bash
# Real servers for the integration tests, as plain processes on loopback, started and stopped by PID.
#
#   scripts/services.sh up [name...]     install what is missing, start what is not healthy, wait until ready
#   scripts/services.sh down [name...]   stop by PID (SIGTERM, then SIGKILL after a grace period)
#   scripts/services.sh status [name...] print health, PID, address, log of each server (exit 1 if one is down)
#   scripts/services.sh clean            down, then delete data dirs (next `up` starts from empty servers)
#
# Names: mysql (MariaDB), etcd, kafka (KRaft, Maven Central jars), registry (Apicurio, Confluent-compatible API).
# Everything lives in $DRAINER_SERVICES_DIR (default <repo>/.services/<name>/: pid, log, data, config).
# Jars are cached in $DRAINER_CACHE_DIR (default <repo>/.cache; Maven's own ~/.m2 sits behind it).
#
# Ports (all on 127.0.0.1), overridable by environment variables (packages/testkit/src/servers reads the same):
#   DRAINER_TEST_MYSQL_PORT=3306  DRAINER_TEST_ETCD_PORT=2379  DRAINER_TEST_ETCD_PEER_PORT=2380
#   DRAINER_TEST_KAFKA_PORT=9092  DRAINER_TEST_KAFKA_CONTROLLER_PORT=9093  DRAINER_TEST_REGISTRY_PORT=8081
set -euo pipefail

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
HOST=127.0.0.1
SVC_DIR="${DRAINER_SERVICES_DIR:-$ROOT/.services}"
CACHE_DIR="${DRAINER_CACHE_DIR:-$ROOT/.cache}"
MYSQL_PORT="${DRAINER_TEST_MYSQL_PORT:-3306}"
ETCD_PORT="${DRAINER_TEST_ETCD_PORT:-2379}"
ETCD_PEER_PORT="${DRAINER_TEST_ETCD_PEER_PORT:-2380}"
KAFKA_PORT="${DRAINER_TEST_KAFKA_PORT:-9092}"
KAFKA_CONTROLLER_PORT="${DRAINER_TEST_KAFKA_CONTROLLER_PORT:-9093}"
REGISTRY_PORT="${DRAINER_TEST_REGISTRY_PORT:-8081}"

KAFKA_VERSION=4.1.1 # keep in step with scripts/kafka/pom.xml
# 3.x needs Java 21 (class file 65); 2.6.x runs on Debian 12's Java 17 and has the same ccompat API.
APICURIO_VERSION=2.6.13.Final
MVN_DEP_PLUGIN=org.apache.maven.plugins:maven-dependency-plugin:3.8.1

ALL=(mysql etcd kafka registry)

log() { printf '[services] %s\n' "$*" >&2; }
die() { printf '[services] ERROR: %s\n' "$*" >&2; exit 1; }

# ---------- generic helpers ----------

port_open() { (exec 3<>"/dev/tcp/$HOST/$1") 2>/dev/null; }

pid_of() { local f="$SVC_DIR/$1/pid"; [ -s "$f" ] && cat "$f" || true; }

# Alive = running (not a zombie) and really ours: every launch names .services/<name>/ on its command line,
# so a stale PID file (e.g. after a reboot) never makes us signal an unrelated process.
pid_alive() {
  local p; p="$(pid_of "$1")"
  [ -n "$p" ] && [ -r "/proc/$p/cmdline" ] || return 1
  [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" != Z ] || return 1
  tr '\0' ' ' <"/proc/$p/cmdline" | grep -qF "$SVC_DIR/$1/"
}

port_of() {
  case "$1" in
    mysql) echo "$MYSQL_PORT" ;; etcd) echo "$ETCD_PORT" ;; kafka) echo "$KAFKA_PORT" ;; registry) echo "$REGISTRY_PORT" ;;
    *) die "unknown service '$1' (known: ${ALL[*]})" ;;
  esac
}

# Protocol-level health: the port answers like the server we expect, whoever started it.
healthy() {
  case "$1" in
    mysql) mariadb-admin --no-defaults --protocol=tcp -h"$HOST" -P"$MYSQL_PORT" -uroot --connect-timeout=2 ping >/dev/null 2>&1 ;;
    etcd) curl -fsS -m 2 "http://$HOST:$ETCD_PORT/health" 2>/dev/null | grep -q '"health":"true"' ;;
    # a bare TCP check: asking Kafka for metadata needs a client; `up` also waits for the broker's "started" log line
    kafka) port_open "$KAFKA_PORT" ;;
    registry) curl -fsS -m 2 "http://$HOST:$REGISTRY_PORT/apis/ccompat/v7/subjects" >/dev/null 2>&1 ;;
  esac
}

# Launch a daemon in its own session (so a test runner's process group kill does not take it down),
# with stdout+stderr to .services/<name>/log and its PID in .services/<name>/pid.
launch() {
  local name="$1"; shift
  local dir="$SVC_DIR/$name"
  mkdir -p "$dir"
  [ -f "$dir/log" ] && mv -f "$dir/log" "$dir/log.prev"
  # A stale PID file (e.g. of a killed server) must not be mistaken for the new process's.
  rm -f "$dir/pid"
  # `exec` keeps the PID written by the wrapper shell, whether or not setsid had to fork.
  # fd 9 (the flock) is closed so a daemon never holds the lock of the script that started it.
  setsid bash -c 'echo $$ > "$0"; exec "$@"' "$dir/pid" "$@" </dev/null >"$dir/log" 2>&1 9>&- &
  local i
  for i in $(seq 1 50); do [ -s "$dir/pid" ] && return 0; sleep 0.05; done
  die "$name: no PID file after launch"
}

# wait_ready NAME TIMEOUT_S: until `healthy` (and the extra readiness probe, if any) or the process dies.
wait_ready() {
  local name="$1" timeout="$2" start=$SECONDS
  while ! { healthy "$name" && extra_ready "$name"; }; do
    if ! pid_alive "$name"; then
      tail -n 40 "$SVC_DIR/$name/log" >&2 || true
      die "$name exited during start-up; log: $SVC_DIR/$name/log"
    fi
    if (( SECONDS - start > timeout )); then
      tail -n 40 "$SVC_DIR/$name/log" >&2 || true
      die "$name not ready after ${timeout}s; log: $SVC_DIR/$name/log"
    fi
    sleep 0.2
  done
  log "$name ready in $((SECONDS - start))s (pid $(pid_of "$name"))"
}

extra_ready() {
  case "$1" in
    kafka) grep -q 'Kafka Server started' "$SVC_DIR/kafka/log" 2>/dev/null ;;
    *) return 0 ;;
  esac
}

stop_pid() {
  local name="$1" p
  p="$(pid_of "$name")"
  if ! pid_alive "$name"; then
    rm -f "$SVC_DIR/$name/pid"
    log "$name: not running"
    return 0
  fi
  kill -TERM "$p" 2>/dev/null || true
  # Kafka's controlled shutdown takes a few seconds; MariaDB flushes InnoDB.
  local i
  for i in $(seq 1 200); do pid_alive "$name" || break; sleep 0.1; done
  if pid_alive "$name"; then
    log "$name: pid $p ignored SIGTERM for 20s, sending SIGKILL"
    kill -KILL "$p" 2>/dev/null || true
    for i in $(seq 1 50); do pid_alive "$name" || break; sleep 0.1; done
  fi
  rm -f "$SVC_DIR/$name/pid"
  log "$name: stopped (pid $p)"
}

# apt-get update only when a package is missing (the lists may be absent or stale on a fresh machine).
APT_UPDATED=0
ensure_pkgs() {
  local missing=() p
  for p in "$@"; do dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p"); done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing ${missing[*]} (apt)"
  if [ "$APT_UPDATED" = 0 ]; then apt-get update -qq >&2; APT_UPDATED=1; fi
  # policy-rc.d on this image blocks auto-start; the env var also keeps debconf quiet.
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
}

# mvn LOG ARGS...: output to LOG (Maven prints colour codes even in batch mode), shown only when it fails.
mvn_quiet() {
  local logf="$1"; shift
  mkdir -p "$(dirname "$logf")"
  # One retry: a transient registry error on a cold machine should not fail a whole CI run.
  mvn -B -Dstyle.color=never "$@" >"$logf" 2>&1 && return 0
  log "mvn failed once (log $logf); retrying"
  mvn -B -Dstyle.color=never "$@" >"$logf" 2>&1 && return 0
  grep -E 'ERROR|BUILD' "$logf" | head -n 20 >&2
  return 1
}

ensure_java() {
  command -v java >/dev/null && command -v mvn >/dev/null && return 0
  ensure_pkgs openjdk-17-jre-headless maven
}

# ---------- MariaDB ----------

up_mysql() {
  ensure_pkgs mariadb-server mariadb-client
  local dir="$SVC_DIR/mysql"
  mkdir -p "$dir"
  if [ ! -d "$dir/data/mysql" ]; then
    log "mysql: initialising datadir $dir/data"
    rm -rf "$dir/data"
    mariadb-install-db --no-defaults --basedir=/usr --user=root --datadir="$dir/data" \
      --auth-root-authentication-method=normal --skip-test-db >"$dir/install.log" 2>&1 \
      || { cat "$dir/install.log" >&2; die "mysql: mariadb-install-db failed"; }
  fi
  # --no-defaults must come first: keeps /etc/mysql/*.cnf (socket, bind address) out of the way.
  # --user=root: mariadbd refuses to run as root otherwise.
  launch mysql mariadbd --no-defaults --basedir=/usr --user=root --datadir="$dir/data" \
    --socket="$dir/mysqld.sock" --pid-file="$dir/mysqld.pid" --port="$MYSQL_PORT" --bind-address="$HOST" \
    --skip-log-bin --character-set-server=utf8mb4 --collation-server=utf8mb4_bin \
    --innodb-buffer-pool-size=128M `# tests hold little data; keeps RSS ~200 MB on a shared 2-core box` \
    --innodb-flush-log-at-trx-commit=2 `# test data need not survive an OS crash; fsync per commit is slow here` \
    --max-connections=500 `# several test files and sink pools connect at once`
  wait_ready mysql 60
  # Belt and braces: TCP root without password, whatever install-db created (socket as OS root always works).
  mariadb --no-defaults --socket="$dir/mysqld.sock" -uroot -e "
    CREATE USER IF NOT EXISTS 'root'@'127.0.0.1' IDENTIFIED BY '';
    GRANT ALL PRIVILEGES ON *.* TO 'root'@'127.0.0.1' WITH GRANT OPTION;
    CREATE DATABASE IF NOT EXISTS test;" \
    || die "mysql: could not set up root@127.0.0.1"
}

# ---------- etcd ----------

up_etcd() {
  ensure_pkgs etcd-server etcd-client
  local dir="$SVC_DIR/etcd"
  mkdir -p "$dir"
  launch etcd etcd --name drainer-test --data-dir "$dir/data" \
    --listen-client-urls "http://$HOST:$ETCD_PORT" --advertise-client-urls "http://$HOST:$ETCD_PORT" \
    --listen-peer-urls "http://$HOST:$ETCD_PEER_PORT" --initial-advertise-peer-urls "http://$HOST:$ETCD_PEER_PORT" \
    --initial-cluster "drainer-test=http://$HOST:$ETCD_PEER_PORT" --initial-cluster-state new \
    --logger zap --log-outputs stderr --log-level warn
  wait_ready etcd 30
}

# ---------- Kafka (KRaft) ----------

kafka_lib() { echo "$CACHE_DIR/kafka-$KAFKA_VERSION/lib"; }

ensure_kafka_jars() {
  local lib; lib="$(kafka_lib)"
  [ -f "$lib/.complete" ] && return 0
  ensure_java
  log "kafka: fetching Kafka $KAFKA_VERSION jars from Maven Central into $lib"
  rm -rf "$lib"; mkdir -p "$lib"
  mvn_quiet "$SVC_DIR/kafka/mvn.log" -f "$ROOT/scripts/kafka/pom.xml" "$MVN_DEP_PLUGIN:copy-dependencies" \
    -DincludeScope=runtime -DoutputDirectory="$lib" || die "kafka: mvn copy-dependencies failed"
  [ -f "$lib/kafka_2.13-$KAFKA_VERSION.jar" ] || die "kafka: kafka_2.13-$KAFKA_VERSION.jar missing after mvn"
  touch "$lib/.complete"
}

write_kafka_config() {
  local dir="$1"
  cat >"$dir/server.properties" <<EOF
# generated by scripts/services.sh on each start
process.roles=broker,controller
node.id=1
# a static quorum: StorageTool format then needs no --standalone
controller.quorum.voters=1@$HOST:$KAFKA_CONTROLLER_PORT
listeners=PLAINTEXT://$HOST:$KAFKA_PORT,CONTROLLER://$HOST:$KAFKA_CONTROLLER_PORT
advertised.listeners=PLAINTEXT://$HOST:$KAFKA_PORT
controller.listener.names=CONTROLLER
inter.broker.listener.name=PLAINTEXT
listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT
log.dirs=$dir/data
auto.create.topics.enable=true
num.partitions=1
default.replication.factor=1
# single broker: internal topics must have RF 1 or groups and transactions never become available
offsets.topic.replication.factor=1
transaction.state.log.replication.factor=1
transaction.state.log.min.isr=1
share.coordinator.state.topic.replication.factor=1
share.coordinator.state.topic.min.isr=1
# the defaults (50 each) make the first group join and first transaction slow on 2 cores
offsets.topic.num.partitions=3
transaction.state.log.num.partitions=3
# no 3 s wait for more members on every test consumer group
group.initial.rebalance.delay.ms=0
num.network.threads=2
num.io.threads=2
num.recovery.threads.per.data.dir=1
EOF
  cat >"$dir/log4j2.properties" <<'EOF'
status = warn
appender.out.type = Console
appender.out.name = STDOUT
appender.out.layout.type = PatternLayout
appender.out.layout.pattern = [%d] %p %m (%c)%n
rootLogger.level = WARN
rootLogger.appenderRef.out.ref = STDOUT
# the readiness line "Kafka Server started" is logged here at INFO
logger.started.name = kafka.server.KafkaRaftServer
logger.started.level = INFO
EOF
}

up_kafka() {
  ensure_kafka_jars
  local dir="$SVC_DIR/kafka" lib; lib="$(kafka_lib)"
  mkdir -p "$dir"
  write_kafka_config "$dir"
  local logopt="-Dlog4j2.configurationFile=$dir/log4j2.properties"
  if [ ! -f "$dir/data/meta.properties" ]; then
    [ -s "$dir/cluster-id" ] || node -e "process.stdout.write(require('crypto').randomBytes(16).toString('base64url'))" >"$dir/cluster-id"
    log "kafka: formatting $dir/data (cluster id $(cat "$dir/cluster-id"))"
    rm -rf "$dir/data"
    java -Xmx256m -XX:TieredStopAtLevel=1 "$logopt" -cp "$lib/*" kafka.tools.StorageTool format \
      -t "$(cat "$dir/cluster-id")" -c "$dir/server.properties" >"$dir/format.log" 2>&1 \
      || { cat "$dir/format.log" >&2; die "kafka: StorageTool format failed"; }
  fi
  # Heap: 512 MB is ample for tests (the scripts' default is 1 GB) and leaves room on a shared box.
  launch kafka java -Xms256m -Xmx512m -XX:+UseG1GC -XX:MaxGCPauseMillis=20 -Djava.awt.headless=true \
    -Dkafka.logs.dir="$dir" "$logopt" -cp "$lib/*" kafka.Kafka "$dir/server.properties"
  wait_ready kafka 120
}

# ---------- Schema registry (Apicurio, Confluent-compatible API) ----------

apicurio_home() { echo "$CACHE_DIR/apicurio-$APICURIO_VERSION"; }
# 2.x archives hold a legacy runner jar + lib/, 3.x a Quarkus fast-jar (quarkus-run.jar): start whichever is there.
apicurio_jar() { find "$(apicurio_home)" -maxdepth 2 \( -name '*-runner.jar' -o -name quarkus-run.jar \) -print -quit; }

ensure_apicurio() {
  local home; home="$(apicurio_home)"
  [ -f "$home/.complete" ] && return 0
  ensure_java
  log "registry: fetching Apicurio Registry $APICURIO_VERSION from Maven Central into $home"
  rm -rf "$home"; mkdir -p "$home"
  # One artifact, no transitive resolution: the app's own POM dependencies are not all served.
  mvn_quiet "$SVC_DIR/registry/mvn.log" "$MVN_DEP_PLUGIN:copy" -Dartifact="io.apicurio:apicurio-registry-app:$APICURIO_VERSION:tar.gz:all" \
    -DoutputDirectory="$home" || die "registry: mvn copy of apicurio-registry-app failed"
  tar xzf "$home/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz" -C "$home"
  rm -f "$home/apicurio-registry-app-$APICURIO_VERSION-all.tar.gz"
  [ -n "$(apicurio_jar)" ] || die "registry: no runner jar found in $home"
  touch "$home/.complete"
}

up_registry() {
  ensure_apicurio
  local jar; jar="$(apicurio_jar)"
  # In-memory H2 storage (the default): every restart starts empty, which suits tests.
  # -Ddrainer.service.dir marks the process as ours (see pid_alive).
  launch registry java -Xms64m -Xmx384m -XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true \
    -Ddrainer.service.dir="$SVC_DIR/registry/" \
    -Dquarkus.http.host="$HOST" -Dquarkus.http.port="$REGISTRY_PORT" -jar "$jar"
  wait_ready registry 120
}

# ---------- commands ----------

up_one() {
  local name="$1" port; port="$(port_of "$name")"
  if healthy "$name"; then
    if pid_alive "$name"; then return 0; fi
    log "$name: something not started by this script already serves $HOST:$port; using it"
    return 0
  fi
  if pid_alive "$name"; then
    # A live process that does not answer: stuck or still starting; give it a moment, then restart it.
    if ( wait_ready "$name" 20 ) 2>/dev/null; then return 0; fi
    log "$name: pid $(pid_of "$name") is alive but not healthy; restarting it"
    stop_pid "$name"
  fi
  if port_open "$port"; then die "$name: port $HOST:$port is taken by another program (set DRAINER_TEST_*_PORT)"; fi
  "up_$name"
}

print_where() {
  local name
  for name in "$@"; do
    printf '  %-8s %s:%-5s pid %-7s log %s\n' "$name" "$HOST" "$(port_of "$name")" "$(pid_of "$name" || true)" "$SVC_DIR/$name/log"
  done
}

cmd_up() {
  local name start=$SECONDS
  command -v curl >/dev/null || ensure_pkgs curl # health checks of etcd and the registry
  for name in "$@"; do up_one "$name"; done
  log "all up in $((SECONDS - start))s; PIDs and logs under $SVC_DIR/<name>/"
  print_where "$@" >&2
  case " $* " in *" registry "*) log "schema registry (Confluent-compatible): http://$HOST:$REGISTRY_PORT/apis/ccompat/v7" ;; esac
}

cmd_down() {
  local name
  for name in "$@"; do stop_pid "$name"; done
}

cmd_status() {
  local name bad=0 state
  for name in "$@"; do
    if healthy "$name"; then state=healthy; else state=DOWN; bad=1; fi
    pid_alive "$name" || { [ "$state" = healthy ] && state="healthy (not ours)"; }
    printf '%-8s %-19s %s:%-5s pid %-7s log %s\n' "$name" "$state" "$HOST" "$(port_of "$name")" \
      "$(pid_alive "$name" && pid_of "$name" || echo -)" "$SVC_DIR/$name/log"
  done
  return $bad
}

main() {
  local cmd="${1:-status}"; shift || true
  local names=("$@"); [ ${#names[@]} -eq 0 ] && names=("${ALL[@]}")
  local n; for n in "${names[@]}"; do port_of "$n" >/dev/null; done
  mkdir -p "$SVC_DIR"
  case "$cmd" in
    up|down|clean)
      # Several engineers and test runs call `up` at once: one at a time, the others then see healthy servers.
      exec 9>"$SVC_DIR/.lock"
      flock -w 900 9 || die "another services.sh held $SVC_DIR/.lock for 15 minutes"
      case "$cmd" in
        up) cmd_up "${names[@]}" ;;
        down) cmd_down "${names[@]}" ;;
        clean) cmd_down "${names[@]}"; for n in "${names[@]}"; do rm -rf "${SVC_DIR:?}/$n"; done; log "data removed" ;;
      esac ;;
    status) cmd_status "${names[@]}" ;;
    *) die "usage: $0 up|down|status|clean [mysql|etcd|kafka|registry ...]" ;;
  esac
}

main "$@"
