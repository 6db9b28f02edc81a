#!/usr/bin/env bash
# A real one-node SLURM cluster on this machine, for CI and for trying
# profiles/slurm locally.  Usage:
#
#   .ci/slurm.sh start    install (if missing) and start munged, slurmctld, slurmd;
#                         wait until the node is idle
#   .ci/slurm.sh stop     cancel this cluster's jobs, kill exactly the daemons we started
#   .ci/slurm.sh status   exit 0 if the cluster answers and the node is usable
#   .ci/slurm.sh env      print `export SLURM_CONF=...` (for shells where
#                         /etc/slurm/slurm.conf is not ours)
#
# Environment (all optional):
#   XSTILTS_SLURM_DIR        state directory            [/tmp/xstilts-slurm]
#   XSTILTS_SLURM_PARTITION  partition name             [xstilts]  (must match profiles/slurm)
#   XSTILTS_SLURM_PORT       slurmctld port; slurmd uses PORT+1  [6817]
#   XSTILTS_SLURM_TIMEOUT    seconds to wait for the node to become idle  [60]
#
# No systemd here, so the daemons are started by hand; each writes a PID file
# under $XSTILTS_SLURM_DIR/run and `stop` kills only those PIDs.  Needs root
# (apt-get, munge user switch, slurmd).  Debian bookworm ships slurm 22.05.
set -euo pipefail

STATE="${XSTILTS_SLURM_DIR:-/tmp/xstilts-slurm}"
PARTITION="${XSTILTS_SLURM_PARTITION:-xstilts}"
PORT="${XSTILTS_SLURM_PORT:-6817}"
TIMEOUT="${XSTILTS_SLURM_TIMEOUT:-60}"
CLUSTER="xstilts"
CONF="$STATE/etc/slurm.conf"
RUN="$STATE/run"
LOGS="$STATE/log"
MUNGE_DIR="$STATE/munge"
MUNGE_SOCKET="$MUNGE_DIR/munge.socket.2"
# Clients (sbatch, sinfo, snakemake's plugin, the jobs) find the cluster through
# the standard path; we only claim it when it is free or already ours.
ETC_CONF="/etc/slurm/slurm.conf"
MARKER="# xstilts-ci-slurm"

log() { printf '[slurm.sh] %s\n' "$*" >&2; }
die() { printf '[slurm.sh] ERROR: %s\n' "$*" >&2; exit 1; }

export SLURM_CONF="$CONF"

install_packages() {
    local missing=()
    command -v slurmctld >/dev/null || missing+=(slurmctld)
    command -v slurmd >/dev/null || missing+=(slurmd)
    command -v sbatch >/dev/null || missing+=(slurm-client)
    command -v munged >/dev/null || missing+=(munge)
    [ "${#missing[@]}" -eq 0 ] && return 0
    [ "$(id -u)" -eq 0 ] || die "need root to apt-get install ${missing[*]}"
    log "installing ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    # Try from the existing package lists first; update only if that fails.
    if ! apt-get install -y --no-install-recommends "${missing[@]}" >"$LOGS/apt.log" 2>&1; then
        apt-get update >>"$LOGS/apt.log" 2>&1 || { tail -20 "$LOGS/apt.log" >&2; die "apt-get update failed"; }
        apt-get install -y --no-install-recommends "${missing[@]}" >>"$LOGS/apt.log" 2>&1 \
            || { tail -20 "$LOGS/apt.log" >&2; die "apt-get install ${missing[*]} failed"; }
    fi
}

# pid_alive NAME: true if $RUN/NAME.pid names a live process whose command is NAME
# (guards against a recycled PID from an older run).
pid_alive() {
    local name="$1" pidfile="$RUN/$1.pid" pid comm
    [ -s "$pidfile" ] || return 1
    pid="$(tr -dc '0-9' <"$pidfile")"
    [ -n "$pid" ] || return 1
    comm="$(cat "/proc/$pid/comm" 2>/dev/null || true)"
    [ "$comm" = "$name" ]
}

read_pid() { tr -dc '0-9' <"$RUN/$1.pid"; }

# wait_for_file PATH SECONDS
wait_for_file() {
    local i
    for ((i = 0; i < $2 * 10; i++)); do
        [ -s "$1" ] && return 0
        sleep 0.1
    done
    return 1
}

node_state() {
    # e.g. "idle", "mix", "alloc", "down*", "drain"; empty if slurmctld does not answer.
    timeout 10 sinfo -h -N -p "$PARTITION" -o '%t' 2>/dev/null | head -1 || true
}

write_conf() {
    local host cpus mem_mb
    # slurmd registers under the short host name (gethostname up to the first dot).
    host="$(uname -n)"
    host="${host%%.*}"
    cpus="$(nproc)"
    # slurmd refuses a node configured with more memory than it has; free -m and
    # slurmd both read MemTotal, so the total is exact.
    mem_mb="$(free -m | awk '/^Mem:/ {print $2}')"
    if [ -z "$mem_mb" ] || [ "$mem_mb" -le 0 ]; then die "could not read memory size from free -m"; fi
    cat >"$CONF" <<EOF
$MARKER: written by .ci/slurm.sh, do not edit (regenerated on each start)
ClusterName=$CLUSTER
SlurmctldHost=$host(127.0.0.1)
SlurmctldPort=$PORT
SlurmdPort=$((PORT + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# Our own munged socket, so a system munged (if any) is left alone.
AuthInfo=socket=$MUNGE_SOCKET
StateSaveLocation=$STATE/ctld
SlurmdSpoolDir=$STATE/spool
SlurmctldPidFile=$RUN/slurmctld.pid
SlurmdPidFile=$RUN/slurmd.pid
SlurmctldLogFile=$LOGS/slurmctld.log
SlurmdLogFile=$LOGS/slurmd.log
# No cgroups / systemd in containers: track processes through /proc.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
# No slurmdbd: no accounting (sacct/sacctmgr fail; use squeue for status).
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core_Memory
SchedulerType=sched/backfill
# Start jobs as soon as they are submitted (the default batches launches: ~3 s per job).
SchedulerParameters=batch_sched_delay=0
# Jobs without --mem get a share instead of the whole node (which would serialise them).
DefMemPerCPU=$((mem_mb / cpus))
ReturnToService=2
# Keep finished jobs visible to squeue for 5 min: the snakemake plugin polls
# squeue (no accounting) and must still see COMPLETED/FAILED.
MinJobAge=300
SlurmctldTimeout=30
SlurmdTimeout=30
InactiveLimit=0
KillWait=5
NodeName=$host NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=$PARTITION Nodes=$host Default=YES MaxTime=INFINITE State=UP
EOF
}

link_etc_conf() {
    mkdir -p "$(dirname "$ETC_CONF")"
    if [ -L "$ETC_CONF" ] || [ ! -e "$ETC_CONF" ]; then
        ln -sfn "$CONF" "$ETC_CONF"
    elif head -1 "$ETC_CONF" | grep -q "^$MARKER"; then
        ln -sfn "$CONF" "$ETC_CONF"
    else
        log "WARNING: $ETC_CONF belongs to another cluster; left untouched."
        log "         Run: eval \"\$($0 env)\"  before sbatch/snakemake/pytest."
    fi
}

start_munge() {
    if pid_alive munged; then return 0; fi
    mkdir -p "$MUNGE_DIR"
    if [ ! -s "$MUNGE_DIR/munge.key" ]; then
        # 1024 random bytes is munge's own default key size.
        dd if=/dev/urandom of="$MUNGE_DIR/munge.key" bs=1024 count=1 status=none
    fi
    # munged refuses keys/dirs that others can read or write.
    chown -R munge:munge "$MUNGE_DIR"
    chmod 0755 "$MUNGE_DIR"
    chmod 0400 "$MUNGE_DIR/munge.key"
    rm -f "$MUNGE_SOCKET" "$MUNGE_SOCKET.lock" "$RUN/munged.pid"
    # munged runs as munge, so its pid/log files live in the munge-owned dir; the pid is copied to $RUN.
    runuser -u munge -- munged \
        --key-file="$MUNGE_DIR/munge.key" \
        --socket="$MUNGE_SOCKET" \
        --pid-file="$MUNGE_DIR/munged.pid" \
        --log-file="$MUNGE_DIR/munged.log" \
        --seed-file="$MUNGE_DIR/munged.seed" \
        </dev/null >>"$LOGS/munged.out" 2>&1 \
        || { cat "$LOGS/munged.out" "$MUNGE_DIR/munged.log" >&2 2>/dev/null || true; die "munged failed to start"; }
    wait_for_file "$MUNGE_DIR/munged.pid" 10 || die "munged wrote no pid file (see $MUNGE_DIR/munged.log)"
    cp "$MUNGE_DIR/munged.pid" "$RUN/munged.pid"
    pid_alive munged || die "munged is not running (see $MUNGE_DIR/munged.log)"
}

cmd_start() {
    local t0 state i
    t0=$(date +%s.%N)
    mkdir -p "$STATE/etc" "$RUN" "$LOGS" "$STATE/ctld" "$STATE/spool"
    if pid_alive slurmctld && pid_alive slurmd && pid_alive munged; then
        state="$(node_state)"
        case "$state" in
            idle | mix | alloc) log "already running (node $state)"; link_etc_conf; return 0 ;;
        esac
        log "daemons running but node is '${state:-not answering}'; restarting"
        cmd_stop
        mkdir -p "$RUN"
    fi
    install_packages
    for tool in munged slurmctld slurmd sinfo runuser; do
        command -v "$tool" >/dev/null || die "$tool not found after installation"
    done
    write_conf
    link_etc_conf
    start_munge
    # A half-started earlier run may have left one daemon up; restart both cleanly.
    stop_daemon slurmd
    stop_daemon slurmctld
    # -c: start with a clean state (no jobs/node states from an earlier run).
    slurmctld -c -f "$CONF" </dev/null >>"$LOGS/slurmctld.out" 2>&1 \
        || { tail -20 "$LOGS/slurmctld.log" >&2 2>/dev/null || true; die "slurmctld failed to start"; }
    wait_for_file "$RUN/slurmctld.pid" 15 || die "slurmctld wrote no pid file (see $LOGS/slurmctld.log)"
    slurmd -f "$CONF" </dev/null >>"$LOGS/slurmd.out" 2>&1 \
        || { tail -20 "$LOGS/slurmd.log" >&2 2>/dev/null || true; die "slurmd failed to start"; }
    wait_for_file "$RUN/slurmd.pid" 15 || die "slurmd wrote no pid file (see $LOGS/slurmd.log)"

    for ((i = 0; i < TIMEOUT * 2; i++)); do
        state="$(node_state)"
        [ "$state" = idle ] && break
        pid_alive slurmctld || { tail -20 "$LOGS/slurmctld.log" >&2; die "slurmctld died during start-up"; }
        pid_alive slurmd || { tail -20 "$LOGS/slurmd.log" >&2; die "slurmd died during start-up"; }
        sleep 0.5
    done
    if [ "$state" != idle ]; then
        log "--- sinfo ---"; sinfo -N -l >&2 || true
        log "--- slurmctld.log (tail) ---"; tail -15 "$LOGS/slurmctld.log" >&2 || true
        log "--- slurmd.log (tail) ---"; tail -15 "$LOGS/slurmd.log" >&2 || true
        die "node not idle after ${TIMEOUT}s (state: '${state:-no answer}')"
    fi
    log "up in $(awk -v a="$t0" -v b="$(date +%s.%N)" 'BEGIN {printf "%.1f", b - a}') s:" \
        "partition '$PARTITION', $(nproc) CPUs, conf $CONF" \
        "(pids: munged $(read_pid munged), slurmctld $(read_pid slurmctld), slurmd $(read_pid slurmd))"
}

# stop_daemon NAME: TERM the PID in $RUN/NAME.pid (only if it is still NAME), then KILL after 10 s.
stop_daemon() {
    local name="$1" pid i
    if ! pid_alive "$name"; then
        rm -f "$RUN/$name.pid"
        return 0
    fi
    pid="$(read_pid "$name")"
    kill -TERM "$pid" 2>/dev/null || true
    for ((i = 0; i < 100; i++)); do
        [ -d "/proc/$pid" ] || break
        sleep 0.1
    done
    if [ -d "/proc/$pid" ]; then
        log "$name ($pid) ignored SIGTERM; sending SIGKILL"
        kill -KILL "$pid" 2>/dev/null || true
    fi
    rm -f "$RUN/$name.pid"
    log "stopped $name ($pid)"
}

cmd_stop() {
    if pid_alive slurmctld; then
        # Cancel our cluster's jobs first so no slurmstepd/job processes outlive slurmd.
        if [ -n "$(timeout 10 squeue -h -o %i 2>/dev/null || true)" ]; then
            timeout 10 scancel --partition "$PARTITION" 2>/dev/null || true
            for ((i = 0; i < 50; i++)); do
                [ -z "$(timeout 10 squeue -h -t RUNNING,COMPLETING -o %i 2>/dev/null || true)" ] && break
                sleep 0.2
            done
        fi
    fi
    stop_daemon slurmd
    stop_daemon slurmctld
    stop_daemon munged
    # Give /etc/slurm/slurm.conf back if it is our link.
    if [ -L "$ETC_CONF" ] && [ "$(readlink "$ETC_CONF")" = "$CONF" ]; then
        rm -f "$ETC_CONF"
    fi
}

cmd_status() {
    local name ok=0 state
    for name in munged slurmctld slurmd; do
        if pid_alive "$name"; then
            echo "$name: running (pid $(read_pid "$name"))"
        else
            echo "$name: not running"
            ok=1
        fi
    done
    state="$(node_state)"
    echo "node: ${state:-no answer}"
    case "$state" in idle | mix | alloc) ;; *) ok=1 ;; esac
    return "$ok"
}

case "${1:-}" in
    start) cmd_start ;;
    stop) cmd_stop ;;
    status) cmd_status ;;
    env) echo "export SLURM_CONF=$CONF" ;;
    *) echo "usage: $0 start|stop|status|env" >&2; exit 2 ;;
esac
