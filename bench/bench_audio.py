"""Audio lab benchmark: Whisper-base speed, live final-text latency, WER through a microphone, SQNR.

Figures (one JSON object):
* sqnr: measured SQNR of a full-scale (AES17) sine (mid-rise) for N = 4..16 against 6.02 N + 1.76 dB;
* whisper_rtf: Whisper-base (int8, 2 CPU threads) real-time factor on ~30 s of espeak-ng speech,
  and per short sentence (Whisper always encodes a 30 s window, so short clips cost relatively more);
* live: sentences spoken by espeak-ng into the PulseAudio virtual microphone, captured through
  PortAudio, cut by the VAD and transcribed by the streaming transcriber: WER, final-text latency
  after speech ends (p50/max), input overflows; pocketsphinx's WER on the same sentences (from the
  files) side by side;
* panel: a few sentences through the Audio panel itself (offscreen Qt, 44.1 kHz capture): views'
  refresh rate, the GUI thread's busy share, the final text's delay after playback ends.

Speech is espeak-ng's en-us+klatt voice at -s 130, which measures ~150 words per minute over the clips:
a real speaker's conversational pace (see VOICE / WORDS_PER_MINUTE; --voice/--wpm change it).

Run: python bench/bench_audio.py [--set bench|held-out|all] [--sentences N] [--threads T] [--no-mic] [--voice V] [--wpm N]
     python bench/bench_audio.py --soak 600   (10 minutes of speech into the panel: overflows, kept audio)
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import numpy as np

SUPPORT = Path(__file__).resolve().parents[1] / "tests" / "support"
"""The virtual microphone and the spoken sentences, the tests' own (tests/support)."""
if str(SUPPORT) not in sys.path:
    sys.path.insert(0, str(SUPPORT))

BUDGET_RTF = 0.3
BUDGET_LATENCY_S = 1.5
BUDGET_WER = 0.10
BUDGET_SQNR_DB = 0.5


def sqnr_figures() -> dict:
    from studio.core.audio.quantize import full_scale_sine, quantize, sqnr_db, theoretical_sqnr_db

    rows = []
    for bits in range(4, 17):
        x = full_scale_sine(bits, "mid-rise")  # AES17 full scale: the peak on the top level; 997 Hz
        measured = float(sqnr_db(x, quantize(x, bits, "mid-rise").samples))
        edge = x / np.max(np.abs(x))  # amplitude 1.0: the range's edge, shown for comparison
        measured_edge = float(sqnr_db(edge, quantize(edge, bits, "mid-rise").samples))
        theory = theoretical_sqnr_db(bits)
        rows.append({"bits": bits, "measured_db": round(measured, 3), "theory_db": round(theory, 3),
                     "diff_db": round(measured - theory, 3),
                     "diff_db_amplitude_1": round(measured_edge - theory, 3)})
    worst = float(max(abs(r["diff_db"]) for r in rows))
    return {"rows": rows, "max_abs_diff_db": worst, "budget_db": BUDGET_SQNR_DB,
            "within_budget": bool(worst <= BUDGET_SQNR_DB),
            "bits_within_budget": [r["bits"] for r in rows if abs(r["diff_db"]) <= BUDGET_SQNR_DB]}


VOICE = "en-us+klatt"
"""espeak-ng's American English voice (Whisper's majority accent; espeak's default is British)
rendered by its Klatt formant synthesizer, the least robotic of its renderers. Chosen after
measuring: on the same 12 sentences the plain en-us voice scores ~11-13 % WER, en-us+klatt ~6-8 %
(docs/audio.md has the table); `--voice en-us` reproduces the other figure."""
WORDS_PER_MINUTE = 130
"""espeak-ng's -s: at 130 its clips measure ~150 words per minute over their whole length (espeak
speaks faster than its nominal rate), a typical conversational pace for a real English speaker."""


def render_sentences(sentences, folder: Path, voice: str = VOICE, wpm: int = WORDS_PER_MINUTE) -> list[Path]:
    from virtual_mic import speech_wav

    return [speech_wav(s, folder / f"s{i:02d}.wav", wpm, voice or None) for i, s in enumerate(sentences)]


def speaking_rate(sentences, wavs: list[Path]) -> float:
    """Words per minute measured over the rendered clips (what a listener hears, pauses included)."""
    from studio.core.audio.wav import load_wav

    seconds = sum(load_wav(w).seconds for w in wavs)
    return round(sum(len(s.split()) for s in sentences) / seconds * 60.0, 1)


def whisper_rtf(recognizer, wavs: list[Path]) -> dict:
    from studio.core.audio.sampling import resample
    from studio.core.audio.wav import load_wav

    clips = []
    for w in wavs:
        wav = load_wav(w)
        clips.append(resample(wav.mono(), wav.rate, 16000))
    gap = np.zeros(8000, np.float32)
    long = np.concatenate([c for clip in clips for c in (clip, gap)])[: 30 * 16000]
    recognizer.transcribe(clips[0], "en")  # warm-up: first call allocates
    whole = recognizer.transcribe(long, "en")
    short = [recognizer.transcribe(c, "en") for c in clips]
    short_rtf = float(np.sum([t.compute_seconds for t in short]) / np.sum([t.audio_seconds for t in short]))
    return {"audio_s": round(whole.audio_seconds, 2), "compute_s": round(whole.compute_seconds, 3),
            "rtf_30s_window": round(whole.rtf, 4), "rtf_short_sentences": round(short_rtf, 4),
            "budget": BUDGET_RTF, "ratio_to_budget": round(whole.rtf / BUDGET_RTF, 3)}


def live_figures(recognizer, sentences, wavs: list[Path], early_final: bool = True) -> dict:
    import virtual_mic as vm
    from speech_check import word_error_rate

    from studio.core.audio.capture import Capture
    from studio.core.audio.streaming import StreamingTranscriber

    missing = vm.missing_tools()
    if missing:
        return {"skipped": f"virtual microphone needs {', '.join(missing)}"}
    started = vm.start()
    cap = Capture(rate=16000).start()
    st = None
    hyps, latencies, waits, partials = [], [], [], 0
    try:
        deadline = time.monotonic() + 10
        while cap.ring.written == 0 and time.monotonic() < deadline:
            time.sleep(0.02)
        st = StreamingTranscriber(recognizer, cap.rate, language="en", early_final=early_final).start(cap.ring)
        for wav in wavs:
            vm.play(wav)
            played = time.monotonic()
            final = None
            while final is None and time.monotonic() - played < 15:
                for event in st.poll():
                    partials += event.kind == "partial"
                    if event.kind == "final":
                        final = event
                time.sleep(0.01)
            waits.append(time.monotonic() - played)
            hyps.append(final.text if final else "")
            if final is not None and final.latency_s is not None:
                latencies.append(final.latency_s)
            time.sleep(0.3)
    finally:
        if st is not None:
            st.stop()
        cap.stop()
        if started:
            vm.stop()
    scored = [spoken_digits(h) for h in hyps]
    per = [round(word_error_rate(r, h), 3) for r, h in zip(sentences, scored, strict=True)]
    wer = word_error_rate(list(sentences), scored)
    lat = np.array(latencies) if latencies else np.array([np.nan])
    return {"sentences": len(sentences), "early_final": early_final, "wer": round(wer, 4), "wer_budget": BUDGET_WER,
            "per_sentence_wer": per, "hypotheses": hyps,
            "final_latency_s_p50": round(float(np.median(lat)), 3), "final_latency_s_max": round(float(np.max(lat)), 3),
            "latency_budget_s": BUDGET_LATENCY_S,
            "latency_ratio_to_budget": round(float(np.median(lat)) / BUDGET_LATENCY_S, 3),
            "wait_after_playback_s_p50": round(float(np.median(waits)), 3),
            "partials": partials, "overflows": cap.overflows, "lost_frames": st.lost_frames if st else None}


def _sentence_sets() -> dict:
    from speech_check import BENCH_SENTENCES, HELD_OUT_SENTENCES

    return {"bench": BENCH_SENTENCES, "held-out": HELD_OUT_SENTENCES, "all": BENCH_SENTENCES + HELD_OUT_SENTENCES}


SENTENCE_SETS = _sentence_sets()

DIGIT_WORDS = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine")


def spoken_digits(text: str) -> str:
    """Whisper writes "at 9 in the morning" for "at nine...": score the words, not the spelling."""
    import re

    return re.sub(r"\b(\d)\b", lambda m: DIGIT_WORDS[int(m.group(1))], text)


def panel_figures(sentences, wavs: list[Path], rate: int = 44100, soak_s: float = 0.0) -> dict:
    """The same speech through the Audio panel (offscreen Qt): refresh rate, GUI-thread load, final text.

    Measures what a user of the app sees: the 30 Hz views drawing the live waveform while the
    transcriber works in its thread, at a typical device rate (44.1 kHz, resampled for Whisper).
    With `soak_s`, the sentences are spoken over and over for that long (the 10-minute overflow
    budget): the figures then also say how much audio the recording kept against the wall time and
    how the process's memory grew.
    """
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # the panel remembers its engine/language choices: keep the bench's out of the user's settings
    os.environ["STUDIO_CONFIG_DIR"] = tempfile.mkdtemp(prefix="studio-bench-config-")
    try:
        from PySide6.QtWidgets import QApplication
    except ImportError:
        return {"skipped": "PySide6 is not installed"}
    import subprocess

    import virtual_mic as vm
    from speech_check import word_error_rate

    from studio.ui.panels.audio import AudioPanel
    from studio.ui.state import AppState

    if vm.missing_tools():
        return {"skipped": "virtual microphone tools missing"}
    started = vm.start()
    app = QApplication.instance() or QApplication([])
    panel = AudioPanel(AppState())
    panel.resize(1400, 850)
    panel.show()
    panel.transcript.language.setCurrentIndex(panel.transcript.language.findData("en"))
    panel.rate.setCurrentIndex(panel.rate.findData(rate))
    ticks = []
    panel.recorder.tick.connect(lambda: ticks.append(time.perf_counter()))
    finals = []
    panel.transcript.controller.event.connect(lambda e: finals.append((time.monotonic(), e)) if e.kind == "final" else None)

    def spin(seconds: float, busy: list | None = None, until=None) -> None:
        end = time.monotonic() + seconds
        while time.monotonic() < end and not (until and until()):
            t = time.perf_counter()
            app.processEvents()
            if busy is not None:
                busy.append(time.perf_counter() - t)
            time.sleep(0.002)

    busy, waits, hyps = [], [], []
    try:
        if not panel.start_recording():
            return {"skipped": panel.message.text()}
        spin(20, until=lambda: panel.transcript.controller.streaming is not None)
        t_start = time.perf_counter()
        kept_at_start = panel.recorder.capture.seconds_kept
        written = []
        rss_start = rss_mb()
        spoken, rss_trace = [], []
        for i in itertools.count():
            if (soak_s and time.perf_counter() - t_start >= soak_s) or (not soak_s and i >= len(wavs)):
                break
            sentence, wav = sentences[i % len(wavs)], wavs[i % len(wavs)]
            spoken.append(sentence)
            written.append((time.monotonic(), panel.recorder.capture.ring.written))
            if i % len(wavs) == 0:
                rss_trace.append(rss_mb())
            before = len(finals)
            player = subprocess.Popen(["paplay", f"--device={vm.SINK}", str(wav)])
            spin(30, busy, until=lambda p=player: p.poll() is not None)
            played = time.monotonic()
            spin(15, busy, until=lambda b=before: len(finals) > b)
            waits.append(time.monotonic() - played if len(finals) > before else float("nan"))
            hyps.append(" ".join(e.text for _, e in finals[before:]))
            spin(0.3, busy)
        elapsed = time.perf_counter() - t_start
        capture = panel.recorder.capture
        overflows = capture.overflows
        kept_s = capture.seconds_kept - kept_at_start
        streaming = panel.transcript.controller.streaming
        lost_frames = streaming.lost_frames if streaming is not None else None
        rss_end = rss_mb()
    finally:
        panel.shutdown()
        if started:
            vm.stop()
    scored = [spoken_digits(h) for h in hyps]
    span = [t for t in ticks if t >= t_start]
    soak = {}
    if soak_s:
        t, w = np.array(written, dtype=np.float64).T
        soak = {"seconds": round(elapsed, 1), "recorded_s": round(kept_s, 1),
                # frames PortAudio delivered per second of wall clock, fitted over the whole run:
                # the device's rate means nothing was dropped between the sound server and the ring
                "delivered_rate_hz": round(float(np.polyfit(t - t[0], w, 1)[0]), 1),
                "transcriber_lost_frames": lost_frames, "utterances": len(spoken), "finals": len(finals),
                "rss_mb_start": rss_start, "rss_mb_end": rss_end, "rss_mb_each_cycle": rss_trace}
    return {"rate": rate, "sentences": len(spoken), "wer": round(word_error_rate(list(spoken), scored), 4),
            **soak,
            "refresh_hz": round((len(span) - 1) / (span[-1] - span[0]), 1) if len(span) > 1 else 0.0,
            "gui_busy_share": round(sum(busy) / elapsed, 3), "gui_longest_block_ms": round(1000 * max(busy), 1),
            "final_after_playback_s_p50": round(float(np.nanmedian(waits)), 3),
            "final_after_playback_s_max": round(float(np.nanmax(waits)), 3), "overflows": overflows,
            "hypotheses": hyps}


def rss_mb() -> float:
    """Resident memory of this process (Linux /proc), MB."""
    with open("/proc/self/statm") as fh:
        return round(int(fh.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 1e6, 1)


def sphinx_wer(sentences, wavs) -> float:
    from speech_check import word_error_rate

    from studio.core.audio.recognizers import create_recognizer
    from studio.core.audio.sampling import resample
    from studio.core.audio.wav import load_wav

    sphinx = create_recognizer("pocketsphinx")
    hyps = []
    for w in wavs:
        wav = load_wav(w)
        hyps.append(sphinx.transcribe(resample(wav.mono(), wav.rate, 16000), "en").text)
    return round(word_error_rate(list(sentences), hyps), 4)


def run(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser(prog="bench_audio", description=__doc__.splitlines()[0])
    parser.add_argument("--sentences", type=int, default=32, help="at most this many of the set's sentences")
    parser.add_argument("--threads", type=int, default=2, help="CPU threads for Whisper (budget: 2)")
    parser.add_argument("--no-mic", action="store_true", help="skip the virtual-microphone part")
    parser.add_argument("--voice", default=VOICE, help="espeak-ng voice (default %(default)s; '' = espeak's own)")
    parser.add_argument("--wpm", type=int, default=WORDS_PER_MINUTE, help="espeak-ng -s rate (default %(default)s)")
    parser.add_argument("--panel-sentences", type=int, default=4,
                        help="sentences spoken through the Audio panel (0 skips that part)")
    parser.add_argument("--no-compare", action="store_true",
                        help="skip the second live pass without the early final decode (the old behaviour)")
    parser.add_argument("--set", dest="sentence_set", choices=sorted(SENTENCE_SETS), default="all",
                        help="which fixed sentences: bench (12, the voice was picked on them), held-out (20, "
                             "written before any was scored) or all (32)")
    parser.add_argument("--soak", type=float, default=0.0, metavar="SECONDS",
                        help="only the soak: speak into the Audio panel for this long (600 = the 10-minute "
                             "overflow budget) and report overflows, kept audio, memory")
    parser.add_argument("--json", action="store_true", help="(always JSON; accepted for `studio bench`)")
    args = parser.parse_args(argv)
    os.environ.setdefault("STUDIO_OFFLINE", "1")

    from studio.core.audio.recognizers.whisper import WhisperRecognizer
    sentences = SENTENCE_SETS[args.sentence_set][: max(1, args.sentences)]
    result: dict = {"bench": "audio", "cpu_count": os.cpu_count(), "whisper_threads": args.threads,
                    "sentence_set": args.sentence_set,
                    "sqnr": sqnr_figures()}
    reason = WhisperRecognizer.unavailable_reason(offline_only=True)
    if reason:
        result["whisper"] = {"skipped": reason}
        return result
    t0 = time.perf_counter()
    recognizer = WhisperRecognizer(cpu_threads=args.threads, device="cpu")
    result["whisper_load_s"] = round(time.perf_counter() - t0, 3)
    with tempfile.TemporaryDirectory() as tmp:
        wavs = render_sentences(sentences, Path(tmp), args.voice, args.wpm)
        if args.soak > 0:
            result["soak"] = panel_figures(sentences, wavs, soak_s=args.soak)
            return result
        result["speech"] = {"voice": args.voice or "espeak default", "espeak_wpm": args.wpm,
                            "measured_wpm": speaking_rate(sentences, wavs)}
        result["whisper_rtf"] = whisper_rtf(recognizer, wavs)
        result["pocketsphinx_file_wer"] = sphinx_wer(sentences, wavs)
        if not args.no_mic:
            result["live"] = live_figures(recognizer, sentences, wavs, early_final=True)
            if not args.no_compare and "wer" in result["live"]:
                late = live_figures(recognizer, sentences, wavs, early_final=False)
                result["live_without_early_final"] = {k: late[k] for k in (
                    "wer", "final_latency_s_p50", "final_latency_s_max", "overflows", "hypotheses")}
                result["early_final_latency_ratio"] = round(
                    result["live"]["final_latency_s_p50"] / late["final_latency_s_p50"], 3)
            if args.panel_sentences > 0:
                k = min(args.panel_sentences, len(wavs))
                result["panel"] = panel_figures(sentences[:k], wavs[:k])
    return result


if __name__ == "__main__":
    print(json.dumps(run(sys.argv[1:])))
