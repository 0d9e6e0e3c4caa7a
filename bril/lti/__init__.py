"""Launches from an organisation's learning portal (LTI 1.3): registration, launch, deep linking, grades back."""
