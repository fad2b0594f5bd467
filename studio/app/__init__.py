"""The application layer: what the panels, the CLI and the tests share above the core.

`studio.core` knows how to build, train, explain and export a model; it knows nothing of an open
session. `studio.app` holds what a session is made of, still without Qt, so the CLI and the tests
use the same code as the window:

- `run_store`: the one API for run folders (open, choose best or last weights, summary, metrics);
- `jobs`: the one way to run work off the caller's thread (started / progress / result / error /
  finished, cancel, newest request wins, wait for everything at quit);
- `project`: the open project (`OpenProject`): its document, its training config checked when it
  is opened (the type, `TrainConfig`, and the `RunOptions` that steer one run but never enter a
  project, live in `studio.core.train.config`, which the trainer reads), and per-part change events.

The Qt side (`studio.ui`) adapts these to signals; it does not re-implement them.
"""
