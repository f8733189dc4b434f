#!/usr/bin/env bash
# Starts a one-node, CPU-only Slurm (munged, slurmctld, slurmd) for the tests, from scripts/slurm/slurm.conf.in.
# With slurmdbd and MariaDB installed (.ci/run installs them) it also starts a private MariaDB and slurmdbd, so that
# `sacct` reports job states as on a real cluster; without them accounting is off (scontrol only).
# Usage: scripts/slurm/start-one-node.sh [DIR]   (default /tmp/pixcap-slurm); prints `export SLURM_CONF=...`.
# Needs root (slurmd) and Debian's slurm-wlm + munge. Safe to run twice: a running cluster with this config is left
# alone; one started with another config (e.g. without accounting) is restarted.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-/tmp/pixcap-slurm}"
mkdir -p "$dir/state" "$dir/slurmd"
host="$(hostname -s)"
cpus="$(nproc)"
user="$(id -un)"
db_port=3317

accounting=none
if command -v slurmdbd >/dev/null 2>&1 && command -v mariadbd >/dev/null 2>&1 && command -v mariadb-install-db >/dev/null 2>&1; then
  accounting=slurmdbd
fi
accounting_host=''
[ "$accounting" = slurmdbd ] && accounting_host="AccountingStorageHost=$host"
sed -e "s|@HOST@|$host|g" -e "s|@CPUS@|$cpus|g" -e "s|@DIR@|$dir|g" -e "s|@USER@|$user|g" \
  -e "s|@ACCOUNTING@|$accounting|g" -e "s|@ACCOUNTING_HOST@|$accounting_host|g" \
  "$here/slurm.conf.in" > "$dir/slurm.conf.new"
export SLURM_CONF="$dir/slurm.conf"

# A cluster already running with another config is stopped first (its state files are kept).
if [ -f "$SLURM_CONF" ] && ! cmp -s "$SLURM_CONF" "$dir/slurm.conf.new" && scontrol ping >/dev/null 2>&1; then
  scontrol shutdown >/dev/null 2>&1 || true
  for _ in $(seq 1 40); do scontrol ping >/dev/null 2>&1 || break; sleep 0.25; done
  pkill -f "slurmd -f $SLURM_CONF" 2>/dev/null || true
fi
mv "$dir/slurm.conf.new" "$SLURM_CONF"

if ! pgrep -x munged >/dev/null; then
  [ -s /etc/munge/munge.key ] || mungekey --create
  mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
  runuser -u munge -- munged 2>/dev/null || munged --force
fi

if [ "$accounting" = slurmdbd ]; then
  sock="$dir/mysql.sock"
  if ! mariadb-admin --socket="$sock" ping >/dev/null 2>&1; then
    if [ ! -d "$dir/mysql/mysql" ]; then
      mariadb-install-db --user="$user" --datadir="$dir/mysql" --auth-root-authentication-method=socket >"$dir/mysql-install.log" 2>&1
    fi
    # Only on 127.0.0.1, on a port of its own, files under $dir: it never meets a system MariaDB.
    mariadbd --user="$user" --datadir="$dir/mysql" --socket="$sock" --bind-address=127.0.0.1 --port="$db_port" \
      --pid-file="$dir/mysql.pid" --log-error="$dir/mysql.log" --skip-name-resolve >/dev/null 2>&1 &
    for _ in $(seq 1 60); do mariadb-admin --socket="$sock" ping >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  # A password of this cluster's own, kept beside its config (mode 600) for later starts.
  [ -s "$dir/db.pass" ] || (umask 077 && head -c 18 /dev/urandom | base64 | tr -d '/+=' > "$dir/db.pass")
  db_pass="$(cat "$dir/db.pass")"
  mariadb --socket="$sock" -u root <<SQL
CREATE DATABASE IF NOT EXISTS slurm_acct_db;
CREATE USER IF NOT EXISTS 'slurm'@'127.0.0.1' IDENTIFIED BY '$db_pass';
ALTER USER 'slurm'@'127.0.0.1' IDENTIFIED BY '$db_pass';
GRANT ALL ON slurm_acct_db.* TO 'slurm'@'127.0.0.1';
SQL
  # slurmdbd reads slurmdbd.conf beside $SLURM_CONF and refuses one that others can read.
  (umask 077 && sed -e "s|@HOST@|$host|g" -e "s|@DIR@|$dir|g" -e "s|@USER@|$user|g" -e "s|@DB_PORT@|$db_port|g" \
    -e "s|@DB_PASS@|$db_pass|g" "$here/slurmdbd.conf.in" > "$dir/slurmdbd.conf")
  if ! pgrep -f "^slurmdbd" >/dev/null; then
    slurmdbd
    for _ in $(seq 1 60); do sacctmgr -n -P show cluster >/dev/null 2>&1 && break; sleep 0.5; done
  fi
  sacctmgr -n -P show cluster format=cluster 2>/dev/null | grep -qx pixcap-test || sacctmgr -i add cluster pixcap-test >/dev/null
fi

if ! scontrol ping >/dev/null 2>&1; then
  slurmctld -f "$SLURM_CONF"
  pgrep -f "slurmd -f $SLURM_CONF" >/dev/null || slurmd -f "$SLURM_CONF"
fi
for _ in $(seq 1 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then
    echo "export SLURM_CONF=$SLURM_CONF"
    echo "accounting: $accounting"
    exit 0
  fi
  sleep 0.5
done
echo "slurm did not come up; see $dir/slurmctld.log, $dir/slurmd.log and $dir/slurmdbd.log" >&2
exit 1
