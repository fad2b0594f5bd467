"""The detection painter, for the Train panel's strip and lesson: it lives in
`studio.ui.common.detection_draw` (the Try view draws a detection run's boxes with it too)."""

from studio.ui.common.detection_draw import (  # noqa: F401 - re-exported for the training views
    GAP_PX,
    class_color,
    class_name,
    draw_boxes,
    draw_grid,
    draw_label,
    image_pixmap,
    tiles,
)
