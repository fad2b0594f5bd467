"""Karpathy's "Recipe for Training Neural Networks" as automatic checks and curve diagnosis.

* `smoothing`: TensorBoard's debiased exponential moving average (shared by the plots and the verdicts).
* `diagnosis`: reads a run's events (live or from metrics.jsonl) and names what the curves say:
  diverging, underfitting, still improving, overfitting or healthy, with the epoch where it began.
* `subject`, `checks`, `probes`: the recipe's checks on a model and its data (seed, loss at init,
  final-layer bias, input-independent baseline, overfit one batch, batch independence, LR range
  test, prediction dynamics, first-layer filters); `report.run_checks` runs a chosen set;
  `gan_checks`: what they are for a GAN (D's loss at init against 2 ln 2, D overfitting one batch).
"""
