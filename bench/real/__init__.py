"""real_news_dev: real 2024 conflict reporting with hand-checked gold, scored by the rules of its README."""
