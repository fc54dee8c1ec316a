"""`stretchbot voice-model`: download the Vosk model, check it, unpack it, move it into place.

The zip is streamed to a temporary file next to the target (same file system, so the final rename
is atomic), with a progress bar. Its SHA-256 must match the pinned one; on a mismatch, or any other
failure, every temporary file is removed and nothing is left at the target.
"""

from __future__ import annotations

import hashlib
import shutil
import sys
import tempfile
import zipfile
from pathlib import Path
from typing import Callable

import requests

CHUNK = 1 << 16


class DownloadError(RuntimeError):
    """The model could not be installed; the message says why."""


def progress_bar(done: int, total: int | None, out=sys.stderr) -> None:
    if total:
        width = 30
        filled = int(width * done / total)
        out.write(f"\r  [{'#' * filled}{'.' * (width - filled)}] {done / total:4.0%} "
                  f"{done / 1e6:5.1f}/{total / 1e6:.1f} MB")  # fmt: skip
    else:
        out.write(f"\r  {done / 1e6:5.1f} MB")
    out.flush()


def download_model(
    url: str,
    target: Path,
    sha256: str = "",
    progress: Callable[[int, int | None], None] | None = progress_bar,
    timeout: float = 30.0,
    on_digest: Callable[[str], None] | None = None,
) -> Path:
    """Install the model zipped at `url` as the folder `target`; return `target`."""
    target = Path(target)
    if target.exists():
        return target
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=".voice-model-", dir=target.parent))
    try:
        archive = work / "model.zip"
        digest = _fetch(url, archive, progress, timeout)
        if sha256 and digest != sha256.lower():
            raise DownloadError(
                f"checksum mismatch for {url}: expected SHA-256 {sha256.lower()}, got {digest}. "
                "The download is damaged or not the expected file; nothing was installed."
            )
        if on_digest:
            on_digest(digest)
        folder = _unpack(archive, work / "unpacked")
        folder.replace(target)
        return target
    finally:
        shutil.rmtree(work, ignore_errors=True)


def _fetch(url: str, archive: Path, progress, timeout: float) -> str:
    digest = hashlib.sha256()
    try:
        with requests.get(url, stream=True, timeout=timeout) as response:
            response.raise_for_status()
            total = int(response.headers.get("Content-Length") or 0) or None
            done = 0
            with open(archive, "wb") as out:
                for chunk in response.iter_content(CHUNK):
                    out.write(chunk)
                    digest.update(chunk)
                    done += len(chunk)
                    if progress:
                        progress(done, total)
    except requests.RequestException as exc:
        raise DownloadError(f"could not download {url}: {exc}") from None
    finally:
        if progress:
            sys.stderr.write("\n")
    return digest.hexdigest()


def _unpack(archive: Path, into: Path) -> Path:
    """Unzip (refusing paths outside `into`) and return the model folder inside."""
    try:
        with zipfile.ZipFile(archive) as zipped:
            bad = zipped.testzip()
            if bad:
                raise DownloadError(f"the downloaded zip is damaged ({bad} fails its CRC check)")
            root = into.resolve()
            for name in zipped.namelist():
                if not (root / name).resolve().is_relative_to(root):
                    raise DownloadError(f"the downloaded zip has an unsafe path: {name}")
            zipped.extractall(into)
    except zipfile.BadZipFile:
        raise DownloadError("the download is not a zip file") from None
    entries = [p for p in into.iterdir()]
    return entries[0] if len(entries) == 1 and entries[0].is_dir() else into
