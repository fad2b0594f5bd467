<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="pt_BR">
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
        <translation>Camada</translation>
    </message>
    <message>
        <source>Scale</source>
        <translation>Escala</translation>
    </message>
    <message>
        <source>Per channel</source>
        <translation>Por canal</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>Compartilhada</translation>
    </message>
    <message>
        <source>Pick an input to see what each channel responds to</source>
        <translation>Escolha uma entrada para ver a que cada canal responde</translation>
    </message>
    <message>
        <source>{layer}: {n} channels of {grid} for this input (bright = strong response)</source>
        <translation>{layer}: {n} canais de {grid} para esta entrada (claro = resposta forte)</translation>
    </message>
    <message>
        <source>on {n} validation images</source>
        <translation>em {n} imagens de validação</translation>
    </message>
    <message>
        <source>on this image</source>
        <translation>nesta imagem</translation>
    </message>
    <message>
        <source>No dead channels {where}.</source>
        <translation>Nenhum canal morto {where}.</translation>
    </message>
    <message>
        <source>{k} of {n} channels are dead (never active on {b} validation images), framed in red: {list}</source>
        <translation>{k} de {n} canais estão mortos (nunca ativos em {b} imagens de validação), com moldura vermelha: {list}</translation>
    </message>
    <message>
        <source>{k} of {n} channels are silent on this image, framed in red: {list}</source>
        <translation>{k} de {n} canais estão em silêncio nesta imagem, com moldura vermelha: {list}</translation>
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
        <translation>Amostragem</translation>
    </message>
    <message>
        <source>Quantization</source>
        <translation>Quantização</translation>
    </message>
    <message>
        <source>Spectrum and log-mel</source>
        <translation>Espectro e log-mel</translation>
    </message>
    <message>
        <source>Waveform — scroll to zoom until the samples show as stems</source>
        <translation>Forma de onda — role para ampliar até as amostras aparecerem como hastes</translation>
    </message>
    <message>
        <source>Audio lab</source>
        <translation>Laboratório de áudio</translation>
    </message>
    <message>
        <source>From the analog world to tokens: record, see what sampling and quantization do, and watch speech turn into text.</source>
        <translation>Do mundo analógico aos tokens: grave, veja o que a amostragem e a quantização fazem e acompanhe a fala virar texto.</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Look for input devices again</source>
        <translation>Procurar dispositivos de entrada novamente</translation>
    </message>
    <message>
        <source>Rate</source>
        <translation>Taxa</translation>
    </message>
    <message>
        <source>device default</source>
        <translation>padrão do dispositivo</translation>
    </message>
    <message>
        <source>● Record</source>
        <translation>● Gravar</translation>
    </message>
    <message>
        <source>Open WAV…</source>
        <translation>Abrir WAV…</translation>
    </message>
    <message>
        <source>Save WAV…</source>
        <translation>Salvar WAV…</translation>
    </message>
    <message>
        <source>Level</source>
        <translation>Nível</translation>
    </message>
    <message>
        <source>Input overflows: blocks the sound card dropped because they were not collected in time (should stay 0)</source>
        <translation>Estouros de entrada: blocos que a placa de som descartou por não terem sido coletados a tempo (deve ficar em 0)</translation>
    </message>
    <message>
        <source> (default)</source>
        <translation> (padrão)</translation>
    </message>
    <message>
        <source>no input device</source>
        <translation>nenhum dispositivo de entrada</translation>
    </message>
    <message>
        <source>No microphone: {reason}. Recording is off; you can still open WAV files, use the tone and sweep generators, and transcribe files.</source>
        <translation>Sem microfone: {reason}. A gravação está desativada; você ainda pode abrir arquivos WAV, usar os geradores de tom e de varredura e transcrever arquivos.</translation>
    </message>
    <message>
        <source>no audio input device found</source>
        <translation>nenhum dispositivo de entrada de áudio encontrado</translation>
    </message>
    <message>
        <source>device default ({rate})</source>
        <translation>padrão do dispositivo ({rate})</translation>
    </message>
    <message>
        <source>■ Stop</source>
        <translation>■ Parar</translation>
    </message>
    <message>
        <source>recording</source>
        <translation>gravando</translation>
    </message>
    <message>
        <source>Opened {name}: {seconds:.1f} s, {rate}, {channels} channel(s), {encoding}.</source>
        <translation>{name} aberto: {seconds:.1f} s, {rate}, {channels} canal(is), {encoding}.</translation>
    </message>
    <message>
        <source>Nothing to save yet: record something or open a WAV file.</source>
        <translation>Nada para salvar ainda: grave algo ou abra um arquivo WAV.</translation>
    </message>
    <message>
        <source>Saved {name} ({encoding}).</source>
        <translation>{name} salvo ({encoding}).</translation>
    </message>
    <message>
        <source>Open a WAV file</source>
        <translation>Abrir um arquivo WAV</translation>
    </message>
    <message>
        <source>WAV files (*.wav);;All files (*)</source>
        <translation>Arquivos WAV (*.wav);;Todos os arquivos (*)</translation>
    </message>
    <message>
        <source>Save the clip as WAV</source>
        <translation>Salvar o trecho como WAV</translation>
    </message>
    <message>
        <source>No utterance found in this clip: record with “Transcribe while recording” on, or save the whole clip.</source>
        <translation>Nenhuma fala encontrada neste trecho: grave com “Transcrever durante a gravação” ligado, ou salve o trecho inteiro.</translation>
    </message>
    <message>
        <source>Saved {file} ({seconds:.1f} s): {count} sample(s) of “{label}” in {folder}.</source>
        <translation>{file} salvo ({seconds:.1f} s): {count} amostra(s) de “{label}” em {folder}.</translation>
    </message>
    <message>
        <source>no folder chosen</source>
        <translation>nenhuma pasta escolhida</translation>
    </message>
    <message>
        <source>Cannot use {folder} as the data set yet: {problem}.</source>
        <translation>Ainda não dá para usar {folder} como conjunto de dados: {problem}.</translation>
    </message>
    <message>
        <source>Use the recordings as the data set</source>
        <translation>Usar as gravações como conjunto de dados</translation>
    </message>
    <message>
        <source>Set out_features of {id}</source>
        <translation>Definir out_features de {id}</translation>
    </message>
    <message>
        <source>The project now trains on {total} recordings of {classes} classes in {folder} (sound_folder); Undo takes it back.</source>
        <translation>O projeto agora treina com {total} gravações de {classes} classes em {folder} (sound_folder); Desfazer volta atrás.</translation>
    </message>
    <message>
        <source>Its head now has {after} outputs, one per class ({layer} had {before}).</source>
        <translation>A cabeça agora tem {after} saídas, uma por classe ({layer} tinha {before}).</translation>
    </message>
    <message>
        <source>Nothing to transcribe yet: record something or open a WAV file.</source>
        <translation>Nada para transcrever ainda: grave algo ou abra um arquivo WAV.</translation>
    </message>
    <message>
        <source>overflows: {n}</source>
        <translation>estouros: {n}</translation>
    </message>
</context>
<context>
    <name>BlockPalette</name>
    <message>
        <source>Search blocks…</source>
        <translation>Buscar blocos…</translation>
    </message>
    <message>
        <source>Activation</source>
        <translation>Ativação</translation>
    </message>
    <message>
        <source>Attention</source>
        <translation>Atenção</translation>
    </message>
    <message>
        <source>Convolution</source>
        <translation>Convolução</translation>
    </message>
    <message>
        <source>Head</source>
        <translation>Cabeça</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Linear</source>
        <translation>Linear</translation>
    </message>
    <message>
        <source>Merge</source>
        <translation>Junção</translation>
    </message>
    <message>
        <source>Normalization</source>
        <translation>Normalização</translation>
    </message>
    <message>
        <source>Pooling</source>
        <translation>Pooling</translation>
    </message>
    <message>
        <source>Recurrent</source>
        <translation>Recorrente</translation>
    </message>
    <message>
        <source>Regularization</source>
        <translation>Regularização</translation>
    </message>
    <message>
        <source>Shape</source>
        <translation>Forma</translation>
    </message>
</context>
<context>
    <name>BuildPanel</name>
    <message>
        <source>This description is {n} characters long, too long to edit here; the project file keeps all of it. Edit its &quot;description&quot; in a text editor, or undo the paste that brought it.</source>
        <translation>Esta descrição tem {n} caracteres, longa demais para editar aqui; o arquivo do projeto a guarda inteira. Edite seu &quot;description&quot; num editor de texto, ou desfaça a colagem que a trouxe.</translation>
    </message>
    <message>
        <source>Build</source>
        <translation>Montar</translation>
    </message>
    <message>
        <source>Canvas</source>
        <translation>Tela</translation>
    </message>
    <message>
        <source>Summary</source>
        <translation>Resumo</translation>
    </message>
    <message>
        <source>Code</source>
        <translation>Código</translation>
    </message>
    <message>
        <source>Inspector</source>
        <translation>Inspetor</translation>
    </message>
    <message>
        <source>Blocks</source>
        <translation>Blocos</translation>
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
        <translation>Ajustar</translation>
    </message>
    <message>
        <source>Show the whole graph (F)</source>
        <translation>Mostrar o grafo inteiro (F)</translation>
    </message>
    <message>
        <source>Auto layout</source>
        <translation>Organizar</translation>
    </message>
    <message>
        <source>Arrange the blocks in layers, top to bottom (undoable)</source>
        <translation>Organiza os blocos em camadas, de cima para baixo (pode ser desfeito)</translation>
    </message>
    <message>
        <source>Snap to grid</source>
        <translation>Alinhar à grade</translation>
    </message>
    <message>
        <source>Wheel: zoom · Space+drag: pan · F: fit</source>
        <translation>Roda: zoom · Espaço+arrastar: mover · F: ajustar</translation>
    </message>
    <message>
        <source>Wheel: zoom · middle drag or Space+drag: pan · F: fit the graph · Del: delete · Ctrl+C / Ctrl+V / Ctrl+D: copy, paste, duplicate · Ctrl+A: select all · right-click: collapse or expand groups</source>
        <translation>Roda: zoom · arrastar com botão do meio ou Espaço+arrastar: mover · F: ajustar o grafo · Del: apagar · Ctrl+C / Ctrl+V / Ctrl+D: copiar, colar, duplicar · Ctrl+A: selecionar tudo · botão direito: recolher ou expandir grupos</translation>
    </message>
    <message>
        <source>shapes check out</source>
        <translation>formatos conferem</translation>
    </message>
    <message>
        <source>{n} problem(s) to fix</source>
        <translation>{n} problema(s) a corrigir</translation>
    </message>
    <message>
        <source>{n} blocks · {params} parameters · {verdict}</source>
        <translation>{n} blocos · {params} parâmetros · {verdict}</translation>
    </message>
</context>
<context>
    <name>CamPane</name>
    <message>
        <source>This image</source>
        <translation>Esta imagem</translation>
    </message>
    <message>
        <source>Batch grid</source>
        <translation>Grade do lote</translation>
    </message>
    <message>
        <source>★ marks the default: the last layer with weights and a spatial output that the score depends on (a convolution&apos;s output, before its activation and pooling)</source>
        <translation>★ marca o padrão: a última camada com pesos e saída espacial da qual a pontuação depende (a saída de uma convolução, antes da ativação e do pooling)</translation>
    </message>
    <message>
        <source>Signed (evidence against in blue)</source>
        <translation>Com sinal (contra em azul)</translation>
    </message>
    <message>
        <source>Automatic</source>
        <translation>Automático</translation>
    </message>
    <message>
        <source>Mistakes first</source>
        <translation>Erros primeiro</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>Mostrar</translation>
    </message>
    <message>
        <source>Method</source>
        <translation>Método</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Camada</translation>
    </message>
    <message>
        <source>Target</source>
        <translation>Alvo</translation>
    </message>
    <message>
        <source>Opacity</source>
        <translation>Opacidade</translation>
    </message>
    <message>
        <source>Colours</source>
        <translation>Cores</translation>
    </message>
    <message>
        <source>Images</source>
        <translation>Imagens</translation>
    </message>
    <message>
        <source>Pick an input</source>
        <translation>Escolha uma entrada</translation>
    </message>
    <message>
        <source>The heatmap appears here</source>
        <translation>O mapa de calor aparece aqui</translation>
    </message>
    <message>
        <source>strongest</source>
        <translation>mais forte</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Heatmap</source>
        <translation>Mapa de calor</translation>
    </message>
    <message>
        <source>Predicted class</source>
        <translation>Classe prevista</translation>
    </message>
    <message>
        <source>True class</source>
        <translation>Classe verdadeira</translation>
    </message>
    <message>
        <source>Explaining {n} images…</source>
        <translation>Explicando {n} imagens…</translation>
    </message>
    <message>
        <source>Score-CAM: masked forward passes</source>
        <translation>Score-CAM: passagens diretas com máscara</translation>
    </message>
    <message>
        <source>Empty map: nothing at {layer} raises the score of {name}, so there is nothing to show here.</source>
        <translation>Mapa vazio: nada em {layer} aumenta a pontuação de {name}, então não há nada a mostrar aqui.</translation>
    </message>
    <message>
        <source>{method} at {layer}</source>
        <translation>{method} em {layer}</translation>
    </message>
    <message>
        <source>Predicted &lt;b&gt;{name}&lt;/b&gt; ({p:.1%})</source>
        <translation>Previsto &lt;b&gt;{name}&lt;/b&gt; ({p:.1%})</translation>
    </message>
    <message>
        <source>true {name} {mark}</source>
        <translation>verdadeira {name} {mark}</translation>
    </message>
    <message>
        <source>Explaining &lt;b&gt;{name}&lt;/b&gt; ({p:.1%}, score {s:.2f})</source>
        <translation>Explicando &lt;b&gt;{name}&lt;/b&gt; ({p:.1%}, pontuação {s:.2f})</translation>
    </message>
    <message>
        <source>The map is empty: no place in this image raises the score at this layer, so it has no peak.</source>
        <translation>O mapa está vazio: nenhum lugar desta imagem aumenta a pontuação nesta camada, então ele não tem pico.</translation>
    </message>
    <message>
        <source>Peak at row {r}, column {c} of the {H}×{W} input (layer grid {h}×{w})</source>
        <translation>Pico na linha {r}, coluna {c} da entrada {H}×{W} (grade da camada {h}×{w})</translation>
    </message>
    <message>
        <source>Try {method}, or another layer.</source>
        <translation>Experimente {method} ou outra camada.</translation>
    </message>
    <message>
        <source>Try {method}, or the layer {layer} ★.</source>
        <translation>Experimente {method} ou a camada {layer} ★.</translation>
    </message>
    <message>
        <source>{n} images · {method} at {layer}</source>
        <translation>{n} imagens · {method} em {layer}</translation>
    </message>
    <message>
        <source>{right} right, {wrong} wrong ({acc:.0%})</source>
        <translation>{right} certas, {wrong} erradas ({acc:.0%})</translation>
    </message>
    <message>
        <source>{n} empty maps (nothing at this layer raises the score): try {method} or another layer</source>
        <translation>{n} mapas vazios (nada nesta camada aumenta a pontuação): experimente {method} ou outra camada</translation>
    </message>
    <message>
        <source>click an image to explain it alone</source>
        <translation>clique em uma imagem para explicá-la sozinha</translation>
    </message>
</context>
<context>
    <name>CanvasView</name>
    <message>
        <source>Collapse into group</source>
        <translation>Recolher em grupo</translation>
    </message>
    <message>
        <source>Collapse {name}</source>
        <translation>Recolher {name}</translation>
    </message>
    <message>
        <source>Expand group</source>
        <translation>Expandir grupo</translation>
    </message>
    <message>
        <source>Expand groups</source>
        <translation>Expandir grupos</translation>
    </message>
    <message>
        <source>Collapse every stage</source>
        <translation>Recolher todos os estágios</translation>
    </message>
    <message>
        <source>Expand every group</source>
        <translation>Expandir todos os grupos</translation>
    </message>
</context>
<context>
    <name>ChannelTable</name>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Raw mean</source>
        <translation>Média bruta</translation>
    </message>
    <message>
        <source>Raw std</source>
        <translation>DP bruto</translation>
    </message>
    <message>
        <source>Mean fed</source>
        <translation>Média na rede</translation>
    </message>
    <message>
        <source>Std fed</source>
        <translation>DP na rede</translation>
    </message>
    <message>
        <source>Raw: the data as loaded. Fed: after normalisation, what the network receives (should be close to mean 0, std 1).</source>
        <translation>Bruto: os dados como carregados. Na rede: após a normalização, o que a rede recebe (deve ficar perto de média 0, desvio padrão (DP) 1).</translation>
    </message>
</context>
<context>
    <name>CheckRow</name>
    <message>
        <source>From an earlier configuration ({what}): run the checks again.</source>
        <translation>De uma configuração anterior ({what}): rode as verificações de novo.</translation>
    </message>
</context>
<context>
    <name>ChecksProgress</name>
    <message>
        <source>preparing the checks…</source>
        <translation>preparando as verificações…</translation>
    </message>
    <message>
        <source>running check {i} of {n}…</source>
        <translation>rodando a verificação {i} de {n}…</translation>
    </message>
</context>
<context>
    <name>ClassHistogram</name>
    <message>
        <source>Examples per class</source>
        <translation>Exemplos por classe</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Exemplos</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>train</source>
        <translation>treino</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>validação</translation>
    </message>
</context>
<context>
    <name>CodeView</name>
    <message>
        <source>Copy code</source>
        <translation>Copiar código</translation>
    </message>
    <message>
        <source>The code appears once the graph is valid: {why}</source>
        <translation>O código aparece quando o grafo for válido: {why}</translation>
    </message>
    <message>
        <source>Standalone PyTorch: needs only torch ({n} lines).</source>
        <translation>PyTorch independente: precisa só do torch ({n} linhas).</translation>
    </message>
</context>
<context>
    <name>ComparisonTable</name>
    <message>
        <source>Latency, {engine} {device}, batch {batch}</source>
        <translation>Latência, {engine} {device}, lote {batch}</translation>
    </message>
    <message>
        <source>about the same</source>
        <translation>praticamente igual</translation>
    </message>
    <message>
        <source>Figure</source>
        <translation>Medida</translation>
    </message>
    <message>
        <source>Change</source>
        <translation>Variação</translation>
    </message>
    <message>
        <source>{x}× smaller</source>
        <translation>{x}× menor</translation>
    </message>
    <message>
        <source>{x}× larger</source>
        <translation>{x}× maior</translation>
    </message>
    <message>
        <source>{x}× faster</source>
        <translation>{x}× mais rápido</translation>
    </message>
    <message>
        <source>{x}× slower</source>
        <translation>{x}× mais lento</translation>
    </message>
    <message>
        <source>same</source>
        <translation>igual</translation>
    </message>
    <message>
        <source>{x}× fewer</source>
        <translation>{x}× menos</translation>
    </message>
    <message>
        <source>{x}× more</source>
        <translation>{x}× mais</translation>
    </message>
    <message>
        <source>no change</source>
        <translation>sem variação</translation>
    </message>
    <message>
        <source>{sign}{p:.1f} points</source>
        <translation>{sign}{p:.1f} pontos</translation>
    </message>
    <message>
        <source>File size</source>
        <translation>Tamanho do arquivo</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parâmetros</translation>
    </message>
    <message>
        <source>Non-zero parameters</source>
        <translation>Parâmetros não nulos</translation>
    </message>
    <message>
        <source>Validation accuracy ({engine})</source>
        <translation>Acurácia de validação ({engine})</translation>
    </message>
</context>
<context>
    <name>ConfigForm</name>
    <message>
        <source>Optimizer</source>
        <translation>Otimizador</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Taxa de aprendizado</translation>
    </message>
    <message>
        <source>LR schedule</source>
        <translation>Agendamento da LR</translation>
    </message>
    <message>
        <source>constant</source>
        <translation>constante</translation>
    </message>
    <message>
        <source>step decay</source>
        <translation>decaimento em degraus</translation>
    </message>
    <message>
        <source>cosine</source>
        <translation>cosseno</translation>
    </message>
    <message>
        <source>one-cycle</source>
        <translation>ciclo único</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>Épocas</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>Tamanho do lote</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
    <message>
        <source>random each run</source>
        <translation>aleatória a cada treino</translation>
    </message>
    <message>
        <source>The same seed repeats a run exactly; below 0 each run draws its own (the run&apos;s start event records it)</source>
        <translation>A mesma semente repete um treino exatamente; abaixo de 0 cada treino sorteia a sua (o evento de início do treino a registra)</translation>
    </message>
    <message>
        <source>Mixed precision</source>
        <translation>Precisão mista</translation>
    </message>
    <message>
        <source>off</source>
        <translation>desligada</translation>
    </message>
    <message>
        <source>auto (CUDA only)</source>
        <translation>automática (só CUDA)</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>Dispositivo</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>automático</translation>
    </message>
    <message>
        <source>CUDA (NVIDIA GPU)</source>
        <translation>CUDA (GPU NVIDIA)</translation>
    </message>
    <message>
        <source>MPS (Apple GPU)</source>
        <translation>MPS (GPU Apple)</translation>
    </message>
    <message>
        <source>Processes</source>
        <translation>Processos</translation>
    </message>
    <message>
        <source>Weight decay</source>
        <translation>Decaimento de pesos</translation>
    </message>
    <message>
        <source>Label smoothing</source>
        <translation>Suavização de rótulos</translation>
    </message>
    <message>
        <source>EMA decay (0 = off)</source>
        <translation>Decaimento EMA (0 = desl.)</translation>
    </message>
    <message>
        <source>Early stop patience (0 = off)</source>
        <translation>Paciência de parada (0 = desl.)</translation>
    </message>
    <message>
        <source>Dropout (all blocks)</source>
        <translation>Dropout (todos os blocos)</translation>
    </message>
    <message>
        <source>Unfreeze after epoch (0 = never)</source>
        <translation>Descongelar após época</translation>
    </message>
    <message>
        <source>Unfrozen blocks&apos; LR ×</source>
        <translation>LR dos descongelados ×</translation>
    </message>
    <message>
        <source>flip</source>
        <translation>espelhar</translation>
    </message>
    <message>
        <source> px shift</source>
        <translation> px de deslocamento</translation>
    </message>
    <message>
        <source>noise </source>
        <translation>ruído </translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>Aumento de dados</translation>
    </message>
    <message>
        <source>The {n} frozen blocks train from the epoch after this one, at the learning rate times the factor beside; 0 keeps them frozen</source>
        <translation>Os {n} blocos congelados treinam a partir da época seguinte a esta, com a taxa de aprendizado vezes o fator ao lado; 0 os mantém congelados</translation>
    </message>
    <message>
        <source>No block is frozen: freeze blocks in Build&apos;s inspector to train the head first</source>
        <translation>Nenhum bloco está congelado: congele blocos no inspetor de Montar para treinar primeiro a cabeça</translation>
    </message>
    <message>
        <source>Sets p of all {n} Dropout blocks</source>
        <translation>Define p de todos os {n} blocos Dropout</translation>
    </message>
    <message>
        <source>The graph has no Dropout block: add one in Build</source>
        <translation>O grafo não tem bloco Dropout: adicione um em Montar</translation>
    </message>
</context>
<context>
    <name>CurvesView</name>
    <message>
        <source>loading…</source>
        <translation>carregando…</translation>
    </message>
    <message>
        <source>could not read that run: {m}</source>
        <translation>não foi possível ler esse treino: {m}</translation>
    </message>
    <message>
        <source>Smoothing</source>
        <translation>Suavização</translation>
    </message>
    <message>
        <source>Log scale</source>
        <translation>Escala log</translation>
    </message>
    <message>
        <source>On by itself when the loss spans decades (a diverging run); your choice wins once you click it</source>
        <translation>Liga sozinha quando a perda abrange décadas (um treino divergindo); sua escolha vale assim que você clicar</translation>
    </message>
    <message>
        <source>Compare with</source>
        <translation>Comparar com</translation>
    </message>
    <message>
        <source>no earlier run</source>
        <translation>nenhum treino anterior</translation>
    </message>
    <message>
        <source>Export PNG…</source>
        <translation>Exportar PNG…</translation>
    </message>
    <message>
        <source>Export CSV…</source>
        <translation>Exportar CSV…</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Perda</translation>
    </message>
    <message>
        <source>train (raw)</source>
        <translation>treino (bruto)</translation>
    </message>
    <message>
        <source>train (smoothed)</source>
        <translation>treino (suavizado)</translation>
    </message>
    <message>
        <source>validation</source>
        <translation>validação</translation>
    </message>
    <message>
        <source>train</source>
        <translation>treino</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>suavizada</translation>
    </message>
    <message>
        <source>Accuracy</source>
        <translation>Acurácia</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>Taxa de aprendizado</translation>
    </message>
    <message>
        <source>Gradient norm (global, before clipping)</source>
        <translation>Norma do gradiente (global, antes do recorte)</translation>
    </message>
    <message>
        <source>grad norm</source>
        <translation>norma do grad.</translation>
    </message>
    <message>
        <source>Gradient norm</source>
        <translation>Norma do gradiente</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Passo</translation>
    </message>
    <message>
        <source>step</source>
        <translation>passo</translation>
    </message>
    <message>
        <source>Update-to-data ratio per layer (log10 of lr·std(grad)/std(w))</source>
        <translation>Razão atualização/dados por camada (log10 de lr·std(grad)/std(w))</translation>
    </message>
    <message>
        <source>log10 ratio</source>
        <translation>razão log10</translation>
    </message>
    <message>
        <source>Update ratio</source>
        <translation>Razão de atualização</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Camada</translation>
    </message>
    <message>
        <source>weights</source>
        <translation>pesos</translation>
    </message>
    <message>
        <source>gradients</source>
        <translation>gradientes</translation>
    </message>
    <message>
        <source>Count</source>
        <translation>Contagem</translation>
    </message>
    <message>
        <source>Histogram over time (colour: log count), mean line</source>
        <translation>Histograma ao longo do tempo (cor: contagem em log), linha da média</translation>
    </message>
    <message>
        <source>Value</source>
        <translation>Valor</translation>
    </message>
    <message>
        <source>mean</source>
        <translation>média</translation>
    </message>
    <message>
        <source>Latest histogram</source>
        <translation>Histograma mais recente</translation>
    </message>
    <message>
        <source>Distributions</source>
        <translation>Distribuições</translation>
    </message>
    <message>
        <source>Confusion matrix (rows: true class, share of row)</source>
        <translation>Matriz de confusão (linhas: classe verdadeira, fração da linha)</translation>
    </message>
    <message>
        <source>Confusion</source>
        <translation>Confusão</translation>
    </message>
    <message>
        <source>Embeddings</source>
        <translation>Embeddings</translation>
    </message>
    <message>
        <source>Text samples</source>
        <translation>Amostras de texto</translation>
    </message>
    <message>
        <source>Diffusion</source>
        <translation>Difusão</translation>
    </message>
    <message>
        <source>GAN</source>
        <translation>GAN</translation>
    </message>
    <message>
        <source>Detection</source>
        <translation>Detecção</translation>
    </message>
    <message>
        <source>{verdict} · step {step}</source>
        <translation>{verdict} · passo {step}</translation>
    </message>
    <message>
        <source>epoch {e}</source>
        <translation>época {e}</translation>
    </message>
    <message>
        <source>Latest histogram (step {step})</source>
        <translation>Histograma mais recente (passo {step})</translation>
    </message>
    <message>
        <source>predicted</source>
        <translation>prevista</translation>
    </message>
    <message>
        <source>true</source>
        <translation>verdadeira</translation>
    </message>
</context>
<context>
    <name>Data</name>
    <message>
        <source>Set {key}</source>
        <translation>Definir {key}</translation>
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
        <translation>Conheça os dados a fundo antes de treinar com eles: veja as amostras e seus rótulos, o balanço das classes e as estatísticas, e o próprio lote que a rede vai receber.</translation>
    </message>
    <message>
        <source>This data set cannot be loaded</source>
        <translation>Este conjunto de dados não pode ser carregado</translation>
    </message>
    <message>
        <source>Reload</source>
        <translation>Recarregar</translation>
    </message>
    <message>
        <source>validation share</source>
        <translation>fração de validação</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Conjunto de dados</translation>
    </message>
    <message>
        <source>loading…</source>
        <translation>carregando…</translation>
    </message>
    <message>
        <source>Contents</source>
        <translation>Conteúdo</translation>
    </message>
    <message>
        <source>Samples</source>
        <translation>Amostras</translation>
    </message>
    <message>
        <source>Balance and statistics</source>
        <translation>Balanço e estatísticas</translation>
    </message>
    <message>
        <source>The batch entering the net</source>
        <translation>O lote que entra na rede</translation>
    </message>
    <message>
        <source>The exact tensors of a training step, after normalisation and augmentation, drawn with one linear grey scale from the batch&apos;s smallest to its largest value: what the network gets, not a prettified copy.</source>
        <translation>Os tensores exatos de um passo de treino, após normalização e aumento de dados, desenhados numa única escala de cinza linear do menor ao maior valor do lote: o que a rede recebe, não uma cópia embelezada.</translation>
    </message>
    <message>
        <source>Next batch</source>
        <translation>Próximo lote</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>Fração de validação</translation>
    </message>
    <message>
        <source>Use dataset {name}</source>
        <translation>Usar o conjunto de dados {name}</translation>
    </message>
    <message>
        <source>Set {option} of {dataset}</source>
        <translation>Definir {option} de {dataset}</translation>
    </message>
    <message>
        <source>unknown error</source>
        <translation>erro desconhecido</translation>
    </message>
    <message>
        <source>not loaded: the reason is above; the project keeps the data set “{name}”</source>
        <translation>não carregado: o motivo está acima; o projeto mantém o conjunto de dados “{name}”</translation>
    </message>
    <message>
        <source>not loaded: the reason is above</source>
        <translation>não carregado: o motivo está acima</translation>
    </message>
    <message>
        <source>Not loaded yet</source>
        <translation>Ainda não carregado</translation>
    </message>
    <message>
        <source>Fill in “{field}” below to use the data set “{name}”; until it loads, the project keeps “{current}”.</source>
        <translation>Preencha “{field}” abaixo para usar o conjunto de dados “{name}”; até ele carregar, o projeto mantém “{current}”.</translation>
    </message>
    <message>
        <source>not loaded: “{field}” is empty</source>
        <translation>não carregado: “{field}” está vazio</translation>
    </message>
    <message>
        <source>No samples to show: the data set did not load.</source>
        <translation>Nenhuma amostra para mostrar: o conjunto de dados não carregou.</translation>
    </message>
    <message>
        <source>Loaded, but look at this</source>
        <translation>Carregado, mas veja isto</translation>
    </message>
    <message>
        <source>{train:,} training / {val:,} validation examples of shape {shape} ({kind}), {classes}</source>
        <translation>{train:,} exemplos de treino / {val:,} de validação com formato {shape} ({kind}), {classes}</translation>
    </message>
    <message>
        <source>{kind} inputs: no picture to show; the batch below draws each example as a row of values.</source>
        <translation>Entradas {kind}: nenhuma imagem para mostrar; o lote abaixo desenha cada exemplo como uma linha de valores.</translation>
    </message>
    <message>
        <source>The first {n} of {total} training windows of {length} tokens ({level} level, {vocab} distinct tokens), decoded back to text:</source>
        <translation>As primeiras {n} de {total} janelas de treino de {length} tokens (nível {level}, {vocab} tokens distintos), decodificadas de volta em texto:</translation>
    </message>
    <message>
        <source>no augmentation</source>
        <translation>sem aumento de dados</translation>
    </message>
    <message>
        <source>batch {i} of epoch 1 (seed {seed}): shape {shape} {dtype}, values {lo:.3g} … {hi:.3g}, mean {mean:.3f}, std {std:.3f}; {aug}</source>
        <translation>lote {i} da época 1 (semente {seed}): formato {shape} {dtype}, valores {lo:.3g} … {hi:.3g}, média {mean:.3f}, desvio {std:.3f}; {aug}</translation>
    </message>
</context>
<context>
    <name>DatasetOptionsForm</name>
    <message>
        <source>CSV file</source>
        <translation>Arquivo CSV</translation>
    </message>
    <message>
        <source>Text file</source>
        <translation>Arquivo de texto</translation>
    </message>
    <message>
        <source>Task</source>
        <translation>Tarefa</translation>
    </message>
    <message>
        <source>Label</source>
        <translation>Rótulo</translation>
    </message>
    <message>
        <source>Text encoding</source>
        <translation>Codificação do texto</translation>
    </message>
    <message>
        <source>Encoding</source>
        <translation>Codificação</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>Tamanho da imagem</translation>
    </message>
    <message>
        <source>Label format</source>
        <translation>Formato dos rótulos</translation>
    </message>
    <message>
        <source>Window length</source>
        <translation>Comprimento da janela</translation>
    </message>
    <message>
        <source>Length</source>
        <translation>Comprimento</translation>
    </message>
    <message>
        <source>Download on load</source>
        <translation>Baixar ao carregar</translation>
    </message>
    <message>
        <source>Folder</source>
        <translation>Pasta</translation>
    </message>
    <message>
        <source>Channels</source>
        <translation>Canais</translation>
    </message>
    <message>
        <source>Layout</source>
        <translation>Disposição</translation>
    </message>
    <message>
        <source>Examples</source>
        <translation>Exemplos</translation>
    </message>
    <message>
        <source>Noise</source>
        <translation>Ruído</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
    <message>
        <source>Vocabulary</source>
        <translation>Vocabulário</translation>
    </message>
    <message>
        <source>Horizon</source>
        <translation>Horizonte</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>Baixar</translation>
    </message>
    <message>
        <source>Limit</source>
        <translation>Limite</translation>
    </message>
    <message>
        <source>Target column</source>
        <translation>Coluna alvo</translation>
    </message>
    <message>
        <source>Tokens</source>
        <translation>Tokens</translation>
    </message>
    <message>
        <source>Context</source>
        <translation>Contexto</translation>
    </message>
    <message>
        <source>Stride</source>
        <translation>Passo</translation>
    </message>
    <message>
        <source>Fewest objects</source>
        <translation>Mínimo de objetos</translation>
    </message>
    <message>
        <source>Most objects</source>
        <translation>Máximo de objetos</translation>
    </message>
    <message>
        <source>Smallest shape</source>
        <translation>Menor forma</translation>
    </message>
    <message>
        <source>Largest shape</source>
        <translation>Maior forma</translation>
    </message>
    <message>
        <source>Takes per voice</source>
        <translation>Gravações por voz</translation>
    </message>
    <message>
        <source>Held-out voices</source>
        <translation>Vozes reservadas</translation>
    </message>
    <message>
        <source>Features</source>
        <translation>Atributos</translation>
    </message>
    <message>
        <source>Clip length (s)</source>
        <translation>Duração do trecho (s)</translation>
    </message>
    <message>
        <source>A YOLO folder (images/ and labels/) or a folder holding one COCO .json file.</source>
        <translation>Uma pasta YOLO (images/ e labels/) ou uma pasta com um arquivo .json do COCO.</translation>
    </message>
    <message>
        <source>Automatic: YOLO when the folder has images/ and labels/, else COCO.</source>
        <translation>Automático: YOLO quando a pasta tem images/ e labels/; senão, COCO.</translation>
    </message>
    <message>
        <source>A folder with one sub-folder of images per class; the sub-folders&apos; names are the class names.</source>
        <translation>Uma pasta com uma subpasta de imagens por classe; os nomes das subpastas são os nomes das classes.</translation>
    </message>
    <message>
        <source>Every image is resized to this many pixels a side.</source>
        <translation>Cada imagem é redimensionada para este número de pixels de lado.</translation>
    </message>
    <message>
        <source>1 for grey, 3 for colour; automatic follows the first image.</source>
        <translation>1 para cinza, 3 para cor; automático segue a primeira imagem.</translation>
    </message>
    <message>
        <source>A table with a header row; every column but the target holds numbers.</source>
        <translation>Uma tabela com linha de cabeçalho; toda coluna exceto o alvo contém números.</translation>
    </message>
    <message>
        <source>The column the network learns to predict; the others are its inputs.</source>
        <translation>A coluna que a rede aprende a prever; as outras são suas entradas.</translation>
    </message>
    <message>
        <source>Automatic: a text target, or whole numbers with at most 20 values, is a class; other numbers are regressed.</source>
        <translation>Automático: um alvo de texto, ou números inteiros com no máximo 20 valores, é uma classe; outros números são regredidos.</translation>
    </message>
    <message>
        <source>Empty: UTF-8. Name the file&apos;s encoding (latin-1, cp1252) to read another.</source>
        <translation>Vazio: UTF-8. Indique a codificação do arquivo (latin-1, cp1252) para ler outra.</translation>
    </message>
    <message>
        <source>A plain UTF-8 text file; empty: the built-in stories.</source>
        <translation>Um arquivo de texto UTF-8 simples; vazio: as histórias embutidas.</translation>
    </message>
    <message>
        <source>char: one token per character; word: words, punctuation and line breaks.</source>
        <translation>char: um token por caractere; word: palavras, pontuação e quebras de linha.</translation>
    </message>
    <message>
        <source>Tokens per window: the Input&apos;s shape [T].</source>
        <translation>Tokens por janela: o formato [T] do Input.</translation>
    </message>
    <message>
        <source>Tokens between the starts of two training windows.</source>
        <translation>Tokens entre os inícios de duas janelas de treino.</translation>
    </message>
    <message>
        <source>28 gives MNIST&apos;s 28×28, so the course&apos;s CNN runs unchanged.</source>
        <translation>28 dá o 28×28 do MNIST, então a CNN do curso roda sem mudanças.</translation>
    </message>
    <message>
        <source>image: 1×S×S pictures; rows: each picture as a sequence of its rows (for an LSTM over rows).</source>
        <translation>image: figuras 1×S×S; rows: cada figura como uma sequência de suas linhas (para um LSTM sobre linhas).</translation>
    </message>
    <message>
        <source>majority: the most frequent token; first: the first token; parity: whether token 0 occurs an odd number of times.</source>
        <translation>majority: o token mais frequente; first: o primeiro token; parity: se o token 0 ocorre um número ímpar de vezes.</translation>
    </message>
    <message>
        <source>Future values to forecast in each channel.</source>
        <translation>Valores futuros a prever em cada canal.</translation>
    </message>
    <message>
        <source>The folder holding the data set&apos;s files; empty: the standard data folder.</source>
        <translation>A pasta com os arquivos do conjunto de dados; vazio: a pasta de dados padrão.</translation>
    </message>
    <message>
        <source>Download missing files (needs a network).</source>
        <translation>Baixar arquivos que faltam (precisa de rede).</translation>
    </message>
    <message>
        <source>Keep only the first examples of each split.</source>
        <translation>Manter só os primeiros exemplos de cada divisão.</translation>
    </message>
    <message>
        <source>The same seed gives the same examples.</source>
        <translation>A mesma semente dá os mesmos exemplos.</translation>
    </message>
    <message>
        <source>automatic</source>
        <translation>automático</translation>
    </message>
    <message>
        <source>the last column</source>
        <translation>a última coluna</translation>
    </message>
    <message>
        <source>UTF-8</source>
        <translation>UTF-8</translation>
    </message>
    <message>
        <source>the built-in stories</source>
        <translation>as histórias embutidas</translation>
    </message>
    <message>
        <source>half the context</source>
        <translation>metade do contexto</translation>
    </message>
    <message>
        <source>choose a folder of class folders</source>
        <translation>escolha uma pasta de pastas de classes</translation>
    </message>
    <message>
        <source>choose a YOLO or COCO folder</source>
        <translation>escolha uma pasta YOLO ou COCO</translation>
    </message>
    <message>
        <source>choose a .csv file</source>
        <translation>escolha um arquivo .csv</translation>
    </message>
    <message>
        <source>all</source>
        <translation>todos</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nenhum</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>Fetch the data set&apos;s standard files into the folder above, checking each one&apos;s published md5 (needs a network).</source>
        <translation>Baixa os arquivos padrão do conjunto de dados para a pasta acima, conferindo o md5 publicado de cada um (precisa de rede).</translation>
    </message>
    <message>
        <source>Files</source>
        <translation>Arquivos</translation>
    </message>
    <message>
        <source>Not in {folder} yet: Download fetches the {n} missing files.</source>
        <translation>Ainda não estão em {folder}: Baixar busca os {n} arquivos que faltam.</translation>
    </message>
    <message>
        <source>All files are in {folder}.</source>
        <translation>Todos os arquivos estão em {folder}.</translation>
    </message>
    <message>
        <source>Downloading {title} into {root}…</source>
        <translation>Baixando {title} em {root}…</translation>
    </message>
    <message>
        <source>Downloaded and checked: the files are in {folder}.</source>
        <translation>Baixados e conferidos: os arquivos estão em {folder}.</translation>
    </message>
    <message>
        <source>Choose the folder</source>
        <translation>Escolha a pasta</translation>
    </message>
    <message>
        <source>Data files ({patterns})</source>
        <translation>Arquivos de dados ({patterns})</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos os arquivos (*)</translation>
    </message>
    <message>
        <source>Choose the file</source>
        <translation>Escolha o arquivo</translation>
    </message>
</context>
<context>
    <name>DetectionView</name>
    <message>
        <source>mAP@0.5 (validation)</source>
        <translation>mAP@0.5 (validação)</translation>
    </message>
    <message>
        <source>mAP@0.5</source>
        <translation>mAP@0.5</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>Época</translation>
    </message>
    <message>
        <source>Validation images</source>
        <translation>Imagens de validação</translation>
    </message>
    <message>
        <source>IoU / NMS</source>
        <translation>IoU / NMS</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Perda</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Passo</translation>
    </message>
    <message>
        <source>box</source>
        <translation>caixa</translation>
    </message>
    <message>
        <source>objectness</source>
        <translation>objetividade</translation>
    </message>
    <message>
        <source>class</source>
        <translation>classe</translation>
    </message>
    <message>
        <source>{found} found, {true} true</source>
        <translation>{found} encontradas, {true} verdadeiras</translation>
    </message>
    <message>
        <source>Epoch {epoch}: the same {n} validation images each epoch. Dashed: the true boxes; solid: the model&apos;s boxes after NMS scoring at least {score}, with their score.</source>
        <translation>Época {epoch}: as mesmas {n} imagens de validação a cada época. Tracejadas: as caixas verdadeiras; contínuas: as caixas do modelo após o NMS com pontuação de pelo menos {score}, com sua pontuação.</translation>
    </message>
    <message>
        <source>Validation images with the model&apos;s boxes appear here after the first epoch.</source>
        <translation>Imagens de validação com as caixas do modelo aparecem aqui após a primeira época.</translation>
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
    <name>DiffusionView</name>
    <message>
        <source>Noise schedule</source>
        <translation>Cronograma de ruído</translation>
    </message>
    <message>
        <source>Epoch {epoch}: {n} samples drawn by reverse diffusion from the same noise each epoch</source>
        <translation>Época {epoch}: {n} amostras geradas por difusão reversa a partir do mesmo ruído a cada época</translation>
    </message>
    <message>
        <source>The forward process of one validation image ({schedule} schedule, T = {T}):</source>
        <translation>O processo direto sobre uma imagem de validação (cronograma {schedule}, T = {T}):</translation>
    </message>
    <message>
        <source>Samples drawn from noise appear here after the first epoch.</source>
        <translation>Amostras geradas a partir do ruído aparecem aqui após a primeira época.</translation>
    </message>
</context>
<context>
    <name>DistillSection</name>
    <message>
        <source>Distil into a smaller student</source>
        <translation>Destilar em um aluno menor</translation>
    </message>
    <message>
        <source>Train a small network on a trained run&apos;s softened outputs (knowledge distillation) and compare it with the same network trained on labels alone.</source>
        <translation>Treine uma rede pequena com as saídas suavizadas de um treino já feito (destilação de conhecimento) e compare-a com a mesma rede treinada só com os rótulos.</translation>
    </message>
    <message>
        <source>Teacher run</source>
        <translation>Treino do professor</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>Student project</source>
        <translation>Projeto do aluno</translation>
    </message>
    <message>
        <source>Softens the teacher&apos;s probabilities so the student also learns which wrong classes look alike</source>
        <translation>Suaviza as probabilidades do professor para que o aluno aprenda também quais classes erradas se parecem</translation>
    </message>
    <message>
        <source>Share of the teacher&apos;s term in the loss; the rest goes to the labels</source>
        <translation>Fração do termo do professor na perda; o resto vai para os rótulos</translation>
    </message>
    <message>
        <source>Temperature, weight</source>
        <translation>Temperatura, peso</translation>
    </message>
    <message>
        <source> epochs</source>
        <translation> épocas</translation>
    </message>
    <message>
        <source>all labelled samples</source>
        <translation>todas as amostras rotuladas</translation>
    </message>
    <message>
        <source> labelled samples</source>
        <translation> amostras rotuladas</translation>
    </message>
    <message>
        <source>Distillation helps most when labels are few</source>
        <translation>A destilação ajuda mais quando há poucos rótulos</translation>
    </message>
    <message>
        <source>Budget</source>
        <translation>Orçamento</translation>
    </message>
    <message>
        <source>Distil</source>
        <translation>Destilar</translation>
    </message>
    <message>
        <source>Export this student</source>
        <translation>Exportar este aluno</translation>
    </message>
    <message>
        <source>The open project ({name})</source>
        <translation>O projeto aberto ({name})</translation>
    </message>
    <message>
        <source>Template: {name}</source>
        <translation>Modelo: {name}</translation>
    </message>
    <message>
        <source>Studio project (*.studio.json *.json)</source>
        <translation>Projeto do Studio (*.studio.json *.json)</translation>
    </message>
    <message>
        <source>Training the student with and without the teacher…</source>
        <translation>Treinando o aluno com e sem o professor…</translation>
    </message>
    <message>
        <source>Distilled student {s} vs trained alone {a}: {g:+.1f} points</source>
        <translation>Aluno destilado {s} vs. treinado sozinho {a}: {g:+.1f} pontos</translation>
    </message>
    <message>
        <source>Teacher {t} with {tp} parameters; student {sp} parameters. Saved as run {run}</source>
        <translation>Professor {t} com {tp} parâmetros; aluno com {sp} parâmetros. Salvo como treino {run}</translation>
    </message>
    <message>
        <source>Teacher</source>
        <translation>Professor</translation>
    </message>
    <message>
        <source>Student, distilled</source>
        <translation>Aluno, destilado</translation>
    </message>
    <message>
        <source>Student, labels only</source>
        <translation>Aluno, só rótulos</translation>
    </message>
    <message>
        <source>Studio hit a bug while distilling: {m}</source>
        <translation>O Studio encontrou um bug ao destilar: {m}</translation>
    </message>
    <message>
        <source>Distillation stopped</source>
        <translation>Destilação interrompida</translation>
    </message>
</context>
<context>
    <name>DownloadProgress</name>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>connecting…</source>
        <translation>conectando…</translation>
    </message>
    <message>
        <source>{percent} % · {done:.1f} of {total:.1f} MB · {name}</source>
        <translation>{percent} % · {done:.1f} de {total:.1f} MB · {name}</translation>
    </message>
    <message>
        <source>done</source>
        <translation>concluído</translation>
    </message>
</context>
<context>
    <name>DrawingPad</name>
    <message>
        <source>Draw here with the left mouse button; drop an image file on it to try that</source>
        <translation>Desenhe aqui com o botão esquerdo do mouse; solte um arquivo de imagem aqui para testá-lo</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>Desenhe um dígito aqui</translation>
    </message>
</context>
<context>
    <name>EmbeddingView</name>
    <message>
        <source>Validation embeddings (PCA)</source>
        <translation>Embeddings de validação (PCA)</translation>
    </message>
    <message>
        <source>principal component 2</source>
        <translation>componente principal 2</translation>
    </message>
    <message>
        <source>principal component 1</source>
        <translation>componente principal 1</translation>
    </message>
    <message>
        <source>The validation embeddings appear here after the first epoch.</source>
        <translation>Os embeddings de validação aparecem aqui após a primeira época.</translation>
    </message>
    <message>
        <source>Epoch {epoch}: {shown} of {total} validation samples</source>
        <translation>Época {epoch}: {shown} de {total} amostras de validação</translation>
    </message>
    <message>
        <source>; the axes hold {first}% and {second}% of the variance</source>
        <translation>; os eixos contêm {first}% e {second}% da variância</translation>
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
        <translation>Veja para onde uma rede treinada olha, o que seus filtros aprenderam e a que cada canal responde, em imagens de validação ou nas suas.</translation>
    </message>
    <message>
        <source>Heatmap (CAM)</source>
        <translation>Mapa de calor (CAM)</translation>
    </message>
    <message>
        <source>Filters</source>
        <translation>Filtros</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>Ativações</translation>
    </message>
    <message>
        <source>Feature visualisation</source>
        <translation>Visualização de características</translation>
    </message>
    <message>
        <source>Few-shot</source>
        <translation>Poucos exemplos</translation>
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
        <translation>{path} não é uma pasta de treino: ela precisa de project.json e best.pt ou checkpoint.pt, como o `studio train` os grava</translation>
    </message>
    <message>
        <source>Not a run</source>
        <translation>Não é um treino</translation>
    </message>
</context>
<context>
    <name>ExportSection</name>
    <message>
        <source>{path} already exists. Choose another name, or pick it with Choose… to replace it.</source>
        <translation>{path} já existe. Escolha outro nome, ou escolha-o em Escolher… para substituí-lo.</translation>
    </message>
    <message>
        <source>Export a run</source>
        <translation>Exportar um treino</translation>
    </message>
    <message>
        <source>Write the trained model as a file that runs without Studio, optionally smaller. Every file is run again and compared with PyTorch on validation samples.</source>
        <translation>Grave o modelo treinado como um arquivo que roda sem o Studio, menor se quiser. Cada arquivo é executado de novo e comparado com o PyTorch em amostras de validação.</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Treino</translation>
    </message>
    <message>
        <source>Python code</source>
        <translation>Código Python</translation>
    </message>
    <message>
        <source>state_dict + project</source>
        <translation>state_dict + projeto</translation>
    </message>
    <message>
        <source>Format</source>
        <translation>Formato</translation>
    </message>
    <message>
        <source>Generator</source>
        <translation>Gerador</translation>
    </message>
    <message>
        <source>Discriminator</source>
        <translation>Discriminador</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Rede</translation>
    </message>
    <message>
        <source>Where to write the export</source>
        <translation>Onde gravar a exportação</translation>
    </message>
    <message>
        <source>Choose…</source>
        <translation>Escolher…</translation>
    </message>
    <message>
        <source>Save to</source>
        <translation>Salvar em</translation>
    </message>
    <message>
        <source>Off (fp32)</source>
        <translation>Desligado (fp32)</translation>
    </message>
    <message>
        <source>INT8, the fastest route that keeps accuracy (measured)</source>
        <translation>INT8, a rota mais rápida que mantém a acurácia (medida)</translation>
    </message>
    <message>
        <source>INT8, onnxruntime dynamic (weights)</source>
        <translation>INT8, onnxruntime dinâmico (pesos)</translation>
    </message>
    <message>
        <source>INT8, onnxruntime static (calibrated on training data)</source>
        <translation>INT8, onnxruntime estático (calibrado nos dados de treino)</translation>
    </message>
    <message>
        <source>INT8, PyTorch dynamic (Linear / LSTM / GRU)</source>
        <translation>INT8, PyTorch dinâmico (Linear / LSTM / GRU)</translation>
    </message>
    <message>
        <source>Quantize</source>
        <translation>Quantizar</translation>
    </message>
    <message>
        <source>Prune</source>
        <translation>Podar</translation>
    </message>
    <message>
        <source> % of weights</source>
        <translation> % dos pesos</translation>
    </message>
    <message>
        <source>Structured (whole filters)</source>
        <translation>Estruturada (filtros inteiros)</translation>
    </message>
    <message>
        <source>fine-tune </source>
        <translation>ajuste fino </translation>
    </message>
    <message>
        <source> epochs</source>
        <translation> épocas</translation>
    </message>
    <message>
        <source>Pruning</source>
        <translation>Poda</translation>
    </message>
    <message>
        <source>Include box decoding and NMS</source>
        <translation>Incluir decodificação das caixas e NMS</translation>
    </message>
    <message>
        <source>The ONNX file then outputs, per image, boxes (x0, y0, x1, y1 as fractions of the image side), scores and classes after non-maximum suppression, instead of the raw grid. Padding rows have score 0 and class -1. fp32 ONNX only, without INT8 or pruning.</source>
        <translation>O arquivo ONNX passa a dar, por imagem, caixas (x0, y0, x1, y1 como frações do lado da imagem), pontuações e classes após a supressão de não máximos, em vez da grade bruta. Linhas de preenchimento têm pontuação 0 e classe -1. Só ONNX fp32, sem INT8 nem poda.</translation>
    </message>
    <message>
        <source>Detection</source>
        <translation>Detecção</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>Exportar</translation>
    </message>
    <message>
        <source>INT8 is not offered for GAN runs: its route is chosen by the accuracy a classifier keeps, and a generator&apos;s images have no accuracy to measure.</source>
        <translation>INT8 não é oferecido para treinos de GAN: sua rota é escolhida pela acurácia que um classificador mantém, e as imagens de um gerador não têm acurácia a medir.</translation>
    </message>
    <message>
        <source>Pruning is not offered for GAN runs: it is judged on a classifier&apos;s labels, which neither network of a GAN has.</source>
        <translation>A poda não é oferecida para treinos de GAN: ela é julgada pelos rótulos de um classificador, que nenhuma das redes de uma GAN tem.</translation>
    </message>
    <message>
        <source>Box decoding and NMS go into an fp32 ONNX file only: clear &quot;Include box decoding and NMS&quot; to quantize.</source>
        <translation>Decodificação das caixas e NMS só entram num arquivo ONNX fp32: desmarque &quot;Incluir decodificação das caixas e NMS&quot; para quantizar.</translation>
    </message>
    <message>
        <source>Box decoding and NMS go into an unpruned ONNX file only: clear &quot;Include box decoding and NMS&quot; to prune.</source>
        <translation>Decodificação das caixas e NMS só entram num arquivo ONNX sem poda: desmarque &quot;Incluir decodificação das caixas e NMS&quot; para podar.</translation>
    </message>
    <message>
        <source>Folder for the state_dict and project</source>
        <translation>Pasta para o state_dict e o projeto</translation>
    </message>
    <message>
        <source>ONNX model (*.onnx)</source>
        <translation>Modelo ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>TorchScript archive (*.pt)</source>
        <translation>Arquivo TorchScript (*.pt)</translation>
    </message>
    <message>
        <source>Python file (*.py)</source>
        <translation>Arquivo Python (*.py)</translation>
    </message>
    <message>
        <source>Export to</source>
        <translation>Exportar para</translation>
    </message>
    <message>
        <source>, the class it claims</source>
        <translation>, a classe que ela afirma ser</translation>
    </message>
    <message>
        <source>Discriminator: image {shape}{claimed} -&gt; verdict [1] (near 1: real)</source>
        <translation>Discriminador: imagem {shape}{claimed} -&gt; veredito [1] (perto de 1: real)</translation>
    </message>
    <message>
        <source>Generator: {inputs} -&gt; image {shape}</source>
        <translation>Gerador: {inputs} -&gt; imagem {shape}</translation>
    </message>
    <message>
        <source>{n} epochs</source>
        <translation>{n} épocas</translation>
    </message>
    <message>
        <source>val accuracy {acc}</source>
        <translation>acurácia de validação {acc}</translation>
    </message>
    <message>
        <source>{n} parameters</source>
        <translation>{n} parâmetros</translation>
    </message>
    <message>
        <source>A GAN run exports one of its networks (the generator draws images in [-1, 1]); state_dict keeps both.</source>
        <translation>Um treino de GAN exporta uma de suas redes (o gerador desenha imagens em [-1, 1]); o state_dict guarda as duas.</translation>
    </message>
    <message>
        <source>Choose where to save the export first.</source>
        <translation>Escolha primeiro onde salvar a exportação.</translation>
    </message>
    <message>
        <source>Loading the run…</source>
        <translation>Carregando o treino…</translation>
    </message>
    <message>
        <source>Measuring accuracy before…</source>
        <translation>Medindo a acurácia antes…</translation>
    </message>
    <message>
        <source>Pruning…</source>
        <translation>Podando…</translation>
    </message>
    <message>
        <source>Writing the file…</source>
        <translation>Gravando o arquivo…</translation>
    </message>
    <message>
        <source>Quantizing to INT8…</source>
        <translation>Quantizando para INT8…</translation>
    </message>
    <message>
        <source>Checking against PyTorch…</source>
        <translation>Conferindo com o PyTorch…</translation>
    </message>
    <message>
        <source>Measuring before and after…</source>
        <translation>Medindo antes e depois…</translation>
    </message>
    <message>
        <source>Finishing…</source>
        <translation>Finalizando…</translation>
    </message>
    <message>
        <source>PASS</source>
        <translation>OK</translation>
    </message>
    <message>
        <source>FAIL</source>
        <translation>FALHA</translation>
    </message>
    <message>
        <source>WARN</source>
        <translation>AVISO</translation>
    </message>
    <message>
        <source>Before (run, fp32)</source>
        <translation>Antes (treino, fp32)</translation>
    </message>
    <message>
        <source>The file after also decodes the boxes and runs NMS, which the run&apos;s raw grid before does not: its size and latency include that work.</source>
        <translation>O arquivo depois também decodifica as caixas e roda o NMS, o que a grade bruta da execução antes não faz: seu tamanho e latência incluem esse trabalho.</translation>
    </message>
    <message>
        <source>Latencies are medians of repeated runs, timed side by side just now on this machine; a change within their spread or under 15% reads &quot;about the same&quot;.</source>
        <translation>As latências são medianas de execuções repetidas, medidas lado a lado agora nesta máquina; uma diferença dentro da dispersão ou abaixo de 15% aparece como &quot;praticamente igual&quot;.</translation>
    </message>
    <message>
        <source>pruned</source>
        <translation>podado</translation>
    </message>
    <message>
        <source>+ NMS</source>
        <translation>+ NMS</translation>
    </message>
    <message>
        <source>After ({what})</source>
        <translation>Depois ({what})</translation>
    </message>
    <message>
        <source>the reloaded file</source>
        <translation>o arquivo recarregado</translation>
    </message>
    <message>
        <source>Max abs diff {diff} {rel} {tol} between {engine} and PyTorch on {n} images drawn from seeded noise</source>
        <translation>Dif. abs. máx. {diff} {rel} {tol} entre {engine} e PyTorch em {n} imagens geradas a partir de ruído com semente</translation>
    </message>
    <message>
        <source>Max abs diff {diff} {rel} {tol} between {engine} and PyTorch on {n} validation samples</source>
        <translation>Dif. abs. máx. {diff} {rel} {tol} entre {engine} e PyTorch em {n} amostras de validação</translation>
    </message>
    <message>
        <source>INT8 kept {after} validation accuracy ({before} before; at most {budget:g} point may be lost)</source>
        <translation>O INT8 manteve {after} de acurácia de validação ({before} antes; pode-se perder no máximo {budget:g} ponto)</translation>
    </message>
    <message>
        <source>Written and checked</source>
        <translation>Gravado e conferido</translation>
    </message>
    <message>
        <source>Saved to {path} ({size})</source>
        <translation>Salvo em {path} ({size})</translation>
    </message>
    <message>
        <source>fp32 file before quantizing: max abs diff {diff} ({verdict}); INT8 error to PyTorch {q}</source>
        <translation>Arquivo fp32 antes de quantizar: dif. abs. máx. {diff} ({verdict}); erro do INT8 em relação ao PyTorch {q}</translation>
    </message>
    <message>
        <source>Pruned: {share} of the weights are zero</source>
        <translation>Podado: {share} dos pesos são zero</translation>
    </message>
    <message>
        <source>checked in onnxruntime against Studio&apos;s own decoding and NMS: max abs diff {diff}</source>
        <translation>conferido no onnxruntime com a decodificação e o NMS do próprio Studio: dif. abs. máx. {diff}</translation>
    </message>
    <message>
        <source>not checked</source>
        <translation>não conferido</translation>
    </message>
    <message>
        <source>Box decoding and NMS inside the file: outputs boxes, scores and classes (up to {n} per image, score above {score}, NMS IoU {iou}), {checked}</source>
        <translation>Decodificação das caixas e NMS dentro do arquivo: dá caixas, pontuações e classes (até {n} por imagem, pontuação acima de {score}, IoU do NMS {iou}), {checked}</translation>
    </message>
    <message>
        <source>onnxruntime dynamic</source>
        <translation>onnxruntime dinâmica</translation>
    </message>
    <message>
        <source>onnxruntime static</source>
        <translation>onnxruntime estática</translation>
    </message>
    <message>
        <source>PyTorch dynamic</source>
        <translation>PyTorch dinâmica</translation>
    </message>
    <message>
        <source>INT8 route: {route}</source>
        <translation>Rota INT8: {route}</translation>
    </message>
    <message>
        <source>INT8 route: {route}, chosen by measuring every route: the fastest that keeps accuracy within {budget:g} point</source>
        <translation>Rota INT8: {route}, escolhida medindo todas as rotas: a mais rápida que mantém a acurácia dentro de {budget:g} ponto</translation>
    </message>
    <message>
        <source>Studio hit a bug while exporting: {m}</source>
        <translation>O Studio encontrou um bug ao exportar: {m}</translation>
    </message>
    <message>
        <source>Export refused</source>
        <translation>Exportação recusada</translation>
    </message>
</context>
<context>
    <name>FeaturePane</name>
    <message>
        <source>Visualise</source>
        <translation>Visualizar</translation>
    </message>
    <message>
        <source>Layer</source>
        <translation>Camada</translation>
    </message>
    <message>
        <source>Channel</source>
        <translation>Canal</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>Passos</translation>
    </message>
    <message>
        <source>Gradient ascent on the image (never the weights) from noise, with random jitter, scaling and rotation each step so only robust patterns survive; the image&apos;s average brightness stays at the data&apos;s, so the picture shows a pattern.</source>
        <translation>Subida de gradiente na imagem (nunca nos pesos) a partir de ruído, com deslocamento, escala e rotação aleatórios a cada passo para que só padrões robustos sobrevivam; o brilho médio da imagem fica no dos dados, então a figura mostra um padrão.</translation>
    </message>
    <message>
        <source>Choose a channel and press Visualise</source>
        <translation>Escolha um canal e clique em Visualizar</translation>
    </message>
    <message>
        <source>Optimising the image…</source>
        <translation>Otimizando a imagem…</translation>
    </message>
    <message>
        <source>Channel {c} of {layer} did not fire on anything the ascent tried, so there is no picture to show. Try another channel (the Activations tab shows whether it fires on real inputs).</source>
        <translation>O canal {c} de {layer} não disparou com nada que a subida tentou, então não há figura a mostrar. Experimente outro canal (a aba Ativações mostra se ele dispara com entradas reais).</translation>
    </message>
    <message>
        <source>{layer}, channel {c}: mean activation {a:.3g} → {b:.3g} in {n} steps</source>
        <translation>{layer}, canal {c}: ativação média {a:.3g} → {b:.3g} em {n} passos</translation>
    </message>
    <message>
        <source>cancelled: the image so far</source>
        <translation>cancelado: a imagem até aqui</translation>
    </message>
</context>
<context>
    <name>FewShotPane</name>
    <message>
        <source>Prototypical network: in each episode N classes are drawn, each class&apos;s prototype is the mean embedding of its K examples, and every query takes the class of the nearest prototype. No training: this measures what the embedding already knows.</source>
        <translation>Rede prototípica: em cada episódio são sorteadas N classes, o protótipo de cada classe é a média dos embeddings de seus K exemplos, e cada consulta recebe a classe do protótipo mais próximo. Sem treino: mede o que o embedding já sabe.</translation>
    </message>
    <message>
        <source>One number or several separated by commas: every N-way, K-shot pair gets a row</source>
        <translation>Um número ou vários separados por vírgulas: cada par N classes, K exemplos ganha uma linha</translation>
    </message>
    <message>
        <source>Query samples per class in each episode</source>
        <translation>Amostras de consulta por classe em cada episódio</translation>
    </message>
    <message>
        <source>The same run, data and seed give the same figures as the studio few-shot command</source>
        <translation>A mesma execução, dados e semente dão os mesmos números que o comando studio few-shot</translation>
    </message>
    <message>
        <source>N-way</source>
        <translation>N classes</translation>
    </message>
    <message>
        <source>K-shot</source>
        <translation>K exemplos</translation>
    </message>
    <message>
        <source>Queries</source>
        <translation>Consultas</translation>
    </message>
    <message>
        <source>Episodes</source>
        <translation>Episódios</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>Semente</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>Dados</translation>
    </message>
    <message>
        <source>The run&apos;s validation data</source>
        <translation>Os dados de validação da execução</translation>
    </message>
    <message>
        <source>An image folder</source>
        <translation>Uma pasta de imagens</translation>
    </message>
    <message>
        <source>A folder with one sub-folder of images per class</source>
        <translation>Uma pasta com uma subpasta de imagens por classe</translation>
    </message>
    <message>
        <source>Choose folder…</source>
        <translation>Escolher pasta…</translation>
    </message>
    <message>
        <source>Run</source>
        <translation>Executar</translation>
    </message>
    <message>
        <source>Setting</source>
        <translation>Configuração</translation>
    </message>
    <message>
        <source>Accuracy (mean ± 95 % interval)</source>
        <translation>Acurácia (média ± intervalo de 95 %)</translation>
    </message>
    <message>
        <source>Chance (1/N)</source>
        <translation>Acaso (1/N)</translation>
    </message>
    <message>
        <source>Choose an image folder (one sub-folder per class)</source>
        <translation>Escolha uma pasta de imagens (uma subpasta por classe)</translation>
    </message>
    <message>
        <source>{name} is not a trained Studio run: few-shot evaluation needs a run with an embedding output. Choose a trained run.</source>
        <translation>{name} não é uma execução treinada do Studio: a avaliação com poucos exemplos precisa de uma execução com saída de embedding. Escolha uma execução treinada.</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nenhuma</translation>
    </message>
    <message>
        <source>{name} has no embedding output (its outputs: {kinds}), so there is nothing to compare: train a project with an EmbeddingHead, e.g. the Siamese embedding template, and choose that run.</source>
        <translation>{name} não tem saída de embedding (suas saídas: {kinds}), então não há o que comparar: treine um projeto com um EmbeddingHead, p. ex. o modelo de embedding siamês, e escolha essa execução.</translation>
    </message>
    <message>
        <source>N-way takes whole numbers of 2 or more and K-shot of 1 or more, separated by commas (e.g. 5 and 1, 5).</source>
        <translation>N classes aceita números inteiros a partir de 2 e K exemplos a partir de 1, separados por vírgulas (p. ex. 5 e 1, 5).</translation>
    </message>
    <message>
        <source>{folder} is not a folder: choose a folder with one sub-folder of images per class.</source>
        <translation>{folder} não é uma pasta: escolha uma pasta com uma subpasta de imagens por classe.</translation>
    </message>
    <message>
        <source>No folder chosen</source>
        <translation>Nenhuma pasta escolhida</translation>
    </message>
    <message>
        <source>Loading the weights…</source>
        <translation>Carregando os pesos…</translation>
    </message>
    <message>
        <source>Reading the data…</source>
        <translation>Lendo os dados…</translation>
    </message>
    <message>
        <source>Embedding the samples and running the episodes…</source>
        <translation>Calculando os embeddings e rodando os episódios…</translation>
    </message>
    <message>
        <source>{data} has {found} classes with at least {need} images each, fewer than N = {way}: lower N-way, K-shot or Queries, or choose a folder with more classes.</source>
        <translation>{data} tem {found} classes com pelo menos {need} imagens cada, menos que N = {way}: reduza N classes, K exemplos ou Consultas, ou escolha uma pasta com mais classes.</translation>
    </message>
    <message>
        <source>{way}-way {shot}-shot</source>
        <translation>{way} classes, {shot} exemplos</translation>
    </message>
    <message>
        <source>{source}: {samples} samples, {classes} classes, {queries} queries per class.</source>
        <translation>{source}: {samples} amostras, {classes} classes, {queries} consultas por classe.</translation>
    </message>
    <message>
        <source>Episodes use the {n} classes the run never saw in training: {names}.</source>
        <translation>Os episódios usam as {n} classes que a execução nunca viu no treino: {names}.</translation>
    </message>
    <message>
        <source>Every class of this data was seen in training: the figures measure the embedding on new samples, not on new classes.</source>
        <translation>Todas as classes destes dados foram vistas no treino: os números medem o embedding em amostras novas, não em classes novas.</translation>
    </message>
    <message>
        <source>Choose a trained embedding run (e.g. the Siamese embedding template) in the Model card, then press Run.</source>
        <translation>Escolha uma execução de embedding treinada (p. ex. o modelo de embedding siamês) no cartão Modelo e pressione Executar.</translation>
    </message>
</context>
<context>
    <name>FiltersPane</name>
    <message>
        <source>Layer</source>
        <translation>Camada</translation>
    </message>
    <message>
        <source>Colour scale</source>
        <translation>Escala de cor</translation>
    </message>
    <message>
        <source>Per filter</source>
        <translation>Por filtro</translation>
    </message>
    <message>
        <source>Shared</source>
        <translation>Compartilhada</translation>
    </message>
    <message>
        <source>Per filter: every tile uses its full contrast (shapes are easy to see). Shared: one scale for the layer (strong and weak filters are easy to tell).</source>
        <translation>Por filtro: cada quadro usa todo o seu contraste (as formas ficam fáceis de ver). Compartilhada: uma escala para a camada (filtros fortes e fracos ficam fáceis de distinguir).</translation>
    </message>
    <message>
        <source>Load a model to see its filters</source>
        <translation>Carregue um modelo para ver seus filtros</translation>
    </message>
    <message>
        <source>Grey is zero, light is positive, dark is negative. Deeper layers show one tile per (filter, input channel): a row per filter.</source>
        <translation>Cinza é zero, claro é positivo, escuro é negativo. Camadas mais profundas mostram um quadro por (filtro, canal de entrada): uma linha por filtro.</translation>
    </message>
    <message>
        <source>{layer}: {out} filters of {inp}×{kernel}; largest weight magnitude {top:.3g}</source>
        <translation>{layer}: {out} filtros de {inp}×{kernel}; maior magnitude de peso {top:.3g}</translation>
    </message>
    <message>
        <source>showing {f} filters × {c} input channels</source>
        <translation>mostrando {f} filtros × {c} canais de entrada</translation>
    </message>
</context>
<context>
    <name>GanView</name>
    <message>
        <source>D output</source>
        <translation>Saída de D</translation>
    </message>
    <message>
        <source>Step</source>
        <translation>Passo</translation>
    </message>
    <message>
        <source>D(x) on real images</source>
        <translation>D(x) em imagens reais</translation>
    </message>
    <message>
        <source>D(G(z)) on fakes</source>
        <translation>D(G(z)) em falsas</translation>
    </message>
    <message>
        <source>Loss</source>
        <translation>Perda</translation>
    </message>
    <message>
        <source>D loss</source>
        <translation>Perda de D</translation>
    </message>
    <message>
        <source>G loss</source>
        <translation>Perda de G</translation>
    </message>
    <message>
        <source>FID-like distance (small digits classifier&apos;s features; lower is better)</source>
        <translation>Distância tipo FID (atributos de um pequeno classificador de dígitos; menor é melhor)</translation>
    </message>
    <message>
        <source>FID-like</source>
        <translation>Tipo FID</translation>
    </message>
    <message>
        <source>Epoch</source>
        <translation>Época</translation>
    </message>
    <message>
        <source>0.5: G fools D half the time</source>
        <translation>0,5: G engana D metade das vezes</translation>
    </message>
    <message>
        <source>Epoch {epoch}: {n} samples from the same noise; left: the class asked for</source>
        <translation>Época {epoch}: {n} amostras do mesmo ruído; à esquerda: a classe pedida</translation>
    </message>
    <message>
        <source>Epoch {epoch}: {n} samples from the same noise; corner: the class asked for</source>
        <translation>Época {epoch}: {n} amostras do mesmo ruído; no canto: a classe pedida</translation>
    </message>
    <message>
        <source>Epoch {epoch}: {n} samples from the same noise each epoch</source>
        <translation>Época {epoch}: {n} amostras do mesmo ruído a cada época</translation>
    </message>
    <message>
        <source>Recognised: {share}% of 256 samples (classifier confidence at least 0.9)</source>
        <translation>Reconhecidas: {share}% de 256 amostras (confiança do classificador de pelo menos 0,9)</translation>
    </message>
    <message>
        <source>Classes covered: {classes} of {total}</source>
        <translation>Classes cobertas: {classes} de {total}</translation>
    </message>
    <message>
        <source>Diversity: {share}% of the real images&apos; spread</source>
        <translation>Diversidade: {share}% da dispersão das imagens reais</translation>
    </message>
    <message>
        <source>Validation: D(x) {real}, D(G(z)) {fake}</source>
        <translation>Validação: D(x) {real}, D(G(z)) {fake}</translation>
    </message>
    <message>
        <source>What helps:</source>
        <translation>O que ajuda:</translation>
    </message>
    <message>
        <source>Samples from the generator appear here after the first epoch.</source>
        <translation>As amostras do gerador aparecem aqui após a primeira época.</translation>
    </message>
</context>
<context>
    <name>GraphEditor</name>
    <message>
        <source>Add {block}</source>
        <translation>Adicionar {block}</translation>
    </message>
    <message>
        <source>Move {id} to {network}</source>
        <translation>Mover {id} para {network}</translation>
    </message>
    <message>
        <source>Delete {id}</source>
        <translation>Excluir {id}</translation>
    </message>
    <message>
        <source>Delete {n} blocks</source>
        <translation>Excluir {n} blocos</translation>
    </message>
    <message>
        <source>Delete connection</source>
        <translation>Excluir conexão</translation>
    </message>
    <message>
        <source>Move</source>
        <translation>Mover</translation>
    </message>
    <message>
        <source>Move {n} blocks to {network}</source>
        <translation>Mover {n} blocos para {network}</translation>
    </message>
    <message>
        <source>Move {n} blocks</source>
        <translation>Mover {n} blocos</translation>
    </message>
    <message>
        <source>Freeze {id}</source>
        <translation>Congelar {id}</translation>
    </message>
    <message>
        <source>Unfreeze {id}</source>
        <translation>Descongelar {id}</translation>
    </message>
    <message>
        <source>Freeze {n} blocks</source>
        <translation>Congelar {n} blocos</translation>
    </message>
    <message>
        <source>Unfreeze {n} blocks</source>
        <translation>Descongelar {n} blocos</translation>
    </message>
    <message>
        <source>Freeze everything up to {id}</source>
        <translation>Congelar tudo até {id}</translation>
    </message>
    <message>
        <source>Set {param} of {id}</source>
        <translation>Definir {param} de {id}</translation>
    </message>
    <message>
        <source>an id uses letters, digits and _ and does not start with a digit</source>
        <translation>um id usa letras, dígitos e _ e não começa com um dígito</translation>
    </message>
    <message>
        <source>{id} is already taken</source>
        <translation>{id} já está em uso</translation>
    </message>
    <message>
        <source>Rename {old} to {new}</source>
        <translation>Renomear {old} para {new}</translation>
    </message>
    <message>
        <source>a block cannot feed itself</source>
        <translation>um bloco não pode alimentar a si mesmo</translation>
    </message>
    <message>
        <source>unknown block</source>
        <translation>bloco desconhecido</translation>
    </message>
    <message>
        <source>{id} has no input {port}</source>
        <translation>{id} não tem a entrada {port}</translation>
    </message>
    <message>
        <source>already connected</source>
        <translation>já conectado</translation>
    </message>
    <message>
        <source>that wire would make a cycle</source>
        <translation>essa ligação criaria um ciclo</translation>
    </message>
    <message>
        <source>input {port} of {id} is already connected</source>
        <translation>a entrada {port} de {id} já está conectada</translation>
    </message>
    <message>
        <source>Connect {src} to {dst}</source>
        <translation>Conectar {src} a {dst}</translation>
    </message>
    <message>
        <source>Auto layout</source>
        <translation>Layout automático</translation>
    </message>
    <message>
        <source>Collapse {name}</source>
        <translation>Recolher {name}</translation>
    </message>
    <message>
        <source>Expand {name}</source>
        <translation>Expandir {name}</translation>
    </message>
    <message>
        <source>Collapse {n} groups</source>
        <translation>Recolher {n} grupos</translation>
    </message>
    <message>
        <source>Expand {n} groups</source>
        <translation>Expandir {n} grupos</translation>
    </message>
    <message>
        <source>Paste {id}</source>
        <translation>Colar {id}</translation>
    </message>
    <message>
        <source>Paste {n} blocks</source>
        <translation>Colar {n} blocos</translation>
    </message>
</context>
<context>
    <name>GraphScene</name>
    <message>
        <source>params</source>
        <translation>parâm.</translation>
    </message>
    <message>
        <source>{n} blocks</source>
        <translation>{n} blocos</translation>
    </message>
    <message>
        <source>fake image</source>
        <translation>imagem falsa</translation>
    </message>
    <message>
        <source>expand {name} to wire into its blocks</source>
        <translation>expanda {name} para ligar aos seus blocos</translation>
    </message>
    <message>
        <source>{id} takes no input</source>
        <translation>{id} não recebe entrada</translation>
    </message>
</context>
<context>
    <name>GroupItem</name>
    <message>
        <source>in: {shapes}</source>
        <translation>entra: {shapes}</translation>
    </message>
    <message>
        <source>out: {shapes}</source>
        <translation>sai: {shapes}</translation>
    </message>
    <message>
        <source>Double-click to expand</source>
        <translation>Clique duas vezes para expandir</translation>
    </message>
</context>
<context>
    <name>ImportModelDialog</name>
    <message>
        <source>{name} holds weights only (a state_dict)</source>
        <translation>{name} contém apenas pesos (um state_dict)</translation>
    </message>
    <message>
        <source>choose the architecture they belong to under “Architecture of the weights”</source>
        <translation>escolha a arquitetura a que eles pertencem em “Arquitetura dos pesos”</translation>
    </message>
    <message>
        <source>Import model</source>
        <translation>Importar modelo</translation>
    </message>
    <message>
        <source>Turn a model made elsewhere into a project: layers Studio has a block for become that block with their weights; the rest become Module blocks (drawn dashed).</source>
        <translation>Transforme um modelo feito em outro lugar em um projeto: as camadas para as quais o Studio tem um bloco viram esse bloco com seus pesos; o resto vira blocos Module (desenhados tracejados).</translation>
    </message>
    <message>
        <source>A torchvision architecture (random weights, nothing is downloaded)</source>
        <translation>Uma arquitetura do torchvision (pesos aleatórios, nada é baixado)</translation>
    </message>
    <message>
        <source>A model file (TorchScript or state_dict .pt/.pth, .onnx)</source>
        <translation>Um arquivo de modelo (TorchScript ou state_dict .pt/.pth, .onnx)</translation>
    </message>
    <message>
        <source>Filter, e.g. resnet</source>
        <translation>Filtrar, p. ex. resnet</translation>
    </message>
    <message>
        <source>model.pt, weights.pth or model.onnx</source>
        <translation>model.pt, weights.pth ou model.onnx</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>e.g. resnet18</source>
        <translation>p. ex. resnet18</translation>
    </message>
    <message>
        <source>Architecture of the weights:</source>
        <translation>Arquitetura dos pesos:</translation>
    </message>
    <message>
        <source>3,224,224</source>
        <translation>3,224,224</translation>
    </message>
    <message>
        <source>File:</source>
        <translation>Arquivo:</translation>
    </message>
    <message>
        <source>One sample&apos;s shape:</source>
        <translation>Forma de uma amostra:</translation>
    </message>
    <message>
        <source>Import…</source>
        <translation>Importar…</translation>
    </message>
    <message>
        <source>Looking up torchvision&apos;s architectures…</source>
        <translation>Consultando as arquiteturas do torchvision…</translation>
    </message>
    <message>
        <source>torchvision is not installed: import a model file.</source>
        <translation>o torchvision não está instalado: importe um arquivo de modelo.</translation>
    </message>
    <message>
        <source>{arch}: {millions} million parameters</source>
        <translation>{arch}: {millions} milhões de parâmetros</translation>
    </message>
    <message>
        <source>Models (*.pt *.pth *.onnx)</source>
        <translation>Modelos (*.pt *.pth *.onnx)</translation>
    </message>
    <message>
        <source>All files (*)</source>
        <translation>Todos os arquivos (*)</translation>
    </message>
    <message>
        <source>Choose an architecture in the list.</source>
        <translation>Escolha uma arquitetura na lista.</translation>
    </message>
    <message>
        <source>Choose a model file.</source>
        <translation>Escolha um arquivo de modelo.</translation>
    </message>
    <message>
        <source>{path} is not a file.</source>
        <translation>{path} não é um arquivo.</translation>
    </message>
    <message>
        <source>Replace files?</source>
        <translation>Substituir arquivos?</translation>
    </message>
    <message>
        <source>{folder} already has {files}. Replace?</source>
        <translation>{folder} já tem {files}. Substituir?</translation>
    </message>
    <message>
        <source>Folder {folder} does not exist.</source>
        <translation>A pasta {folder} não existe.</translation>
    </message>
    <message>
        <source>Importing {model}…</source>
        <translation>Importando {model}…</translation>
    </message>
    <message>
        <source>Imported {name}: {nodes} blocks ({modules} Module blocks), {params} parameters; weights in {weights}</source>
        <translation>{name} importado: {nodes} blocos ({modules} blocos Module), {params} parâmetros; pesos em {weights}</translation>
    </message>
    <message>
        <source>Cannot import model</source>
        <translation>Não foi possível importar o modelo</translation>
    </message>
</context>
<context>
    <name>InferenceSection</name>
    <message>
        <source>Try an ONNX file</source>
        <translation>Experimente um arquivo ONNX</translation>
    </message>
    <message>
        <source>Run an exported model the way an application would: onnxruntime only, inputs prepared from the file&apos;s own metadata.</source>
        <translation>Execute um modelo exportado como um aplicativo faria: só onnxruntime, com entradas preparadas a partir dos metadados do próprio arquivo.</translation>
    </message>
    <message>
        <source>Open .onnx…</source>
        <translation>Abrir .onnx…</translation>
    </message>
    <message>
        <source>No model open. Drop an .onnx file here, or an image to classify.</source>
        <translation>Nenhum modelo aberto. Solte aqui um arquivo .onnx, ou uma imagem para classificar.</translation>
    </message>
    <message>
        <source>Dataset samples</source>
        <translation>Amostras do conjunto de dados</translation>
    </message>
    <message>
        <source>An image</source>
        <translation>Uma imagem</translation>
    </message>
    <message>
        <source>Previous sample</source>
        <translation>Amostra anterior</translation>
    </message>
    <message>
        <source>Next sample</source>
        <translation>Próxima amostra</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Aleatória</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>Abrir imagem…</translation>
    </message>
    <message>
        <source>Top</source>
        <translation>Top</translation>
    </message>
    <message>
        <source>Open an ONNX model</source>
        <translation>Abrir um modelo ONNX</translation>
    </message>
    <message>
        <source>ONNX model (*.onnx)</source>
        <translation>Modelo ONNX (*.onnx)</translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation>Abrindo {name}…</translation>
    </message>
    <message>
        <source>inputs {shapes}</source>
        <translation>entradas {shapes}</translation>
    </message>
    <message>
        <source>{n} classes</source>
        <translation>{n} classes</translation>
    </message>
    <message>
        <source>exported by Studio {v}</source>
        <translation>exportado pelo Studio {v}</translation>
    </message>
    <message>
        <source>samples: {name} validation set</source>
        <translation>amostras: conjunto de validação de {name}</translation>
    </message>
    <message>
        <source>This file is a GAN&apos;s discriminator: it gives one verdict per image (near 1: real, near 0: generated), not classes, so there is no top-k to show. Export the generator to see the images it draws.</source>
        <translation>Este arquivo é o discriminador de uma GAN: ele dá um veredito por imagem (perto de 1: real, perto de 0: gerada), não classes, então não há top-k a mostrar. Exporte o gerador para ver as imagens que ele desenha.</translation>
    </message>
    <message>
        <source>No dataset at hand fits this model&apos;s inputs: open or drop an image.</source>
        <translation>Nenhum conjunto de dados disponível serve para as entradas deste modelo: abra ou solte uma imagem.</translation>
    </message>
    <message>
        <source>Cannot run this</source>
        <translation>Não é possível executar isto</translation>
    </message>
    <message>
        <source>Generated from noise</source>
        <translation>Gerado a partir de ruído</translation>
    </message>
    <message>
        <source>16 images from noise seed {seed}; Random draws new noise.</source>
        <translation>16 imagens do ruído de semente {seed}; Aleatória sorteia um novo ruído.</translation>
    </message>
    <message>
        <source>Classes asked for, row by row: {classes}, …</source>
        <translation>Classes pedidas, linha a linha: {classes}, …</translation>
    </message>
    <message>
        <source>(not an image)</source>
        <translation>(não é uma imagem)</translation>
    </message>
    <message>
        <source>Sample {i} of {n}</source>
        <translation>Amostra {i} de {n}</translation>
    </message>
    <message>
        <source>true class {name}</source>
        <translation>classe verdadeira {name}</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>Abrir uma imagem</translation>
    </message>
    <message>
        <source>Images ({p})</source>
        <translation>Imagens ({p})</translation>
    </message>
    <message>
        <source>Open an .onnx model first; the image {name} waits.</source>
        <translation>Abra primeiro um modelo .onnx; a imagem {name} fica aguardando.</translation>
    </message>
    <message>
        <source>This file is one network of a GAN; it does not classify images.</source>
        <translation>Este arquivo é uma das redes de uma GAN; ele não classifica imagens.</translation>
    </message>
    <message>
        <source>Predicted: {name}</source>
        <translation>Previsto: {name}</translation>
    </message>
</context>
<context>
    <name>InputCard</name>
    <message>
        <source>Input</source>
        <translation>Entrada</translation>
    </message>
    <message>
        <source>Previous sample</source>
        <translation>Amostra anterior</translation>
    </message>
    <message>
        <source>Next sample</source>
        <translation>Próxima amostra</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>Aleatória</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>Abrir imagem…</translation>
    </message>
    <message>
        <source>Sample</source>
        <translation>Amostra</translation>
    </message>
    <message>
        <source>Load a model first.</source>
        <translation>Carregue um modelo primeiro.</translation>
    </message>
    <message>
        <source>Or drop an image file (PNG, JPEG, …) on this panel.</source>
        <translation>Ou solte um arquivo de imagem (PNG, JPEG, …) neste painel.</translation>
    </message>
    <message>
        <source>of {n}</source>
        <translation>de {n}</translation>
    </message>
    <message>
        <source>Validation sample &lt;b&gt;#{i}&lt;/b&gt;</source>
        <translation>Amostra de validação &lt;b&gt;#{i}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>true class &lt;b&gt;{name}&lt;/b&gt;</source>
        <translation>classe verdadeira &lt;b&gt;{name}&lt;/b&gt;</translation>
    </message>
    <message>
        <source>Open an image</source>
        <translation>Abrir uma imagem</translation>
    </message>
    <message>
        <source>Images ({pattern})</source>
        <translation>Imagens ({pattern})</translation>
    </message>
    <message>
        <source>Load a model first: the image is prepared the way its training data was.</source>
        <translation>Carregue um modelo primeiro: a imagem é preparada como os dados de treino dele foram.</translation>
    </message>
    <message>
        <source>Image file &lt;b&gt;{name}&lt;/b&gt; (true class unknown)</source>
        <translation>Arquivo de imagem &lt;b&gt;{name}&lt;/b&gt; (classe verdadeira desconhecida)</translation>
    </message>
</context>
<context>
    <name>Inspector</name>
    <message>
        <source>The node&apos;s id: the attribute name in the generated code</source>
        <translation>O id do nó: o nome do atributo no código gerado</translation>
    </message>
    <message>
        <source>Network</source>
        <translation>Rede</translation>
    </message>
    <message>
        <source>The network this block belongs to; choose another to move it there</source>
        <translation>A rede a que este bloco pertence; escolha outra para movê-lo para lá</translation>
    </message>
    <message>
        <source>Frozen</source>
        <translation>Congelado</translation>
    </message>
    <message>
        <source>Keep this block&apos;s weights as they are while training (transfer learning); training can unfreeze it later</source>
        <translation>Manter os pesos deste bloco como estão durante o treino (aprendizado por transferência); o treino pode descongelá-lo depois</translation>
    </message>
    <message>
        <source>Freeze up to here</source>
        <translation>Congelar até aqui</translation>
    </message>
    <message>
        <source>Freeze this block and every block that feeds it, so that only the blocks after it train</source>
        <translation>Congelar este bloco e todos os blocos que o alimentam, para que só os blocos depois dele treinem</translation>
    </message>
    <message>
        <source>Apply fix</source>
        <translation>Aplicar correção</translation>
    </message>
    <message>
        <source>{n} blocks selected. Select one block to edit its settings.</source>
        <translation>{n} blocos selecionados. Selecione um só bloco para editar suas configurações.</translation>
    </message>
    <message>
        <source>Select a block to edit its settings. Drag blocks in from the palette; wire them by dragging from a block&apos;s bottom port to another&apos;s top port.</source>
        <translation>Selecione um bloco para editar suas configurações. Arraste blocos da paleta; conecte-os arrastando da porta inferior de um bloco até a porta superior de outro.</translation>
    </message>
    <message>
        <source>Output {shape} · {params} parameters · {flops} FLOPs</source>
        <translation>Saída {shape} · {params} parâmetros · {flops} FLOPs</translation>
    </message>
    <message>
        <source>No output shape yet.</source>
        <translation>Ainda sem formato de saída.</translation>
    </message>
    <message>
        <source>Error</source>
        <translation>Erro</translation>
    </message>
    <message>
        <source>Warning</source>
        <translation>Aviso</translation>
    </message>
    <message>
        <source>Fix: {what}</source>
        <translation>Correção: {what}</translation>
    </message>
    <message>
        <source>(none)</source>
        <translation>(nenhuma)</translation>
    </message>
    <message>
        <source>auto</source>
        <translation>auto</translation>
    </message>
</context>
<context>
    <name>LevelMeterBar</name>
    <message>
        <source>Input level (dBFS): bar = RMS, tick = peak. CLIP lights when a sample reaches full scale and stays lit for a second.</source>
        <translation>Nível de entrada (dBFS): barra = RMS, marca = pico. CLIP acende quando uma amostra atinge o fundo de escala e fica aceso por um segundo.</translation>
    </message>
    <message>
        <source>CLIP</source>
        <translation>CLIP</translation>
    </message>
</context>
<context>
    <name>ListenPanel</name>
    <message>
        <source>The microphone Listen records from</source>
        <translation>O microfone de onde Ouvir grava</translation>
    </message>
    <message>
        <source>Look for input devices again</source>
        <translation>Procurar dispositivos de entrada de novo</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>Ouvir</translation>
    </message>
    <message>
        <source>Record from the microphone: each word you say is answered as soon as you stop</source>
        <translation>Gravar do microfone: cada palavra que você diz é respondida assim que você para</translation>
    </message>
    <message>
        <source>Open sound…</source>
        <translation>Abrir som…</translation>
    </message>
    <message>
        <source> (default)</source>
        <translation> (padrão)</translation>
    </message>
    <message>
        <source>no input device</source>
        <translation>nenhum dispositivo de entrada</translation>
    </message>
    <message>
        <source>no audio input device found</source>
        <translation>nenhum dispositivo de entrada de áudio encontrado</translation>
    </message>
    <message>
        <source>the input device “{name}” is gone: choose another one in the list, or plug it back in and press the reload button next to it</source>
        <translation>o dispositivo de entrada “{name}” sumiu: escolha outro na lista, ou conecte-o de novo e pressione o botão de recarregar ao lado</translation>
    </message>
    <message>
        <source>Listening: say one word, then pause.</source>
        <translation>Ouvindo: diga uma palavra e faça uma pausa.</translation>
    </message>
    <message>
        <source>Stop listening</source>
        <translation>Parar de ouvir</translation>
    </message>
    <message>
        <source>The microphone cannot record.</source>
        <translation>O microfone não consegue gravar.</translation>
    </message>
    <message>
        <source>Recording stopped.</source>
        <translation>Gravação parada.</translation>
    </message>
    <message>
        <source>Press Listen and say a word, or drop a WAV file here.</source>
        <translation>Clique em Ouvir e diga uma palavra, ou solte um arquivo WAV aqui.</translation>
    </message>
</context>
<context>
    <name>LrEdit</name>
    <message>
        <source>Type a positive number such as 0.001 or 3e-4</source>
        <translation>Digite um número positivo, como 0.001 ou 3e-4</translation>
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
        <translation>&amp;Galeria de modelos…</translation>
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
        <source>&amp;Import model…</source>
        <translation>&amp;Importar modelo…</translation>
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
        <translation>Sa&amp;ir</translation>
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
        <source>&amp;Language</source>
        <translation>&amp;Idioma</translation>
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
        <translation>Não foi possível abrir o treino</translation>
    </message>
    <message>
        <source>Opened the project of run {run} with its trained weights</source>
        <translation>Projeto do treino {run} aberto com os pesos treinados</translation>
    </message>
</context>
<context>
    <name>NmsLesson</name>
    <message>
        <source>Image</source>
        <translation>Imagem</translation>
    </message>
    <message>
        <source>New image</source>
        <translation>Nova imagem</translation>
    </message>
    <message>
        <source>Add a validation image the strip does not show, with the raw boxes of the run&apos;s newest weights</source>
        <translation>Acrescenta uma imagem de validação que a faixa não mostra, com as caixas brutas dos pesos mais novos da execução</translation>
    </message>
    <message>
        <source>Grid and anchors</source>
        <translation>Grade e âncoras</translation>
    </message>
    <message>
        <source>Per class</source>
        <translation>Por classe</translation>
    </message>
    <message>
        <source>On: a box only suppresses boxes of its own class (torchvision&apos;s batched_nms, as the model&apos;s own decoding does). Off: any box suppresses any other, whatever its class.</source>
        <translation>Ligado: uma caixa só suprime caixas da sua própria classe (o batched_nms do torchvision, como faz a decodificação do próprio modelo). Desligado: qualquer caixa suprime qualquer outra, seja qual for a classe.</translation>
    </message>
    <message>
        <source>IoU threshold</source>
        <translation>Limiar de IoU</translation>
    </message>
    <message>
        <source>Score threshold</source>
        <translation>Limiar de pontuação</translation>
    </message>
    <message>
        <source>The model&apos;s raw boxes appear here after the first epoch.</source>
        <translation>As caixas brutas do modelo aparecem aqui após a primeira época.</translation>
    </message>
    <message>
        <source>Class</source>
        <translation>Classe</translation>
    </message>
    <message>
        <source>Score</source>
        <translation>Pontuação</translation>
    </message>
    <message>
        <source>Cell</source>
        <translation>Célula</translation>
    </message>
    <message>
        <source>NMS</source>
        <translation>NMS</translation>
    </message>
    <message>
        <source>The grid cell (row, column) · which of its anchors the box comes from</source>
        <translation>A célula da grade (linha, coluna) · de qual de suas âncoras a caixa vem</translation>
    </message>
    <message>
        <source>Kept, or suppressed by which kept box and at what IoU</source>
        <translation>Mantida, ou suprimida por qual caixa mantida e com que IoU</translation>
    </message>
    <message>
        <source>Drawing a new validation image…</source>
        <translation>Desenhando uma nova imagem de validação…</translation>
    </message>
    <message>
        <source>Studio hit a bug while drawing a new image: {m}</source>
        <translation>O Studio encontrou um erro ao desenhar uma nova imagem: {m}</translation>
    </message>
    <message>
        <source>Before NMS: {n} boxes</source>
        <translation>Antes do NMS: {n} caixas</translation>
    </message>
    <message>
        <source>After NMS: {n} kept</source>
        <translation>Depois do NMS: {n} mantidas</translation>
    </message>
    <message>
        <source>NMS visits the boxes by decreasing score and keeps one unless a kept box of the same class overlaps it with IoU above {iou}; boxes scoring under {score} are dropped first.</source>
        <translation>O NMS percorre as caixas por pontuação decrescente e mantém cada uma, a menos que uma caixa mantida da mesma classe a sobreponha com IoU acima de {iou}; caixas com pontuação abaixo de {score} são descartadas antes.</translation>
    </message>
    <message>
        <source>NMS visits the boxes by decreasing score and keeps one unless a kept box of any class overlaps it with IoU above {iou}; boxes scoring under {score} are dropped first.</source>
        <translation>O NMS percorre as caixas por pontuação decrescente e mantém cada uma, a menos que uma caixa mantida de qualquer classe a sobreponha com IoU acima de {iou}; caixas com pontuação abaixo de {score} são descartadas antes.</translation>
    </message>
    <message>
        <source>New validation image #{index}, boxes from the newest weights.</source>
        <translation>Nova imagem de validação nº {index}, caixas dos pesos mais novos.</translation>
    </message>
    <message>
        <source>Epoch {epoch}.</source>
        <translation>Época {epoch}.</translation>
    </message>
    <message>
        <source>Grid {rows}×{cols}, {anchors} anchors.</source>
        <translation>Grade {rows}×{cols}, {anchors} âncoras.</translation>
    </message>
    <message>
        <source>Dashed: the true boxes.</source>
        <translation>Tracejadas: as caixas verdadeiras.</translation>
    </message>
    <message>
        <source>kept</source>
        <translation>mantida</translation>
    </message>
    <message>
        <source>by #{k} (IoU {iou})</source>
        <translation>por #{k} (IoU {iou})</translation>
    </message>
    <message>
        <source>suppressed</source>
        <translation>suprimida</translation>
    </message>
</context>
<context>
    <name>Player</name>
    <message>
        <source>Nothing to play yet: record, open a WAV file, or pick a tone.</source>
        <translation>Nada para tocar ainda: grave, abra um arquivo WAV ou escolha um tom.</translation>
    </message>
    <message>
        <source>Playback is unavailable: the PortAudio library is missing (Debian/Ubuntu: apt-get install libportaudio2).</source>
        <translation>Reprodução indisponível: falta a biblioteca PortAudio (Debian/Ubuntu: apt-get install libportaudio2).</translation>
    </message>
    <message>
        <source>Cannot play through the default output device ({error}).</source>
        <translation>Não foi possível tocar pelo dispositivo de saída padrão ({error}).</translation>
    </message>
</context>
<context>
    <name>ProblemRow</name>
    <message>
        <source>Fix: {what}</source>
        <translation>Correção: {what}</translation>
    </message>
</context>
<context>
    <name>ProblemsList</name>
    <message>
        <source>…and {n} more (see the summary)</source>
        <translation>…e mais {n} (veja o resumo)</translation>
    </message>
</context>
<context>
    <name>ProcessesField</name>
    <message>
        <source>GAN training runs on one process only so far: its two networks take turns on one batch, which needs both optimizers synchronised</source>
        <translation>Por enquanto, o treino de GAN roda em um único processo: suas duas redes se revezam em um lote, o que exige os dois otimizadores sincronizados</translation>
    </message>
    <message>
        <source>Diffusion training runs on one process only so far: its noise and time steps are drawn per batch on one device</source>
        <translation>Por enquanto, o treino de difusão roda em um único processo: seu ruído e seus passos de tempo são sorteados por lote em um dispositivo</translation>
    </message>
    <message>
        <source>Language model training runs on one process only so far: its text sampling and perplexity are measured on one process</source>
        <translation>Por enquanto, o treino de modelo de linguagem roda em um único processo: sua amostragem de texto e sua perplexidade são medidas em um processo</translation>
    </message>
    <message>
        <source>This PyTorch build has no torch.distributed, which several processes need</source>
        <translation>Esta versão do PyTorch não tem torch.distributed, necessário para vários processos</translation>
    </message>
    <message>
        <source>Apple MPS has no multi-process backend in PyTorch: choose CPU as the device to train several CPU processes</source>
        <translation>O Apple MPS não tem backend multiprocesso no PyTorch: escolha CPU como dispositivo para treinar vários processos de CPU</translation>
    </message>
    <message>
        <source>Several GPU processes need one GPU each, and this machine has {n}: choose CPU as the device to train several CPU processes</source>
        <translation>Vários processos de GPU precisam de uma GPU cada, e esta máquina tem {n}: escolha CPU como dispositivo para treinar vários processos de CPU</translation>
    </message>
    <message>
        <source>This PyTorch build has no NCCL, which training on several GPUs needs: choose CPU as the device to train CPU processes (gloo)</source>
        <translation>Esta versão do PyTorch não tem NCCL, necessário para treinar em várias GPUs: escolha CPU como dispositivo para treinar processos de CPU (gloo)</translation>
    </message>
    <message>
        <source>This machine has one CPU core: several CPU processes would only take turns on it</source>
        <translation>Esta máquina tem um núcleo de CPU: vários processos de CPU apenas se revezariam nele</translation>
    </message>
    <message>
        <source>one process</source>
        <translation>um processo</translation>
    </message>
    <message>
        <source>one process on {device}</source>
        <translation>um processo em {device}</translation>
    </message>
    <message>
        <source>{n} GPUs: {devices} (NCCL)</source>
        <translation>{n} GPUs: {devices} (NCCL)</translation>
    </message>
    <message>
        <source>{n} CPU processes (gloo)</source>
        <translation>{n} processos de CPU (gloo)</translation>
    </message>
    <message>
        <source>Processes</source>
        <translation>Processos</translation>
    </message>
    <message>
        <source>Train on up to {most} processes with PyTorch&apos;s DistributedDataParallel, started by torchrun: the batch size stays the global batch, split over the processes, and the curves come from rank 0</source>
        <translation>Treinar em até {most} processos com o DistributedDataParallel do PyTorch, iniciados pelo torchrun: o tamanho do lote continua sendo o lote global, dividido entre os processos, e as curvas vêm do rank 0</translation>
    </message>
</context>
<context>
    <name>ProgressLine</name>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
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
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>Studio will be in {language} the next time it starts.</source>
        <translation>O Studio estará em {language} da próxima vez que abrir.</translation>
    </message>
    <message>
        <source>STUDIO_LOCALE={value} is set and wins over this choice: unset it for {language} to apply.</source>
        <translation>STUDIO_LOCALE={value} está definida e prevalece sobre esta escolha: remova-a para que {language} valha.</translation>
    </message>
    <message>
        <source>Restart now to switch: Studio closes (asking first about unsaved changes) and opens again on the same project.</source>
        <translation>Reinicie agora para trocar: o Studio fecha (perguntando antes sobre alterações não salvas) e abre de novo no mesmo projeto.</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>Reiniciar agora</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>Depois</translation>
    </message>
</context>
<context>
    <name>QuantizationView</name>
    <message>
        <source>Bits</source>
        <translation>Bits</translation>
    </message>
    <message>
        <source>mid-tread (0 is a level, like PCM)</source>
        <translation>mid-tread (0 é um nível, como no PCM)</translation>
    </message>
    <message>
        <source>mid-rise (no level at 0)</source>
        <translation>mid-rise (sem nível em 0)</translation>
    </message>
    <message>
        <source>Listen</source>
        <translation>Ouvir</translation>
    </message>
    <message>
        <source>▶ A: original</source>
        <translation>▶ A: original</translation>
    </message>
    <message>
        <source>▶ B: quantized</source>
        <translation>▶ B: quantizado</translation>
    </message>
    <message>
        <source>▶ error</source>
        <translation>▶ erro</translation>
    </message>
    <message>
        <source>The quantization noise alone (B − A), made audible</source>
        <translation>Só o ruído de quantização (B − A), tornado audível</translation>
    </message>
    <message>
        <source>Measured SQNR</source>
        <translation>SQNR medida</translation>
    </message>
    <message>
        <source>6.02·N + 1.76 dB</source>
        <translation>6.02·N + 1.76 dB</translation>
    </message>
    <message>
        <source>Levels and step</source>
        <translation>Níveis e passo</translation>
    </message>
    <message>
        <source>Clipped samples</source>
        <translation>Amostras saturadas</translation>
    </message>
    <message>
        <source>time</source>
        <translation>tempo</translation>
    </message>
    <message>
        <source>amplitude</source>
        <translation>amplitude</translation>
    </message>
    <message>
        <source>original</source>
        <translation>original</translation>
    </message>
    <message>
        <source>quantized</source>
        <translation>quantizado</translation>
    </message>
    <message>
        <source>error</source>
        <translation>erro</translation>
    </message>
    <message>
        <source>error / step</source>
        <translation>erro / passo</translation>
    </message>
    <message>
        <source>% of samples</source>
        <translation>% das amostras</translation>
    </message>
    <message>
        <source>No recording yet: press Record or open a WAV file, or pick a tone.</source>
        <translation>Ainda sem gravação: clique em Gravar, abra um arquivo WAV ou escolha um tom.</translation>
    </message>
    <message>
        <source>{levels:,} levels, step {step:.3g}</source>
        <translation>{levels:,} níveis, passo {step:.3g}</translation>
    </message>
    <message>
        <source>A full-scale sine (its peak on the top level): the measured SQNR is {diff:+.2f} dB from 6.02·{n} + 1.76 dB. Each extra bit halves the step and adds about 6 dB.</source>
        <translation>Uma senoide em fundo de escala (pico no nível mais alto): a SQNR medida fica a {diff:+.2f} dB de 6.02·{n} + 1.76 dB. Cada bit a mais divide o passo pela metade e soma cerca de 6 dB.</translation>
    </message>
    <message>
        <source>Mid-tread keeps a level at 0, so a symmetric sine uses one level fewer than 2^N and measures a little below the line.</source>
        <translation>O mid-tread mantém um nível em 0, então uma senoide simétrica usa um nível a menos que 2^N e mede um pouco abaixo da reta.</translation>
    </message>
    <message>
        <source>6.02·N + 1.76 dB assumes a full-scale sine; quieter or busier signals measure lower ({diff:+.1f} dB here). Each extra bit adds about 6 dB.</source>
        <translation>6.02·N + 1.76 dB supõe uma senoide em fundo de escala; sinais mais baixos ou mais complexos medem menos ({diff:+.1f} dB aqui). Cada bit a mais soma cerca de 6 dB.</translation>
    </message>
</context>
<context>
    <name>RecipeView</name>
    <message>
        <source>No checks run yet. The cheap ones run by themselves when you press Start; “Run recipe checks” runs all of them (a few seconds).</source>
        <translation>Nenhuma verificação feita ainda. As rápidas rodam sozinhas quando você clica em Iniciar; “Rodar verificações da receita” roda todas (alguns segundos).</translation>
    </message>
    <message>
        <source>LR range test</source>
        <translation>Teste de faixa de LR</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>perda</translation>
    </message>
    <message>
        <source>learning rate</source>
        <translation>taxa de aprendizado</translation>
    </message>
    <message>
        <source>smoothed</source>
        <translation>suavizada</translation>
    </message>
    <message>
        <source>Use the suggested learning rate</source>
        <translation>Usar a taxa de aprendizado sugerida</translation>
    </message>
    <message>
        <source>training step</source>
        <translation>passo de treino</translation>
    </message>
    <message>
        <source>example (true class)</source>
        <translation>exemplo (classe verdadeira)</translation>
    </message>
    <message>
        <source>First-layer filters</source>
        <translation>Filtros da primeira camada</translation>
    </message>
    <message>
        <source>lr</source>
        <translation>lr</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>lote</translation>
    </message>
    <message>
        <source>optimizer</source>
        <translation>otimizador</translation>
    </message>
    <message>
        <source>another graph</source>
        <translation>outro grafo</translation>
    </message>
    <message>
        <source>other data</source>
        <translation>outros dados</translation>
    </message>
    <message>
        <source>These results are from an earlier configuration ({what}): run the recipe checks again for this one.</source>
        <translation>Estes resultados são de uma configuração anterior ({what}): rode as verificações da receita de novo para esta.</translation>
    </message>
    <message>
        <source>The greyed results are from an earlier configuration ({what}): run the recipe checks again for this one.</source>
        <translation>Os resultados em cinza são de uma configuração anterior ({what}): rode as verificações da receita de novo para esta.</translation>
    </message>
    <message>
        <source>This model has no convolution, so it has no first-layer filters to show.</source>
        <translation>Este modelo não tem convolução, então não há filtros da primeira camada para mostrar.</translation>
    </message>
    <message>
        <source>Run the recipe checks to see the first layer&apos;s filters.</source>
        <translation>Rode as verificações da receita para ver os filtros da primeira camada.</translation>
    </message>
    <message>
        <source>suggested {lr}</source>
        <translation>sugerida {lr}</translation>
    </message>
    <message>
        <source>Use lr = {lr}</source>
        <translation>Usar lr = {lr}</translation>
    </message>
    <message>
        <source>yours {lr}</source>
        <translation>a sua {lr}</translation>
    </message>
    <message>
        <source>First-layer filters ({layer}): {measured}</source>
        <translation>Filtros da primeira camada ({layer}): {measured}</translation>
    </message>
</context>
<context>
    <name>Recorder</name>
    <message>
        <source>the input device was lost; recording stopped</source>
        <translation>o dispositivo de entrada foi perdido; a gravação parou</translation>
    </message>
</context>
<context>
    <name>RunChooser</name>
    <message>
        <source>just now</source>
        <translation>agora mesmo</translation>
    </message>
    <message>
        <source>{n} min ago</source>
        <translation>há {n} min</translation>
    </message>
    <message>
        <source>{n} h ago</source>
        <translation>há {n} h</translation>
    </message>
    <message>
        <source>{n} days ago</source>
        <translation>há {n} dias</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>Procurar…</translation>
    </message>
    <message>
        <source>Choose a run folder written by `studio train`</source>
        <translation>Escolha uma pasta de treino gravada pelo `studio train`</translation>
    </message>
    <message>
        <source>Refresh</source>
        <translation>Atualizar</translation>
    </message>
    <message>
        <source>Look for new runs in the runs/ folders</source>
        <translation>Procurar novos treinos nas pastas runs/</translation>
    </message>
    <message>
        <source>No trained runs found: train one, or browse to a run folder</source>
        <translation>Nenhum treino: treine um ou abra a pasta de um</translation>
    </message>
    <message>
        <source>Choose a run folder</source>
        <translation>Escolher uma pasta de treino</translation>
    </message>
</context>
<context>
    <name>SampleTextView</name>
    <message>
        <source>Text the model writes from its prompt appears here after each epoch.</source>
        <translation>O texto que o modelo escreve a partir do seu prompt aparece aqui após cada época.</translation>
    </message>
    <message>
        <source>Prompt continued at temperature {t} after each epoch, newest first</source>
        <translation>Prompt continuado à temperatura {t} após cada época, o mais recente primeiro</translation>
    </message>
    <message>
        <source>epoch {e}</source>
        <translation>época {e}</translation>
    </message>
</context>
<context>
    <name>SamplesBox</name>
    <message>
        <source>Training sample</source>
        <translation>Amostra de treino</translation>
    </message>
    <message>
        <source>Save recordings as a data set: one folder per class, one WAV file per recording, which the data set “sound_folder” trains on</source>
        <translation>Salvar gravações como conjunto de dados: uma pasta por classe, um arquivo WAV por gravação, com os quais o conjunto “sound_folder” treina</translation>
    </message>
    <message>
        <source>class, e.g. sim</source>
        <translation>classe, ex.: sim</translation>
    </message>
    <message>
        <source>The class this recording is a sample of (its folder&apos;s name)</source>
        <translation>A classe de que esta gravação é amostra (o nome da pasta dela)</translation>
    </message>
    <message>
        <source>whole clip</source>
        <translation>trecho inteiro</translation>
    </message>
    <message>
        <source>last utterance</source>
        <translation>última fala</translation>
    </message>
    <message>
        <source>Save the whole clip, or only the last utterance live transcription found in the recording</source>
        <translation>Salvar o trecho inteiro, ou só a última fala que a transcrição ao vivo encontrou na gravação</translation>
    </message>
    <message>
        <source>in</source>
        <translation>em</translation>
    </message>
    <message>
        <source>The data set&apos;s folder: each class gets a sub-folder in it</source>
        <translation>A pasta do conjunto de dados: cada classe ganha uma subpasta nela</translation>
    </message>
    <message>
        <source>Choose the data set&apos;s folder</source>
        <translation>Escolha a pasta do conjunto de dados</translation>
    </message>
    <message>
        <source>Save as training sample</source>
        <translation>Salvar amostra</translation>
    </message>
    <message>
        <source>Use as dataset</source>
        <translation>Usar como dados</translation>
    </message>
    <message>
        <source>Make these recordings the project&apos;s data set (sound_folder) and give the classification head one output per class; Undo takes both back</source>
        <translation>Torna estas gravações o conjunto de dados do projeto (sound_folder) e dá à cabeça de classificação uma saída por classe; Desfazer desfaz os dois</translation>
    </message>
    <message>
        <source>head: {before} → {after} outputs</source>
        <translation>cabeça: {before} → {after} saídas</translation>
    </message>
    <message>
        <source>Set out_features of {layer} from {before} to {after}: one output per recorded class. Undo takes it back.</source>
        <translation>out_features de {layer} passou de {before} para {after}: uma saída por classe gravada. Desfazer volta atrás.</translation>
    </message>
    <message>
        <source>head: {n} outputs</source>
        <translation>cabeça: {n} saídas</translation>
    </message>
    <message>
        <source>The classification head already has one output per recorded class.</source>
        <translation>A cabeça de classificação já tem uma saída por classe gravada.</translation>
    </message>
    <message>
        <source>no classification head</source>
        <translation>sem cabeça de classificação</translation>
    </message>
    <message>
        <source>The project has no classification head, so no outputs were set: add a Linear layer with {n} outputs and a ClassificationHead.</source>
        <translation>O projeto não tem cabeça de classificação, então nenhuma saída foi definida: acrescente uma camada Linear com {n} saídas e um ClassificationHead.</translation>
    </message>
    <message>
        <source>head unchanged</source>
        <translation>cabeça inalterada</translation>
    </message>
    <message>
        <source>Head {head} gets its scores from a layer without out_features, so its outputs were not set: give it {n} outputs by hand.</source>
        <translation>A cabeça {head} recebe suas pontuações de uma camada sem out_features, então suas saídas não foram definidas: dê a ela {n} saídas à mão.</translation>
    </message>
    <message>
        <source>+{n} more</source>
        <translation>+{n} outras</translation>
    </message>
    <message>
        <source>no samples yet</source>
        <translation>sem amostras</translation>
    </message>
    <message>
        <source>Recordings per class in {folder}:</source>
        <translation>Gravações por classe em {folder}:</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nenhuma</translation>
    </message>
</context>
<context>
    <name>SamplingView</name>
    <message>
        <source>Sample at</source>
        <translation>Amostrar a</translation>
    </message>
    <message>
        <source>Anti-aliasing filter</source>
        <translation>Filtro anti-aliasing</translation>
    </message>
    <message>
        <source>Low-pass the signal below the new f/2 before sampling, as every real converter does. Off: frequencies above f/2 fold back.</source>
        <translation>Aplica um passa-baixas abaixo da nova f/2 antes de amostrar, como todo conversor real faz. Desligado: frequências acima de f/2 se rebatem.</translation>
    </message>
    <message>
        <source>▶ A: original</source>
        <translation>▶ A: original</translation>
    </message>
    <message>
        <source>▶ B: sampled</source>
        <translation>▶ B: amostrado</translation>
    </message>
    <message>
        <source>time</source>
        <translation>tempo</translation>
    </message>
    <message>
        <source>amplitude</source>
        <translation>amplitude</translation>
    </message>
    <message>
        <source>original</source>
        <translation>original</translation>
    </message>
    <message>
        <source>rebuilt from the samples</source>
        <translation>reconstruído das amostras</translation>
    </message>
    <message>
        <source>samples</source>
        <translation>amostras</translation>
    </message>
    <message>
        <source>frequency</source>
        <translation>frequência</translation>
    </message>
    <message>
        <source>level</source>
        <translation>nível</translation>
    </message>
    <message>
        <source>after sampling</source>
        <translation>após a amostragem</translation>
    </message>
    <message>
        <source>No recording yet: press Record or open a WAV file, or pick a tone.</source>
        <translation>Ainda sem gravação: clique em Gravar, abra um arquivo WAV ou escolha um tom.</translation>
    </message>
    <message>
        <source>Sampling at &lt;b&gt;{rate}&lt;/b&gt;: one sample every {us:.1f} µs; it can hold frequencies up to f/2 = &lt;b&gt;{half}&lt;/b&gt;.</source>
        <translation>Amostrando a &lt;b&gt;{rate}&lt;/b&gt;: uma amostra a cada {us:.1f} µs; comporta frequências até f/2 = &lt;b&gt;{half}&lt;/b&gt;.</translation>
    </message>
    <message>
        <source>The {f:,.0f} Hz tone is below f/2 and survives (measured peak {m:,.0f} Hz).</source>
        <translation>O tom de {f:,.0f} Hz está abaixo de f/2 e sobrevive (pico medido em {m:,.0f} Hz).</translation>
    </message>
    <message>
        <source>The {f:,.0f} Hz tone is above f/2: the anti-aliasing filter removed it (what is left peaks at {db:.0f} dBFS).</source>
        <translation>O tom de {f:,.0f} Hz está acima de f/2: o filtro anti-aliasing o removeu (o que sobra tem pico de {db:.0f} dBFS).</translation>
    </message>
    <message>
        <source>The {f:,.0f} Hz tone is above f/2 and folds back to &lt;b&gt;{a:,.0f} Hz&lt;/b&gt; (|f − f&lt;sub&gt;s&lt;/sub&gt;·round(f/f&lt;sub&gt;s&lt;/sub&gt;)|; measured peak {m:,.0f} Hz).</source>
        <translation>O tom de {f:,.0f} Hz está acima de f/2 e se rebate para &lt;b&gt;{a:,.0f} Hz&lt;/b&gt; (|f − f&lt;sub&gt;s&lt;/sub&gt;·round(f/f&lt;sub&gt;s&lt;/sub&gt;)|; pico medido em {m:,.0f} Hz).</translation>
    </message>
    <message>
        <source>Without the filter the sweep folds back at f/2 (dashed): it is heard going down while it really goes up.</source>
        <translation>Sem o filtro, a varredura se rebate em f/2 (tracejado): ouve-se ela descendo enquanto na verdade sobe.</translation>
    </message>
    <message>
        <source>The filter silences the sweep above f/2 instead of folding it.</source>
        <translation>O filtro silencia a varredura acima de f/2 em vez de rebatê-la.</translation>
    </message>
    <message>
        <source>The recording is silent (every sample is 0): its spectrum lies on the floor. Check the input device and watch the level meter while recording.</source>
        <translation>A gravação está em silêncio (toda amostra é 0): seu espectro fica no piso. Verifique o dispositivo de entrada e observe o medidor de nível ao gravar.</translation>
    </message>
    <message>
        <source>Recording at {orig}: listen to B for what is lost. The spectrum shows its loudest {seconds:.1f} s.</source>
        <translation>Gravação a {orig}: ouça B para saber o que se perde. O espectro mostra os {seconds:.1f} s mais altos.</translation>
    </message>
</context>
<context>
    <name>ScoreThreshold</name>
    <message>
        <source>Score at least</source>
        <translation>Pontuação mínima</translation>
    </message>
    <message>
        <source>Boxes scoring less than this are not shown (the score is the objectness times the class probability; overlapping boxes of a class are merged by NMS)</source>
        <translation>Caixas com pontuação menor que esta não aparecem (a pontuação é a objetividade vezes a probabilidade da classe; caixas sobrepostas de uma classe são unidas pelo NMS)</translation>
    </message>
</context>
<context>
    <name>SourceCard</name>
    <message>
        <source>Model</source>
        <translation>Modelo</translation>
    </message>
    <message>
        <source>Trained run</source>
        <translation>Treino</translation>
    </message>
    <message>
        <source>torchvision model</source>
        <translation>Modelo torchvision</translation>
    </message>
    <message>
        <source>Explain</source>
        <translation>Explicar</translation>
    </message>
    <message>
        <source>Best</source>
        <translation>Melhor</translation>
    </message>
    <message>
        <source>Latest</source>
        <translation>Mais recente</translation>
    </message>
    <message>
        <source>Best: the weights that scored best on validation. Latest: the last checkpoint, also while a training is still running.</source>
        <translation>Melhor: os pesos que pontuaram melhor na validação. Mais recente: o último checkpoint, inclusive com um treino ainda em andamento.</translation>
    </message>
    <message>
        <source>Follow training</source>
        <translation>Acompanhar o treino</translation>
    </message>
    <message>
        <source>Reload the latest checkpoint whenever the training writes a new one</source>
        <translation>Recarregar o checkpoint mais recente sempre que o treino gravar um novo</translation>
    </message>
    <message>
        <source>Weights</source>
        <translation>Pesos</translation>
    </message>
    <message>
        <source>Pretrained (ImageNet)</source>
        <translation>Pré-treinados (ImageNet)</translation>
    </message>
    <message>
        <source>Random weights</source>
        <translation>Pesos aleatórios</translation>
    </message>
    <message>
        <source>Pretrained weights are downloaded once when online. Random weights need no download but the network has learned nothing.</source>
        <translation>Os pesos pré-treinados são baixados uma vez, quando houver conexão. Pesos aleatórios não precisam de download, mas a rede não aprendeu nada.</translation>
    </message>
    <message>
        <source>Load</source>
        <translation>Carregar</translation>
    </message>
    <message>
        <source>No model loaded yet.</source>
        <translation>Nenhum modelo carregado ainda.</translation>
    </message>
    <message>
        <source>Loading {name}…</source>
        <translation>Carregando {name}…</translation>
    </message>
    <message>
        <source>Loading torchvision {name}…</source>
        <translation>Carregando {name} do torchvision…</translation>
    </message>
    <message>
        <source>&lt;b&gt;{name}&lt;/b&gt; could not be loaded, so nothing is shown: choose another run or fix this one.</source>
        <translation>Não foi possível carregar &lt;b&gt;{name}&lt;/b&gt;, então nada é mostrado: escolha outro treino ou corrija este.</translation>
    </message>
</context>
<context>
    <name>SourcePicker</name>
    <message>
        <source>Signal</source>
        <translation>Sinal</translation>
    </message>
    <message>
        <source>Recording</source>
        <translation>Gravação</translation>
    </message>
    <message>
        <source>Tone</source>
        <translation>Tom</translation>
    </message>
    <message>
        <source>Sweep 50 Hz → 20 kHz</source>
        <translation>Varredura 50 Hz → 20 kHz</translation>
    </message>
</context>
<context>
    <name>SpectrumView</name>
    <message>
        <source>Log-mel spectrogram: 80 mel bands every 10 ms at 16 kHz, log10 power within 80 dB of the loudest — exactly what Whisper&apos;s encoder receives.</source>
        <translation>Espectrograma log-mel: 80 bandas mel a cada 10 ms a 16 kHz, potência em log10 até 80 dB abaixo do mais forte — exatamente o que o codificador do Whisper recebe.</translation>
    </message>
    <message>
        <source>time</source>
        <translation>tempo</translation>
    </message>
    <message>
        <source>mel band</source>
        <translation>banda mel</translation>
    </message>
    <message>
        <source>frequency</source>
        <translation>frequência</translation>
    </message>
    <message>
        <source>level</source>
        <translation>nível</translation>
    </message>
    <message>
        <source>average spectrum</source>
        <translation>espectro médio</translation>
    </message>
</context>
<context>
    <name>SummaryTable</name>
    <message>
        <source>Total: {n} blocks · {params} parameters · {flops} FLOPs per sample · {mb:.2f} MB of activations per sample</source>
        <translation>Total: {n} blocos · {params} parâmetros · {flops} FLOPs por amostra · {mb:.2f} MB de ativações por amostra</translation>
    </message>
</context>
<context>
    <name>TemplateGallery</name>
    <message>
        <source>New from template</source>
        <translation>Novo a partir de modelo</translation>
    </message>
    <message>
        <source>Start from one of the course&apos;s networks. It opens as an untitled copy; the template itself is never changed.</source>
        <translation>Comece a partir de uma das redes do curso. Ela abre como uma cópia sem título; o modelo em si nunca é alterado.</translation>
    </message>
    <message>
        <source>Create</source>
        <translation>Criar</translation>
    </message>
</context>
<context>
    <name>Tile</name>
    <message>
        <source>pred {pred}</source>
        <translation>prev. {pred}</translation>
    </message>
    <message>
        <source>{true} → {pred}</source>
        <translation>{true} → {pred}</translation>
    </message>
    <message>
        <source>empty</source>
        <translation>vazio</translation>
    </message>
    <message>
        <source>sample #{i}: predicted {pred} ({p:.0%}), true {true}; explaining {target}</source>
        <translation>amostra #{i}: prevista {pred} ({p:.0%}), verdadeira {true}; explicando {target}</translation>
    </message>
</context>
<context>
    <name>Train</name>
    <message>
        <source>Set {key}</source>
        <translation>Definir {key}</translation>
    </message>
    <message>
        <source>Set augmentation {key}</source>
        <translation>Definir aumento de dados {key}</translation>
    </message>
    <message>
        <source>Set dropout</source>
        <translation>Definir dropout</translation>
    </message>
</context>
<context>
    <name>TrainPanel</name>
    <message>
        <source>{n} epoch</source>
        <translation>{n} época</translation>
    </message>
    <message>
        <source>{n} epochs</source>
        <translation>{n} épocas</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>Treinar</translation>
    </message>
    <message>
        <source>Train on the GPU when there is one, else the CPU, while the learning curves draw live and Karpathy&apos;s recipe tells you what they mean and what to do next.</source>
        <translation>Treine na GPU quando houver uma, senão na CPU, enquanto as curvas de aprendizado são desenhadas ao vivo e a receita de Karpathy diz o que elas significam e o que fazer a seguir.</translation>
    </message>
    <message>
        <source>Start</source>
        <translation>Iniciar</translation>
    </message>
    <message>
        <source>Pause</source>
        <translation>Pausar</translation>
    </message>
    <message>
        <source>Stop</source>
        <translation>Parar</translation>
    </message>
    <message>
        <source>Resume run</source>
        <translation>Retomar treino</translation>
    </message>
    <message>
        <source>Go on from the stopped run&apos;s checkpoint, on the same curve</source>
        <translation>Continuar a partir do checkpoint do treino interrompido, na mesma curva</translation>
    </message>
    <message>
        <source>Run recipe checks</source>
        <translation>Rodar verificações da receita</translation>
    </message>
    <message>
        <source>Running checks…</source>
        <translation>Rodando verificações…</translation>
    </message>
    <message>
        <source>Ready</source>
        <translation>Pronto</translation>
    </message>
    <message>
        <source>Configuration</source>
        <translation>Configuração</translation>
    </message>
    <message>
        <source>Learning curves</source>
        <translation>Curvas de aprendizado</translation>
    </message>
    <message>
        <source>Karpathy&apos;s recipe</source>
        <translation>Receita de Karpathy</translation>
    </message>
    <message>
        <source>Runs are saved in</source>
        <translation>Os treinos são salvos em</translation>
    </message>
    <message>
        <source>Open folder</source>
        <translation>Abrir pasta</translation>
    </message>
    <message>
        <source>Copy path</source>
        <translation>Copiar caminho</translation>
    </message>
    <message>
        <source>This run is saved in</source>
        <translation>Este treino é salvo em</translation>
    </message>
    <message>
        <source>(the project is not saved: save it to keep its runs beside it)</source>
        <translation>(o projeto não está salvo: salve-o para guardar os treinos ao lado dele)</translation>
    </message>
    <message>
        <source>Could not open the folder; its path is copied</source>
        <translation>Não foi possível abrir a pasta; o caminho foi copiado</translation>
    </message>
    <message>
        <source>Path copied</source>
        <translation>Caminho copiado</translation>
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
        <source>The verdict appears after a few epochs.</source>
        <translation>O veredito aparece após algumas épocas.</translation>
    </message>
    <message>
        <source>starting the worker…</source>
        <translation>iniciando o processo de treino…</translation>
    </message>
    <message>
        <source>reading run {run}…</source>
        <translation>lendo a execução {run}…</translation>
    </message>
    <message>
        <source>run {run}: {epochs} recorded, no end (stopped by force, or still training elsewhere)</source>
        <translation>execução {run}: {epochs} registradas, sem fim (interrompida à força, ou ainda treinando em outro lugar)</translation>
    </message>
    <message>
        <source>Recorded run {run}</source>
        <translation>Execução registrada {run}</translation>
    </message>
    <message>
        <source>Cannot show the run&apos;s curves: {m}</source>
        <translation>Não é possível mostrar as curvas da execução: {m}</translation>
    </message>
    <message>
        <source>epoch {e}/{n} · step {s} · {sps} samples/s · ETA {eta}</source>
        <translation>época {e}/{n} · passo {s} · {sps} amostras/s · faltam {eta}</translation>
    </message>
    <message>
        <source>Starting…</source>
        <translation>Iniciando…</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>Treinando</translation>
    </message>
    <message>
        <source>Paused</source>
        <translation>Pausado</translation>
    </message>
    <message>
        <source>Stopping (saving a checkpoint)…</source>
        <translation>Parando (salvando um checkpoint)…</translation>
    </message>
    <message>
        <source>Finished</source>
        <translation>Concluído</translation>
    </message>
    <message>
        <source>Stopped — checkpoint saved</source>
        <translation>Parado — checkpoint salvo</translation>
    </message>
    <message>
        <source>Failed</source>
        <translation>Falhou</translation>
    </message>
    <message>
        <source> · best validation accuracy {a}</source>
        <translation> · melhor acurácia de validação {a}</translation>
    </message>
    <message>
        <source>Verdict: {m}</source>
        <translation>Veredito: {m}</translation>
    </message>
    <message>
        <source>Recipe checks: {m}</source>
        <translation>Verificações da receita: {m}</translation>
    </message>
    <message>
        <source>Continue</source>
        <translation>Continuar</translation>
    </message>
    <message>
        <source>Start a training: the verdict on its curves appears here.</source>
        <translation>Inicie um treino: o veredito sobre as curvas dele aparece aqui.</translation>
    </message>
    <message>
        <source>{opt}, lr {lr}, batch {bs}, {epochs}</source>
        <translation>{opt}, lr {lr}, lote {bs}, {epochs}</translation>
    </message>
    <message>
        <source>{reason} after {epochs} · {sps} samples/s{acc}</source>
        <translation>{reason} após {epochs} · {sps} amostras/s{acc}</translation>
    </message>
    <message>
        <source>Pause is not available on several processes: pausing is not coordinated across the ranks (Stop is: all of them stop and one checkpoint is saved)</source>
        <translation>Pausar não está disponível com vários processos: a pausa não é coordenada entre os ranks (Parar é: todos param e um checkpoint é salvo)</translation>
    </message>
    <message>
        <source>no earlier run</source>
        <translation>nenhum treino anterior</translation>
    </message>
    <message>
        <source>Export plots as PNG</source>
        <translation>Exportar gráficos como PNG</translation>
    </message>
    <message>
        <source>Export curve data (CSV) to folder</source>
        <translation>Exportar dados das curvas (CSV) para uma pasta</translation>
    </message>
    <message>
        <source>Saved {p}</source>
        <translation>{p} salvo</translation>
    </message>
    <message>
        <source>Saved {n} CSV files</source>
        <translation>{n} arquivos CSV salvos</translation>
    </message>
</context>
<context>
    <name>TranscriptPane</name>
    <message>
        <source>Live transcription</source>
        <translation>Transcrição ao vivo</translation>
    </message>
    <message>
        <source>Engine</source>
        <translation>Mecanismo</translation>
    </message>
    <message>
        <source>detect</source>
        <translation>detectar</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>Idioma</translation>
    </message>
    <message>
        <source>installed model</source>
        <translation>modelo instalado</translation>
    </message>
    <message>
        <source>A folder with a CTranslate2 Whisper model (model.bin, config.json). Empty: the model installed with Studio.</source>
        <translation>Uma pasta com um modelo Whisper em CTranslate2 (model.bin, config.json). Vazio: o modelo instalado com o Studio.</translation>
    </message>
    <message>
        <source>Model folder</source>
        <translation>Pasta do modelo</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>Cancelar</translation>
    </message>
    <message>
        <source>Transcribe while recording</source>
        <translation>Transcrever durante a gravação</translation>
    </message>
    <message>
        <source>Press Record and speak: partial text appears while you talk, the final text when you pause.</source>
        <translation>Clique em Gravar e fale: o texto parcial aparece enquanto você fala, e o texto final quando você faz uma pausa.</translation>
    </message>
    <message>
        <source>Transcribe clip</source>
        <translation>Transcrever trecho</translation>
    </message>
    <message>
        <source>Transcribe the whole recording or opened file</source>
        <translation>Transcrever a gravação inteira ou o arquivo aberto</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Limpar</translation>
    </message>
    <message>
        <source> — unavailable</source>
        <translation> — indisponível</translation>
    </message>
    <message>
        <source> — downloads its model on first use</source>
        <translation> — baixa o modelo no primeiro uso</translation>
    </message>
    <message>
        <source>{engine} cannot run: {reason}.</source>
        <translation>{engine} não pode rodar: {reason}.</translation>
    </message>
    <message>
        <source>its model is not on this machine (choose Whisper to download it)</source>
        <translation>o modelo dele não está nesta máquina (escolha Whisper para baixá-lo)</translation>
    </message>
    <message>
        <source>Using {engine} (English only, less accurate) because Whisper is unavailable: {reason}. Install the model or choose a model folder.</source>
        <translation>Usando {engine} (só inglês, menos preciso) porque o Whisper está indisponível: {reason}. Instale o modelo ou escolha uma pasta de modelo.</translation>
    </message>
    <message>
        <source>Whisper&apos;s model is not on this machine: it will be downloaded (about 145 MB) when you record or transcribe, with its progress here.</source>
        <translation>O modelo do Whisper não está nesta máquina: ele será baixado (cerca de 145 MB) quando você gravar ou transcrever, com o progresso mostrado aqui.</translation>
    </message>
    <message>
        <source>{engine} will load when you record or transcribe.</source>
        <translation>{engine} será carregado quando você gravar ou transcrever.</translation>
    </message>
    <message>
        <source>Choose a Whisper model folder</source>
        <translation>Escolher uma pasta de modelo Whisper</translation>
    </message>
    <message>
        <source>Downloading Whisper&apos;s model ({name})…</source>
        <translation>Baixando o modelo do Whisper ({name})…</translation>
    </message>
    <message>
        <source>{done:.0f} of {total:.0f} MB</source>
        <translation>{done:.0f} de {total:.0f} MB</translation>
    </message>
</context>
<context>
    <name>TranscriptionController</name>
    <message>
        <source>Loading {engine}…</source>
        <translation>Carregando {engine}…</translation>
    </message>
    <message>
        <source>No speech found in the clip ({seconds:.1f} s of silence, noise or a tone; nothing was transcribed)</source>
        <translation>Nenhuma fala encontrada no trecho ({seconds:.1f} s de silêncio, ruído ou um tom; nada foi transcrito)</translation>
    </message>
    <message>
        <source>the speech engine</source>
        <translation>o mecanismo de fala</translation>
    </message>
    <message>
        <source>{engine} ready</source>
        <translation>{engine} pronto</translation>
    </message>
    <message>
        <source>Listening ({engine})</source>
        <translation>Ouvindo ({engine})</translation>
    </message>
    <message>
        <source>Listening ({engine}, language detected: {language})</source>
        <translation>Ouvindo ({engine}, idioma detectado: {language})</translation>
    </message>
    <message>
        <source>Transcribing the clip…</source>
        <translation>Transcrevendo o trecho…</translation>
    </message>
    <message>
        <source>{engine}: {seconds:.1f} s of audio in {compute:.1f} s</source>
        <translation>{engine}: {seconds:.1f} s de áudio em {compute:.1f} s</translation>
    </message>
</context>
<context>
    <name>TryView</name>
    <message>
        <source>Try a trained run</source>
        <translation>Testar uma execução treinada</translation>
    </message>
    <message>
        <source>Draw with the mouse, or drop an image on the pad: the run&apos;s most likely classes update as you draw, and the heatmap shows where the network looked.</source>
        <translation>Desenhe com o mouse ou solte uma imagem na área de desenho: as classes mais prováveis da execução se atualizam enquanto você desenha, e o mapa de calor mostra onde a rede olhou.</translation>
    </message>
    <message>
        <source>Clear</source>
        <translation>Limpar</translation>
    </message>
    <message>
        <source>Open image…</source>
        <translation>Abrir imagem…</translation>
    </message>
    <message>
        <source>Prediction</source>
        <translation>Previsão</translation>
    </message>
    <message>
        <source>Draw on the pad, or drop an image on it.</source>
        <translation>Desenhe na área de desenho ou solte uma imagem nela.</translation>
    </message>
    <message>
        <source>Where it looked</source>
        <translation>Onde a rede olhou</translation>
    </message>
    <message>
        <source>Opening {name}…</source>
        <translation>Abrindo {name}…</translation>
    </message>
    <message>
        <source>{name}: {classes} classes, input {shape}</source>
        <translation>{name}: {classes} classes, entrada {shape}</translation>
    </message>
    <message>
        <source>{name}: {classes} classes, hears {bands} bands × {frames} frames</source>
        <translation>{name}: {classes} classes, ouve {bands} bandas × {frames} quadros</translation>
    </message>
    <message>
        <source>Draw shapes here, or drop an image</source>
        <translation>Desenhe formas aqui, ou solte uma imagem</translation>
    </message>
    <message>
        <source>Draw a digit here</source>
        <translation>Desenhe um dígito aqui</translation>
    </message>
    <message>
        <source>Drop an image on the pad, or draw on it: the run draws a box round every object it finds, with its class and score; move the threshold to see fewer or more boxes.</source>
        <translation>Solte uma imagem na área de desenho, ou desenhe nela: a execução desenha uma caixa em volta de cada objeto que encontra, com sua classe e pontuação; mova o limiar para ver menos ou mais caixas.</translation>
    </message>
    <message>
        <source>What it found</source>
        <translation>O que encontrou</translation>
    </message>
    <message>
        <source>Drop an image on the pad, or draw on it.</source>
        <translation>Solte uma imagem na área de desenho, ou desenhe nela.</translation>
    </message>
    <message>
        <source>Press Listen and say a word, or drop a WAV file: the run&apos;s most likely classes show when the word ends, with the log-mel the network heard.</source>
        <translation>Clique em Ouvir e diga uma palavra, ou solte um arquivo WAV: as classes mais prováveis da execução aparecem quando a palavra termina, com o log-mel que a rede ouviu.</translation>
    </message>
    <message>
        <source>What it heard</source>
        <translation>O que a rede ouviu</translation>
    </message>
    <message>
        <source>Say a word, or open a WAV file.</source>
        <translation>Diga uma palavra ou abra um arquivo WAV.</translation>
    </message>
    <message>
        <source>This run cannot be tried</source>
        <translation>Esta execução não pode ser testada</translation>
    </message>
    <message>
        <source>Not an image</source>
        <translation>Não é uma imagem</translation>
    </message>
    <message>
        <source>Not a sound</source>
        <translation>Não é um som</translation>
    </message>
    <message>
        <source>{name} is not a WAV file.</source>
        <translation>{name} não é um arquivo WAV.</translation>
    </message>
    <message>
        <source>Open a sound to try</source>
        <translation>Abrir um som para testar</translation>
    </message>
    <message>
        <source>Sounds ({patterns})</source>
        <translation>Sons ({patterns})</translation>
    </message>
    <message>
        <source>That was not a voice: say a word.</source>
        <translation>Isso não foi uma voz: diga uma palavra.</translation>
    </message>
    <message>
        <source>It heard “{name}” ({percent})</source>
        <translation>A rede ouviu “{name}” ({percent})</translation>
    </message>
    <message>
        <source>{file}, {seconds} s. The log-mel the network heard: {bands} mel bands (low pitches at the bottom) × {frames} frames of 10 ms.</source>
        <translation>{file}, {seconds} s. O log-mel que a rede ouviu: {bands} bandas mel (tons graves embaixo) × {frames} quadros de 10 ms.</translation>
    </message>
    <message>
        <source>The word, {seconds} s. The log-mel the network heard: {bands} mel bands (low pitches at the bottom) × {frames} frames of 10 ms.</source>
        <translation>A palavra, {seconds} s. O log-mel que a rede ouviu: {bands} bandas mel (tons graves embaixo) × {frames} quadros de 10 ms.</translation>
    </message>
    <message>
        <source>Answered {ms} ms after the word ended. Say another.</source>
        <translation>Respondido {ms} ms depois do fim da palavra. Diga outra.</translation>
    </message>
    <message>
        <source>The microphone cannot record</source>
        <translation>O microfone não consegue gravar</translation>
    </message>
    <message>
        <source>Open an image to try</source>
        <translation>Abrir uma imagem para testar</translation>
    </message>
    <message>
        <source>Images ({patterns})</source>
        <translation>Imagens ({patterns})</translation>
    </message>
    <message>
        <source>It reads “{name}” ({percent})</source>
        <translation>A rede lê “{name}” ({percent})</translation>
    </message>
    <message>
        <source>Found 1 object</source>
        <translation>Encontrou 1 objeto</translation>
    </message>
    <message>
        <source>Found {count} objects</source>
        <translation>Encontrou {count} objetos</translation>
    </message>
    <message>
        <source>No box scores at least {score}</source>
        <translation>Nenhuma caixa tem pontuação de pelo menos {score}</translation>
    </message>
    <message>
        <source>1 box scoring at least {score} after non-maximum suppression (IoU {iou}), on the {h} × {w} picture the network saw.</source>
        <translation>1 caixa com pontuação de pelo menos {score} após a supressão de não máximos (IoU {iou}), na imagem {h} × {w} que a rede viu.</translation>
    </message>
    <message>
        <source>{count} boxes scoring at least {score} after non-maximum suppression (IoU {iou}), on the {h} × {w} picture the network saw.</source>
        <translation>{count} caixas com pontuação de pelo menos {score} após a supressão de não máximos (IoU {iou}), na imagem {h} × {w} que a rede viu.</translation>
    </message>
    <message>
        <source>The bars list the best {shown}.</source>
        <translation>As barras listam as {shown} melhores.</translation>
    </message>
    <message>
        <source>The Grad-CAM of “{name}” at layer {layer} is empty: nothing there raises its score.</source>
        <translation>O Grad-CAM de “{name}” na camada {layer} está vazio: nada ali aumenta a pontuação dessa classe.</translation>
    </message>
    <message>
        <source>Grad-CAM of “{name}” at layer {layer}, on the {h} × {w} picture the network saw.</source>
        <translation>Grad-CAM de “{name}” na camada {layer}, sobre a imagem {h} × {w} que a rede viu.</translation>
    </message>
    <message>
        <source>Dark on light, so inverted.</source>
        <translation>Escuro sobre claro, por isso invertida.</translation>
    </message>
    <message>
        <source>No prediction</source>
        <translation>Sem previsão</translation>
    </message>
    <message>
        <source>No heatmap: {message}</source>
        <translation>Sem mapa de calor: {message}</translation>
    </message>
</context>
<context>
    <name>VerdictBanner</name>
    <message>
        <source> — since epoch {e}</source>
        <translation> — desde a época {e}</translation>
    </message>
    <message>
        <source>Regularise, in the course&apos;s order:</source>
        <translation>Regularize, na ordem do curso:</translation>
    </message>
</context>
<context>
    <name>WaveformView</name>
    <message>
        <source>time</source>
        <translation>tempo</translation>
    </message>
    <message>
        <source>time before now</source>
        <translation>tempo antes de agora</translation>
    </message>
    <message>
        <source>amplitude</source>
        <translation>amplitude</translation>
    </message>
</context>
<context>
    <name>WeightsOffer</name>
    <message>
        <source>Download the weights</source>
        <translation>Baixar os pesos</translation>
    </message>
    <message>
        <source>Fetch torchvision&apos;s file and check its sha256 before it is used (needs a network).</source>
        <translation>Baixa o arquivo do torchvision e confere seu sha256 antes de usá-lo (precisa de rede).</translation>
    </message>
    <message>
        <source>The ImageNet weights {names} are not on this machine. Download puts them in {folder}.</source>
        <translation>Os pesos ImageNet {names} não estão nesta máquina. Baixar os coloca em {folder}.</translation>
    </message>
    <message>
        <source>Downloading the weights of {archs}…</source>
        <translation>Baixando os pesos de {archs}…</translation>
    </message>
    <message>
        <source>Downloaded and checked: {files}. Start the run again.</source>
        <translation>Baixados e conferidos: {files}. Inicie a execução de novo.</translation>
    </message>
</context>
</TS>
