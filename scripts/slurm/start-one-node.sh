#!/usr/bin/env bash
# Starts a one-node, CPU-only Slurm (munged, slurmctld, slurmd) for the tests, from scripts/slurm/slurm.conf.in.
# Usage: scripts/slurm/start-one-node.sh [DIR]   (default /tmp/pixcap-slurm); prints `export SLURM_CONF=...`.
# Needs root (slurmd) and Debian's slurm-wlm + munge (.ci/run installs them). Safe to run twice: a running cluster
# with this config is left alone.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
dir="${1:-/tmp/pixcap-slurm}"
mkdir -p "$dir/state" "$dir/slurmd"
host="$(hostname -s)"
cpus="$(nproc)"
sed -e "s|@HOST@|$host|g" -e "s|@CPUS@|$cpus|g" -e "s|@DIR@|$dir|g" -e "s|@USER@|$(id -un)|g" "$here/slurm.conf.in" > "$dir/slurm.conf"
export SLURM_CONF="$dir/slurm.conf"
if ! pgrep -x munged >/dev/null; then
  [ -s /etc/munge/munge.key ] || mungekey --create
  mkdir -p /run/munge && chown munge:munge /run/munge 2>/dev/null || true
  runuser -u munge -- munged 2>/dev/null || munged --force
fi
if ! scontrol ping >/dev/null 2>&1; then
  slurmctld -f "$SLURM_CONF"
  slurmd -f "$SLURM_CONF"
fi
for _ in $(seq 1 60); do
  if sinfo -h -o '%T' 2>/dev/null | grep -Eq '^(idle|mixed|allocated)'; then
    echo "export SLURM_CONF=$SLURM_CONF"
    exit 0
  fi
  sleep 0.5
done
echo "slurm did not come up; see $dir/slurmctld.log and $dir/slurmd.log" >&2
exit 1
