"""Training: trainer, worker process, metrics stream, checkpoints and run folders."""
