#!/usr/bin/env bash
# Install what calcviz needs, skipping whatever is already there (a second run takes seconds).
# `bootstrap.sh lab` also installs JupyterLab, for ./course lab.
# Debian packages first (pycairo and ManimPango build from source; MathTex needs LaTeX),
# then a virtualenv in .venv with the project and its test tools.
set -euo pipefail
cd "$(dirname "$0")/.."

DEB_PACKAGES=(
  libcairo2-dev libpango1.0-dev pkg-config   # pycairo / ManimPango build from source
  ffmpeg                                     # manim writes mp4 through it; contact sheets, ffprobe
  texlive-latex-extra texlive-fonts-recommended dvisvgm  # MathTex: standalone.cls, fonts, dvi->svg
  fonts-dejavu-core                          # a known font for Text so frames match across machines
  chromium chromium-driver                   # the course page tested in a real browser
  espeak-ng                                  # the Indonesian edition's voice when asked for: --voice espeak
)

missing=()
for pkg in "${DEB_PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
done
if ((${#missing[@]})); then
  echo "bootstrap: installing Debian packages: ${missing[*]}"
  SUDO=""; [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

PY=${PYTHON:-python3}
if [[ ! -x .venv/bin/python ]]; then
  echo "bootstrap: creating .venv"
  "$PY" -m venv .venv
fi
# Reinstall only when the dependency list changed.
stamp=.venv/.calcviz-installed
want=$(sha256sum pyproject.toml | cut -d' ' -f1)
if [[ ! -f $stamp || $(cat "$stamp") != "$want" ]]; then
  echo "bootstrap: installing calcviz and its dependencies into .venv"
  log=.venv/pip-install.log
  if ! { .venv/bin/python -m pip install --upgrade pip && .venv/bin/python -m pip install -e '.[test]'; } >"$log" 2>&1; then
    tail -30 "$log" >&2; echo "bootstrap: pip install failed (full log: $log)" >&2; exit 1
  fi
  echo "$want" > "$stamp"
fi

# JupyterLab only for ./course lab: the tests execute the labs with nbclient and need no JupyterLab.
if [[ ${1:-} == lab ]] && ! .venv/bin/python -c 'import jupyterlab' 2>/dev/null; then
  echo "bootstrap: installing JupyterLab into .venv"
  log=.venv/pip-install-lab.log
  if ! .venv/bin/python -m pip install -e '.[lab]' >"$log" 2>&1; then
    tail -30 "$log" >&2; echo "bootstrap: pip install failed (full log: $log)" >&2; exit 1
  fi
fi

# The same frames on every x86 machine: numpy picks SIMD kernels by CPU, and its AVX-512 exp, sin, …
# differ from the AVX2 ones in the last bit — which is all a round-off plot shows. Every Python
# started from .venv (tests, manim, the renderer's workers) keeps to the AVX2 kernels.
site=$(.venv/bin/python -c 'import sysconfig; print(sysconfig.get_paths()["purelib"])')
pin='import os; os.environ.setdefault("NPY_DISABLE_CPU_FEATURES", "X86_V4 AVX512_ICL AVX512_SPR")'
[[ -f $site/calcviz-same-frames.pth && $(cat "$site/calcviz-same-frames.pth") == "$pin" ]] \
  || echo "$pin" > "$site/calcviz-same-frames.pth"
