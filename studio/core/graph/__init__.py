"""Architecture graphs: block registry, graph model, shape inference, compile to PyTorch, codegen."""
