"""The pure core: figures, units, numerals, grounding, verification, morphology; no I/O."""
