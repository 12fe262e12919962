"""Words every front end shares: text from users and files made safe to show (`safe.py`), counts
that read the same everywhere (`wording.py`), an exception as one readable line (`errors.py`).
"""
