"""The `aks-nat-wizard` command: `main.py` is the click group; each sub-command lives in its own
module here and is imported only when it runs.
"""
