"""`studio codegen PROJECT -o FILE.py`: write standalone, readable PyTorch code for a project's graph.

The file needs only torch; its class's state_dict keys equal the compiled module's, so weights
trained in Studio load into it.
"""

from __future__ import annotations

import argparse
import json


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("project", help="a *.studio.json project file")
    parser.add_argument("-o", "--out", help="the .py file to write (default: print the code)")
    parser.add_argument("--force", action="store_true", help="replace FILE.py if it already exists")
    parser.add_argument("--json", action="store_true", help="print one JSON object describing what was written")


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from studio.core.errors import UserError
    from studio.core.graph.codegen import class_name, generate_code
    from studio.core.graph.infer import infer_graph
    from studio.core.project import atomic_write_text, load_project
    from studio.core.safe_paths import check_new_output, write_error

    project = load_project(args.project)
    code = generate_code(project.graph, project.name, Path(args.project).name)
    if not args.out:
        if args.json:
            print(json.dumps({"class": class_name(project.name), "code": code}))
        else:
            print(code, end="")
        return 0
    out = Path(args.out)
    if out.suffix != ".py":
        raise UserError(f"{out} is not a .py file", "name the output FILE.py")
    if out.is_dir():
        raise UserError(f"{out} is a folder", "give a file name ending in .py")
    check_new_output(out, force=args.force, option="-o")  # never over a file the user did not ask to replace
    try:
        atomic_write_text(out, code)
    except OSError as exc:
        raise write_error(exc, out) from exc
    total = infer_graph(project.graph).total_params
    if args.json:
        print(json.dumps({"out": str(out), "class": class_name(project.name), "bytes": len(code.encode()),
                          "total_params": total}))
    else:
        print(f"wrote {out}: class {class_name(project.name)}, {total:,} parameters")
    return 0
