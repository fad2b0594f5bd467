"""The Export panel's parts: run picker, export form, verdict, before/after table, distillation, inference."""
