"""Voice faults without audio hardware: a microphone that stops mid-session (unplugged, device
error) is a clear AudioError for `stretchbot voice` to print, never a silent hang or a traceback."""

from __future__ import annotations

import queue

import pytest

from voice.audio import MIC_LOST, AudioError, MicSource
from voice.cli import cmd_voice


class FakeStream:
    def __init__(self, active=True, closed=False, broken=False):
        self._active, self.closed, self.broken = active, closed, broken
        self.stopped = False

    @property
    def active(self):
        if self.broken:
            raise RuntimeError("Error querying device -1")  # what PortAudio does for a lost device
        return self._active

    def stop(self):
        if self.broken:
            raise RuntimeError("Unanticipated host error")
        self.stopped = True

    def close(self):
        pass


def mic_with(stream) -> MicSource:
    mic = MicSource.__new__(MicSource)  # no audio device here: only the stream is faked
    mic._queue, mic.muted, mic.rate, mic._stream = queue.Queue(), False, 16000, stream
    return mic


def test_silence_from_a_working_microphone_is_just_silence():
    assert mic_with(FakeStream()).read(timeout=0.01) is None


@pytest.mark.parametrize("stream", [FakeStream(active=False), FakeStream(broken=True)])
def test_a_microphone_that_stopped_is_a_clear_error(stream):
    mic = mic_with(stream)
    with pytest.raises(AudioError, match="unplugged"):
        mic.read(timeout=0.01)
    mic.close()  # closing a device that is gone does not raise either


def test_stretchbot_voice_prints_it_and_exits_1(monkeypatch, capsys):
    def lost(args):
        raise AudioError(MIC_LOST)

    monkeypatch.setattr("voice.cli.run_live", lost)
    args = type("Args", (), {"wav": None})()
    assert cmd_voice(args) == 1
    err = capsys.readouterr().err
    assert "stretchbot voice: the microphone stopped" in err and "make run" in err
    assert "Traceback" not in err
