#!/bin/sh
# Installs the Syntra agent as a systemd service, or removes it (--uninstall).
#
#   curl -fsSL https://syntra.example.com/install.sh | sudo sh -s -- \
#     --endpoint wss://syntra.example.com:7443/agent/v1 --token syn_tkn_... --ca-sha256 <hex> \
#     --url https://syntra.example.com
#
# What it does: creates the system user syntra-agent (added to the docker group when there is one),
# installs the agent under --prefix, creates the state directory (0700) and /etc/syntra (0750),
# writes /etc/syntra/agent.conf (0600, it holds the token), installs syntra-agent.service and runs
# `systemctl daemon-reload` and `systemctl enable --now syntra-agent`. Running it again upgrades
# the agent in place and restarts it. --dry-run prints every action and changes nothing. The token
# is never printed. POSIX sh; needs root, systemd, tar and gzip (and curl or wget for --url).
set -eu

prefix=/opt/syntra-agent
state_dir=/var/lib/syntra-agent
conf_dir=/etc/syntra
conf_file=/etc/syntra/agent.conf
unit_file=/etc/systemd/system/syntra-agent.service
user=syntra-agent
endpoint=""
token=""
ca_sha256=""
runtime=""
tarball=""
url=""
dry_run=0
uninstall=0
purge=0
allow_ws=0
no_start=0
work=""

usage() {
  cat <<'EOF'
Usage: install.sh --endpoint URL --token TOKEN [--ca-sha256 HEX] (--tarball FILE | --url URL) [options]
       install.sh --uninstall [--purge] [--dry-run]

Installs the Syntra agent as the systemd service syntra-agent.

  --endpoint URL      agent hub URL, wss://host:7443/agent/v1 (required)
  --token TOKEN       registration token from the control plane, syn_tkn_... (required; never printed)
  --ca-sha256 HEX     SHA-256 of the control plane's CA certificate (64 hex digits) to pin
  --tarball FILE      install from this syntra-agent-*-linux-<arch>.tar.gz
  --url URL           download the tarball: either its full URL (ending in .tar.gz) or the control
                      plane's base URL (then <URL>/downloads/syntra-agent-linux-<arch>.tar.gz)
                      (without --tarball or --url, the directory holding this script is installed
                      when it is an unpacked agent distribution)
  --runtime NAME      docker or kubernetes (default: the agent detects it)
  --prefix DIR        install directory (default /opt/syntra-agent)
  --state-dir DIR     agent state: credential, spool (default /var/lib/syntra-agent)
  --allow-insecure-ws accept a ws:// endpoint (plain text: for local testing only)
  --no-start          install and enable, but do not start the service now
  --dry-run           print every action it would take and change nothing (root not needed)
  --uninstall         stop and remove the service and the program; keeps config and state
  --purge             with --uninstall: also remove /etc/syntra/agent.conf, the state directory
                      and the syntra-agent user
  -h, --help          this help
EOF
}

die() {
  printf 'install.sh: error: %s\n' "$*" >&2
  exit 1
}

note() {
  printf '%s\n' "$*"
}

cleanup() {
  if [ -n "$work" ] && [ -d "$work" ]; then
    rm -rf "$work"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# --- arguments ------------------------------------------------------------------------------------

need_value() { # $1 = option, $2 = number of remaining arguments
  if [ "$2" -lt 2 ]; then
    die "$1 needs a value (see --help)"
  fi
}

while [ $# -gt 0 ]; do
  opt=$1
  case $opt in
    --*=*)
      # --name=value: split and handle as "--name value".
      name=${opt%%=*}
      value=${opt#*=}
      shift
      set -- "$name" "$value" "$@"
      continue
      ;;
  esac
  case $opt in
    --endpoint) need_value "$opt" $#; endpoint=$2; shift 2 ;;
    --token) need_value "$opt" $#; token=$2; shift 2 ;;
    --ca-sha256) need_value "$opt" $#; ca_sha256=$2; shift 2 ;;
    --runtime) need_value "$opt" $#; runtime=$2; shift 2 ;;
    --tarball) need_value "$opt" $#; tarball=$2; shift 2 ;;
    --url) need_value "$opt" $#; url=$2; shift 2 ;;
    --prefix) need_value "$opt" $#; prefix=$2; shift 2 ;;
    --state-dir) need_value "$opt" $#; state_dir=$2; shift 2 ;;
    --allow-insecure-ws) allow_ws=1; shift ;;
    --no-start) no_start=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$opt' (see --help)" ;;
  esac
done

# --- checks ---------------------------------------------------------------------------------------

is_absolute_clean_path() { # no relative paths, whitespace or shell/systemd specials
  case $1 in
    /*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9/._-]* | */../* | */.. | */./* | */. | *//*) return 1 ;;
  esac
  [ "$1" != / ]
}

check_paths() {
  is_absolute_clean_path "$prefix" \
    || die "--prefix must be an absolute path of letters, digits, '/', '.', '_' and '-' (not /), was: $prefix"
  is_absolute_clean_path "$state_dir" \
    || die "--state-dir must be an absolute path of letters, digits, '/', '.', '_' and '-' (not /), was: $state_dir"
}

redact() { # the token family prefix and 4 characters, like TokenFormat.redact
  printf '%s' "$1" | sed -n 's/^\(syn_tkn_....\).*/\1…/p'
}

check_install_args() {
  if [ -z "$endpoint" ]; then
    die "--endpoint is missing: pass the agent hub URL, e.g. --endpoint wss://syntra.example.com:7443/agent/v1"
  fi
  case $endpoint in
    wss://?*) ;;
    ws://?*)
      [ "$allow_ws" = 1 ] \
        || die "--endpoint uses ws:// (unencrypted, the token would travel in clear text): use wss://, or add --allow-insecure-ws for a local test setup"
      ;;
    *) die "--endpoint must be a wss:// URL such as wss://syntra.example.com:7443/agent/v1, was: $endpoint" ;;
  esac
  case $endpoint in
    *[!A-Za-z0-9._~:/?#@%+=\[\]-]*) die "--endpoint contains characters that are not allowed in a URL: $endpoint" ;;
  esac
  if [ -z "$token" ]; then
    die "--token is missing: pass the registration token shown when the server was added (syn_tkn_...)"
  fi
  # syn_tkn_ + 30 random base62 characters + a 6 character base62 checksum (TokenFormat.AGENT).
  if ! printf '%s' "$token" | grep -Eq '^syn_tkn_[A-Za-z0-9]{36}$'; then
    case $token in
      syn_tkn_*) die "--token is malformed: expected syn_tkn_ followed by 36 letters and digits (44 characters), got ${#token} characters; copy it again from the control plane" ;;
      *) die "--token is malformed: an agent registration token starts with syn_tkn_ (got ${#token} characters not starting with it)" ;;
    esac
  fi
  if [ -n "$ca_sha256" ]; then
    # Accept the colon-separated form that openssl prints, store plain lower-case hex.
    ca_sha256=$(printf '%s' "$ca_sha256" | tr -d ':' | tr 'ABCDEF' 'abcdef')
    printf '%s' "$ca_sha256" | grep -Eq '^[0-9a-f]{64}$' \
      || die "--ca-sha256 must be the 64 hex digit SHA-256 of the control plane's CA certificate"
  fi
  case $runtime in
    "" | docker | kubernetes) ;;
    *) die "--runtime must be docker or kubernetes, was: $runtime" ;;
  esac
  if [ -n "$tarball" ] && [ -n "$url" ]; then
    die "pass either --tarball or --url, not both"
  fi
  if [ -n "$url" ]; then
    case $url in
      https://?* | http://?*) ;;
      *) die "--url must be an http(s) URL, was: $url" ;;
    esac
  fi
}

check_host() {
  if [ "$(id -u)" != 0 ]; then
    if [ "$dry_run" = 1 ]; then
      note "note: not running as root; a real install needs root (sudo)."
    else
      die "must run as root: re-run with sudo (or add --dry-run to see what it would do)"
    fi
  fi
  if [ ! -d /run/systemd/system ]; then
    if [ "$dry_run" = 1 ]; then
      note "note: systemd is not running on this host; a real install would stop here."
    else
      die "systemd is not running on this host, so there is no service to install. Instead unpack the tarball and run the agent under your own supervisor (runit, s6, supervisord, or a container with a restart policy): bin/syntra-agent run --endpoint URL --token TOKEN --ca-sha256 HEX --state-dir DIR"
    fi
  fi
}

# --- actions: each prints what it does; in dry-run mode that is all it does ------------------------

act() { # $1 = description; the rest = the command
  desc=$1
  shift
  if [ "$dry_run" = 1 ]; then
    note "[dry-run] $desc"
  else
    note "==> $desc"
    "$@"
  fi
}

arch() {
  case $(uname -m) in
    x86_64 | amd64) echo x86_64 ;;
    aarch64 | arm64) echo aarch64 ;;
    *) die "no agent build for CPU architecture $(uname -m) (available: x86_64, aarch64)" ;;
  esac
}

download() { # $1 = url, $2 = file
  if command -v curl >/dev/null 2>&1; then
    curl -fsSL --proto '=https,http' --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    wget -q -O "$2" "$1"
  else
    die "neither curl nor wget is installed: install one, or download the tarball yourself and pass --tarball"
  fi
}

# Sets $source_dir to an unpacked distribution (bin/ lib/ runtime/ share/).
resolve_source() {
  here=$(cd "$(dirname "$0")" 2>/dev/null && pwd -P || echo /nonexistent)
  if [ -n "$url" ]; then
    case $url in
      *.tar.gz) download_url=$url ;;
      *) download_url="${url%/}/downloads/syntra-agent-linux-$(arch).tar.gz" ;;
    esac
    tarball_desc="$download_url"
  elif [ -n "$tarball" ]; then
    [ -f "$tarball" ] || die "--tarball $tarball: no such file"
    tarball_desc="$tarball"
  elif [ -f "$here/lib/syntra-agent.jar" ] && [ -x "$here/bin/syntra-agent" ]; then
    source_dir=$here
    note "Installing the agent distribution in $here"
    return
  else
    die "nothing to install: pass --url with the control plane's URL, or --tarball with a syntra-agent-*-linux-$(arch).tar.gz"
  fi
  if [ "$dry_run" = 1 ] && [ -n "$url" ]; then
    note "[dry-run] download $download_url into a temporary directory, unpack it and check it holds bin/syntra-agent, lib/syntra-agent.jar, runtime/bin/java, share/syntra-agent.service"
    source_dir=""
    return
  fi
  # Also in a dry run: unpacking into a temporary directory changes nothing on the host.
  work=$(mktemp -d "${TMPDIR:-/tmp}/syntra-agent-install.XXXXXX")
  if [ -n "$url" ]; then
    note "==> download $download_url"
    download "$download_url" "$work/agent.tar.gz" || die "download of $download_url failed"
    tarball="$work/agent.tar.gz"
  fi
  note "unpack $tarball_desc into $work"
  mkdir "$work/dist"
  tar -xzf "$tarball" -C "$work/dist" --strip-components=1 --no-same-owner \
    || die "$tarball_desc is not a readable .tar.gz"
  for f in bin/syntra-agent lib/syntra-agent.jar runtime/bin/java share/syntra-agent.service; do
    [ -e "$work/dist/$f" ] || die "$tarball_desc is not a Syntra agent distribution: $f is missing"
  done
  source_dir="$work/dist"
}

unit_template() {
  if [ -n "$source_dir" ]; then
    cat "$source_dir/share/syntra-agent.service"
  elif [ -f "$(dirname "$0")/share/syntra-agent.service" ]; then
    cat "$(dirname "$0")/share/syntra-agent.service"
  else
    echo "(the unit in share/syntra-agent.service of the downloaded tarball, with @PREFIX@ and @STATE_DIR@ filled in)"
  fi
}

render_unit() {
  unit_template | sed -e "s|@PREFIX@|$prefix|g" -e "s|@STATE_DIR@|$state_dir|g" \
    -e "s|@CONF_FILE@|$conf_file|g" -e "s|@USER@|$user|g"
}

config_text() { # $1 = the token to write (the real one, or its redacted form for display)
  printf 'endpoint=%s\n' "$endpoint"
  printf 'token=%s\n' "$1"
  if [ -n "$ca_sha256" ]; then
    printf 'ca_sha256=%s\n' "$ca_sha256"
  fi
  printf 'state_dir=%s\n' "$state_dir"
  if [ -n "$runtime" ]; then
    printf 'runtime=%s\n' "$runtime"
  fi
  case $endpoint in
    ws://*) printf 'allow_insecure_ws=true\n' ;;
  esac
}

create_user() {
  if id "$user" >/dev/null 2>&1; then
    note "user $user exists"
  else
    command -v useradd >/dev/null 2>&1 || [ "$dry_run" = 1 ] || die "useradd is not installed: create the system user $user yourself and re-run"
    act "create system user $user (group $user, home $state_dir, shell /usr/sbin/nologin)" \
      useradd --system --user-group --home-dir "$state_dir" --no-create-home \
      --shell /usr/sbin/nologin --comment "Syntra agent" "$user"
  fi
  if getent group docker >/dev/null 2>&1; then
    act "add $user to group docker (access to /var/run/docker.sock)" usermod -aG docker "$user"
  else
    note "no docker group on this host: $user is not added to it"
  fi
}

install_program() {
  # Unpack next to the target, then swap, so a running agent never sees half a program.
  act "install the program into $prefix (mode 0755, owner root): bin/syntra-agent, lib/syntra-agent.jar, runtime/, share/" \
    install_tree
}

install_tree() {
  rm -rf "$prefix.new" "$prefix.old"
  mkdir -p "$(dirname "$prefix")"
  cp -R "$source_dir" "$prefix.new"
  chown -R root:root "$prefix.new"
  chmod -R go-w "$prefix.new"
  chmod 0755 "$prefix.new"
  if [ -e "$prefix" ]; then
    mv "$prefix" "$prefix.old"
  fi
  mv "$prefix.new" "$prefix"
  rm -rf "$prefix.old"
}

write_config() {
  if [ "$dry_run" = 1 ]; then
    note "[dry-run] write $conf_file (mode 0600, owner $user:$user):"
    config_text "$(redact "$token") (redacted)" | sed 's/^/[dry-run]     /'
    return
  fi
  note "==> write $conf_file (mode 0600, owner $user:$user)"
  tmp="$conf_dir/.agent.conf.$$"
  (umask 077 && config_text "$token" >"$tmp")
  chown "$user:$user" "$tmp"
  chmod 0600 "$tmp"
  mv -f "$tmp" "$conf_file"
}

write_unit() {
  if [ "$dry_run" = 1 ]; then
    note "[dry-run] write $unit_file (mode 0644, owner root):"
    render_unit | sed 's/^/[dry-run]     /'
    return
  fi
  note "==> write $unit_file (mode 0644, owner root)"
  render_unit >"$unit_file.tmp"
  chmod 0644 "$unit_file.tmp"
  mv -f "$unit_file.tmp" "$unit_file"
}

start_service() {
  act "systemctl daemon-reload" systemctl daemon-reload
  if [ "$no_start" = 1 ]; then
    act "systemctl enable syntra-agent" systemctl enable syntra-agent
  elif [ "$dry_run" = 0 ] && systemctl is-active --quiet syntra-agent; then
    act "systemctl enable syntra-agent" systemctl enable syntra-agent
    act "systemctl restart syntra-agent (it was running: pick up the new program and config)" \
      systemctl restart syntra-agent
  else
    act "systemctl enable --now syntra-agent" systemctl enable --now syntra-agent
  fi
}

do_install() {
  check_install_args
  check_paths
  check_host
  note "Installing the Syntra agent: endpoint $endpoint, token $(redact "$token"), prefix $prefix, state $state_dir"
  resolve_source
  create_user
  act "create directory $state_dir (mode 0700, owner $user:$user)" \
    install -d -m 0700 -o "$user" -g "$user" "$state_dir"
  act "create directory $conf_dir (mode 0750, owner root:$user)" \
    install -d -m 0750 -o root -g "$user" "$conf_dir"
  install_program
  write_config
  write_unit
  start_service
  if [ "$dry_run" = 1 ]; then
    note "Dry run: nothing was changed."
  elif [ "$no_start" = 1 ]; then
    note "Installed. Start it with: systemctl start syntra-agent"
  else
    note "Installed and started. Follow it with: journalctl -u syntra-agent -f"
  fi
}

do_uninstall() {
  check_paths
  check_host
  note "Removing the Syntra agent (prefix $prefix)"
  if [ "$dry_run" = 1 ] || [ -f "$unit_file" ]; then
    act "systemctl disable --now syntra-agent" systemctl disable --now syntra-agent
    act "remove $unit_file" rm -f "$unit_file"
    act "systemctl daemon-reload" systemctl daemon-reload
  fi
  act "remove $prefix" rm -rf "$prefix"
  if [ "$purge" = 1 ]; then
    act "remove $conf_file" rm -f "$conf_file"
    act "remove $conf_dir if empty" rmdir --ignore-fail-on-non-empty "$conf_dir"
    act "remove $state_dir (the agent's credential and spooled telemetry)" rm -rf "$state_dir"
    if [ "$dry_run" = 1 ] || id "$user" >/dev/null 2>&1; then
      act "delete user $user" userdel "$user"
    fi
  else
    note "Kept $conf_file and $state_dir (the agent's identity); --purge removes them."
  fi
  if [ "$dry_run" = 1 ]; then
    note "Dry run: nothing was changed."
  fi
}

if [ "$uninstall" = 1 ]; then
  do_uninstall
else
  [ "$purge" = 0 ] || die "--purge only goes with --uninstall"
  do_install
fi
