"""Export and model reduction: ONNX (checked with onnxruntime), TorchScript, code, INT8, pruning.

Modules, from the file formats up:

* `spec`: what an exported model takes and gives (`ModelIO`), and the metadata written with it;
* `checkpoint`: safe checkpoint loading (weights_only) with clear refusals; `run_source`: a run
  folder as the exporters need it (model, interface, real samples);
* `onnx_export` (+ `blockers`, `ort`, `quiet`), `torchscript_export`, `code_export`: the formats,
  each verified against PyTorch after writing;
* `quantize`, `prune`, `distill` / `distill_run` (+ `small_loop`): the course's model reduction;
* `measure`, `compare`: before/after rows; `inference`: top-k from an .onnx file;
* `pipeline.export_run`: all of the above in the order `studio export` and the Export panel use.

onnx and onnxruntime are imported inside the functions that need them.
"""
