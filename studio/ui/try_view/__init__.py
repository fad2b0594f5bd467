"""The Try view: a trained run answering for a drawing or a dropped image (issue 16)."""
