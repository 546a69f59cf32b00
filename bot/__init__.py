"""innocore-bot: answers InnoCORE postdoc applicants' questions from the documents in knowledge/."""

__version__ = "0.1.0"
