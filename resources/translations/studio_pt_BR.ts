<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
<context>
    <name></name>
    <message>
        <source>time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time before now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amplitude</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>About</name>
    <message>
        <source>detecting…</source>
        <translation>detectando…</translation>
    </message>
    <message>
        <source>Studio</source>
        <translation>Studio</translation>
    </message>
    <message>
        <source>Python</source>
        <translation>Python</translation>
    </message>
    <message>
        <source>Qt</source>
        <translation>Qt</translation>
    </message>
    <message>
        <source>PyTorch</source>
        <translation>PyTorch</translation>
    </message>
    <message>
        <source>CUDA</source>
        <translation>CUDA</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>not available ({error})</source>
        <translation>indisponível ({error})</translation>
    </message>
    <message>
        <source>none (CPU-only PyTorch build)</source>
        <translation>nenhuma (PyTorch compilado só para CPU)</translation>
    </message>
    <message>
        <source>{version} (built in; no usable GPU found)</source>
        <translation>{version} (embutida; nenhuma GPU utilizável encontrada)</translation>
    </message>
    <message>
        <source>GPU {index}</source>
        <translation>GPU {index}</translation>
    </message>
    <message>
        <source>{name}, {memory} GiB, compute capability {cc}</source>
        <translation>{name}, {memory} GiB, capacidade de computação {cc}</translation>
    </message>
    <message>
        <source>CPU</source>
        <translation>CPU</translation>
    </message>
    <message>
        <source>{cores} cores ({cpu})</source>
        <translation>{cores} núcleos ({cpu})</translation>
    </message>
    <message>
        <source>Platform</source>
        <translation>Plataforma</translation>
    </message>
    <message>
        <source>Build, train, explain and export neural networks, and explore sound. Works offline.</source>
        <translation>Monte, treine, explique e exporte redes neurais, e explore o som. Funciona offline.</translation>
    </message>
</context>
<context>
    <name>AboutDialog</name>
    <message>
        <source>About Studio</source>
        <translation>Sobre o Studio</translation>
    </message>
    <message>
        <source>Copy to clipboard</source>
        <translation>Copiar para a área de transferência</translation>
    </message>
</context>
<context>
    <name>ActivationsPane</name>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick an input to see what each channel responds to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{layer}: {n} channels of {grid} for this input (bright = strong response)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on {n} validation images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>on this image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No dead channels {where}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{k} of {n} channels are dead (never active on {b} validation images), framed in red: {list}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{k} of {n} channels are silent on this image, framed in red: {list}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>AppState</name>
    <message>
        <source>Rename project</source>
        <translation>Renomear projeto</translation>
    </message>
    <message>
        <source>Edit description</source>
        <translation>Editar descrição</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Sem título</translation>
    </message>
</context>
<context>
    <name>AudioPanel</name>
    <message>
        <source>Audio</source>
        <translation>Áudio</translation>
    </message>
    <message>
        <source>Sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Spectrum and log-mel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Waveform — scroll to zoom until the samples show as stems</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Audio lab</source>
        <translation>Laboratório de áudio</translation>
    </message>
    <message>
        <source>From the analog world to tokens: record, see what sampling and quantization do, and watch speech turn into text.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for input devices again</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device default</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>● Record</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open WAV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save WAV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input overflows: blocks the sound card dropped because they were not collected in time (should stay 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (default)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no input device</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No microphone: {reason}. Recording is off; you can still open WAV files, use the tone and sweep generators, and transcribe files.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no audio input device found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>device default ({rate})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened {name}: {seconds:.1f} s, {rate}, {channels} channel(s), {encoding}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to save yet: record something or open a WAV file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {name} ({encoding}).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a WAV file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>WAV files (*.wav);;All files (*)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save the clip as WAV</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to transcribe yet: record something or open a WAV file.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>overflows: {n}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BlockPalette</name>
    <message>
        <source>Search blocks…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>BuildPanel</name>
    <message>
        <source>Build</source>
        <translation>Montar</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Summary</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Project name</source>
        <translation>Nome do projeto</translation>
    </message>
    <message>
        <source>What this project is about</source>
        <translation>Do que trata este projeto</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show the whole graph (F)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Auto layout</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Arrange the blocks in layers, top to bottom (undoable)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Snap to grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Wheel: zoom · middle drag or Space+drag: pan · Del, Ctrl+C/V/D, Ctrl+A, F</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>shapes check out</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} problem(s) to fix</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} blocks · {params} parameters · {verdict}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CamPane</name>
    <message>
        <source>This image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Batch grid</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>★ marks the default: the last layer with a spatial output the score depends on</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Signed (evidence against in blue)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mistakes first</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Show</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Method</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Target</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colours</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pick an input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The heatmap appears here</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>strongest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>True class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explaining {n} images…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Score-CAM: masked forward passes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{method} at {layer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted &lt;b&gt;{name}&lt;/b&gt; ({p:.1%})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true {name} {mark}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explaining &lt;b&gt;{name}&lt;/b&gt; ({p:.1%}, score {s:.2f})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Peak at row {r}, column {c} of the {H}×{W} input (layer grid {h}×{w})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} images · {method} at {layer}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{right} right, {wrong} wrong ({acc:.0%})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>click an image to explain it alone</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ChannelTable</name>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw std</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Mean fed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Std fed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Raw: the data as loaded. Fed: after normalisation, what the network receives (should be close to mean 0, std 1).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ClassHistogram</name>
    <message>
        <source>Examples per class</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>examples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>class</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CodeView</name>
    <message>
        <source>Copy code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The code appears once the graph is valid: {why}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Standalone PyTorch: needs only torch ({n} lines).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ComparisonTable</name>
    <message>
        <source>Latency, {engine} {device}, batch {batch}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>about the same</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Figure</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{x}× smaller</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{x}× larger</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{x}× faster</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{x}× slower</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>same</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{x}× fewer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{x}× more</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no change</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{sign}{p:.1f} points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>File size</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Non-zero parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation accuracy ({engine})</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ConfigForm</name>
    <message>
        <source>Optimizer</source>
        <translation type="unfinished">Otimizador</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished">Taxa de aprendizado</translation>
    </message>
    <message>
        <source>LR schedule</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation type="unfinished">Épocas</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation type="unfinished">Tamanho do lote</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation type="unfinished">Semente</translation>
    </message>
    <message>
        <source>Mixed precision</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Device</source>
        <translation type="unfinished">Dispositivo</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Label smoothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>EMA decay (0 = off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Early stop patience (0 = off)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dropout (all blocks)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>flip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> px shift</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>noise </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation type="unfinished">Aumento de dados</translation>
    </message>
    <message>
        <source>Sets p of all {n} Dropout blocks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The graph has no Dropout block: add one in Build</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>CurvesView</name>
    <message>
        <source>Smoothing</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Compare with</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no earlier run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train (raw)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train (smoothed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>train</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>accuracy</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation type="unfinished">Taxa de aprendizado</translation>
    </message>
    <message>
        <source>Gradient norm (global, before clipping)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grad norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update-to-data ratio per layer (log10 of lr·std(grad)/std(w))</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Update ratio</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>gradients</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Histogram over time (colour: log count), mean line</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mean</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest histogram</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Confusion</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest histogram (step {step})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>predicted</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Data</name>
    <message>
        <source>Set {key}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Data</source>
        <translation>Dados</translation>
    </message>
    <message>
        <source>Become one with the data before training on it: look at samples and their labels, the class balance and the statistics, and at the very batch the network will receive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>validation share</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Conjunto de dados</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Contents</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Balance and statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The batch entering the net</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The exact tensors of a training step, after normalisation and augmentation, drawn with one linear grey scale from the batch&apos;s smallest to its largest value: what the network gets, not a prettified copy.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>Fração de validação</translation>
    </message>
    <message>
        <source>Use dataset {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cannot load this dataset</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{train:,} training / {val:,} validation examples of shape {shape} ({kind}), {classes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{kind} inputs: no picture to show; the batch below draws each example as a row of values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no augmentation</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>batch {i} of epoch 1 (seed {seed}): shape {shape} {dtype}, values {lo:.3g} … {hi:.3g}, mean {mean:.3f}, std {std:.3f}; {aug}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DeviceProbe</name>
    <message>
        <source>Detecting compute device…</source>
        <translation>Detectando o dispositivo de cálculo…</translation>
    </message>
    <message>
        <source>GPU - {name}, {memory} GiB</source>
        <translation>GPU - {name}, {memory} GiB</translation>
    </message>
    <message>
        <source> (+{n} more)</source>
        <translation> (+{n} outras)</translation>
    </message>
    <message>
        <source>CPU - {n} cores</source>
        <translation>CPU - {n} núcleos</translation>
    </message>
</context>
<context>
    <name>DistillSection</name>
    <message>
        <source>Distil into a smaller student</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Train a small network on a trained run&apos;s softened outputs (knowledge distillation) and compare it with the same network trained on labels alone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teacher run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Student project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Softens the teacher&apos;s probabilities so the student also learns which wrong classes look alike</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Share of the teacher&apos;s term in the loss; the rest goes to the labels</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Temperature, weight</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>all labelled samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> labelled samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distillation helps most when labels are few</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Budget</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distil</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export this student</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The open project ({name})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Template: {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Studio project (*.studio.json *.json)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training the student with and without the teacher…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distilled student {s} vs trained alone {a}: {g:+.1f} points</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teacher {t} with {tp} parameters; student {sp} parameters. Saved as run {run}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Student, distilled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Student, labels only</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Studio hit a bug while distilling: {m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Distillation stopped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExplainPanel</name>
    <message>
        <source>Explain</source>
        <translation>Explicar</translation>
    </message>
    <message>
        <source>See where a trained network looks, what its filters learned and what each channel responds to, on validation images or your own.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Heatmap (CAM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Activations</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Feature visualisation</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportPanel</name>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>Take a trained run out of Studio, smaller and faster if you like, with every export checked against the original.</source>
        <translation>Leve um treino para fora do Studio, menor e mais rápido se quiser, com cada exportação conferida contra o original.</translation>
    </message>
    <message>
        <source>{path} is not a run folder: it needs project.json and best.pt or checkpoint.pt, as `studio train` writes them</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Not a run</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ExportSection</name>
    <message>
        <source>Export a run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Write the trained model as a file that runs without Studio, optionally smaller. Every file is run again and compared with PyTorch on validation samples.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>state_dict + project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Format</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Where to write the export</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Off (fp32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INT8, onnxruntime dynamic (weights)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INT8, onnxruntime static (calibrated on training data)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INT8, PyTorch dynamic (Linear / LSTM / GRU)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Prune</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> % of weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Structured (whole filters)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fine-tune </source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pruning</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export</source>
        <translation type="unfinished">Exportar</translation>
    </message>
    <message>
        <source>Folder for the state_dict and project</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ONNX model (*.onnx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>TorchScript archive (*.pt)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python file (*.py)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export to</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>val accuracy {acc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} parameters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose where to save the export first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading the run…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring accuracy before…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pruning…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Writing the file…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quantizing to INT8…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Checking against PyTorch…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measuring before and after…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PASS</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Before (run, fp32)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latencies are medians of repeated runs measured just now on this machine; differences under 25% are within run-to-run noise.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>pruned</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>After ({what})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the reloaded file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Max abs diff {diff} {rel} {tol} between {engine} and PyTorch on {n} validation samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>INT8 kept {after} validation accuracy ({before} before; at most {budget:g} point may be lost)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Written and checked</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved to {path} ({size})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fp32 file before quantizing: max abs diff {diff} ({verdict}); INT8 error to PyTorch {q}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pruned: {share} of the weights are zero</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Studio hit a bug while exporting: {m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export refused</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FeaturePane</name>
    <message>
        <source>Visualise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Channel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Gradient ascent on the image (never the weights) from faint noise, with random jitter, scaling and rotation each step so only robust patterns survive.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a channel and press Visualise</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimising the image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{layer}, channel {c}: mean activation {a:.3g} → {b:.3g} in {n} steps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>cancelled: the image so far</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>FiltersPane</name>
    <message>
        <source>Layer</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Colour scale</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Shared</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Per filter: every tile uses its full contrast (shapes are easy to see). Shared: one scale for the layer (strong and weak filters are easy to tell).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a model to see its filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Grey is zero, light is positive, dark is negative. Deeper layers show one tile per (filter, input channel): a row per filter.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{layer}: {out} filters of {inp}×{kernel}; largest weight magnitude {top:.3g}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>showing {f} filters × {c} input channels</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>GraphScene</name>
    <message>
        <source>params</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{id} takes no input</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InferenceSection</name>
    <message>
        <source>Try an ONNX file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run an exported model the way an application would: onnxruntime only, inputs prepared from the file&apos;s own metadata.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open .onnx…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model open. Drop an .onnx file here, or an image to classify.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Dataset samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>An image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Top</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an ONNX model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>ONNX model (*.onnx)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inputs {shapes}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} classes</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>exported by Studio {v}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>samples: {name} validation set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No dataset at hand fits this model&apos;s inputs: open or drop an image.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot run this</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>(not an image)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample {i} of {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true class {name}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images ({p})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an .onnx model first; the image {name} waits.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Predicted: {name}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>InputCard</name>
    <message>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Previous sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Next sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sample</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a model first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Or drop an image file (PNG, JPEG, …) on this panel.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>of {n}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Validation sample &lt;b&gt;#{i}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>true class &lt;b&gt;{name}&lt;/b&gt;</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Images ({pattern})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load a model first: the image is prepared the way its training data was.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image file &lt;b&gt;{name}&lt;/b&gt; (true class unknown)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>The node&apos;s id: the attribute name in the generated code</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} blocks selected. Select one block to edit its settings.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Select a block to edit its settings. Drag blocks in from the palette; wire them by dragging from a block&apos;s bottom port to another&apos;s top port.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Output {shape} · {params} parameters · {flops} FLOPs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No output shape yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Fix: {what}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>auto</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LevelMeterBar</name>
    <message>
        <source>Input level (dBFS): bar = RMS, tick = peak. CLIP lights when a sample reaches full scale and stays lit for a second.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>CLIP</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>LrEdit</name>
    <message>
        <source>Type a positive number such as 0.001 or 3e-4</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Cannot open project</source>
        <translation>Não foi possível abrir o projeto</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>&amp;Arquivo</translation>
    </message>
    <message>
        <source>&amp;New</source>
        <translation>&amp;Novo</translation>
    </message>
    <message>
        <source>New from &amp;template</source>
        <translation>Novo a partir de &amp;modelo</translation>
    </message>
    <message>
        <source>Template &amp;gallery…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>&amp;Open…</source>
        <translation>&amp;Abrir…</translation>
    </message>
    <message>
        <source>Open &amp;recent</source>
        <translation>Abrir &amp;recente</translation>
    </message>
    <message>
        <source>&amp;Save</source>
        <translation>&amp;Salvar</translation>
    </message>
    <message>
        <source>Save &amp;as…</source>
        <translation>Salvar &amp;como…</translation>
    </message>
    <message>
        <source>&amp;Quit</source>
        <translation>Sai&amp;r</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>&amp;Editar</translation>
    </message>
    <message>
        <source>&amp;Undo</source>
        <translation>&amp;Desfazer</translation>
    </message>
    <message>
        <source>&amp;Redo</source>
        <translation>&amp;Refazer</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>E&amp;xibir</translation>
    </message>
    <message>
        <source>&amp;Light theme</source>
        <translation>Tema &amp;claro</translation>
    </message>
    <message>
        <source>&amp;Dark theme</source>
        <translation>Tema &amp;escuro</translation>
    </message>
    <message>
        <source>&amp;Reset layout</source>
        <translation>&amp;Restaurar disposição</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>Aj&amp;uda</translation>
    </message>
    <message>
        <source>&amp;About Studio</source>
        <translation>&amp;Sobre o Studio</translation>
    </message>
    <message>
        <source>not saved yet</source>
        <translation>ainda não salvo</translation>
    </message>
    <message>
        <source>{name} ({where})[*] — Studio</source>
        <translation>{name} ({where})[*] — Studio</translation>
    </message>
    <message>
        <source>Untitled</source>
        <translation>Sem título</translation>
    </message>
    <message>
        <source>Cannot open template</source>
        <translation>Não foi possível abrir o modelo</translation>
    </message>
    <message>
        <source>Opened {path}</source>
        <translation>{path} aberto</translation>
    </message>
    <message>
        <source>Cannot save project</source>
        <translation>Não foi possível salvar o projeto</translation>
    </message>
    <message>
        <source>Could not write {path}: {reason}</source>
        <translation>Não foi possível gravar {path}: {reason}</translation>
    </message>
    <message>
        <source>Saved {path}</source>
        <translation>{path} salvo</translation>
    </message>
    <message>
        <source>No recent projects</source>
        <translation>Nenhum projeto recente</translation>
    </message>
    <message>
        <source>Clear recent projects</source>
        <translation>Limpar projetos recentes</translation>
    </message>
    <message>
        <source>{path} no longer exists; it was removed from the recent list.</source>
        <translation>{path} não existe mais; foi removido da lista de recentes.</translation>
    </message>
    <message>
        <source>Cannot restore autosave</source>
        <translation>Não foi possível restaurar o salvamento automático</translation>
    </message>
    <message>
        <source>Restored the autosaved “{name}”; save it to keep it.</source>
        <translation>“{name}” restaurado do salvamento automático; salve-o para mantê-lo.</translation>
    </message>
    <message>
        <source>Cannot open run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opened the project of run {run} with its trained weights</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PlannedPanel</name>
    <message>
        <source>Coming soon</source>
        <translation>Em breve</translation>
    </message>
    <message>
        <source>What you will do here</source>
        <translation>O que você fará aqui</translation>
    </message>
    <message>
        <source>In the open project</source>
        <translation>No projeto aberto</translation>
    </message>
    <message>
        <source>This page arrives with {capability}.</source>
        <translation>Esta página chega com {capability}.</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <source>Nothing to play yet: record, open a WAV file, or pick a tone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Playback is unavailable: the PortAudio library is missing (Debian/Ubuntu: apt-get install libportaudio2).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cannot play through the default output device ({error}).</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemRow</name>
    <message>
        <source>Fix: {what}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProblemsList</name>
    <message>
        <source>…and {n} more (see the summary)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ProgressLine</name>
    <message>
        <source>Cancel</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Prompter</name>
    <message>
        <source>Studio projects (*.studio.json)</source>
        <translation>Projetos do Studio (*.studio.json)</translation>
    </message>
    <message>
        <source>JSON files (*.json)</source>
        <translation>Arquivos JSON (*.json)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos os arquivos (*)</translation>
    </message>
    <message>
        <source>Unsaved changes</source>
        <translation>Alterações não salvas</translation>
    </message>
    <message>
        <source>Save the changes to “{name}” first?</source>
        <translation>Salvar antes as alterações em “{name}”?</translation>
    </message>
    <message>
        <source>If you don&apos;t save, your changes will be lost.</source>
        <translation>Se você não salvar, suas alterações serão perdidas.</translation>
    </message>
    <message>
        <source>Restore unsaved work?</source>
        <translation>Restaurar trabalho não salvo?</translation>
    </message>
    <message>
        <source>Studio closed without saving “{name}”. Restore the autosaved copy from {when}?</source>
        <translation>O Studio fechou sem salvar “{name}”. Restaurar a cópia salva automaticamente em {when}?</translation>
    </message>
    <message>
        <source>It was last saved as {path}.</source>
        <translation>Foi salvo pela última vez como {path}.</translation>
    </message>
    <message>
        <source>Restore</source>
        <translation>Restaurar</translation>
    </message>
    <message>
        <source>Discard</source>
        <translation>Descartar</translation>
    </message>
    <message>
        <source>Open project</source>
        <translation>Abrir projeto</translation>
    </message>
    <message>
        <source>Save project as</source>
        <translation>Salvar projeto como</translation>
    </message>
</context>
<context>
    <name>QuantizationView</name>
    <message>
        <source>Bits</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mid-tread (0 is a level, like PCM)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mid-rise (no level at 0)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listen</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ A: original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ B: quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The quantization noise alone (B − A), made audible</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Measured SQNR</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6.02·N + 1.76 dB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Levels and step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clipped samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amplitude</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quantized</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>error / step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>% of samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recording yet: press Record or open a WAV file, or pick a tone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{levels:,} levels, step {step:.3g}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A full-scale sine: the measured SQNR is {diff:+.2f} dB from 6.02·{n} + 1.76 dB. Each extra bit halves the step and adds about 6 dB.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Here {clipped:,} samples clip: a mid-tread quantizer&apos;s top level is 1 − step, so the peaks of a full-scale sine do not fit.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>6.02·N + 1.76 dB assumes a full-scale sine; quieter or busier signals measure lower ({diff:+.1f} dB here). Each extra bit adds about 6 dB.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RecipeView</name>
    <message>
        <source>No checks run yet. The cheap ones run by themselves when you press Start; “Run recipe checks” runs all of them (a few seconds).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>LR range test</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>loss</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use the suggested learning rate</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>training step</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>example (true class)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First-layer filters</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run the checks on a model with a convolution to see its first filters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>suggested {lr}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Use lr = {lr}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>yours {lr}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>First-layer filters ({layer}): {measured}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Recorder</name>
    <message>
        <source>the input device was lost; recording stopped</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>RunChooser</name>
    <message>
        <source>just now</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{n} days ago</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a run folder written by `studio train`</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Look for new runs in the runs/ folders</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No trained runs found: train one, or browse to a run folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a run folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SamplingView</name>
    <message>
        <source>Sample at</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Anti-aliasing filter</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Low-pass the signal below the new f/2 before sampling, as every real converter does. Off: frequencies above f/2 fold back.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ A: original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>▶ B: sampled</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>amplitude</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>original</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>rebuilt from the samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>samples</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>frequency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>after sampling</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No recording yet: press Record or open a WAV file, or pick a tone.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sampling at &lt;b&gt;{rate}&lt;/b&gt;: one sample every {us:.1f} µs; it can hold frequencies up to f/2 = &lt;b&gt;{half}&lt;/b&gt;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {f:,.0f} Hz tone is below f/2 and survives (measured peak {m:,.0f} Hz).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {f:,.0f} Hz tone is above f/2: the anti-aliasing filter removed it (what is left peaks at {db:.0f} dBFS).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The {f:,.0f} Hz tone is above f/2 and folds back to &lt;b&gt;{a:,.0f} Hz&lt;/b&gt; (|f − f&lt;sub&gt;s&lt;/sub&gt;·round(f/f&lt;sub&gt;s&lt;/sub&gt;)|; measured peak {m:,.0f} Hz).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Without the filter the sweep folds back at f/2 (dashed): it is heard going down while it really goes up.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The filter silences the sweep above f/2 instead of folding it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording at {orig}: listen to B for what is lost.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourceCard</name>
    <message>
        <source>Model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Trained run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>torchvision model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Explain</source>
        <translation type="unfinished">Explicar</translation>
    </message>
    <message>
        <source>Best</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Latest</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Best: the weights that scored best on validation. Latest: the last checkpoint, also while a training is still running.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Follow training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Reload the latest checkpoint whenever the training writes a new one</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretrained (ImageNet)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Random weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pretrained weights are downloaded once when online. Random weights need no download but the network has learned nothing.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Load</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No model loaded yet.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Loading torchvision {name}…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SourcePicker</name>
    <message>
        <source>Signal</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Tone</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Sweep 50 Hz → 20 kHz</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SpectrumView</name>
    <message>
        <source>Log-mel spectrogram: 80 mel bands every 10 ms at 16 kHz, log10 power within 80 dB of the loudest — exactly what Whisper&apos;s encoder receives.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>time</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>mel band</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>frequency</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>level</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>average spectrum</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SummaryTable</name>
    <message>
        <source>Total: {n} blocks · {params} parameters · {flops} FLOPs per sample · {mb:.2f} MB of activations per sample</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TemplateGallery</name>
    <message>
        <source>New from template</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start from one of the course&apos;s networks. It opens as an untitled copy; the template itself is never changed.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Create</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <source>pred {pred}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{true} → {pred}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>sample #{i}: predicted {pred} ({p:.0%}), true {true}; explaining {target}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Train</name>
    <message>
        <source>Set {key}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set augmentation {key}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Set dropout</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TrainPanel</name>
    <message>
        <source>Train</source>
        <translation>Treinar</translation>
    </message>
    <message>
        <source>Train on the GPU when there is one, else the CPU, while the learning curves draw live and Karpathy&apos;s recipe tells you what they mean and what to do next.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Pause</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Resume run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Go on from the stopped run&apos;s checkpoint, on the same curve</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Run recipe checks</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Learning curves</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Karpathy&apos;s recipe</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Optimizer</source>
        <translation>Otimizador</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Taxa de aprendizado</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Tamanho do lote</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Épocas</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>{opt}, lr {lr}, batch {bs}, {ep} epochs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The verdict appears after a few epochs.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>starting the worker…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>epoch {e}/{n} · step {s} · {sps} samples/s · ETA {eta}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Training</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Paused</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopping (saving a checkpoint)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Finished</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Stopped — checkpoint saved</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Failed</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{reason} after {epochs} epochs · {sps} samples/s{acc}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> · best validation accuracy {a}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Recipe checks: {m}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Continue</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Start a training: the verdict on its curves appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>no earlier run</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export plots as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Export curve data (CSV) to folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {p}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {n} CSV files</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TranscriptPane</name>
    <message>
        <source>Live transcription</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>detect</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>installed model</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>A folder with a CTranslate2 Whisper model (model.bin, config.json). Empty: the model installed with Studio.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transcribe while recording</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Press Record and speak: partial text appears while you talk, the final text when you pause.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transcribe clip</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transcribe the whole recording or opened file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Clear</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — unavailable</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{engine} cannot run: {reason}.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Using {engine} (English only, less accurate) because Whisper is unavailable: {reason}. Install the model or choose a model folder.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{engine} will load when you record or transcribe.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a Whisper model folder</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>TranscriptionController</name>
    <message>
        <source>Loading {engine}…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>the speech engine</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{engine} ready</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening ({engine})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Listening ({engine}, language detected: {language})</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Transcribing the clip…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{engine}: {seconds:.1f} s of audio in {compute:.1f} s</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>VerdictBanner</name>
    <message>
        <source>Start a training: the verdict on its curves appears here.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> — since epoch {e}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Regularise, in the course&apos;s order:</source>
        <translation type="unfinished"></translation>
    </message>
</context>
</TS>
