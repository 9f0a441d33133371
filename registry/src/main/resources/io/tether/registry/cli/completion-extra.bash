
# Added by tether (registry/.../cli/CompletionCommand; docs/cli.md "Shell completion").
# The names of the contexts, for `context use|show|delete NAME`: read from the config file at each TAB
# (no JVM starts), where `tether context` keeps them: $TETHER_CONFIG, else
# ${XDG_CONFIG_HOME:-~/.config}/tether/config.yaml, one "  NAME:" line per context under "contexts:".
function _tether_context_names() {
  local file="${TETHER_CONFIG:-${XDG_CONFIG_HOME:-$HOME/.config}/tether/config.yaml}"
  [ -r "$file" ] || return 0
  awk '/^contexts:/ { inside = 1; next }
       /^[^ ]/ { inside = 0 }
       inside && /^  [^ #][^:]*:/ { name = $1; sub(/:$/, "", name); gsub(/^["\047]|["\047]$/, "", name); print name }' "$file"
}

function _tether_complete_context_name() {
  local curr_word=${COMP_WORDS[COMP_CWORD]}
  if [[ "${curr_word}" == -* ]]; then
    COMPREPLY=( $(compgen -W "-h --help" -- "${curr_word}") )
  else
    local IFS=$'\n'
    COMPREPLY=( $(compgen -W "$(_tether_context_names)" -- "${curr_word}") )
  fi
}

function _picocli_tether_context_use() { _tether_complete_context_name; }
function _picocli_tether_context_show() { _tether_complete_context_name; }
function _picocli_tether_context_delete() { _tether_complete_context_name; }

# The command as typed from a checkout (./tether), beside tether on the PATH.
complete -F _complete_tether -o default ./tether
