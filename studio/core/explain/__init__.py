"""Looking inside a network: CAM heatmaps, filters, activations, feature visualisation."""
