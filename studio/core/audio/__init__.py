"""Audio: PCM maths (sampling, quantization, spectra), ring buffer, capture, speech recognizers."""
