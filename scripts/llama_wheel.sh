#!/usr/bin/env bash
# Install llama-cpp-python into a virtualenv from a local wheel cache.
#
#   scripts/llama_wheel.sh VENV_PYTHON          build once if needed, then install
#   scripts/llama_wheel.sh --flags              print the CMake flags the wheel is built with
#   scripts/llama_wheel.sh --cache-dir          print the cache folder for those flags
#
# llama-cpp-python ships as source only; building it takes ~6-15 minutes on 2 cores. The wheel is
# built once into ${XDG_CACHE_HOME:-$HOME/.cache}/rag/wheels/<version>-<flags digest>/ and reused
# by every later install (a fresh venv then takes seconds). The folder is keyed on the version AND
# the CMake flags, so a wheel built with other flags is never reused. Delete the folder (or set
# RAG_LLAMA_REBUILD=1) to force a rebuild.
#
# The instruction-set baseline: x86-64 with AVX2, FMA, F16C and BMI2 (x86-64-v3, every x86 server
# and laptop since 2015). Never the build host's own (llama.cpp's default GGML_NATIVE=ON builds for
# it: on a Xeon with AMX that wheel segfaults in the first decode, llama.cpp issue 20824).
# tests/rag/llm/test_instruction_set.py fails on any machine if the installed libggml-cpu holds an
# AMX or AVX-512 instruction. RAG_LLAMA_CMAKE_ARGS replaces the flags (a build variant to measure).
set -euo pipefail

VERSION=0.3.36
BASELINE_X86="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
BASELINE_X86+=" -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
# The compiler's command lines are recorded in the libraries (.GCC.command.line), so a test can
# read what they were built with: -march=native anywhere fails it on every machine.
RECORD="-DCMAKE_C_FLAGS=-frecord-gcc-switches -DCMAKE_CXX_FLAGS=-frecord-gcc-switches"
case "$(uname -m)" in
    x86_64 | amd64) FLAGS="${RAG_LLAMA_CMAKE_ARGS:-$BASELINE_X86} $RECORD" ;;
    *) FLAGS="${RAG_LLAMA_CMAKE_ARGS:--DGGML_NATIVE=OFF} $RECORD" ;;  # the architecture's generic baseline
esac
DIGEST=$(printf '%s %s' "$VERSION" "$FLAGS" | sha256sum | cut -c1-12)
CACHE="${XDG_CACHE_HOME:-$HOME/.cache}/rag/wheels/${VERSION}-${DIGEST}"

case "${1:-}" in
    --flags) echo "$FLAGS"; exit 0 ;;
    --cache-dir) echo "$CACHE"; exit 0 ;;
esac
PY=${1:?usage: scripts/llama_wheel.sh VENV_PYTHON | --flags | --cache-dir}
REQ="llama-cpp-python==${VERSION}"
# [server]: llama.cpp's own OpenAI-compatible server (python -m llama_cpp.server): the local model's
# process (rag/llm/host.py) and the inference tier of a deployment; small pure-Python extras.
SERVER_REQ="llama-cpp-python[server]==${VERSION}"
STAMP_NAME="rag-llama-flags.txt"

# Installed already, from a wheel of these flags? (the stamp sits beside the package)
stamp=$("$PY" - "$STAMP_NAME" <<'EOF' 2>/dev/null || true
import importlib.util as u, pathlib, sys
spec = u.find_spec("llama_cpp")
if spec and spec.origin and u.find_spec("starlette_context"):
    p = pathlib.Path(spec.origin).parent / sys.argv[1]
    print(p.read_text().strip() if p.exists() else "")
EOF
)
if [[ "$stamp" == "${VERSION} ${FLAGS}" && -z "${RAG_LLAMA_REBUILD:-}" ]]; then
    echo "llama-cpp-python ${VERSION} (${FLAGS}) already installed in $PY"
    exit 0
fi

mkdir -p "$CACHE"
[[ -n "${RAG_LLAMA_REBUILD:-}" ]] && rm -f "$CACHE"/llama_cpp_python-*.whl
# Does the cache hold a wheel this interpreter can install? (pip checks the tags.)
if ! "$PY" -m pip install --dry-run --quiet --ignore-installed --no-index --no-deps --only-binary=:all: \
        --find-links "$CACHE" "$REQ" >/dev/null 2>&1; then
    echo "No cached ${REQ} wheel in ${CACHE}: building it once (6-15 minutes on 2 cores)"
    echo "  CMAKE_ARGS=${FLAGS}"
    # --no-cache-dir: pip's own cache would hand back a wheel built with other flags.
    CMAKE_ARGS="$FLAGS" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
        "$PY" -m pip wheel --no-cache-dir --no-deps "$REQ" -w "$CACHE"
    echo "${VERSION} ${FLAGS}" > "$CACHE/flags.txt"
fi
# The wheel from the cache (never a rebuild); its small pure-Python dependencies from the index.
"$PY" -m pip install --force-reinstall --no-deps --no-index --find-links "$CACHE" "$REQ"
"$PY" -m pip install --only-binary=llama-cpp-python --find-links "$CACHE" "$SERVER_REQ"
"$PY" - "$STAMP_NAME" "${VERSION} ${FLAGS}" <<'EOF'
import importlib.util as u, pathlib, sys
pathlib.Path(u.find_spec("llama_cpp").origin).parent.joinpath(sys.argv[1]).write_text(sys.argv[2] + "\n")
EOF
