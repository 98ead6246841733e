# Shared by start, stop and status (sourced, not run). Parses the common options and names
# the files one server instance uses; an instance is identified by its port.
#   --port N      Bolt port (default 7687)          --host H   listen address (default 127.0.0.1)
#   --data DIR    database home (default run/data)  --log F    log file (default run/neo4j-PORT.log)
#   --timeout S   start: seconds to wait for readiness (default 120)
# Environment: NEO4J_PASSWORD (start: required), NEO4J_RUN_DIR (default: run/ beside this file),
#   NEO4J_HEAP (default 1g), NEO4J_PAGECACHE (default 256m), NEO4J_JAVA_OPTS (extra JVM options),
#   NEO4J_TX_TIMEOUT (default 120s) and NEO4J_TX_MEMORY (default 512m): the server terminates a
#   transaction running longer or holding more memory than that.

NEO4J_HOME_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
RUN_DIR="${NEO4J_RUN_DIR:-$NEO4J_HOME_DIR/run}"
JAR="$NEO4J_HOME_DIR/target/neo4j-server.jar"
MAIN_CLASS="org.policykg.neo4jserver.Main"

PORT=7687
HOST=127.0.0.1
DATA=""
LOG=""
TIMEOUT=120

die() { echo "neo4j: $*" >&2; exit 1; }

parse_options() {
    while [ $# -gt 0 ]; do
        case "$1" in
            --port) PORT="${2:?--port needs a value}"; shift 2 ;;
            --port=*) PORT="${1#--port=}"; shift ;;
            --host) HOST="${2:?--host needs a value}"; shift 2 ;;
            --data) DATA="${2:?--data needs a value}"; shift 2 ;;
            --data=*) DATA="${1#--data=}"; shift ;;
            --log) LOG="${2:?--log needs a value}"; shift 2 ;;
            --log=*) LOG="${1#--log=}"; shift ;;
            --timeout) TIMEOUT="${2:?--timeout needs a value}"; shift 2 ;;
            -h|--help) sed -n '2,10p' "$NEO4J_HOME_DIR/lib.sh" | sed 's/^# \{0,1\}//'; exit 0 ;;
            *) die "unknown option $1 (options: --port N --data DIR --log FILE --host H --timeout S)" ;;
        esac
    done
    case "$PORT" in ''|*[!0-9]*) die "--port must be a number, got '$PORT'" ;; esac
    DATA="${DATA:-$RUN_DIR/data}"
    LOG="${LOG:-$RUN_DIR/neo4j-$PORT.log}"
    PID_FILE="$RUN_DIR/neo4j-$PORT.pid"
    BOLT_URL="bolt://$HOST:$PORT"
}

# The pid of our server for this port, or nothing. A pid file whose process is gone, or is
# some other program (pids get reused), is ignored.
server_pid() {
    [ -f "$PID_FILE" ] || return 0
    local pid
    pid="$(tr -dc '0-9' < "$PID_FILE")"
    [ -n "$pid" ] || return 0
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "neo4j-server.jar"; then
        echo "$pid"
    fi
}

port_open() {
    (exec 3<>"/dev/tcp/$HOST/$PORT") 2>/dev/null
}
