"""The Explain panel's parts: model and input pickers, the heatmap, filters, activations and feature views.

`studio.ui.panels.explain.ExplainPanel` assembles them. Everything that runs a model is in `jobs`
(plain functions over `studio.core.explain`) and runs on each view's own `QtJobRunner` (newest request wins).
"""
