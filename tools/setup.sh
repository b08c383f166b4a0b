#!/bin/sh
# make setup: the virtual environment .venv, on the Keras backend the Python found can have; what
# it chooses, and why, is docs/setup.md.
#
#     sh tools/setup.sh [PYTHON] [VENV] [BACKEND]
#     sh tools/setup.sh --check [PYTHON] [BACKEND]   # only: is there a Python for it? (one line if not)
#     sh tools/setup.sh --matrix   # a line per backend: its Pythons and uv's install arguments
#
# An existing VENV (default .venv) is kept when it is complete and made as asked, from today's
# requirements. uv installs the packages: pip cannot leave out a dependency (Keras' h5py, which
# has no wheel for Python 3.15, requirements-jax-excluded.txt).
set -u
UV_VERSION=0.13.9
check_only=
if [ "${1:-}" = "--check" ]; then
    check_only=1
    shift
    set -- "${1:-}" "" "${2:-}"
fi
requested=${1:-}
venv=${2:-.venv}
backend=${3:-}
stamp="$venv/.installed"

case "$backend" in
    "" | tensorflow | jax) ;;
    *) echo "setup: BACKEND=$backend is not a backend an environment is made for: use tensorflow or jax" >&2
       exit 1 ;;
esac

pythons_for() {  # the Python versions a backend has wheels for
    case "$1" in
        tensorflow) echo "3.11 3.12 3.13" ;;  # TensorFlow 2.21 (also 3.10, but NumPy 2.4 needs 3.11)
        jax) echo "3.12 3.13 3.14 3.15" ;;  # JAX 0.12
    esac
}

install_arguments() {  # what uv installs a backend's environment from
    case "$1" in
        tensorflow) echo "-r requirements.txt" ;;
        jax) echo "-r requirements-jax.txt --excludes requirements-jax-excluded.txt" ;;
    esac
}

if [ "${1:-}" = "--matrix" ]; then
    for backend in tensorflow jax; do
        echo "$backend|$(pythons_for $backend)|$(install_arguments $backend)"
    done
    exit 0
fi

version_of() {  # "3.12" for a Python interpreter, nothing for anything else
    "$1" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null
}

can_have() {  # can_have BACKEND VERSION
    case " $(pythons_for "$1") " in *" $2 "*) return 0 ;; esac
    return 1
}

newer() {  # newer VERSION THAN: is 3.X newer than 3.Y (or is there no Y)?
    [ -z "$2" ] || [ "${1#*.}" -gt "${2#*.}" ]
}

if [ -n "$requested" ]; then
    candidates=$requested
else
    candidates="python3.15 python3.14 python3.13 python3.12 python3.11 python3"
    if command -v pyenv >/dev/null 2>&1; then
        for installed in "$(pyenv root 2>/dev/null)"/versions/3.*/bin/python3; do
            [ -x "$installed" ] && candidates="$candidates $installed"
        done
    fi
fi
found=
for_tensorflow=
for_tensorflow_version=
for_jax=
for_jax_version=
for candidate in $candidates; do
    command -v "$candidate" >/dev/null 2>&1 || continue
    version=$(version_of "$candidate") || version=
    [ -n "$version" ] || continue
    case ", $found, " in *", $candidate is Python $version, "*) ;;
        *) found="${found:+$found, }$candidate is Python $version" ;; esac
    if can_have tensorflow "$version" && newer "$version" "$for_tensorflow_version"; then
        for_tensorflow=$candidate
        for_tensorflow_version=$version
    fi
    if can_have jax "$version" && newer "$version" "$for_jax_version"; then
        for_jax=$candidate
        for_jax_version=$version
    fi
done
if [ -n "$requested" ] && [ -z "$found" ]; then
    found="$requested is not a Python interpreter"
fi
found=${found:-none of $candidates is on the PATH}
name_one="name it with \`make setup PYTHON=/path/to/python3.12\`"
case "$backend" in
    tensorflow)
        chosen=$for_tensorflow
        why="TensorFlow, as asked (BACKEND=tensorflow)"
        problem="setup: no Python 3.11, 3.12 or 3.13 found ($found); TensorFlow 2.21 needs one of those: $name_one" ;;
    jax)
        chosen=$for_jax
        why="JAX, as asked (BACKEND=jax)"
        problem="setup: no Python 3.12 to 3.15 found ($found); JAX 0.12 needs one of those: name it with \`make setup BACKEND=jax PYTHON=/path/to/python3.13\`" ;;
    *)
        if [ -n "$for_tensorflow" ]; then
            chosen=$for_tensorflow
            backend=tensorflow
            why="TensorFlow, the reference run's backend, which has wheels for Python 3.11-3.13"
        else
            chosen=$for_jax
            backend=jax
            why="JAX, since TensorFlow 2.21 has no wheels for Python $for_jax_version (make setup BACKEND=tensorflow PYTHON=... takes a Python 3.11-3.13)"
        fi
        problem="setup: no Python 3.11 to 3.15 found ($found); the suite needs 3.11, 3.12 or 3.13 (TensorFlow) or 3.12 to 3.15 (JAX): $name_one" ;;
esac
if [ -z "$chosen" ]; then
    echo "$problem" >&2
    exit 1
fi
[ -z "$check_only" ] || exit 0
chosen_version=$(version_of "$chosen")

made_from() {  # made_from BACKEND VERSION: its Python, the backend, the requirements, this script
    files=requirements-common.txt
    for word in $(install_arguments "$1"); do
        case "$word" in *.txt) files="$files $word" ;; esac
    done
    # shellcheck disable=SC2086  # the files are words
    echo "python $2 backend $1 $(cksum $files pyproject.toml "$0" | tr '\n' ' ')"
}
if [ -f "$stamp" ]; then
    made_with=$(cat "$stamp")
    venv_version=$(version_of "$venv/bin/python") || venv_version=
    made_for=
    case "$made_with" in "python "*" backend "*)
        made_for=${made_with#python * backend }
        made_for=${made_for%% *} ;;
    esac
    if [ -n "$made_for" ] && [ "$made_with" = "$(made_from "$made_for" "$venv_version")" ] \
            && can_have "$made_for" "${venv_version:-none}" \
            && { [ -z "${3:-}" ] || [ "$made_for" = "$backend" ]; } \
            && { [ -z "$requested" ] || [ "$venv_version" = "$chosen_version" ]; }; then
        exit 0  # complete, a Python that has its backend, what was asked for: nothing to do
    fi
    echo "setup: $venv was made by Python ${venv_version:-unknown} for ${made_for:-an older setup} or from other requirements; making it anew" >&2
elif [ -e "$venv" ]; then
    echo "setup: $venv is incomplete (an earlier setup stopped half-way); making it anew" >&2
fi
rm -rf "$venv"
echo "setup: making $venv with $chosen (Python $chosen_version) for $why ..."
"$chosen" -m venv "$venv" || exit 1
"$venv/bin/python" -m pip install --quiet "uv==$UV_VERSION" || exit 1
# --system-certs: the certificates the system trusts, as pip. --compile-bytecode: once, now, not
# at every start where Python cannot write it (a third of `import tensorflow`: MEASUREMENTS.md).
# shellcheck disable=SC2046  # the arguments are words
"$venv/bin/python" -m uv pip install --quiet --system-certs --compile-bytecode \
    $(install_arguments "$backend") || exit 1
"$venv/bin/python" -m uv pip install --quiet --system-certs --no-deps --editable . || exit 1
# The JAX environment's own `import keras` (a student's, a notebook's) uses JAX whatever
# ~/.keras/keras.json says (TensorFlow, after a run elsewhere): a .pth file, site's documented way
# to run a line at every start, sets KERAS_BACKEND unless it is set. (PEP 829 keeps such import
# lines working through Python 3.17; from 3.18 a <name>.start entry point takes their place.)
if [ "$backend" = jax ]; then
    for site in "$venv"/lib/python*/site-packages; do
        [ ! -d "$site" ] || echo 'import os; os.environ.setdefault("KERAS_BACKEND", "jax")' \
            > "$site/l303-keras-backend.pth" || exit 1
    done
fi
# A Jupyter kernel of this Python for `jupytext --execute`, drawing under the cells even where
# the shell says MPLBACKEND=Agg.
"$venv/bin/python" -m ipykernel install --sys-prefix --name python3 \
    --display-name "Python 3 (l303 $backend)" \
    --env MPLBACKEND module://matplotlib_inline.backend_inline >/dev/null || exit 1
made_from "$backend" "$chosen_version" > "$stamp"
