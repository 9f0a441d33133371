# Sourced by ./tether and console/build.sh: how they speak and how they install Debian's packages.

say() { printf 'tether: %s\n' "$*" >&2; }

# ensure_package BINARY DEBIAN-PACKAGE: install the package when the binary is missing.
ensure_package() {
  local bin="$1" pkg="$2"
  command -v "$bin" >/dev/null 2>&1 && return 0
  local sudo=""
  if [ "$(id -u)" != 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo="sudo"
    else
      say "'$bin' is required but not installed. Install it with:  sudo apt-get install -y $pkg"
      exit 1
    fi
  fi
  if ! command -v apt-get >/dev/null 2>&1; then
    say "'$bin' is required but not installed, and this is not a Debian-based system: install $pkg"
    exit 1
  fi
  say "installing $pkg (provides '$bin') from Debian's packages"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$pkg" >/dev/null
  command -v "$bin" >/dev/null 2>&1 || { say "installing $pkg did not provide '$bin'"; exit 1; }
}
