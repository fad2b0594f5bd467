"""Export and model reduction: ONNX (checked with onnxruntime), TorchScript, code, INT8, pruning."""
