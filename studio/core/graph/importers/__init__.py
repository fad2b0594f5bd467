"""Models in: torchvision architectures, TorchScript files, state_dicts and ONNX files as Studio graphs.

`import_model` (api.py) is the one entry point; fx_import.py reads PyTorch modules with torch.fx,
onnx_import.py reads ONNX graphs, weights.py writes and reads the weights side file.
"""
