"""Datasets: built-in offline ones, torchvision, image folders, CSV tables; splits and augmentation.

`load_dataset(project.data)` returns a `DatasetBundle` of CPU tensors; the trainer moves it to the
device once and draws batches there, applying `augment_batch` on the device.
"""

from studio.core.data.augment import augment_batch
from studio.core.data.bundle import DatasetBundle, TargetInfo
from studio.core.data.loader import dataset_names, load_dataset

__all__ = ["DatasetBundle", "TargetInfo", "augment_batch", "dataset_names", "load_dataset"]
