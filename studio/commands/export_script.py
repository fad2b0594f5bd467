"""`studio export-script PROJECT_OR_RUN -o train.py`: a standalone PyTorch training script of a project.

The script (and the data file written beside it, `train_data.pt`) runs with only PyTorch installed,
as `python train.py` or under `torchrun --nproc-per-node N train.py`; see docs/export.md. From a
run folder the script starts from the run's trained weights (best.pt, or `--checkpoint last`),
written beside it as `train_init.pt`; `--from-scratch` starts from the seeded initialisation.
"""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("source", metavar="PROJECT_OR_RUN",
                        help="a *.studio.json project file, or a run folder (its project as trained)")
    parser.add_argument("-o", "--out", required=True, help="the script to write (FILE.py; FILE_data.pt is written beside it)")
    parser.add_argument("--dataset", help="train on this dataset instead of the project's")
    parser.add_argument("--epochs", type=int, help="epochs (default: the project's)")
    parser.add_argument("--batch-size", type=int, help="global batch size (default: the project's)")
    parser.add_argument("--lr", type=float, help="learning rate (default: the project's)")
    parser.add_argument("--seed", type=int, help="random seed (default: the project's)")
    parser.add_argument("--checkpoint", choices=("best", "last"),
                        help="from a run folder: start from these weights (default best), written as FILE_init.pt")
    parser.add_argument("--from-scratch", action="store_true",
                        help="from a run folder: start from the seeded initialisation, not the run's weights")
    parser.add_argument("--force", action="store_true",
                        help="replace FILE.py, FILE_data.pt and FILE_init.pt if they exist")
    parser.add_argument("--json", action="store_true", help="print one JSON object describing what was written")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from studio.core.errors import UserError
    from studio.core.export.train_script import start_weights, write_train_script
    from studio.core.project import load_project

    source = Path(args.source)
    start, no_weights = None, None
    if source.is_dir():
        from studio.core.train.run_folder import load_run_project
        from studio.core.train.run_layout import RunLayout

        project = load_run_project(source)
        shown = f"run {source.name}"
        if args.checkpoint and args.from_scratch:
            raise UserError("--checkpoint and --from-scratch contradict each other",
                            "keep --checkpoint to start from the run's weights, or --from-scratch for fresh ones")
        if not args.from_scratch:
            if RunLayout(source).checkpoint(args.checkpoint or "best") is not None:
                start = start_weights(source, args.checkpoint or "best")
            elif args.checkpoint:
                start_weights(source, args.checkpoint)  # the UserError naming the missing file
            else:
                no_weights = f"run {source.name} has no weights yet (best.pt or checkpoint.pt): the script starts " \
                             "from the seeded initialisation"
    else:
        if args.checkpoint or args.from_scratch:
            raise UserError(f"{'--checkpoint' if args.checkpoint else '--from-scratch'} goes with a run folder, and "
                            f"{source.name} is a project file (its script always starts from the seeded initialisation)",
                            "pass the run folder that trained it, or drop the option")
        project = load_project(source)
        shown = source.name
    overrides = {"dataset": args.dataset, "epochs": args.epochs, "batch_size": args.batch_size, "lr": args.lr,
                 "seed": args.seed}
    report = write_train_script(project, args.out, force=args.force, source=shown, overrides=overrides, start=start)
    if no_weights:
        report["notes"].insert(0, no_weights)
    if args.json:
        print(json.dumps(report))
        return 0
    print(f"wrote {report['out']} ({report['bytes']:,} bytes) and {report['data']} "
          f"({report['data_bytes']:,} bytes: {report['n_train']} training and {report['n_val']} validation samples "
          f"of {report['dataset']})")
    print(f"model {report['class']}, {report['total_params']:,} parameters; {report['optimizer']} lr "
          f"{report['lr']:g} ({report['schedule']}), {report['epochs']} epoch(s), global batch {report['batch_size']}, "
          f"seed {report['seed']}")
    print(f"starts from {report['starts_from']}" + (f" (written as {report['init']})" if report["init"] else "")
          + (f"; frozen blocks: {', '.join(report['frozen'])}" if report["frozen"] else ""))
    for note in report["notes"]:
        print(f"note: {note}")
    print(f"run it with: python {Path(report['out']).name}   or   torchrun --nproc-per-node N {Path(report['out']).name}")
    return 0
