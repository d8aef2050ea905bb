"""The class's answers in a live lesson: votes, shared words and texts, and the anonymous question box."""
