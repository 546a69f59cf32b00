"""Fakes of the outside services the bot talks to, as real local servers."""
