"""Reports for people: show an article, evaluate against gold, progress output."""
