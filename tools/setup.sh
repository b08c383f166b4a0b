#!/bin/sh
# make setup: the virtual environment .venv, made with a Python that TensorFlow 2.21 supports.
#
#     sh tools/setup.sh [PYTHON] [VENV]
#     sh tools/setup.sh --check [PYTHON]    # only: is there a supported Python? (one line if not)
#
# PYTHON: the interpreter to use; without it, the newest of python3.13, python3.12, python3.11 and
# python3 on the PATH that is 3.11, 3.12 or 3.13 (TensorFlow 2.21 has wheels for 3.10-3.13 only,
# NumPy 2.4 needs 3.11). If none is, one line says which Python was found and how to name another,
# before anything is made. An existing VENV (default .venv) is kept when it is complete, was made
# by a supported Python (the one asked for, if PYTHON is given) and from today's requirements;
# otherwise (another Python, a setup that failed half-way, new requirements) it is made anew.
set -u
check_only=
if [ "${1:-}" = "--check" ]; then  # only say whether a supported Python is there (the Makefile)
    check_only=1
    shift
fi
requested=${1:-}
venv=${2:-.venv}
supported="3.11 3.12 3.13"
stamp="$venv/.installed"

version_of() {  # "3.12" for a Python interpreter, nothing for anything else
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

is_supported() {
    case " $supported " in *" $1 "*) return 0 ;; esac
    return 1
}

if [ -n "$requested" ]; then
    candidates=$requested
else
    candidates="python3.13 python3.12 python3.11 python3"
fi
chosen=
found=
for candidate in $candidates; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    version=$(version_of "$candidate") || version=
    [ -n "$version" ] || continue
    found="${found:+$found, }$candidate is Python $version"
    if is_supported "$version"; then
        chosen=$candidate
        break
    fi
done
if [ -z "$chosen" ]; then
    if [ -n "$requested" ] && [ -z "$found" ]; then
        found="$requested is not a Python interpreter"
    fi
    echo "setup: no Python 3.11, 3.12 or 3.13 found (${found:-none of $candidates is on the PATH}); TensorFlow 2.21 needs one of those: name it with \`make setup PYTHON=/path/to/python3.12\`" >&2
    exit 1
fi
[ -z "$check_only" ] || exit 0

# What the environment must have been made from: this Python and these requirements.
requirements() { cksum requirements.txt pyproject.toml | tr '\n' ' '; }
wanted="python $(version_of "$chosen") $(requirements)"
if [ -f "$stamp" ] && [ ! -s "$stamp" ] && [ ! "$stamp" -ot requirements.txt ] \
        && [ ! "$stamp" -ot pyproject.toml ]; then
    # An empty stamp, newer than the requirements: made by the Makefile before this script, which
    # only touched it once the installation was complete. Record what it was made from.
    echo "python $(version_of "$venv/bin/python") $(requirements)" > "$stamp"
fi
if [ -f "$stamp" ]; then
    made_with=$(cat "$stamp")
    venv_version=$(version_of "$venv/bin/python") || venv_version=
    if [ -z "$requested" ] && is_supported "${venv_version:-none}" \
            && [ "${made_with#python * }" = "${wanted#python * }" ]; then
        exit 0  # complete, a supported Python, today's requirements: nothing to do
    fi
    if [ "$made_with" = "$wanted" ] && [ "$venv_version" = "$(version_of "$chosen")" ]; then
        exit 0
    fi
    echo "setup: $venv was made by Python ${venv_version:-unknown} or from other requirements; making it anew with $chosen" >&2
elif [ -e "$venv" ]; then
    echo "setup: $venv is incomplete (an earlier setup stopped half-way); making it anew with $chosen" >&2
fi
rm -rf "$venv"
echo "setup: making $venv with $chosen (Python $(version_of "$chosen")) ..."
"$chosen" -m venv "$venv" || exit 1
"$venv/bin/python" -m pip install --quiet --upgrade pip || exit 1
"$venv/bin/python" -m pip install --quiet -r requirements.txt || exit 1
"$venv/bin/python" -m pip install --quiet --no-deps --editable . || exit 1
echo "$wanted" > "$stamp"
