#!/usr/bin/env bash
# Install llama-cpp-python into a virtualenv from a local wheel cache.
#
#   scripts/llama_wheel.sh VENV_PYTHON
#
# llama-cpp-python ships as source only; building it takes ~15 minutes on 2 cores. The wheel is
# built once into ${XDG_CACHE_HOME:-$HOME/.cache}/rag/wheels and reused by every later install
# (a fresh venv then takes seconds). Delete the cached wheel to force a rebuild.
set -euo pipefail

PY=${1:?usage: scripts/llama_wheel.sh VENV_PYTHON}
VERSION=0.3.36
REQ="llama-cpp-python==${VERSION}"
# [server]: llama.cpp's own OpenAI-compatible server (python -m llama_cpp.server), the inference
# tier of a deployment; its extra dependencies are small and pure Python.
SERVER_REQ="llama-cpp-python[server]==${VERSION}"
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/rag/wheels"

installed=$("$PY" -c 'import importlib.metadata as m, importlib.util as u
try: print(m.version("llama-cpp-python") if u.find_spec("starlette_context") else "")
except m.PackageNotFoundError: pass')
if [[ "$installed" == "$VERSION" ]]; then
    echo "llama-cpp-python ${VERSION} already installed in $PY"
    exit 0
fi

mkdir -p "$CACHE"
# Does the cache hold a wheel this interpreter can install? (pip checks the tags.)
if ! "$PY" -m pip install --dry-run --quiet --ignore-installed --no-index --no-deps --only-binary=:all: \
        --find-links "$CACHE" "$REQ" >/dev/null 2>&1; then
    echo "No cached ${REQ} wheel in ${CACHE}: building it once (about 15 minutes on 2 cores)..."
    CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) "$PY" -m pip wheel --no-deps "$REQ" -w "$CACHE"
fi
# The wheel from the cache (never a rebuild); its small pure-Python dependencies from the index.
"$PY" -m pip install --only-binary=llama-cpp-python --find-links "$CACHE" "$SERVER_REQ"
