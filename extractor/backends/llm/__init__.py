"""The LLM backend: client (instructor + openai), capabilities probe, output budget, errors."""
