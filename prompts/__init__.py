"""The prompt templates, as package data: `rag.prompts.Prompts` reads them by name."""
