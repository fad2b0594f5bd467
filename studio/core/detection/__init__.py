"""Object detection as the course teaches it: boxes and IoU, non-maximum suppression, the YOLO grid, mAP."""
