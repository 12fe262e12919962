"""The user's files: where they live (`paths.py`, platformdirs and atomic writes) and presets
(`presets.py`, TOML files a person can read and edit).
"""
