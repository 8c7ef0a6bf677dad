"""Questions in plain English or Chinese, read into the graph's own terms and answered offline.

`ask(store, question)` reads the question (plankg.graph.ask.reading / assemble), answers the best
reading over the store primitives (execute), and says the reading back in the question's language
(words), with the other readings when the question is ambiguous, or "could not interpret" with
suggestions. See graph/ask/README.md for how a new kind of question is added.
"""

from plankg.graph.ask.service import Answer, ask

__all__ = ["Answer", "ask"]
