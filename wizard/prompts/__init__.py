"""`aks-nat-wizard --simple`: the wizard as one question at a time, for terminals where a
full-screen app does not fit. `questions.py` asks the steps, `session.py` is the session around
them (where to start, the review, what to do), `migration.py` the path for an existing cluster.
"""
