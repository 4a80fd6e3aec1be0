#!/usr/bin/env bash
# Install llama-cpp-python into a virtualenv from a local wheel cache.
#
#   scripts/llama_wheel.sh VENV_PYTHON          build once if needed, then install
#   scripts/llama_wheel.sh --flags              print the CMake flags the wheel is built with
#   scripts/llama_wheel.sh --variant-flags      ...and those of the AVX-512 variant (x86-64 only)
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
#
# On x86-64 a second build, for CPUs with AVX-512 (F, CD, BW, DQ, VL) and VNNI, AMX still off, is
# cached the same way and its libraries installed beside the package's own, in
# llama_cpp/lib-avx512-vnni/. The model process loads them only on a CPU that lists every one of
# those extensions (rag/llm/isa.py; RAG_LLAMA_ISA=baseline never does): they read prompts faster.
# RAG_LLAMA_VARIANTS=none skips that build.
set -euo pipefail

VERSION=0.3.36
BASELINE_X86="-DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON -DGGML_F16C=ON -DGGML_BMI2=ON"
BASELINE_X86+=" -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF -DGGML_AMX_BF16=OFF"
# The compiler's command lines are recorded in the libraries (.GCC.command.line), so a test can
# read what they were built with: -march=native anywhere fails it on every machine.
RECORD="-DCMAKE_C_FLAGS=-frecord-gcc-switches -DCMAKE_CXX_FLAGS=-frecord-gcc-switches"
VARIANT_X86=${BASELINE_X86/-DGGML_AVX512=OFF/-DGGML_AVX512=ON -DGGML_AVX512_VNNI=ON}
VARIANT_X86+=" -DGGML_AVX512_VBMI=OFF -DGGML_AVX512_BF16=OFF"
VARIANT_DIR=lib-avx512-vnni  # rag/llm/isa.py: VARIANTS
VARIANT_FLAGS=""
case "$(uname -m)" in
    x86_64 | amd64)
        FLAGS="${RAG_LLAMA_CMAKE_ARGS:-$BASELINE_X86} $RECORD"
        [[ "${RAG_LLAMA_VARIANTS:-}" == none ]] || VARIANT_FLAGS="$VARIANT_X86 $RECORD" ;;
    *) FLAGS="${RAG_LLAMA_CMAKE_ARGS:--DGGML_NATIVE=OFF} $RECORD" ;;  # the architecture's generic baseline
esac
cache_for() {  # the wheel cache folder of a set of flags
    local digest
    digest=$(printf '%s %s' "$VERSION" "$1" | sha256sum | cut -c1-12)
    echo "${XDG_CACHE_HOME:-$HOME/.cache}/rag/wheels/${VERSION}-${digest}"
}
CACHE=$(cache_for "$FLAGS")

case "${1:-}" in
    --flags) echo "$FLAGS"; exit 0 ;;
    --variant-flags) echo "$VARIANT_FLAGS"; exit 0 ;;
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
if [[ "$stamp" == "${VERSION} ${FLAGS} | ${VARIANT_FLAGS}" && -z "${RAG_LLAMA_REBUILD:-}" ]]; then
    echo "llama-cpp-python ${VERSION} (${FLAGS}${VARIANT_FLAGS:+; variant ${VARIANT_FLAGS}}) already installed in $PY"
    exit 0
fi

cached_wheel() {  # FLAGS: make sure the cache folder of FLAGS holds a wheel
    local flags=$1 cache
    cache=$(cache_for "$flags")
    mkdir -p "$cache"
    [[ -n "${RAG_LLAMA_REBUILD:-}" ]] && rm -f "$cache"/llama_cpp_python-*.whl
    # Does the cache hold a wheel this interpreter can install? (pip checks the tags.)
    if ! "$PY" -m pip install --dry-run --quiet --ignore-installed --no-index --no-deps --only-binary=:all: \
            --find-links "$cache" "$REQ" >/dev/null 2>&1; then
        echo "No cached ${REQ} wheel in ${cache}: building it once (6-15 minutes on 2 cores)"
        echo "  CMAKE_ARGS=${flags}"
        # --no-cache-dir: pip's own cache would hand back a wheel built with other flags.
        CMAKE_ARGS="$flags" CMAKE_BUILD_PARALLEL_LEVEL=$(nproc) \
            "$PY" -m pip wheel --no-cache-dir --no-deps "$REQ" -w "$cache"
        echo "${VERSION} ${flags}" > "$cache/flags.txt"
    fi
}
cached_wheel "$FLAGS"
[[ -z "$VARIANT_FLAGS" ]] || cached_wheel "$VARIANT_FLAGS"
# The wheel from the cache (never a rebuild); its small pure-Python dependencies from the index.
"$PY" -m pip install --force-reinstall --no-deps --no-index --find-links "$CACHE" "$REQ"
"$PY" -m pip install --only-binary=llama-cpp-python --find-links "$CACHE" "$SERVER_REQ"
# The variant's libraries beside the package's own (the model process chooses, rag/llm/isa.py).
"$PY" - "$VARIANT_DIR" "${VARIANT_FLAGS:+$(cache_for "$VARIANT_FLAGS")}" <<'EOF'
import glob, importlib.util as u, pathlib, shutil, sys, zipfile
folder = pathlib.Path(u.find_spec("llama_cpp").origin).parent / sys.argv[1]
shutil.rmtree(folder, ignore_errors=True)
if sys.argv[2]:
    [wheel] = glob.glob(f"{sys.argv[2]}/llama_cpp_python-*.whl")
    folder.mkdir()
    with zipfile.ZipFile(wheel) as z:
        for name in z.namelist():
            if name.startswith("llama_cpp/lib/") and not name.endswith("/"):
                (folder / pathlib.PurePosixPath(name).name).write_bytes(z.read(name))
    print(f"llama.cpp's AVX-512 + VNNI build in {folder}")
EOF
"$PY" - "$STAMP_NAME" "${VERSION} ${FLAGS} | ${VARIANT_FLAGS}" <<'EOF'
import importlib.util as u, pathlib, sys
pathlib.Path(u.find_spec("llama_cpp").origin).parent.joinpath(sys.argv[1]).write_text(sys.argv[2] + "\n")
EOF
