"""Rule and model based extraction for the offline backend: one small module per record type."""
