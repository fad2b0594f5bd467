"""Datasets: built-in offline ones, torchvision, image folders, CSV tables; splits and augmentation."""
