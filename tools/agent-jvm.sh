# Sourced by ./tether and benchmarks/run: how the agent's JVM is started (docs/scale.md "The agent's own
# cost"). Needs ROOT; uses say from tools/tether-lib.sh.
#
#   agent_java_opts          sets AGENT_JAVA_OPTS: the flags of deploy/agent-jvm.options and, when
#                            present, the class-data archive; TETHER_AGENT_JAVA_OPTS, when set (even
#                            empty), replaces them. TETHER_JAVA_OPTS go after them (they win flag by flag).
#   ensure_agent_archive     makes the archive when it is missing or older than the agent's jar.

AGENT_DIST="$ROOT/agent-launcher/target"
AGENT_JAR="$AGENT_DIST/tether-agent-launcher-0.1.0-SNAPSHOT.jar"
AGENT_OPTIONS="$ROOT/deploy/agent-jvm.options"
AGENT_ARCHIVE="$AGENT_DIST/agent.jsa"

agent_java_opts() {
  AGENT_JAVA_OPTS=("@$AGENT_OPTIONS")
  [ -f "$AGENT_ARCHIVE" ] && AGENT_JAVA_OPTS+=("-XX:SharedArchiveFile=$AGENT_ARCHIVE")
  if [ -n "${TETHER_AGENT_JAVA_OPTS+set}" ]; then
    read -r -a AGENT_JAVA_OPTS <<< "$TETHER_AGENT_JAVA_OPTS"
  fi
  # shellcheck disable=SC2206 # TETHER_JAVA_OPTS is a list of flags, split on spaces as it always was
  AGENT_JAVA_OPTS+=(${TETHER_JAVA_OPTS:-})
}

# The archive (AppCDS, JDK 17's -XX:ArchiveClassesAtExit) holds the classes an offline training run
# loads: `agent bootstrap` renders and prints a sidecar's bootstrap (picocli, protobuf and Envoy's config
# types, Jackson: most of what a task agent loads before its Envoy starts). It is checked against the jars
# at each start, so a stale one is skipped, and a failed dump only costs start-up time.
ensure_agent_archive() {
  [ -f "$AGENT_JAR" ] || return 0
  if [ -f "$AGENT_ARCHIVE" ] && [ ! "$AGENT_JAR" -nt "$AGENT_ARCHIVE" ]; then
    return 0
  fi
  local tmp
  tmp="$(mktemp -d)"
  printf 'training-token-0123456789\n' > "$tmp/token"
  chmod 600 "$tmp/token"
  if java "@$AGENT_OPTIONS" "-XX:ArchiveClassesAtExit=$tmp/agent.jsa" -cp "$AGENT_JAR:$AGENT_DIST/lib/*" \
      io.tether.agent.AgentMain bootstrap -n training --service training:15000:8080 --xds 127.0.0.1:18000 \
      --token-file "$tmp/token" >/dev/null 2>&1 && [ -s "$tmp/agent.jsa" ]; then
    mv -f "$tmp/agent.jsa" "$AGENT_ARCHIVE"   # a rename: a concurrent start sees the old archive or the new one
  else
    say "could not make the agent's class-data archive ($AGENT_ARCHIVE): the agent starts without it"
  fi
  rm -rf "$tmp"
}
