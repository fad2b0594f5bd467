"""`studio few-shot RUN [--way N ...] [--shot K ...] [--episodes E] [--data FOLDER] [--json]`.

Prototypical-network evaluation of a trained embedding model (studio/core/train/few_shot.py): for
each (way, shot) pair, `--episodes` seeded N-way K-shot episodes; each class's prototype is the mean
embedding of its K support samples and each query takes the class of the nearest prototype. Prints
the mean accuracy with its 95 % confidence interval per setting. The samples are the run's
validation split, or every image of `--data FOLDER` (one sub-folder per class, prepared like the
run's training images); classes of that folder the run never trained on are held out, and used
alone when there are enough of them. With --json one object: {"run_dir", "checkpoint", "source",
"n_samples", "n_classes", "classes", "held_out", "seed", "settings": [{"way", "shot", "queries",
"episodes", "accuracy", "ci95", "std", "chance"}]}.
"""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("run_dir", metavar="RUN", help="a run folder of a model with an EmbeddingHead")
    parser.add_argument("--way", type=int, nargs="+", default=[5], metavar="N", help="classes per episode (default 5)")
    parser.add_argument("--shot", type=int, nargs="+", default=[1, 5], metavar="K",
                        help="support samples per class (default 1 5: both settings)")
    parser.add_argument("--queries", type=int, default=15, metavar="Q", help="query samples per class (default 15)")
    parser.add_argument("--episodes", type=int, default=200, metavar="E", help="episodes per setting (default 200)")
    parser.add_argument("--seed", type=int, default=0, help="seed of the episodes (default 0)")
    parser.add_argument("--data", metavar="FOLDER", help="evaluate on this image folder (one sub-folder per class) "
                                                          "instead of the run's validation split")
    parser.add_argument("--checkpoint", choices=("best", "last"), default="best", help="which weights (default best)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")


def run(args: argparse.Namespace) -> int:
    from studio.app.run_store import RunStore
    from studio.core.errors import UserError
    from studio.core.train.few_shot import episode_pool, evaluate

    for flag, values in (("--way", args.way), ("--shot", args.shot)):
        low = 2 if flag == "--way" else 1
        if any(v < low for v in values):
            raise UserError(f"{flag} {' '.join(map(str, values))}: each must be at least {low}")
    if args.episodes < 1 or args.queries < 1:
        raise UserError("--episodes and --queries must be at least 1")
    opened = RunStore().open(args.run_dir)
    model = opened.model(args.checkpoint)
    pool = episode_pool(opened.project.data, dict(opened.summary().dataset), args.data,
                        "pass --data FOLDER with one sub-folder per class")
    x, labels, names, trained, source = pool.x, pool.labels, pool.names, pool.trained, pool.source
    settings = [(w, k) for w in args.way for k in args.shot]
    report = evaluate(model, x, labels, names, trained, settings, args.queries, args.episodes, args.seed, source)
    if args.json:
        print(json.dumps({"run_dir": str(opened.path), "checkpoint": args.checkpoint, **report.to_json()}))
        return 0
    print(f"few-shot (prototypical network) on {source}: {report.n_samples} samples, {report.n_classes} classes")
    if report.held_out:
        print(f"  episodes use the {len(report.classes_used)} classes not seen in training: "
              f"{', '.join(report.classes_used)}")
    else:
        print("  every class of this data was seen in training: the figures measure the embedding on new "
              "samples, not on new classes")
    for result in report.settings:
        print("  " + result.line())
    return 0
