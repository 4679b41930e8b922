"""Progress analytics: strength (e1RM, records, pattern index), volume per muscle against
landmarks, weekly metrics, goals, calendar and streaks. Reads projections only."""
