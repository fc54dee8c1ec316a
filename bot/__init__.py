"""Stretchbot core: content catalogue, stretch recognition, safety checks and answer composition.

Nothing in this package knows about Rasa or audio; the Rasa actions and components are thin adapters.
"""
