# Sourced by examples/tour.sh and examples/run-recipes.sh: finds the mkt binary ($MKT, else the
# PATH) and makes a temporary folder `work` with that binary as `mkt` first on the PATH.
#   mkt_workspace NAME    sets root, mkt_bin and work; removes work on exit; exits 66 without mkt
mkt_workspace() {
  local name=$1
  root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
  MKT=${MKT:-mkt}
  if [[ $MKT == */* ]]; then
    mkt_bin=$(cd "$(dirname "$MKT")" && pwd)/$(basename "$MKT")
  else
    mkt_bin=$(command -v "$MKT" || true)
  fi
  if [[ -z $mkt_bin || ! -x $mkt_bin ]]; then
    echo "$name: no mkt binary at '$MKT': put mkt on the PATH (make install) or set MKT=.build/debug/mkt" >&2
    exit 66
  fi
  work=$(mktemp -d "${TMPDIR:-/tmp}/mkt-$name.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  mkdir -p "$work/bin"
  ln -s "$mkt_bin" "$work/bin/mkt"
  export PATH="$work/bin:$PATH" NO_COLOR=1
}
