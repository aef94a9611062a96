# keygate audit as a real Slurm job array (issue #27): the test starts its own single-node Slurm (munged,
# slurmctld, slurmd from Debian's slurm-wlm and munge, configured in its temp directory, on free 127.0.0.1
# ports, all stopped on exit), submits the shipped examples/audit/keygate-audit.sbatch as a three-task
# array over generated repositories, waits, merges the shared results directory, and compares the merged
# report with an unsharded audit's.
source "$(dirname "$0")/lib.sh"
source "$(dirname "$0")/audit/repos.sh"
for tool in munged slurmctld slurmd sbatch sinfo; do
  command -v "$tool" >/dev/null || { echo "$tool is not installed (Debian: slurm-wlm, munge): skipped"; exit 0; }
done
local_network
S="$TMP/slurm"
mkdir -p "$S/state" "$S/spool" "$S/log"
chmod 755 "$TMP" "$S"  # munged refuses a socket under a directory others cannot traverse
head -c 1024 /dev/urandom >"$S/munge.key"
chmod 600 "$S/munge.key"
stop_slurm() {
  for f in slurmd slurmctld munged; do
    [ -s "$S/$f.pid" ] && kill "$(cat "$S/$f.pid")" 2>/dev/null || true
  done
  for p in ${daemon_pids[@]+"${daemon_pids[@]}"}; do kill "$p" 2>/dev/null || true; done
  for p in ${daemon_pids[@]+"${daemon_pids[@]}"}; do wait "$p" 2>/dev/null || true; done
  rm -rf "$TMP"
}
daemon_pids=()
trap stop_slurm EXIT

munged -F -f --socket="$S/munge.sock" --key-file="$S/munge.key" --pid-file="$S/munged.pid" \
  --seed-file="$S/munged.seed" --log-file="$S/log/munged.log" >"$S/log/munged.out" 2>&1 &
daemon_pids+=($!)
for _ in $(seq 1 100); do [ -S "$S/munge.sock" ] && break; sleep 0.05; done
[ -S "$S/munge.sock" ] || { cat "$S/log/munged.out"; fail "munged did not start"; }

free_port() { python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
host=$(hostname -s)
user=$(id -un)
cat >"$S/slurm.conf" <<CONF
ClusterName=keygate-e2e
SlurmctldHost=$host(127.0.0.1)
SlurmUser=$user
SlurmdUser=$user
SlurmctldPort=$(free_port)
SlurmdPort=$(free_port)
AuthType=auth/munge
AuthInfo=socket=$S/munge.sock
CredType=cred/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/pgid
TaskPlugin=task/none
SchedulerType=sched/builtin
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
MpiDefault=none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
PlugStackConfig=/dev/null
NodeName=$host NodeAddr=127.0.0.1 CPUs=2 RealMemory=1000 State=UNKNOWN
PartitionName=e2e Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$S/slurm.conf"
slurmctld -D -i >"$S/log/slurmctld.out" 2>&1 &
daemon_pids+=($!)
slurmd -D -N "$host" >"$S/log/slurmd.out" 2>&1 &
daemon_pids+=($!)
for _ in $(seq 1 200); do sinfo -h -o %t 2>/dev/null | grep -qx idle && break; sleep 0.05; done
sinfo -h -o %t 2>/dev/null | grep -qx idle ||
  { tail -n 20 "$S"/log/*; fail "the single-node Slurm did not come up"; }

make_repos "$TMP/repos" 7
ls -d "$TMP"/repos/repo-* >"$TMP/list"
export KEYGATE_AUDIT_KEY=0123456789abcdef0123456789abcdef
job=$(KEYGATE="$KEYGATE" sbatch --parsable --array=0-2 --cpus-per-task=1 --mem=100M --output="$S/log/task-%a.out" \
  --chdir="$TMP" "$KEYGATE_SOURCE/examples/audit/keygate-audit.sbatch" "$TMP/list" "$TMP/results" 2>"$TMP/sbatch.err") ||
  { cat "$TMP/sbatch.err"; fail "sbatch refused the job array"; }
# (sbatch --wait polls every few seconds; squeue answers at once.)
for _ in $(seq 1 600); do [ -z "$(squeue -h -j "$job" 2>/dev/null)" ] && break; sleep 0.1; done
[ -z "$(squeue -h -j "$job")" ] || fail "the job array did not finish in 60 s"
states=$(scontrol show job "$job" 2>/dev/null | grep -o 'JobState=[A-Z]*' | sort | uniq -c | tr -s ' ')
[[ "$states" == " 3 JobState=COMPLETED" ]] || { cat "$S"/log/task-*.out; fail "the array tasks did not all complete: $states"; }
for i in 0 1 2; do
  grep -q "keygate: audit: " "$S/log/task-$i.out" || { cat "$S/log/task-$i.out"; fail "task $i did not audit"; }
done
# Each task read its own share: the shares add up to the 7 repositories, none of them all of it.
total=0
for i in 0 1 2; do
  n=$(sed -n 's/.*(\([0-9]*\) scanned.*/\1/p' "$S/log/task-$i.out")
  [ "$n" -lt 7 ] || fail "task $i audited every repository: no sharding"
  total=$((total + n))
done
[ "$total" -eq 7 ] || fail "the tasks audited $total repositories, not 7"
[ "$(ls "$TMP"/results/*.json | wc -l)" -eq 7 ] || fail "the array did not audit every repository once"

"$KEYGATE" report merge --format json "$TMP/results" >"$TMP/array.json" || [ $? -eq 1 ] || fail "merge"
"$KEYGATE" audit --no-progress --out "$TMP/single" --list "$TMP/list" >/dev/null || [ $? -eq 1 ] || fail "audit"
"$KEYGATE" report merge --format json "$TMP/single" >"$TMP/single.json" || [ $? -eq 1 ] || fail "merge"
diff <(json_without_generated "$TMP/single.json") <(json_without_generated "$TMP/array.json") ||
  fail "the job array's merged report differs from a single audit's"
[ "$(grep -c '"id":' "$TMP/array.json")" -eq 8 ] || fail "expected 8 incidents"
echo ok
