"""Ask a trained run what it sees or hears: an image, a drawing or a sound in, the top-k classes out.

    predictor = load_predictor("runs/cnn")                 # UserError for a run that cannot answer
    answer = predictor.predict("digit.png", k=3, cam=True)  # or an (H, W[, C]) array of pixels
    answer.top[0].name, answer.top[0].probability          # "7", 0.98
    answer.cam.heatmap[0]                                  # Grad-CAM of the predicted class
    answer.to_json()

The run is opened the way Explain opens it (`train.run_folder.load_run_model`, weights vetted,
CPU, eval mode) and wrapped in its `explain.runs.ExplainRun`, so an input is prepared exactly as
`studio cam` prepares it (`explain.runs.picture_tensor`: the model's channels and size, the training
data's per-channel mean and std from run.json) and the CAM is `explain.cam.compute_cam`.

Two steps come before that, for pictures drawn or photographed by a person rather than taken
from the data set (`Framing`, on by default for one-channel models, `as_is=True` turns them off):

* light-on-dark: a picture whose mean brightness is nearer the training data's once inverted
  (dark ink on white paper, where the digits data sets are white on black) is inverted;
* framing: the ink's bounding box is centred and scaled so that its long side fills the share of
  the frame that the training digits fill (`INK_FILL`: scikit-learn's digits span the whole
  height, MNIST's sit in a 20 x 20 box of 28 x 28). A digit drawn small in a corner of a pad is
  then the size and place the network learned.

A run trained on sound (`spoken_digits`, `sound_folder`: `Predictor.input_kind == "sound"`) takes a
waveform instead: a WAV file's path, a `studio.core.audio.wav.Wav`, or an array of samples with its
`sample_rate`. It goes through `studio.core.data.sound.features_for` with the run's dataset options
and the training split's mean and std, so the model hears exactly what it was trained on:

    answer = predictor.predict("seven.wav", k=3)          # or predict(samples, sample_rate=48000)
    answer.features                                        # (bands, frames) log-mel before normalising

`Predictor.prepare` is the one dispatch on the input's kind: an image given to a sound model, or a
sound given to an image model, is refused in one line. A run that is a GAN, a denoiser or has no
classification head is refused with the reason.

A run of a detector (a graph with a DetectionHead, e.g. the Tiny YOLO template) gets a
`DetectionPredictor` instead (`input_kind == "detection"`): the image is only resized and normalised
as the training data was, and the answer is its boxes after the head's per-class NMS
(`studio.core.detection.run.RunDetector`, the anchors the run trained with), by decreasing score:

    answer = load_predictor("runs/yolo").predict("shapes.png", score_threshold=0.3)
    answer.boxes[0].name, answer.boxes[0].score, answer.boxes[0].box    # "circle", 0.91, (x0, y0, x1, y1)
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import torch

from studio.core.audio.recognizers.base import Recognizer, Segment
from studio.core.errors import UserError
from studio.core.explain.cam import CamResult
from studio.core.explain.runs import ExplainRun, graph_forward, picture_tensor

DEFAULT_TOP = 5
SOUND_DATASETS = ("spoken_digits", "sound_folder")
"""Datasets whose examples are `features_for` of a waveform: their runs take sounds."""
SOUND_SUFFIXES = (".wav", ".wave")
INK_FILL = {"digits": 1.0, "mnist": 20 / 28, "emnist": 20 / 28}
"""The share of the frame the long side of a training digit's ink fills, per data set."""
DEFAULT_INK_FILL = 20 / 28
INK_LEVEL = 0.35
"""A pixel is ink when it is above this share of the picture's brightness range (after inverting)."""


@dataclass(frozen=True)
class TopClass:
    name: str
    index: int
    probability: float

    def to_dict(self) -> dict[str, Any]:
        return {"class": self.name, "index": self.index, "probability": self.probability}


@dataclass
class PredictResult:
    """One input's answer: classes best first, every class's probability, the prepared input."""

    top: list[TopClass]
    probabilities: list[float]
    """Per class, in the run's class order."""
    x: torch.Tensor
    """(1, C, H, W) (an image) or (1, bands, frames) (a sound): the input as the network saw it (normalised)."""
    inverted: bool = False
    framed: bool = False
    cam: CamResult | None = None
    notes: list[str] = field(default_factory=list)
    input_kind: str = "image"
    features: np.ndarray | None = None
    """A sound's (bands, frames) log-mel (or MFCC) before normalising: what the model hears, to show."""
    seconds: float | None = None
    """A sound's length in seconds, as given."""

    @property
    def best(self) -> TopClass:
        return self.top[0]

    def to_json(self) -> dict[str, Any]:
        report: dict[str, Any] = {
            "predicted": self.best.to_dict(),
            "top": [t.to_dict() for t in self.top],
            "input_shape": list(self.x.shape[1:]),
            "input_kind": self.input_kind,
        }
        if self.input_kind == "image":
            report.update(inverted=self.inverted, framed=self.framed)
        else:
            report["seconds"] = None if self.seconds is None else round(self.seconds, 3)
        if self.cam is not None:
            report["cam"] = self.cam.to_json(0)
        return report


class _RunAnswerer:
    """What every predictor says about the run it answers for (the Try view reads these)."""

    run: ExplainRun

    @property
    def run_dir(self) -> Path:
        return self.run.run_dir

    @property
    def input_shape(self) -> tuple[int, ...]:
        return self.run.input_shape


class Predictor(_RunAnswerer):
    """A trained classifier ready to answer one input at a time (CPU; not thread-safe: one caller)."""

    def __init__(self, run: ExplainRun):
        self.run = run
        self.head = _classification_head(run)
        self.input_kind = _input_kind(run)
        self.ink_fill = INK_FILL.get(str(run.dataset.get("name") or "").lower(), DEFAULT_INK_FILL)
        self._warm = False

    def class_names(self, count: int) -> list[str]:
        """The run's class names for a head of `count` classes (numbers when the run names none)."""
        names = self.run.class_names
        return names if len(names) == count else [str(i) for i in range(count)]

    # --- inputs ---------------------------------------------------------------------------------
    def prepare(self, source: Any, *, as_is: bool = False) -> tuple[torch.Tensor, bool, bool]:
        """(x (1, C, H, W) as in training, inverted, framed) for a file path, a PIL image or an array."""
        if self.input_kind == "sound":
            return self.prepare_sound(source)[0], False, False
        if _is_sound(source):
            raise UserError(f"the model of {self.run_dir.name} takes images, not sounds: it was trained on "
                            f"{self.run.dataset.get('name') or 'pictures'}", "give it an image file or an array of pixels")
        picture = _as_picture(source, self.input_shape)
        inverted = framed = False
        if self.input_shape[0] == 1 and not as_is:
            picture = picture.convert("L")
            inverted = self._should_invert(picture)
            if inverted:
                from PIL import ImageOps

                picture = ImageOps.invert(picture)
            framed_picture = frame_ink(picture, self.ink_fill)
            if framed_picture is not None:
                picture, framed = framed_picture, True
        name = source if isinstance(source, (str, os.PathLike)) else "the picture"
        return picture_tensor(picture, self.input_shape, self.run.mean, self.run.std, name), inverted, framed

    def prepare_sound(self, source: Any, sample_rate: float | None = None) -> tuple[torch.Tensor, np.ndarray, float]:
        """(x (1, bands, frames) as in training, the features before normalising, seconds) for a WAV
        file, a `Wav`, or samples ((frames,) or (frames, channels)) with their `sample_rate`."""
        from studio.core.audio.wav import Wav, load_wav
        from studio.core.data.sound import features_for

        name = self.run_dir.name
        if isinstance(source, (str, os.PathLike)):
            path = Path(source)
            if path.suffix.lower() not in SOUND_SUFFIXES:
                what = "an image" if path.suffix.lower() in _IMAGE_SUFFIXES else f"a {path.suffix or 'suffix-less'} file"
                raise UserError(f"the model of {name} takes sounds, not {what} ({path.name})",
                                "give it a WAV file of a spoken word")
            source = load_wav(path)
        if isinstance(source, Wav):
            samples, sample_rate = source.mono(), source.rate
        elif isinstance(source, (np.ndarray, torch.Tensor)) and sample_rate is not None:
            samples = np.asarray(source.detach().cpu().numpy() if isinstance(source, torch.Tensor) else source)
            if samples.ndim not in (1, 2) or samples.shape[0] == 0 or not np.issubdtype(samples.dtype, np.number):
                raise UserError(f"an array shaped {list(samples.shape)} of {samples.dtype} is not a sound",
                                "give samples shaped (frames,) or (frames, channels)")
            if not np.isfinite(samples).all():
                raise UserError("the sound has samples that are not finite numbers", "give samples in [-1, 1]")
        elif isinstance(source, np.ndarray):
            raise UserError(f"the model of {name} takes sounds: an array needs its sample rate",
                            "give predict(samples, sample_rate=...) or a WAV file")
        else:
            raise UserError(f"the model of {name} takes sounds, not {_what(source)}",
                            "give it a WAV file or an array of samples with its sample rate")
        if not float(sample_rate) > 0:
            raise UserError(f"sample rate {sample_rate!r} is not a positive number", "give the rate in Hz, e.g. 16000")
        seconds = samples.shape[0] / float(sample_rate)
        options = dict(self.run.project.data.get("options") or {})
        raw = features_for(samples.astype(np.float32, copy=False), float(sample_rate), options)
        mean, std = self.run.mean, self.run.std
        x = raw
        if mean is not None and std is not None:
            m = float(np.ravel(mean)[0]) if np.size(mean) else 0.0
            s = float(np.ravel(std)[0]) if np.size(std) else 1.0
            x = (raw - m) / s
        if tuple(x.shape) != tuple(self.input_shape):
            raise UserError(f"the sound's features are shaped {list(x.shape)}, the model of {name} takes "
                            f"{list(self.input_shape)}", "train the run again with these feature options")
        return torch.from_numpy(np.ascontiguousarray(x, dtype=np.float32))[None], raw, seconds

    def _should_invert(self, picture: Any) -> bool:
        """True when the picture's mean brightness is nearer the training data's once inverted."""
        if not self.run.mean:
            return False
        mean = float(np.asarray(picture, dtype=np.float32).mean()) / 255.0
        data = float(np.mean(self.run.mean))
        return abs((1.0 - mean) - data) < abs(mean - data)

    # --- answers --------------------------------------------------------------------------------
    def scores(self, x: torch.Tensor) -> torch.Tensor:
        """(N, classes) probabilities of the classification head."""
        from studio.core.explain.outputs import class_scores, pick_output

        with torch.no_grad():
            out = class_scores(pick_output(self.run.model, graph_forward(self.run.model, x), self.head)).float()
        if bool(((out >= 0) & (out <= 1)).all()) and torch.allclose(out.sum(dim=1), torch.ones(len(out)), atol=1e-3):
            return out  # the head already outputs a distribution
        return torch.softmax(out, dim=1)

    def predict(self, source: Any, k: int = DEFAULT_TOP, *, cam: bool = False, as_is: bool = False,
                method: str = "gradcam", sample_rate: float | None = None) -> PredictResult:
        """The `k` most probable classes of one input (and the CAM of the best one when `cam`).

        A sound model takes a WAV path, a `Wav` or samples with `sample_rate`; it has no CAM."""
        features = seconds = None
        if self.input_kind == "sound":
            if cam:
                raise UserError(f"the model of {self.run_dir.name} hears sounds: Grad-CAM is for image models",
                                "leave out --cam")
            x, features, seconds = self.prepare_sound(source, sample_rate)
            inverted = framed = False
        else:
            if sample_rate is not None:
                raise UserError(f"the model of {self.run_dir.name} takes images, not sounds: it was trained on "
                                f"{self.run.dataset.get('name') or 'pictures'}", "give it an image file or an array of pixels")
            x, inverted, framed = self.prepare(source, as_is=as_is)
        probs = self.scores(x)[0]
        k = max(1, min(int(k), probs.numel()))
        values, order = torch.topk(probs, k)
        names = self.class_names(probs.numel())
        top = [TopClass(names[i], int(i), float(p)) for p, i in zip(values.tolist(), order.tolist(), strict=True)]
        result = PredictResult(top, [float(p) for p in probs.tolist()], x, inverted, framed,
                               input_kind=self.input_kind, features=features, seconds=seconds)
        if cam:
            self.explain(result, method)
        return result

    def explain(self, result: PredictResult, method: str = "gradcam") -> CamResult:
        """The CAM of `result`'s best class on its input (kept in `result.cam`): a second pass with
        gradients, so a caller in a hurry shows the classes first and asks for this after."""
        result.cam = self.run.cam(result.x, method=method, target=result.best.index, head=self.head)
        return result.cam

    def display(self, result: PredictResult) -> np.ndarray:
        """The prepared input as the network saw it, (H, W, 3) float in [0, 1] (for an overlay)."""
        from studio.core.explain.render import to_rgb_float

        return to_rgb_float(self.run.display(result.x[0]))

    def overlay(self, result: PredictResult, size: tuple[int, int] | None = None, opacity: float = 0.5) -> np.ndarray:
        """(H, W, 3) uint8: what the network saw, with the CAM of its answer when there is one."""
        from studio.core.explain.render import overlay

        picture = self.display(result)
        if result.cam is None or result.cam.is_flat(0):
            return overlay(picture, np.zeros(picture.shape[:2], np.float32), opacity=0.0, size=size)
        return overlay(picture, result.cam.heatmap[0], opacity=opacity, size=size)

    def fork(self) -> Predictor:
        """A second predictor on its own copy of the weights, for a second thread (a view that
        shows the classes on one thread and computes the heatmap on another)."""
        import copy

        run = self.run
        twin = Predictor(ExplainRun(run.run_dir, run.project, copy.deepcopy(run.model), dict(run.dataset)))
        twin.ink_fill = self.ink_fill
        return twin

    def forward_ms(self, repeats: int = 5) -> float:
        """The fastest of `repeats` timed forward passes of one blank input, in milliseconds: what the
        model costs on this machine, little moved by other work (a view decides where to run it)."""
        import time

        x = torch.zeros((1, *self.input_shape))
        self.scores(x)
        best = float("inf")
        for _ in range(max(1, repeats)):
            start = time.perf_counter()
            self.scores(x)
            best = min(best, time.perf_counter() - start)
        return 1000 * best

    def warm_up(self) -> None:
        """One prediction with CAM on a blank input: the first call finds and caches the CAM layer."""
        if not self._warm and self.input_kind == "sound":
            self.predict(np.zeros(1600, np.float32), sample_rate=16000)
            self._warm = True
        if not self._warm:
            shape = self.input_shape
            self.predict(np.zeros((shape[1], shape[2]), np.uint8), cam=True, as_is=True)
            self._warm = True


def load_predictor(run_dir: str | os.PathLike[str], which: str = "best") -> Predictor | DetectionPredictor:
    """A run folder's model ready to predict (a `DetectionPredictor` for a detector's run); UserError
    naming a folder or a model that cannot answer."""
    from studio.core.graph.networks import is_gan
    from studio.core.train.run_folder import load_run_model, load_run_project, open_run_folder, read_summary

    path = open_run_folder(run_dir).path
    project = load_run_project(path)
    if is_gan(project.graph):
        raise UserError(f"{path} is a GAN run: its generator draws images and names no class",
                        "draw its images in the Train panel or export the generator (`studio export RUN`)")
    try:
        dataset = dict(read_summary(path).get("dataset") or {})
    except UserError:
        dataset = {}
    if any(node.block == "DetectionHead" for node in project.graph.nodes):
        from studio.core.detection.run import load_run_detector

        detector = load_run_detector(path, which)  # the head with the anchors the run trained with
        return DetectionPredictor(detector, ExplainRun(path, detector.project, detector.model, dataset))
    project, model = load_run_model(path, which)
    return Predictor(ExplainRun(path, project, model, dataset))


# --- detection: boxes instead of classes ------------------------------------------------------------

@dataclass(frozen=True)
class FoundBox:
    """One box a detector reports: its class, its score (objectness x class probability) and its
    corners (x0, y0, x1, y1) as fractions of the image's width and height."""

    name: str
    index: int
    score: float
    box: tuple[float, float, float, float]

    def to_dict(self) -> dict[str, Any]:
        return {"class": self.name, "index": self.index, "score": self.score, "box": list(self.box)}


@dataclass
class DetectionResult:
    """One image's boxes after NMS, best first, scoring above `score_threshold`."""

    boxes: list[FoundBox]
    x: torch.Tensor
    """(1, C, H, W): the input as the network saw it (normalised)."""
    score_threshold: float
    nms_iou: float
    input_kind: str = "detection"
    inverted: bool = False
    framed: bool = False
    cam: CamResult | None = None
    notes: list[str] = field(default_factory=list)

    @property
    def top(self) -> list[TopClass]:
        """The boxes as (class, score) pairs, for a caller that lists answers (`studio predict`'s text);
        one "no object found" entry when there is none."""
        if not self.boxes:
            return [TopClass("no object found", -1, 0.0)]
        return [TopClass(b.name, b.index, b.score) for b in self.boxes]

    @property
    def best(self) -> TopClass:
        return self.top[0]

    def rows(self) -> list[list[float]]:
        """The boxes as [class, score, x0, y0, x1, y1] rows (what the detection drawings take)."""
        return [[b.index, b.score, *b.box] for b in self.boxes]

    def to_json(self) -> dict[str, Any]:
        return {"predicted": self.boxes[0].to_dict() if self.boxes else None,
                "boxes": [b.to_dict() for b in self.boxes], "count": len(self.boxes),
                "score_threshold": self.score_threshold, "nms_iou": self.nms_iou,
                "input_shape": list(self.x.shape[1:]), "input_kind": self.input_kind}


class DetectionPredictor(_RunAnswerer):
    """A trained detector ready to find the objects in one image at a time (CPU; one caller).

    The same surface as `Predictor` where a view needs it (`run`, `input_shape`, `fork`, `warm_up`,
    `forward_ms`, `predict`), so the Try view opens either."""

    input_kind = "detection"

    def __init__(self, detector: Any, run: ExplainRun):
        self.detector = detector
        self.run = run

    @property
    def class_names(self) -> list[str]:
        return list(self.detector.class_names or self.run.class_names)

    @property
    def score_threshold(self) -> float:
        """The head's own threshold: what training's mAP, the export and `studio predict` use."""
        return float(self.detector.head.params.get("score_threshold", 0.05))

    @property
    def nms_iou(self) -> float:
        return float(self.detector.head.params.get("nms_iou", 0.45))

    def prepare(self, source: Any, *, as_is: bool = True) -> torch.Tensor:
        """(1, C, H, W) for a file path, a PIL image or an array: resized and normalised as in training
        (never inverted or framed: a detector's pictures are whole scenes, not digits)."""
        if _is_sound(source):
            raise UserError(f"the model of {self.run_dir.name} finds objects in images, not in sounds",
                            "give it an image file or an array of pixels")
        shape = self.run.require_image_model()
        name = source if isinstance(source, (str, os.PathLike)) else "the picture"
        return picture_tensor(_as_picture(source, shape), shape, self.run.mean, self.run.std, name)

    def predict(self, source: Any, k: int | None = None, *, cam: bool = False, as_is: bool = True,
                sample_rate: float | None = None, score_threshold: float | None = None) -> DetectionResult:
        """The boxes of one image after NMS scoring above `score_threshold` (the head's own by default),
        all of them (`k` is a classifier's and is ignored here)."""
        if cam:
            raise UserError(f"the model of {self.run_dir.name} is a detector: it answers with boxes, and "
                            "Grad-CAM is for classifiers", "leave out --cam")
        if sample_rate is not None:
            raise UserError(f"the model of {self.run_dir.name} finds objects in images, not in sounds",
                            "give it an image file or an array of pixels")
        threshold = self.score_threshold if score_threshold is None else float(score_threshold)
        x = self.prepare(source)
        found = self.detector.detect(x, score_threshold=threshold)[0]
        names = self.class_names
        boxes = [FoundBox(names[c] if 0 <= c < len(names) else str(c), int(c), float(s),
                          tuple(float(v) for v in b))  # type: ignore[arg-type]
                 for b, s, c in zip(found["boxes"].tolist(), found["scores"].tolist(), found["classes"].tolist(),
                                    strict=True)]
        return DetectionResult(boxes, x, threshold, self.nms_iou)

    def picture(self, result: DetectionResult) -> np.ndarray:
        """The prepared input as the network saw it, (C, H, W) uint8 (normalisation undone)."""
        shown = self.run.display(result.x[0]).clamp(0, 1)
        return (shown * 255).round().to(torch.uint8).numpy()

    def fork(self) -> DetectionPredictor:
        """A second predictor on its own copy of the weights, for a second thread."""
        import copy
        from dataclasses import replace

        detector = replace(self.detector, model=copy.deepcopy(self.detector.model))
        run = self.run
        return DetectionPredictor(detector, ExplainRun(run.run_dir, run.project, detector.model, dict(run.dataset)))

    def forward_ms(self, repeats: int = 5) -> float:
        """The fastest of `repeats` timed detections of one blank input (forward, decode, NMS), in ms."""
        import time

        x = torch.zeros((1, *self.input_shape))
        self.detector.detect(x)
        best = float("inf")
        for _ in range(max(1, repeats)):
            start = time.perf_counter()
            self.detector.detect(x)
            best = min(best, time.perf_counter() - start)
        return 1000 * best

    def warm_up(self) -> None:
        self.detector.detect(torch.zeros((1, *self.input_shape)))


def frame_ink(picture: Any, fill: float) -> Any | None:
    """A grey PIL picture cropped to its ink, centred on a black square whose side the ink's long side
    fills by `fill`; None when there is no ink (a blank pad), nothing stands out, or the ink is
    already centred on a square and fills it about that much."""
    from PIL import Image

    pixels = np.asarray(picture, dtype=np.uint8)
    lo, hi = int(pixels.min()), int(pixels.max())
    if hi - lo < 32:
        return None
    rows, cols = np.nonzero(pixels > lo + INK_LEVEL * (hi - lo))
    top, bottom, left, right = rows.min(), rows.max() + 1, cols.min(), cols.max() + 1
    height, width = pixels.shape
    long_side, frame = max(bottom - top, right - left), max(height, width)
    off_centre = max(abs((top + bottom) / 2 - height / 2) / height, abs((left + right) / 2 - width / 2) / width)
    if height == width and long_side >= 0.9 * fill * frame and off_centre <= 0.1:
        return None  # framed like the training data already (a digit taken from the data set)
    ink = picture.crop((int(left), int(top), int(right), int(bottom)))
    side = max(1, int(round(max(bottom - top, right - left) / max(0.05, min(1.0, fill)))))
    square = Image.new("L", (side, side), lo)
    square.paste(ink, ((side - (right - left)) // 2, (side - (bottom - top)) // 2))
    return square


def _as_picture(source: Any, shape: tuple[int, ...]) -> Any:
    """A PIL image from a file path, a PIL image or an array of pixels."""
    from PIL import Image

    from studio.core.data.images import open_user_image

    if isinstance(source, Image.Image):
        return source
    if isinstance(source, (str, os.PathLike)):
        return open_user_image(Path(source), fix="use a PNG or JPEG file")
    if isinstance(source, torch.Tensor):
        source = source.detach().cpu().numpy()
    if isinstance(source, np.ndarray):
        return array_picture(source, shape)
    raise UserError(f"cannot predict on a {type(source).__name__}", "give an image file or an array of pixels")


def array_picture(array: np.ndarray, shape: tuple[int, ...]) -> Any:
    """An array of pixels as a PIL image: (H, W), (H, W, C) or (C, H, W) with C 1, 3 or 4; uint8, or
    numbers in [0, 1] (or [0, 255])."""
    from PIL import Image

    a = np.asarray(array)
    if a.dtype == bool:
        a = a.astype(np.uint8) * 255
    if a.ndim == 3 and a.shape[0] in (1, 3, 4) and a.shape[2] not in (1, 3, 4):
        a = np.transpose(a, (1, 2, 0))  # (C, H, W) -> (H, W, C)
    if a.ndim == 3 and a.shape[2] == 1:
        a = a[:, :, 0]
    if a.ndim not in (2, 3) or (a.ndim == 3 and a.shape[2] not in (3, 4)) or min(a.shape[:2]) < 1:
        raise UserError(f"an array shaped {list(a.shape)} is not an image the model can take (it takes "
                        f"{list(shape)})", "give (height, width) grey or (height, width, 3) RGB pixels")
    if a.dtype != np.uint8:
        if not np.issubdtype(a.dtype, np.number) or not np.isfinite(a).all():
            raise UserError(f"an array of {a.dtype} values is not pixels", "give uint8 pixels or numbers in [0, 1]")
        lo, hi = float(a.min()), float(a.max())
        if lo < 0 or hi > 255:
            raise UserError(f"array values run from {lo:g} to {hi:g}, not pixels",
                            "give uint8 pixels (0 to 255) or numbers in [0, 1]")
        a = np.clip(a * (255.0 if hi <= 1.0 else 1.0) + 0.5, 0, 255).astype(np.uint8)
    return Image.fromarray(np.ascontiguousarray(a), "L" if a.ndim == 2 else ("RGB" if a.shape[2] == 3 else "RGBA"))


def _classification_head(run: ExplainRun) -> int:
    """The index of the first classification head, or the UserError saying what the run is instead."""
    heads = list(getattr(run.model, "heads", None) or [])
    kinds = [getattr(h, "kind", None) for h in heads]
    if "classification" in kinds:
        return kinds.index("classification")
    if "diffusion" in kinds:
        raise UserError(f"{run.run_dir} is a diffusion run: its network predicts noise, not a class",
                        "draw its samples in the Train panel")
    what = ", ".join(sorted({str(k) for k in kinds if k})) or "none"
    raise UserError(f"the model of {run.run_dir} has no classification head (its heads: {what})",
                    "predict names classes: choose a run of a classifier")


_IMAGE_SUFFIXES = (".png", ".jpg", ".jpeg", ".bmp", ".gif", ".tif", ".tiff", ".webp", ".npy")


def _is_sound(source: Any) -> bool:
    from studio.core.audio.wav import Wav

    if isinstance(source, Wav):
        return True
    return isinstance(source, (str, os.PathLike)) and Path(source).suffix.lower() in SOUND_SUFFIXES


def _what(source: Any) -> str:
    from PIL import Image

    return "an image" if isinstance(source, Image.Image) else f"a {type(source).__name__}"


def _input_kind(run: ExplainRun) -> str:
    shape = run.input_shape
    dataset = str((run.project.data or {}).get("dataset") or run.dataset.get("name") or "").lower()
    if dataset in SOUND_DATASETS and len(shape) == 2:
        return "sound"
    if len(shape) == 3 and shape[0] in (1, 3):
        return "image"
    raise UserError(f"the model of {run.run_dir} takes inputs shaped {list(shape)}, not images (C, H, W)",
                    "predict answers for image classifiers for now; choose a run of a CNN or vision transformer")


# --- listening: spoken words from a microphone, each answered by a sound model ---------------------

LISTEN_END_SILENCE_S = 0.15
"""A word has ended after this much silence (the Audio lab waits 0.5 s for a sentence's end; a
spoken digit has no pause inside it this long, and the answer is due 0.3 s after the word)."""


@dataclass(frozen=True)
class HeardWord:
    """One utterance the listener cut out of the stream, and what the model says it was."""

    kind: str
    """"word" (with `result`), "no_speech" (a sound that held no voice) or "error" (`message`)."""
    result: PredictResult | None = None
    start: float = 0.0
    """Seconds since listening started."""
    end: float = 0.0
    speech_end: float | None = None
    """time.monotonic() of the end of speech as the endpointer saw it (for the word-end latency)."""
    message: str = ""


class WordListener:
    """The Audio lab's live endpointing (`studio.core.audio.streaming.StreamingTranscriber`: the
    energy VAD cuts utterances, the Silero gate drops sounds without a voice) with a sound model in
    place of the speech recogniser: every utterance is answered by `predictor` (used on the
    listener's thread only: give it a predictor of its own, `Predictor.fork`)."""

    def __init__(self, predictor: Predictor, rate: int, k: int = DEFAULT_TOP,
                 end_silence_s: float = LISTEN_END_SILENCE_S):
        from studio.core.audio.streaming import StreamingTranscriber
        from studio.core.audio.vad import VadSettings

        if predictor.input_kind != "sound":
            raise UserError(f"the model of {predictor.run_dir.name} takes images: it cannot listen",
                            "choose a run trained on sound")
        self.recognizer = _PredictorRecognizer(predictor, k)
        self.transcriber = StreamingTranscriber(self.recognizer, rate, language=None,
                                                vad=VadSettings(end_silence_s=end_silence_s),
                                                partials=False, early_final=False)

    @staticmethod
    def warm_up() -> None:
        """Load the voice-activity gate (Silero's first call reads its network) before the first word."""
        from studio.core.audio.vad import speech_regions

        rng = np.random.default_rng(0)
        speech_regions((0.1 * rng.standard_normal(16000)).astype(np.float32), 16000)

    def start(self, ring: Any, from_position: int | None = None) -> WordListener:
        self.transcriber.start(ring, from_position)
        return self

    def process(self, samples: np.ndarray, captured_at: float | None = None) -> None:
        """Feed samples directly (no ring, no thread): for a file or a test."""
        self.transcriber.process(samples, captured_at)

    def flush(self) -> None:
        self.transcriber.flush()

    def poll(self) -> list[HeardWord]:
        """Every utterance answered since the last poll (never blocks)."""
        heard = []
        for event in self.transcriber.poll():
            if event.kind == "final":
                answer = self.recognizer.take(event.text)
                if answer is None:
                    continue
                result, decoded_at = answer
                speech_end = decoded_at - event.latency_s if event.latency_s is not None else None
                heard.append(HeardWord("word", result, event.start, event.end, speech_end))
            elif event.kind == "no_speech":
                heard.append(HeardWord("no_speech", None, event.start, event.end))
            elif event.kind == "error":
                heard.append(HeardWord("error", None, event.start, event.end, message=event.text))
        return heard

    def request_stop(self) -> None:
        self.transcriber.request_stop()

    def stop(self) -> None:
        self.transcriber.stop()


class _PredictorRecognizer(Recognizer):
    """A `Recognizer` whose "text" is a ticket for the model's answer to the utterance."""

    name = "predict"
    sample_rate = 16000
    languages = None

    def __init__(self, predictor: Predictor, k: int):
        import threading

        self.predictor = predictor
        self.k = k
        self._answers: dict[str, tuple[PredictResult, float]] = {}
        self._count = 0
        self._lock = threading.Lock()

    @classmethod
    def unavailable_reason(cls, offline_only: bool = False, **options: Any) -> str | None:
        return None

    def check_language(self, language: str | None) -> None:
        return None

    def _decode(self, samples: np.ndarray, language: str | None, partial: bool):
        import time

        result = self.predictor.predict(samples, k=self.k, sample_rate=self.sample_rate)
        with self._lock:
            self._count += 1
            ticket = f"#{self._count}"
            self._answers[ticket] = (result, time.monotonic())
            for old in list(self._answers)[:-16]:  # answers never polled (a listener stopped early)
                del self._answers[old]
        return [Segment(0.0, samples.shape[0] / self.sample_rate, ticket)], None

    def take(self, ticket: str) -> tuple[PredictResult, float] | None:
        with self._lock:
            return self._answers.pop(ticket.strip(), None)
