"""The visual builder: the Build panel's node canvas over the Qt-free graph core.

Modules, from the bottom up: `style` (colours, sizes, number formats), `layout` (layered
auto-layout, no Qt), `commands` (undoable graph edits), `editor` (every edit the canvas, the
inspector and the keyboard can make), `items`/`scene`/`view` (the canvas), `palette`, `inspector`,
`problems`, `summary`, `codeview` and `gallery` (the widgets around it).
"""
