"""The audio lab's widgets: recorder, level meter, waveform, sampling, quantization, spectra, transcript."""
