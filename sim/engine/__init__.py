"""The engine: the numbers of a run and the functions that move them, with no Mesa and no words.

A run is an explicit state (``state.State``: the arrays that change) over a fixed cast
(``cast.Cast``: who the actors are and what their roles let them do). A round is a function
(``round.play_round``) from the state, the round's spec, the parameters, the rule and the round's
random streams to a new state and a ``record.RoundRecord`` holding every decision with the numbers
behind it. ``run.Run`` walks the schedule. Sentences are made from the records, elsewhere
(``sim.narrator``); the Mesa face is ``sim.model``.
"""
