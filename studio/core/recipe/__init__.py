"""Karpathy's "Recipe for Training Neural Networks" as automatic checks and curve diagnosis."""
