# Shared by the bench scripts (source it after setting `here` to bench/).

# bench_python MODULES PACKAGE...: prints the path of bench/.venv's python, after creating
# the venv if it is missing and installing PACKAGEs when MODULES ("a, b") do not import.
# The venv is shared by every bench, so this checks for the modules, not for the venv.
bench_python() {
  local modules=$1
  shift
  local venv="$here/.venv"
  [ -x "$venv/bin/python" ] || python3 -m venv "$venv" >&2
  "$venv/bin/python" -c "import $modules" 2>/dev/null \
    || "$venv/bin/pip" install --quiet "$@" >&2
  echo "$venv/bin/python"
}
