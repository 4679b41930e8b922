"""Training plans: templates (routines), programs, the generator, progression and deloads."""
