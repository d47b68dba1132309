#!/bin/sh
# Installs the Syntra agent as a systemd service, or removes it (--uninstall).
#
#   curl -fsSL https://syntra.example.com/install.sh | sudo sh -s -- \
#     --endpoint wss://syntra.example.com:7443/agent/v1 --token-file /root/syntra.token \
#     --ca-sha256 <hex> --url https://syntra.example.com [--sha256-x86_64 <hex> --sha256-aarch64 <hex>]
#
# The control plane's install command writes the token into a mktemp file with the shell builtin
# printf and passes --token-file, so the token is never in a program's argv; this script hands it
# to the agent in agent.conf (0600), never on a command line.
#
# What it does: creates the system user syntra-agent (added to the docker group when there is one),
# installs the agent under --prefix, creates the state directory (0700) and /etc/syntra (0750),
# writes /etc/syntra/agent.conf (0600, it holds the token), installs syntra-agent.service and runs
# `systemctl daemon-reload` and `systemctl enable --now syntra-agent`. Running it again upgrades
# the agent in place and restarts it (no token needed once the agent is registered). --dry-run
# prints every action and changes nothing. The token is never printed. It refuses install and
# uninstall directories that hold something other than the agent, so it never deletes or chowns a
# directory it did not make. POSIX sh; needs root, systemd, tar and gzip (curl or wget for --url,
# sha256sum for --sha256).
set -eu

prefix=/opt/syntra-agent
state_dir=/var/lib/syntra-agent
conf_dir=/etc/syntra
conf_file=/etc/syntra/agent.conf
unit_file=/etc/systemd/system/syntra-agent.service
user=syntra-agent
endpoint=""
token=""
token_flag=""
token_file=""
token_source=""
ca_sha256=""
sha256=""
sha256_x86_64=""
sha256_aarch64=""
runtime=""
tarball=""
url=""
dry_run=0
uninstall=0
purge=0
allow_ws=0
allow_insecure_download=0
no_start=0
prefix_given=0
state_given=0
registered=0
work=""

usage() {
  cat <<'EOF'
Usage: install.sh --endpoint URL [--token-file FILE] [--ca-sha256 HEX] (--url URL | --tarball FILE)
                  [--sha256 HEX | --sha256-x86_64 HEX --sha256-aarch64 HEX] [options]
       install.sh --uninstall [--purge] [--dry-run]

Installs the Syntra agent as the systemd service syntra-agent.

  --endpoint URL      agent hub URL, wss://host:7443/agent/v1 (required for a first install; an
                      upgrade without it keeps the connection settings of /etc/syntra/agent.conf)
  --token-file FILE   read the registration token (syn_tkn_...) from FILE; or set the environment
                      variable SYNTRA_AGENT_TOKEN. Needed until the agent is registered (the state
                      directory holds identity.json), not for upgrades. Never printed.
  --token TOKEN       the token on the command line: works, but other users see it in ps and sudo
                      logs it; prefer --token-file or SYNTRA_AGENT_TOKEN
  --ca-sha256 HEX     SHA-256 of the control plane's CA certificate (64 hex digits) to pin
  --url URL           download the tarball: either its full URL (ending in .tar.gz) or the control
                      plane's base URL (then <URL>/downloads/syntra-agent-linux-<arch>.tar.gz).
                      https:// only (redirects too); http:// only for 127.0.0.1, localhost, [::1]
  --tarball FILE      install from this syntra-agent-*-linux-<arch>.tar.gz
                      (without --tarball or --url, the directory holding this script is installed
                      when it is an unpacked agent distribution)
  --sha256 HEX        SHA-256 of the tarball (64 hex digits): checked before unpacking
  --sha256-x86_64 HEX, --sha256-aarch64 HEX
                      the SHA-256 of the tarball for that CPU architecture: the one for this
                      machine is checked (as --sha256); when some are given but none for this
                      machine's architecture, the install stops
  --allow-insecure-download
                      accept an http:// --url for another host than loopback: anyone on the
                      network path could replace the program (use with --sha256)
  --runtime NAME      docker or kubernetes (default: the agent detects it)
  --prefix DIR        install directory (default /opt/syntra-agent); new, empty or an agent install
  --state-dir DIR     agent state: credential, journal (default /var/lib/syntra-agent); new, empty
                      or an agent's state directory
  --allow-insecure-ws accept a ws:// endpoint (plain text: for local testing only)
  --no-start          install and enable, but do not start the service now
  --dry-run           print every action it would take and change nothing (root not needed)
  --uninstall         stop and remove the service and the program; keeps config and state. The
                      prefix and state directory come from the installed unit and agent.conf
                      unless given
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

warn() {
  printf 'install.sh: %s\n' "$*" >&2
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
    --token) need_value "$opt" $#; token_flag=$2; shift 2 ;;
    --token-file) need_value "$opt" $#; token_file=$2; shift 2 ;;
    --ca-sha256) need_value "$opt" $#; ca_sha256=$2; shift 2 ;;
    --sha256) need_value "$opt" $#; sha256=$2; shift 2 ;;
    --sha256-x86_64) need_value "$opt" $#; sha256_x86_64=$2; shift 2 ;;
    --sha256-aarch64) need_value "$opt" $#; sha256_aarch64=$2; shift 2 ;;
    --allow-insecure-download) allow_insecure_download=1; shift ;;
    --runtime) need_value "$opt" $#; runtime=$2; shift 2 ;;
    --tarball) need_value "$opt" $#; tarball=$2; shift 2 ;;
    --url) need_value "$opt" $#; url=$2; shift 2 ;;
    --prefix) need_value "$opt" $#; prefix=$2; prefix_given=1; shift 2 ;;
    --state-dir) need_value "$opt" $#; state_dir=$2; state_given=1; shift 2 ;;
    --allow-insecure-ws) allow_ws=1; shift ;;
    --no-start) no_start=1; shift ;;
    --dry-run) dry_run=1; shift ;;
    --uninstall) uninstall=1; shift ;;
    --purge) purge=1; shift ;;
    -h | --help) usage; exit 0 ;;
    *) die "unknown option '$opt' (see --help)" ;;
  esac
done

# --- existing installation: agent.conf and the unit tell where an earlier install put things ---------

conf_value() { # $1 = key; prints its value in the existing agent.conf (nothing when unreadable)
  if [ -r "$conf_file" ]; then
    sed -n "s/^[[:space:]]*$1[[:space:]]*=[[:space:]]*//p" "$conf_file" | tail -n 1 \
      | sed 's/[[:space:]]*$//'
  fi
}

unit_value() { # $1 = ExecStart-prefix | ReadWritePaths; from the installed unit
  if [ -r "$unit_file" ]; then
    case $1 in
      ExecStart-prefix) sed -n 's|^ExecStart=\(/.*\)/bin/syntra-agent run .*|\1|p' "$unit_file" | tail -n 1 ;;
      *) sed -n "s|^$1=||p" "$unit_file" | tail -n 1 ;;
    esac
  fi
}

# Without --prefix / --state-dir, use the directories of the installed agent (a re-run upgrades it
# where it is; --uninstall removes what was installed, not the defaults).
locate_existing() {
  if [ "$prefix_given" = 0 ]; then
    found=$(unit_value ExecStart-prefix)
    if [ -n "$found" ] && [ "$found" != "$prefix" ]; then
      prefix=$found
      note "prefix $prefix (from $unit_file)"
    fi
  fi
  if [ "$state_given" = 0 ]; then
    found=$(conf_value state_dir)
    [ -n "$found" ] || found=$(unit_value ReadWritePaths)
    if [ -n "$found" ] && [ "$found" != "$state_dir" ]; then
      state_dir=$found
      note "state directory $state_dir (from $conf_file or $unit_file)"
    fi
  fi
}

# --- checks ---------------------------------------------------------------------------------------

is_absolute_clean_path() { # no relative paths, whitespace or shell/systemd specials
  case $1 in
    /*) ;;
    *) return 1 ;;
  esac
  case $1 in
    *[!A-Za-z0-9/._-]* | */../* | */.. | */./* | */. | *//* | */) return 1 ;;
  esac
  [ "$1" != / ]
}

# System directories (and trees) that are never an install or state directory, whatever they hold.
is_system_dir() {
  case $1 in
    /bin | /boot | /boot/* | /dev | /dev/* | /etc | /etc/* | /home | /lib | /lib32 | /lib64 | /libx32 \
      | /lost+found | /media | /mnt | /opt | /proc | /proc/* | /root | /run | /run/* | /sbin | /snap \
      | /srv | /sys | /sys/* | /tmp | /usr | /usr/bin | /usr/sbin | /usr/lib | /usr/lib32 | /usr/lib64 \
      | /usr/libexec | /usr/include | /usr/share | /usr/src | /usr/local | /usr/local/bin \
      | /usr/local/sbin | /usr/local/lib | /usr/local/share | /usr/local/etc | /usr/local/include \
      | /usr/local/src | /var | /var/lib | /var/log | /var/cache | /var/tmp | /var/spool | /var/run \
      | /var/mail | /var/opt | /var/backups | /var/local | /var/lib/docker | /var/lib/containerd \
      | /var/lib/systemd) return 0 ;;
  esac
  return 1
}

check_paths() {
  is_absolute_clean_path "$prefix" \
    || die "--prefix must be an absolute path of letters, digits, '/', '.', '_' and '-' (not /), was: $prefix"
  is_absolute_clean_path "$state_dir" \
    || die "--state-dir must be an absolute path of letters, digits, '/', '.', '_' and '-' (not /), was: $state_dir"
  if is_system_dir "$prefix"; then
    die "--prefix $prefix is a system directory: the installer replaces the prefix as a whole and --uninstall deletes it. Use a directory of its own, e.g. --prefix $prefix/syntra-agent"
  fi
  if is_system_dir "$state_dir"; then
    die "--state-dir $state_dir is a system directory: the installer makes the state directory private to $user and --uninstall --purge deletes it. Use a directory of its own, e.g. --state-dir $state_dir/syntra-agent"
  fi
  case "$state_dir/" in
    "$prefix/"*) die "--state-dir $state_dir is inside --prefix $prefix, which an upgrade replaces: use separate directories" ;;
  esac
  case "$prefix/" in
    "$state_dir/"*) die "--prefix $prefix is inside --state-dir $state_dir: use separate directories" ;;
  esac
}

is_empty_dir() { # $1 = directory; stops the script when it cannot be read
  if [ ! -r "$1" ] || [ ! -x "$1" ]; then
    die "cannot read $1 to check what it holds: run as root"
  fi
  [ -z "$(ls -A "$1")" ]
}

is_agent_install() { [ -f "$1/lib/syntra-agent.jar" ]; }

has_agent_state() {
  [ -f "$1/identity.json" ] || [ -d "$1/journal" ] || [ -f "$1/status.json" ] \
    || [ -f "$1/services.json" ]
}

# The prefix must be new, empty, or an agent install: an upgrade replaces it and --uninstall removes it.
check_prefix_is_ours() {
  if [ -L "$prefix" ] || { [ -e "$prefix" ] && [ ! -d "$prefix" ]; }; then
    die "--prefix $prefix exists and is not a directory"
  fi
  [ -d "$prefix" ] || return 0
  is_agent_install "$prefix" && return 0
  is_empty_dir "$prefix" && return 0
  die "--prefix $prefix is a non-empty directory without a Syntra agent in it (no lib/syntra-agent.jar): the installer would replace it and --uninstall would delete it. Pass a new or empty directory"
}

# The state directory must be new, empty, or hold agent state: the installer makes it private to
# the agent user and --uninstall --purge removes it.
check_state_dir_is_ours() {
  if [ -L "$state_dir" ] || { [ -e "$state_dir" ] && [ ! -d "$state_dir" ]; }; then
    die "--state-dir $state_dir exists and is not a directory"
  fi
  [ -d "$state_dir" ] || return 0
  has_agent_state "$state_dir" && return 0
  is_empty_dir "$state_dir" && return 0
  die "--state-dir $state_dir is a non-empty directory without agent state in it (no identity.json, journal/, status.json or services.json): the installer would hand it to $user with mode 0700 and --uninstall --purge would delete it. Pass a new or empty directory"
}

redact() { # the token family prefix and 4 characters, like TokenFormat.redact
  printf '%s' "$1" | sed -n 's/^\(syn_tkn_....\).*/\1…/p'
}

check_hex256() { # $1 = option, $2 = value; prints plain lower-case hex
  # Accept the colon-separated form that openssl prints and a sha256: prefix.
  hex=$(printf '%s' "$2" | sed 's/^[Ss][Hh][Aa]256://' | tr -d ':' | tr 'ABCDEF' 'abcdef')
  printf '%s' "$hex" | grep -Eq '^[0-9a-f]{64}$' || return 1
  printf '%s' "$hex"
}

# Sets $token and $token_source from --token-file, --token or $SYNTRA_AGENT_TOKEN.
resolve_token() {
  if [ -n "$token_flag" ] && [ -n "$token_file" ]; then
    die "pass either --token or --token-file, not both"
  fi
  if [ -n "$token_file" ]; then
    [ -f "$token_file" ] && [ -r "$token_file" ] \
      || die "--token-file $token_file: no such readable file"
    token=$(head -n 1 "$token_file" | tr -d ' \t\r\n')
    token_source="the token in --token-file $token_file"
    [ -n "$token" ] || die "--token-file $token_file is empty: write the registration token (syn_tkn_...) into it"
  elif [ -n "$token_flag" ]; then
    token=$token_flag
    token_source="--token"
    warn "note: other users can see --token in ps, and sudo logs it; next time use --token-file FILE or SYNTRA_AGENT_TOKEN"
  elif [ -n "${SYNTRA_AGENT_TOKEN:-}" ]; then
    token=$SYNTRA_AGENT_TOKEN
    token_source="SYNTRA_AGENT_TOKEN"
  fi
}

check_token() {
  if [ -z "$token" ]; then
    if [ "$registered" = 1 ]; then
      note "The agent is registered ($state_dir/identity.json): upgrading without a token."
      return
    fi
    die "the registration token is missing: pass the token shown when the server was added (syn_tkn_...) with --token-file FILE, the environment variable SYNTRA_AGENT_TOKEN, or --token"
  fi
  # syn_tkn_ + 30 random base62 characters + a 6 character base62 checksum (TokenFormat.AGENT).
  if ! printf '%s' "$token" | grep -Eq '^syn_tkn_[A-Za-z0-9]{36}$'; then
    case $token in
      syn_tkn_*) die "$token_source is malformed: expected syn_tkn_ followed by 36 letters and digits (44 characters), got ${#token} characters; copy it again from the control plane" ;;
      *) die "$token_source is malformed: an agent registration token starts with syn_tkn_ (got ${#token} characters not starting with it)" ;;
    esac
  fi
}

url_host() { # $1 = URL; prints its host in lower case ([::1] keeps its brackets)
  rest=${1#*://}
  rest=${rest%%/*}
  rest=${rest%%\?*}
  rest=${rest%%#*}
  rest=${rest##*@}
  case $rest in
    \[*) rest="${rest%%]*}]" ;;
    *) rest=${rest%%:*} ;;
  esac
  printf '%s' "$rest" | tr 'A-Z' 'a-z'
}

check_download_url() {
  case $url in
    *[!A-Za-z0-9._~:/?#@%+=\[\]-]*) die "--url contains characters that are not allowed in a URL: $url" ;;
  esac
  case $url in
    https://?*) ;;
    http://?*)
      case $(url_host "$url") in
        127.0.0.1 | localhost | "[::1]") ;;
        *)
          [ "$allow_insecure_download" = 1 ] \
            || die "--url uses http:// for a host other than 127.0.0.1, localhost or [::1]: the download would not be authenticated, and anyone on the network path could replace the program that runs with access to the Docker socket. Use https://, or add --allow-insecure-download (best with --sha256)"
          warn "warning: downloading over plain http (--allow-insecure-download)$([ -n "$sha256" ] && echo '; --sha256 checks the tarball' || echo ' without --sha256: nothing checks the tarball')"
          ;;
      esac
      ;;
    *) die "--url must be an https:// URL (http:// only for 127.0.0.1, localhost or [::1]), was: $url" ;;
  esac
}

# --sha256-<arch>: the checksum for this machine's architecture becomes --sha256.
pick_arch_sha256() {
  [ -n "$sha256_x86_64" ] || [ -n "$sha256_aarch64" ] || return 0
  [ -z "$sha256" ] || die "pass either --sha256 or --sha256-<arch>, not both"
  machine=$(arch)
  case $machine in
    x86_64) sha256=$sha256_x86_64 ;;
    aarch64) sha256=$sha256_aarch64 ;;
  esac
  [ -n "$sha256" ] \
    || die "no --sha256-$machine was given for this machine's CPU architecture ($machine): the control plane offers no checked agent build for it. Put syntra-agent-<version>-linux-$machine.tar.gz and its .sha256 into its SYNTRA_AGENT_DIST_DIR and ask for a new install command"
}

check_install_args() {
  if [ -z "$endpoint" ] && [ "$registered" = 1 ] && [ -n "$(conf_value endpoint)" ]; then
    # An upgrade without --endpoint keeps the connection settings of the existing agent.conf.
    endpoint=$(conf_value endpoint)
    [ -n "$ca_sha256" ] || ca_sha256=$(conf_value ca_sha256)
    [ -n "$runtime" ] || runtime=$(conf_value runtime)
    [ "$(conf_value allow_insecure_ws)" != true ] || allow_ws=1
    note "Keeping the connection settings of $conf_file (endpoint $endpoint)"
  fi
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
  check_token
  if [ -n "$ca_sha256" ]; then
    ca_sha256=$(check_hex256 --ca-sha256 "$ca_sha256") \
      || die "--ca-sha256 must be the 64 hex digit SHA-256 of the control plane's CA certificate"
  fi
  pick_arch_sha256
  if [ -n "$sha256" ]; then
    sha256=$(check_hex256 --sha256 "$sha256") \
      || die "--sha256 must be the 64 hex digit SHA-256 of the agent tarball (sha256sum syntra-agent-*.tar.gz)"
    [ -n "$url" ] || [ -n "$tarball" ] \
      || die "--sha256 checks a downloaded or given tarball: pass it with --url or --tarball"
  fi
  case $runtime in
    "" | docker | kubernetes) ;;
    *) die "--runtime must be docker or kubernetes, was: $runtime" ;;
  esac
  if [ -n "$tarball" ] && [ -n "$url" ]; then
    die "pass either --tarball or --url, not both"
  fi
  if [ -n "$url" ]; then
    check_download_url
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
      die "systemd is not running on this host, so there is no service to install. Instead unpack the tarball and run the agent under your own supervisor (runit, s6, supervisord, or a container with a restart policy): bin/syntra-agent run --endpoint URL --ca-sha256 HEX --state-dir DIR, with the token in SYNTRA_AGENT_TOKEN"
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
  case $1 in
    https://*) protocols='=https' ;;
    *) protocols='=http,https' ;;
  esac
  if command -v curl >/dev/null 2>&1; then
    # Never fall back to plain http on a redirect.
    curl -fsSL --proto "$protocols" --proto-redir "$protocols" --retry 3 -o "$2" "$1"
  elif command -v wget >/dev/null 2>&1; then
    # wget cannot restrict the protocol of a redirect, so it follows none.
    wget -q --max-redirect=0 -O "$2" "$1"
  else
    die "neither curl nor wget is installed: install one, or download the tarball yourself and pass --tarball"
  fi
}

verify_sha256() { # $1 = file, $2 = what it is
  if [ -z "$sha256" ]; then
    note "not checking the SHA-256 of $2 (pass --sha256 to check it)"
    return
  fi
  command -v sha256sum >/dev/null 2>&1 \
    || die "sha256sum is not installed (package coreutils): it is needed to check --sha256"
  actual=$(sha256sum "$1" | cut -d ' ' -f 1)
  [ "$actual" = "$sha256" ] \
    || die "$2 does not match --sha256: expected $sha256, got $actual. It is damaged or not the tarball the control plane published; nothing was installed"
  note "SHA-256 of $2 matches --sha256"
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
    case $download_url in
      https://*) how="https only, also on redirects" ;;
      *) how="plain http" ;;
    esac
    if [ -n "$sha256" ]; then
      how="$how; check its SHA-256 is $sha256"
    fi
    note "[dry-run] download $download_url into a temporary directory ($how), unpack it and check it holds bin/syntra-agent, lib/syntra-agent.jar, runtime/bin/java, share/syntra-agent.service"
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
  verify_sha256 "$tarball" "$tarball_desc"
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
  if [ -n "$token" ]; then
    printf 'token=%s\n' "$1"
  fi
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
  # Copy next to the target, then swap, so a running agent never sees half a program. The
  # temporary directories are new (mktemp), so nothing that was there before is removed.
  act "install the program into $prefix (mode 0755, owner root): bin/syntra-agent, lib/syntra-agent.jar, runtime/, share/" \
    install_tree
}

install_tree() {
  parent=$(dirname "$prefix")
  mkdir -p "$parent"
  new=$(mktemp -d "$parent/.syntra-agent-new.XXXXXX")
  cp -R "$source_dir/." "$new"
  chown -R root:root "$new"
  chmod -R go-w "$new"
  chmod 0755 "$new"
  if [ -e "$prefix" ]; then
    old=$(mktemp -d "$parent/.syntra-agent-old.XXXXXX")
    mv "$prefix" "$old/program"
    mv "$new" "$prefix"
    rm -rf "$old"
  else
    mv "$new" "$prefix"
  fi
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
  resolve_token
  locate_existing
  check_paths
  if [ -f "$state_dir/identity.json" ]; then
    registered=1
  fi
  check_install_args
  check_prefix_is_ours
  check_state_dir_is_ours
  check_host
  if [ -n "$token" ]; then
    note "Installing the Syntra agent: endpoint $endpoint, token $(redact "$token"), prefix $prefix, state $state_dir"
  else
    note "Installing the Syntra agent: endpoint $endpoint, no token (registered), prefix $prefix, state $state_dir"
  fi
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
  locate_existing
  check_paths
  # Check everything before removing anything.
  remove_prefix=0
  if [ -d "$prefix" ] && [ ! -L "$prefix" ]; then
    is_agent_install "$prefix" || is_empty_dir "$prefix" \
      || die "$prefix does not hold a Syntra agent (no lib/syntra-agent.jar) and is not empty: not removing it. Pass the agent's --prefix"
    remove_prefix=1
  elif [ -e "$prefix" ] || [ -L "$prefix" ]; then
    die "$prefix is not a directory: not removing it. Pass the agent's --prefix"
  fi
  remove_state=0
  if [ "$purge" = 1 ] && [ -d "$state_dir" ] && [ ! -L "$state_dir" ]; then
    has_agent_state "$state_dir" || is_empty_dir "$state_dir" \
      || die "$state_dir holds no agent state (no identity.json, journal/, status.json or services.json) and is not empty: not removing it. Pass the agent's --state-dir"
    remove_state=1
  fi
  check_host
  note "Removing the Syntra agent (prefix $prefix)"
  if [ "$dry_run" = 1 ] || [ -f "$unit_file" ]; then
    act "systemctl disable --now syntra-agent" systemctl disable --now syntra-agent
    act "remove $unit_file" rm -f "$unit_file"
    act "systemctl daemon-reload" systemctl daemon-reload
  fi
  if [ "$remove_prefix" = 1 ]; then
    act "remove $prefix" rm -rf "$prefix"
  else
    note "no program at $prefix"
  fi
  if [ "$purge" = 1 ]; then
    act "remove $conf_file" rm -f "$conf_file"
    act "remove $conf_dir if empty" rmdir --ignore-fail-on-non-empty "$conf_dir"
    if [ "$remove_state" = 1 ]; then
      act "remove $state_dir (the agent's credential and journal)" rm -rf "$state_dir"
    else
      note "no state directory at $state_dir"
    fi
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
