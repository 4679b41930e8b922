# The coach (providers, memory, weekly reports) arrives with its own issue.
