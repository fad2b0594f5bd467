<?xml version='1.0' encoding='utf-8'?>
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
        <source>Audio lab</source>
        <translation>Laboratório de áudio</translation>
    </message>
    <message>
        <source>From the analog world to tokens: record the microphone, see what sampling and quantization do to a signal, and watch speech turn into text as you speak.</source>
        <translation>Do mundo analógico aos tokens: grave o microfone, veja o que a amostragem e a quantização fazem com um sinal e acompanhe a fala virar texto enquanto você fala.</translation>
    </message>
    <message>
        <source>A live waveform and spectrogram of the microphone.</source>
        <translation>Forma de onda e espectrograma do microfone, ao vivo.</translation>
    </message>
    <message>
        <source>Change the sample rate and bit depth and hear and see aliasing and quantization noise (CD audio is 44,100 samples per second at 16 bits).</source>
        <translation>Mude a taxa de amostragem e a profundidade de bits e ouça e veja o aliasing e o ruído de quantização (o áudio de CD tem 44.100 amostras por segundo a 16 bits).</translation>
    </message>
    <message>
        <source>Live transcription with Whisper or PocketSphinx, fully offline.</source>
        <translation>Transcrição ao vivo com Whisper ou PocketSphinx, totalmente offline.</translation>
    </message>
    <message>
        <source>the audio lab issue</source>
        <translation>a issue do laboratório de áudio</translation>
    </message>
</context>
<context>
    <name>BuildPanel</name>
    <message>
        <source>Build</source>
        <translation>Montar</translation>
    </message>
    <message>
        <source>Assemble a network from blocks. Every block shows its output shape and parameter count, and a wrong size is caught here instead of in the middle of training.</source>
        <translation>Monte uma rede a partir de blocos. Cada bloco mostra o formato da saída e o número de parâmetros, e um tamanho errado é detectado aqui, e não no meio do treinamento.</translation>
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
        <source>Name</source>
        <translation>Nome</translation>
    </message>
    <message>
        <source>Description</source>
        <translation>Descrição</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Arquitetura</translation>
    </message>
    <message>
        <source>Node</source>
        <translation>Nó</translation>
    </message>
    <message>
        <source>Block</source>
        <translation>Bloco</translation>
    </message>
    <message>
        <source>Parameters</source>
        <translation>Parâmetros</translation>
    </message>
    <message>
        <source>The block canvas (drag blocks, wire ports, see shapes live) arrives with the architecture graph core.</source>
        <translation>A tela de blocos (arrastar blocos, ligar portas, ver formatos ao vivo) chega com o núcleo do grafo de arquitetura.</translation>
    </message>
    <message>
        <source>Architecture — 1 node</source>
        <translation>Arquitetura — 1 nó</translation>
    </message>
    <message>
        <source>Architecture — {n} nodes</source>
        <translation>Arquitetura — {n} nós</translation>
    </message>
    <message>
        <source>1 connection between nodes.</source>
        <translation>1 conexão entre nós.</translation>
    </message>
    <message>
        <source>{n} connections between nodes.</source>
        <translation>{n} conexões entre nós.</translation>
    </message>
</context>
<context>
    <name>DataPanel</name>
    <message>
        <source>Data</source>
        <translation>Dados</translation>
    </message>
    <message>
        <source>Become one with the data before training on it: look at samples, class balance and splits, and choose augmentations with a preview.</source>
        <translation>Conheça a fundo os dados antes de treinar: veja amostras, o balanço das classes e as divisões, e escolha aumentos de dados com pré-visualização.</translation>
    </message>
    <message>
        <source>Pick a dataset: built-in offline digits, shapes, sequence tasks and sine series; MNIST, Fashion-MNIST and CIFAR-10; your own image folders or CSV files.</source>
        <translation>Escolha um conjunto de dados: dígitos, formas, tarefas de sequência e séries senoidais embutidos e offline; MNIST, Fashion-MNIST e CIFAR-10; suas próprias pastas de imagens ou arquivos CSV.</translation>
    </message>
    <message>
        <source>Browse samples with their labels and see how many examples each class has.</source>
        <translation>Navegue pelas amostras com seus rótulos e veja quantos exemplos cada classe tem.</translation>
    </message>
    <message>
        <source>Set the train/validation split and the normalisation, and check them at a glance.</source>
        <translation>Defina a divisão treino/validação e a normalização, e confira-as de relance.</translation>
    </message>
    <message>
        <source>Add augmentations (flips, crops, noise) and preview them on real samples.</source>
        <translation>Adicione aumentos de dados (espelhamentos, recortes, ruído) e veja-os em amostras reais.</translation>
    </message>
    <message>
        <source>the datasets issue</source>
        <translation>a issue dos conjuntos de dados</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>Conjunto de dados</translation>
    </message>
    <message>
        <source>Validation share</source>
        <translation>Fração de validação</translation>
    </message>
    <message>
        <source>Options</source>
        <translation>Opções</translation>
    </message>
    <message>
        <source>Augmentation</source>
        <translation>Aumento de dados</translation>
    </message>
    <message>
        <source>none</source>
        <translation>nenhum</translation>
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
    <name>ExplainPanel</name>
    <message>
        <source>Explain</source>
        <translation>Explicar</translation>
    </message>
    <message>
        <source>See where a trained CNN looks and what its layers respond to, on your own images.</source>
        <translation>Veja para onde uma CNN treinada olha e a que suas camadas respondem, nas suas próprias imagens.</translation>
    </message>
    <message>
        <source>Class activation maps (Grad-CAM and relatives) laid over an image, per class.</source>
        <translation>Mapas de ativação de classe (Grad-CAM e parentes) sobre uma imagem, por classe.</translation>
    </message>
    <message>
        <source>First-layer filters and the activations of any layer for a chosen input.</source>
        <translation>Filtros da primeira camada e as ativações de qualquer camada para uma entrada escolhida.</translation>
    </message>
    <message>
        <source>Feature visualisation: the input a unit responds to most.</source>
        <translation>Visualização de características: a entrada à qual uma unidade mais responde.</translation>
    </message>
    <message>
        <source>the explain panel issue</source>
        <translation>a issue do painel de explicação</translation>
    </message>
    <message>
        <source>Convolution layers</source>
        <translation>Camadas de convolução</translation>
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
        <source>ONNX, checked with onnxruntime against PyTorch; TorchScript; plain PyTorch code.</source>
        <translation>ONNX, conferido com onnxruntime contra o PyTorch; TorchScript; código PyTorch puro.</translation>
    </message>
    <message>
        <source>Model reduction: INT8 quantization, pruning and knowledge distillation, with the accuracy and size before and after.</source>
        <translation>Redução de modelos: quantização INT8, poda e destilação de conhecimento, com a acurácia e o tamanho antes e depois.</translation>
    </message>
    <message>
        <source>Latency measured on this machine for each export.</source>
        <translation>Latência medida nesta máquina para cada exportação.</translation>
    </message>
    <message>
        <source>the export and model reduction issue</source>
        <translation>a issue de exportação e redução de modelos</translation>
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
        <source>If you don't save, your changes will be lost.</source>
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
    <name>TrainPanel</name>
    <message>
        <source>Train</source>
        <translation>Treinar</translation>
    </message>
    <message>
        <source>Train the network on the GPU when there is one, else the CPU, while the learning curves draw live and Karpathy's recipe checks tell you what the curves mean.</source>
        <translation>Treine a rede na GPU quando houver uma, senão na CPU, enquanto as curvas de aprendizado são desenhadas ao vivo e as verificações da receita de Karpathy dizem o que as curvas significam.</translation>
    </message>
    <message>
        <source>Start, pause and stop a run; stopping saves a checkpoint you can resume or export.</source>
        <translation>Inicie, pause e pare um treino; parar salva um checkpoint que você pode retomar ou exportar.</translation>
    </message>
    <message>
        <source>Watch training and validation loss and accuracy update several times a second.</source>
        <translation>Acompanhe a perda e a acurácia de treino e validação atualizando várias vezes por segundo.</translation>
    </message>
    <message>
        <source>Run the recipe checks: loss at initialisation, overfitting one batch, a learning rate that is too high, under- and overfitting.</source>
        <translation>Rode as verificações da receita: perda na inicialização, sobreajuste de um lote, taxa de aprendizado alta demais, subajuste e sobreajuste.</translation>
    </message>
    <message>
        <source>Compare runs side by side and keep the best checkpoint.</source>
        <translation>Compare treinos lado a lado e guarde o melhor checkpoint.</translation>
    </message>
    <message>
        <source>the training engine</source>
        <translation>o motor de treinamento</translation>
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
</context>
</TS>