"""Recipe checks as a job for the Train panel's runner: one core, and torch's thread count put back.

Checks train small models for seconds, so they run on a `QtJobRunner` (one at a time), never on
the GUI thread. Each finished check is reported through `context.progress(result)` so its row
appears at once, and each check about to start through `context.progress(RUNNING, i, n, name)` so
the panel can say "running check 2 of 9"; the job's result is the list of all of them. Every result
carries the configuration it ran on (`artifacts["basis"]`, recipe/basis.py): the view marks it
stale once the project's configuration moves on.
"""

from __future__ import annotations

from studio.app.jobs import Job, JobContext

RUNNING = "running"
"""First value of the progress report sent before a check starts (a finished one sends its result)."""


def recipe_checks_job(project, names: tuple[str, ...] | None = None) -> Job:
    """A job running the named checks (all by default) on a copy of `project` taken now."""
    from studio.core.recipe.basis import check_basis

    snapshot = project.copy()
    basis = check_basis(snapshot)

    def job(context: JobContext) -> list:
        import torch

        # One core for the checks, the others for the GUI and the training worker. The setting is
        # the process's default for threads started later too (Explain's, Export's), so put it back.
        threads_before = torch.get_num_threads()
        try:
            from studio.core.recipe.report import run_checks
            from studio.core.recipe.subject import RecipeSubject

            torch.set_num_threads(1)
            subject = RecipeSubject.from_project(snapshot)

            def finished(result) -> None:
                result.artifacts["basis"] = basis
                context.progress(result)

            return run_checks(subject, names, on_result=finished, should_stop=context.cancelled.is_set,
                              on_start=lambda i, n, name: context.progress(RUNNING, i, n, name))
        finally:
            torch.set_num_threads(threads_before)

    return job
