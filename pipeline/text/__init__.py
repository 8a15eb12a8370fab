"""Text stage: main text, title, language and publication dates from raw pages."""
