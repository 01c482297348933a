"""The course's caches, checked when read and removed by kind (``calcviz clean``).

=========  ==============================================  ===============================================
kind       an entry                                        how it is checked
=========  ==============================================  ===============================================
voice      <voice cache>/<key>.wav: one spoken line        the sha256 of the file, in a chunk of its own
           (scenes/kit/voice.py)                           (``cvsm``), checked before the line is used
mix        <voice cache>/mix-<key>.<sha>.m4a|.opus: a      content-addressed: <sha> is the start of the
           clip's narration, mixed and encoded             file's sha256 (studio/publish.py)
           (studio/publish.py)
explorers  <media>/site/data/<lesson>-<explorer>.json      the JSON carries the sha256 of the rest of its
           and its .js twin (studio/site.py)               text (``sealed``); the .js must hold that text
clips      <media>/course/<quality>/[<lang>/]<lesson>/     Scene.json is sealed and keeps each file's size
           Scene.* (studio/render.py)                      and sha256, checked before the cache answers
=========  ==============================================  ===============================================

The voice cache is ``CALCVIZ_VOICE_CACHE``, else media/voice in this repository. A damaged entry is
reported in one line on stderr, ``calcviz: <kind> cache entry <what> was damaged (<why>); made again``
(kind: voice, mix, explorer data or clip), and made again: it is never used. Entries written before
checksums were kept are stale, not damaged: made again quietly — except voice lines, which are checked
by their header and sealed (Piper would not say them the same way twice).
"""
from __future__ import annotations

import hashlib
import json
import os
import re
import shutil
import sys
from collections.abc import Mapping
from pathlib import Path

from scenes.kit.voice import cache_folder

KINDS = ("voice", "mix", "explorers", "clips")
_SEAL = re.compile(r'\{"sha256":"([0-9a-f]{64})",')


def damage(kind: str, entry, why: str, stream=None) -> str:
    """The one line that reports a damaged cache entry (printed on ``stream`` when given)."""
    line = f"calcviz: {kind} cache entry {entry} was damaged ({why}); made again"
    if stream is not None:
        print(line, file=stream, flush=True)
    return line


def sha256_of(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# --- JSON that carries its own checksum ----------------------------------------------------------------
def sealed(body: str) -> str:
    """A JSON object's text with the sha256 of that text as its first member, ``"sha256"`` (readers that
    do not check it see one more key)."""
    if not body.startswith("{") or body.lstrip("{").lstrip().startswith("}"):
        raise ValueError("only a JSON object with members can be sealed")
    return f'{{"sha256":"{hashlib.sha256(body.encode()).hexdigest()}",{body[1:]}'


def seal_problem(text: str) -> str | None:
    """Why ``text`` is not a sealed JSON object whose checksum matches, or None."""
    found = _SEAL.match(text)
    if found is None:
        return "it carries no checksum"
    if hashlib.sha256(("{" + text[found.end():]).encode()).hexdigest() != found[1]:
        return "its contents do not match their checksum"
    return None


def unsealed_problem(path: Path, text: str) -> str | None:
    """For a file that carries no checksum: None when it is a JSON object (written before checksums were
    kept: stale, not damaged), else why it is damaged."""
    try:
        if isinstance(json.loads(text), dict):
            return None
    except ValueError:
        pass
    return f"{path.name} is cut off or is not JSON"


def seal_of(text: str) -> str | None:
    """The checksum a sealed JSON text carries (unchecked), or None."""
    found = _SEAL.match(text)
    return found[1] if found else None


# --- files recorded by size and checksum ---------------------------------------------------------------
def record(path: Path) -> dict:
    return {"bytes": path.stat().st_size, "sha256": sha256_of(path)}


def file_problem(path: Path, recorded: dict) -> str | None:
    """Why ``path`` is not the file ``recorded`` describes (its size and sha256), or None."""
    try:
        size = path.stat().st_size
    except FileNotFoundError:
        return f"{path.name} is missing"
    if not isinstance(recorded, dict) or "bytes" not in recorded or "sha256" not in recorded:
        return f"{path.name} has no checksum"
    if size < recorded["bytes"]:
        return f"{path.name} is cut off: {size:,} of {recorded['bytes']:,} bytes"
    if size > recorded["bytes"]:
        return f"{path.name} has {size - recorded['bytes']:,} bytes more than were written"
    if sha256_of(path) != recorded["sha256"]:
        return f"{path.name} does not match its checksum"
    return None


# --- calcviz clean -----------------------------------------------------------------------------------
_LINE = re.compile(r"(\.speaking-.*|\.sealing-.*|[0-9a-f]{32})\.wav")
_MIX = re.compile(r"mix-[0-9a-f]{32}(\.[0-9a-f]{32})?\.(m4a|opus)|\.mix-.*")


def entries(kind: str, media: Path, env: Mapping[str, str] = os.environ) -> tuple[Path, list[Path]]:
    """Where a kind of cache lives, and its files there (only the cache's own: other files are left)."""
    if kind in ("voice", "mix"):
        folder = cache_folder(env)
        pattern = _LINE if kind == "voice" else _MIX
        files = [p for p in folder.iterdir() if p.is_file() and pattern.fullmatch(p.name)] if folder.is_dir() else []
        return folder, sorted(files)
    if kind == "explorers":
        folder = media / "site" / "data"
        return folder, sorted(p for p in folder.glob("*") if p.is_file() and p.suffix in (".json", ".js", ".tmp"))
    if kind == "clips":
        folder = media / "course"
        return folder, sorted(p for p in folder.rglob("*") if p.is_file()) if folder.is_dir() else []
    raise ValueError(f"no cache kind {kind!r}; known: {', '.join(KINDS)}")


def megabytes(files: list[Path]) -> str:
    return f"{sum(p.stat().st_size for p in files) / 1e6:,.1f} MB"


def clean(kinds: list[str] | None, media: Path, dry_run: bool = False, stream=None,
          env: Mapping[str, str] = os.environ) -> int:
    """Remove the caches of ``kinds`` ("all" for every kind); with no kinds, or ``dry_run``, say what
    there is and remove nothing. Returns how many files were removed."""
    stream = stream or sys.stdout
    chosen = list(KINDS) if kinds and "all" in kinds else list(dict.fromkeys(kinds or ()))
    removed = 0
    for kind in KINDS:
        folder, files = entries(kind, media, env)
        count = f"{len(files)} file{'s' if len(files) != 1 else ''}, {megabytes(files)}"
        if kind not in chosen or dry_run or not files:
            verb = "would be removed" if kind in chosen and files else ("nothing to remove" if kind in chosen
                                                                         else "kept")
            print(f"{kind:10} {count:24} {folder}  ({verb})", file=stream)
            continue
        if kind == "clips":
            shutil.rmtree(folder)
        else:
            for path in files:
                path.unlink(missing_ok=True)
        removed += len(files)
        print(f"{kind:10} {count:24} {folder}  (removed)", file=stream)
    if not chosen:
        print("nothing removed: name what to remove with --kind voice, mix, explorers, clips or all "
              "(the voice's lines cannot be made again sample for sample: Piper never says a line the same "
              "way twice)", file=stream)
    return removed
