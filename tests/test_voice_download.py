"""The Vosk model downloader against a local HTTP server."""

from __future__ import annotations

import functools
import hashlib
import http.server
import io
import threading
import zipfile

import pytest

from voice.download import DownloadError, download_model


@pytest.fixture
def served(tmp_path):
    root = tmp_path / "www"
    root.mkdir()
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as zipped:
        zipped.writestr("vosk-model-tiny/am/final.mdl", b"acoustic")
        zipped.writestr("vosk-model-tiny/conf/model.conf", b"--sample-frequency=16000\n")
    (root / "model.zip").write_bytes(buffer.getvalue())
    (root / "broken.zip").write_bytes(b"this is not a zip")
    handler = functools.partial(QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", hashlib.sha256(buffer.getvalue())
    server.shutdown()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def test_download_verifies_unpacks_and_moves_into_place(served, tmp_path):
    url, digest = served
    target = tmp_path / "models" / "vosk"
    seen = []
    download_model(
        f"{url}/model.zip", target, digest.hexdigest(), progress=lambda d, t: seen.append((d, t))
    )
    assert (target / "am" / "final.mdl").read_bytes() == b"acoustic"
    assert seen and seen[-1][0] == seen[-1][1]  # the progress bar reached the total
    assert [p.name for p in target.parent.iterdir()] == ["vosk"]  # no temporary files left


def test_checksum_mismatch_is_clear_and_leaves_nothing(served, tmp_path):
    url, _ = served
    target = tmp_path / "models" / "vosk"
    with pytest.raises(DownloadError, match="checksum mismatch"):
        download_model(f"{url}/model.zip", target, "0" * 64, progress=None)
    assert not target.exists()
    assert list(target.parent.iterdir()) == []


def test_not_a_zip_and_missing_file_are_clear(served, tmp_path):
    url, _ = served
    target = tmp_path / "models" / "vosk"
    with pytest.raises(DownloadError, match="not a zip"):
        download_model(f"{url}/broken.zip", target, progress=None)
    with pytest.raises(DownloadError, match="could not download"):
        download_model(f"{url}/missing.zip", target, progress=None)
    assert list(target.parent.iterdir()) == []


def test_cli_reports_the_digest_when_none_is_pinned(served, tmp_path, capsys):
    from runner.cli import main

    url, digest = served
    assert (
        main(
            [
                "voice-model",
                "--url",
                f"{url}/model.zip",
                "--sha256",
                "",
                "--dir",
                str(tmp_path / "m"),
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert digest.hexdigest() in out and (tmp_path / "m" / "conf" / "model.conf").exists()
    assert main(["voice-model", "--url", f"{url}/model.zip", "--dir", str(tmp_path / "m")]) == 0
    assert "already installed" in capsys.readouterr().out
