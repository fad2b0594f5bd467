"""`studio transcribe`: speech to text from a WAV file or the microphone, offline.

JSON (with --json): {"engine", "text", "segments": [{"start", "end", "text"}], "rtf", "no_speech",
"speech_seconds", ...}. Only the stretches a voice-activity detector calls speech are decoded; a
file with none (silence, noise, a tone) reports "no_speech": true and empty text.
"""

from __future__ import annotations

import argparse
import json
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("file", nargs="?", metavar="FILE.wav", help="a WAV file (16-bit PCM or float)")
    parser.add_argument("--mic", action="store_true", help="record from the microphone instead of a file")
    parser.add_argument("--seconds", type=float, metavar="S", help="how long to record with --mic")
    parser.add_argument("--device", metavar="DEV", help="input device index or name fragment (default: system default)")
    parser.add_argument("--rate", type=float, metavar="HZ", help="capture sample rate (default: the device's)")
    parser.add_argument("--engine", choices=["whisper", "pocketsphinx"], default=None,
                        help="speech engine (default: whisper when its model is available, else pocketsphinx)")
    parser.add_argument("--language", metavar="CODE", help="language code such as en or pt (default: detect)")
    parser.add_argument("--model", metavar="DIR", help="a CTranslate2 Whisper model folder")
    parser.add_argument("--save", metavar="OUT.wav", help="with --mic, also save the recording")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def _check(args) -> None:
    from studio.core.errors import UserError

    if args.mic and args.file:
        raise UserError("give either FILE.wav or --mic, not both")
    if not args.mic and not args.file:
        raise UserError("nothing to transcribe", "give FILE.wav, or --mic --seconds S")
    if args.mic and (args.seconds is None or args.seconds <= 0):
        raise UserError("--mic needs --seconds S (a positive duration)", "e.g. --mic --seconds 5")
    if args.seconds is not None and not args.mic:
        raise UserError("--seconds only applies to --mic")


class DownloadProgress:
    """A first-use model download's progress on stderr: one line, redrawn at most every 2 %."""

    def __init__(self, stream=None):
        self.stream = stream or sys.stderr
        self._shown = -1

    def __call__(self, name: str, done: int, total: int) -> None:
        percent = int(100 * done / total) if total else 0
        if percent // 2 == self._shown // 2 and done < total:
            return
        self._shown = percent
        end = "\n" if total and done >= total else ""
        print(f"\rdownloading the Whisper model: {percent:3d} % ({done / 1e6:.0f} of {total / 1e6:.0f} MB, {name})",
              end=end, file=self.stream, flush=True)


def run(args) -> int:
    _check(args)
    import numpy as np

    from studio.core.audio.recognizers import create_recognizer
    from studio.core.audio.sampling import resample

    if args.mic:
        from studio.core.audio.capture import find_input_device

        find_input_device(args.device)  # a missing microphone is reported before any model loads
    else:
        from studio.core.audio.wav import load_wav

        wav = load_wav(args.file)  # so is a bad file
        audio, rate = wav.mono(), wav.rate
    options = {"model_dir": args.model} if args.model else {}
    engine = args.engine or ("whisper" if args.model else None)  # a chosen model folder means Whisper
    recognizer = create_recognizer(engine, progress=DownloadProgress(), **options)
    if args.mic:
        from studio.core.audio.capture import record

        if not args.json:
            print(f"recording {args.seconds:g} s ...", file=sys.stderr)
        frames, rate = record(args.seconds, device=args.device, rate=args.rate)
        audio = frames.mean(axis=1) if frames.shape[1] > 1 else frames[:, 0]
        if args.save:
            from studio.core.audio.wav import save_wav

            save_wav(args.save, frames, rate)
    samples = resample(audio, rate, recognizer.sample_rate) if rate != recognizer.sample_rate else audio
    result = recognizer.transcribe(np.asarray(samples, dtype=np.float32), args.language)
    if args.json:
        out = result.to_json()
        out["source"] = "mic" if args.mic else str(args.file)
        print(json.dumps(out))
    else:
        for seg in result.segments:
            print(f"[{seg.start:7.2f} -> {seg.end:7.2f}] {seg.text}")
        if result.no_speech:
            print(f"no speech found in {result.audio_seconds:.1f} s of audio (silence, noise or a tone; "
                  "nothing was decoded)")
        elif not result.segments:
            print(f"no words recognised in the {result.speech_seconds or 0:.1f} s that sounded like speech")
        print(f"{result.engine}: {result.audio_seconds:.1f} s of audio in {result.compute_seconds:.2f} s "
              f"(real-time factor {result.rtf:.2f})", file=sys.stderr)
    return 0
