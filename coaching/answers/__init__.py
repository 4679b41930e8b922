"""Answers to understood questions (``coaching.understanding.Asked``): one module per kind of
question, each function ``(coach, asked) -> text | None``; ``coaching.rules.coach.ANSWERS``
names the function for each "what"."""
